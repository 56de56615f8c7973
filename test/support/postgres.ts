/**
 * A fresh, empty PostgreSQL database for one test file, on the server of the run (test/support/postgres-server.ts):
 * created with a unique name before the file's tests and dropped after them.
 *
 * ```ts
 * const pg = usePostgresDatabase();
 * describe.runIf(pg.available)("…", () => { it("…", async () => { const url = pg.url(); … }); });
 * ```
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";

/** The server's admin URL, null when PostgreSQL tests are skipped on this machine. */
export function postgresServerUrl(): string | null {
  return inject("postgresUrl");
}

/** `url` pointing at `database` instead. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function usePostgresDatabase(): { available: boolean; url(): string } {
  const server = postgresServerUrl();
  const name = `hcs_test_${randomBytes(6).toString("hex")}`;
  let created = false;
  if (server) {
    beforeAll(async () => {
      await admin(server, `create database ${name}`);
      created = true;
    });
    afterAll(async () => {
      if (created) await admin(server, `drop database if exists ${name} with (force)`);
    });
  }
  return {
    available: server !== null,
    url() {
      if (!server || !created) throw new Error("no PostgreSQL test database (is the server up?)");
      return withDatabase(server, name);
    },
  };
}

async function admin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
