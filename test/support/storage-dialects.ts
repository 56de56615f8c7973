/**
 * The stores on both dialects, for contract tests: one test body, run on SQLite (in memory) and on PostgreSQL
 * (a database of the test file's own, see postgres.ts). Every store method is awaited, so the synchronous SQLite
 * stores and the asynchronous PostgreSQL ones go through the same body.
 *
 * ```ts
 * for (const dialect of storageDialects()) {
 *   describe.runIf(dialect.available)(`sessions (${dialect.name})`, () => {
 *     it("…", async () => { const store = (await dialect.open()).sessions(); await store.save(…); });
 *   });
 * }
 * ```
 */
import { afterEach } from "vitest";
import type { SessionStorePort } from "../../src/flows/ports.ts";
import { openDatabase } from "../../src/storage/database.ts";
import { openPostgres, type PostgresDatabase } from "../../src/storage/postgres/database.ts";
import { createPostgresConsoleAuthStore } from "../../src/storage/postgres/repositories/console-auth.ts";
import { createPostgresDeliveryStore } from "../../src/storage/postgres/repositories/delivery.ts";
import {
  createPostgresFeedbackRepository,
  createPostgresUsageEventRepository,
} from "../../src/storage/postgres/repositories/feedback.ts";
import { createPostgresRuleWatchRepository } from "../../src/storage/postgres/repositories/rule-watches.ts";
import { createPostgresSessionStore } from "../../src/storage/postgres/repositories/sessions.ts";
import { createPostgresUserData } from "../../src/storage/postgres/repositories/user-data.ts";
import {
  createConsoleAuthStore,
  type ConsoleAuthOptions,
} from "../../src/storage/repositories/console-auth.ts";
import { createDeliveryStore, type DeliveryStore } from "../../src/storage/repositories/delivery.ts";
import {
  createFeedbackRepository,
  createUsageEventRepository,
  type FeedbackRepository,
  type StoreOptions,
  type UsageEventRepository,
} from "../../src/storage/repositories/feedback.ts";
import {
  createRuleWatchRepository,
  type RuleWatchRepository,
} from "../../src/storage/repositories/rule-watches.ts";
import { createSessionStore } from "../../src/storage/repositories/sessions.ts";
import { createUserData, type UserData } from "../../src/storage/repositories/user-data.ts";
import type { ConsoleAuthStore } from "../../src/storage/repositories/console-auth.ts";
import type { UserKeys } from "../../src/storage/user-keys.ts";
import { usePostgresDatabase } from "./postgres.ts";

/** `T` with each method returning its value or a promise of it. */
export type MaybeAsync<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => R | Promise<Awaited<R>> : T[K];
};

/** One open database of either dialect, with its stores. */
export interface StorageHandle {
  readonly dialect: "sqlite" | "postgres";
  readonly userKeys: UserKeys;
  sessions(options?: { ttlDays?: number; now?: () => Date }): MaybeAsync<SessionStorePort>;
  delivery(): MaybeAsync<DeliveryStore>;
  feedback(options?: StoreOptions): MaybeAsync<FeedbackRepository>;
  usage(options?: StoreOptions): MaybeAsync<UsageEventRepository>;
  ruleWatches(options?: { now?: () => number }): MaybeAsync<RuleWatchRepository>;
  consoleAuth(options?: ConsoleAuthOptions): MaybeAsync<ConsoleAuthStore>;
  userData(clock?: { now?: () => number }): MaybeAsync<UserData>;
  /** Rows of a statement without parameters (test assertions: literal values only). */
  rows<R = Record<string, unknown>>(statement: string): Promise<R[]>;
  /** The first column of each row. */
  column<V = unknown>(statement: string): Promise<V[]>;
  close(): Promise<void>;
}

export interface StorageDialect {
  readonly name: "SQLite" | "PostgreSQL";
  /** False when PostgreSQL is not available on this machine (never in CI). */
  readonly available: boolean;
  /** A database of this dialect, closed after the test. Two opens share one PostgreSQL database. */
  open(options?: { userKeySecret?: string }): Promise<StorageHandle>;
}

/** A secret for the PostgreSQL stores, which need one (SQLite makes a throw-away one in memory). */
export const TEST_SECRET = "storage-contract-secret-0123456789abcdef";

/**
 * The two dialects. Call once at the top of a test file (it registers the file's PostgreSQL database and the
 * closing of what a test opened). Each PostgreSQL test starts from empty tables.
 */
export function storageDialects(): StorageDialect[] {
  const pg = usePostgresDatabase();
  const opened: StorageHandle[] = [];
  afterEach(async () => {
    for (const handle of opened.splice(0)) await handle.close();
  });
  return [
    {
      name: "SQLite",
      available: true,
      async open(options = {}) {
        const database = openDatabase(":memory:", options);
        const handle: StorageHandle = {
          dialect: "sqlite",
          userKeys: database.userKeys,
          sessions: (o) => createSessionStore(database, o),
          delivery: () => createDeliveryStore(database),
          feedback: (o) => createFeedbackRepository(database, o),
          usage: (o) => createUsageEventRepository(database, o),
          ruleWatches: (o) => createRuleWatchRepository(database, o),
          consoleAuth: (o) => createConsoleAuthStore(database, o),
          userData: (c) => createUserData(database, c),
          rows: async <R>(statement: string) => database.sqlite.prepare(statement).all() as R[],
          column: async <V>(statement: string) => database.sqlite.prepare(statement).pluck().all() as V[],
          close: async () => database.close(),
        };
        opened.push(handle);
        return handle;
      },
    },
    {
      name: "PostgreSQL",
      available: pg.available,
      async open(options = {}) {
        const database = await openPostgres(pg.url(), {
          userKeySecret: options.userKeySecret ?? TEST_SECRET,
          poolSize: 4,
        });
        // The first database a test opens starts empty; a second one in the same test shares it.
        if (opened.length === 0) await emptyTables(database);
        const handle = postgresHandle(database);
        opened.push(handle);
        return handle;
      },
    },
  ];
}

/** The stores over an open PostgreSQL database. */
export function postgresHandle(database: PostgresDatabase): StorageHandle {
  return {
    dialect: "postgres",
    userKeys: database.userKeys,
    sessions: (o) => createPostgresSessionStore(database, o),
    delivery: () => createPostgresDeliveryStore(database),
    feedback: (o) => createPostgresFeedbackRepository(database, o),
    usage: (o) => createPostgresUsageEventRepository(database, o),
    ruleWatches: (o) => createPostgresRuleWatchRepository(database, o),
    consoleAuth: (o) => createPostgresConsoleAuthStore(database, o),
    userData: (c) => createPostgresUserData(database, c),
    rows: async <R>(statement: string) => (await database.query<R>(statement)).rows,
    column: async <V>(statement: string) =>
      (await database.query<Record<string, V>>(statement)).rows.map((row) => Object.values(row)[0] as V),
    close: () => database.close(),
  };
}

/** Every table of the stores emptied, identities restarted: a test starts as on a fresh database. */
async function emptyTables(database: PostgresDatabase): Promise<void> {
  await database.query(
    `truncate sessions, inbox, outbox, feedback, usage_events, rule_watches, console_codes, console_sessions,
       console_lockouts restart identity`,
  );
}
