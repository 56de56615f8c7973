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

/** The file's database ({@link url}), and more empty ones on demand ({@link another}); all dropped after the file. */
export function usePostgresDatabase(): { available: boolean; url(): string; another(): Promise<string> } {
  const server = postgresServerUrl();
  const name = `hcs_test_${randomBytes(6).toString("hex")}`;
  const created: string[] = [];
  const create = async (database: string): Promise<string> => {
    if (!server) throw new Error("no PostgreSQL server for the tests");
    await admin(server, `create database ${database}`);
    created.push(database);
    return withDatabase(server, database);
  };
  if (server) {
    beforeAll(() => create(name));
    afterAll(async () => {
      for (const database of created.splice(0))
        await admin(server, `drop database if exists ${database} with (force)`);
    });
  }
  return {
    available: server !== null,
    url() {
      if (!server || !created.includes(name))
        throw new Error("no PostgreSQL test database (is the server up?)");
      return withDatabase(server, name);
    },
    another: () => create(`hcs_test_${randomBytes(6).toString("hex")}`),
  };
}

/** Runs one statement as the server's administrator. */
export async function asAdmin(statement: string, values: unknown[] = []): Promise<void> {
  const server = postgresServerUrl();
  if (!server) throw new Error("no PostgreSQL server for the tests");
  await admin(server, statement, values);
}

async function admin(url: string, statement: string, values: unknown[] = []): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement, values);
  } finally {
    await client.end();
  }
}
