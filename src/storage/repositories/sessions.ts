import { eq, lte, sql } from "drizzle-orm";
import type { AppDatabase } from "../database.ts";
import { sessions } from "../schema/sessions.ts";
import type { SessionStorePort, StoredSession } from "../../flows/ports.ts";

/** How long a session is kept after the last message when nothing else is configured. */
export const DEFAULT_SESSION_TTL_DAYS = 30;

/** The longest a session may be kept (SESSION_TTL_DAYS and `chat --ttl-days` are held to it). */
export const MAX_SESSION_TTL_DAYS = 3650;

const DAY_MS = 24 * 60 * 60 * 1000;

/** A session store's TTL in days: the default when unset; a RangeError outside 1 to {@link MAX_SESSION_TTL_DAYS}. */
export function sessionTtlDays(ttlDays = DEFAULT_SESSION_TTL_DAYS): number {
  if (!(ttlDays > 0 && ttlDays <= MAX_SESSION_TTL_DAYS))
    throw new RangeError(`ttlDays must be from 1 to ${MAX_SESSION_TTL_DAYS}, got ${ttlDays}`);
  return ttlDays;
}

/** The SQLite session store: the port, answered synchronously. */
export interface SessionStore extends SessionStorePort {
  load(userKey: string): StoredSession | undefined;
  save(userKey: string, state: unknown, flow: { id: string; version: number } | null): void;
  delete(userKey: string): void;
  purgeExpired(): number;
}

/**
 * Conversation sessions in SQLite (table `sessions`, migration 0002), keyed by the database's keyed digest of
 * the user key. Expiry is enforced on every read, so
 * an expired session is never continued even before {@link SessionStorePort.purgeExpired} has run; saving
 * pushes the expiry back (`ttlDays` after the last message). Statements are prepared once: this is on every
 * message's path.
 *
 * ```ts
 * const store = createSessionStore(openDatabase(":memory:"), { ttlDays: 30 });
 * store.save("telegram:42", snapshot, { id: "eligibility", version: 1 });
 * ```
 */
export function createSessionStore(
  database: AppDatabase,
  options: { ttlDays?: number; now?: () => Date } = {},
): SessionStore {
  const ttlDays = sessionTtlDays(options.ttlDays);
  const now = options.now ?? (() => new Date());
  const { db } = database;
  const digestUserKey = (userKey: string): string => database.userKeys.digest(userKey);

  // Read through the raw handle too: on every message, and drizzle's row mapping cost more than the query.
  const selectOne = database.sqlite.prepare<
    [string],
    { state: string; flowId: string | null; flowVersion: number | null; updatedAt: number; expiresAt: number }
  >(
    `select state, flow_id as flowId, flow_version as flowVersion, updated_at as updatedAt,
       expires_at as expiresAt
     from sessions where user_key = ?`,
  );
  const deleteOne = db
    .delete(sessions)
    .where(eq(sessions.userKey, sql.placeholder("key")))
    .prepare();
  // Upsert through the raw handle: drizzle's insert builder would rebuild and re-prepare it on every call.
  const upsert = database.sqlite.prepare(
    `insert into sessions (user_key, flow_id, flow_version, state, updated_at, expires_at)
     values (@key, @flowId, @flowVersion, @state, @updatedAt, @expiresAt)
     on conflict (user_key) do update set flow_id = excluded.flow_id, flow_version = excluded.flow_version,
       state = excluded.state, updated_at = excluded.updated_at, expires_at = excluded.expires_at`,
  );
  const deleteExpired = db
    .delete(sessions)
    .where(lte(sessions.expiresAt, sql.placeholder("now")))
    .prepare();

  return {
    ttlDays,
    load(userKey: string): StoredSession | undefined {
      const key = digestUserKey(userKey);
      const row = selectOne.get(key);
      if (!row) return undefined;
      if (row.expiresAt <= now().getTime()) {
        deleteOne.run({ key });
        return undefined;
      }
      return {
        state: JSON.parse(row.state) as unknown,
        flowId: row.flowId,
        flowVersion: row.flowVersion,
        updatedAt: new Date(row.updatedAt),
      };
    },
    save(userKey, state, flow): void {
      const at = now().getTime();
      upsert.run({
        key: digestUserKey(userKey),
        flowId: flow?.id ?? null,
        flowVersion: flow?.version ?? null,
        state: JSON.stringify(state),
        updatedAt: at,
        expiresAt: at + ttlDays * DAY_MS,
      });
    },
    delete(userKey: string): void {
      deleteOne.run({ key: digestUserKey(userKey) });
    },
    purgeExpired(): number {
      return deleteExpired.run({ now: now().getTime() }).changes;
    },
  };
}
