/**
 * Global setup of the unit project: a PostgreSQL server for the PostgreSQL store tests, once per run.
 * TEST_DATABASE_URL when set (a server of one's own; each test file makes a database of its own on it);
 * otherwise a throw-away cluster from Debian's binaries (bin/pg-cluster.mjs) in a temporary folder, stopped and
 * deleted at the end. Without either: in CI the run fails; elsewhere the PostgreSQL suites are skipped, with one
 * note.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { findPostgresBin, freePort, startCluster, stopCluster } from "../../bin/pg-cluster.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    /** The admin URL of the test server; null when PostgreSQL tests are skipped. */
    postgresUrl: string | null;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const configured = process.env.TEST_DATABASE_URL?.trim();
  if (configured) {
    project.provide("postgresUrl", configured);
    return () => undefined;
  }
  const bin = findPostgresBin();
  if (!bin) {
    if (process.env.CI)
      throw new Error(
        "PostgreSQL tests need a server: install Debian's postgresql package (.ci/run does) or set TEST_DATABASE_URL",
      );
    process.stderr.write(
      "\nNote: PostgreSQL store tests skipped (no TEST_DATABASE_URL, no /usr/lib/postgresql/*/bin/initdb).\n\n",
    );
    project.provide("postgresUrl", null);
    return () => undefined;
  }
  const base = mkdtempSync(join(tmpdir(), "hcs-pg-"));
  const folder = join(base, "cluster");
  const started = { bin, folder };
  try {
    const url = startCluster({ bin, folder, port: await freePort(), fast: true, maxConnections: 300 });
    project.provide("postgresUrl", url);
  } catch (error) {
    rmSync(base, { recursive: true, force: true });
    throw error;
  }
  return () => {
    try {
      stopCluster({ ...started, mode: "immediate" });
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  };
}
