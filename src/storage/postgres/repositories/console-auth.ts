import { createHash, randomBytes, randomInt } from "node:crypto";
import {
  CODE_TTL_MS,
  DEFAULT_IDLE_MS,
  FAILURE_WINDOW_MS,
  MAX_WRONG_CODES,
  SESSION_MAX_MS,
  type ConsoleAuthOptions,
  type ConsoleSession,
  type Redeemed,
} from "../../repositories/console-auth.ts";
import type { PostgresDatabase, PostgresTransaction } from "../database.ts";

/** A session's last activity is written at most this often (as on SQLite). */
const TOUCH_EVERY_MS = 30 * 1000;

const sha256 = (value: string): string => createHash("sha256").update(value).digest("base64url");

/**
 * The console's sign-in codes, sessions and lock-outs on PostgreSQL, as on SQLite: codes and user keys as keyed
 * digests, session tokens as SHA-256. A wrong code is counted in one statement (an upsert), so that attempts
 * made at once on several instances are all counted.
 */
export function createPostgresConsoleAuthStore(database: PostgresDatabase, options: ConsoleAuthOptions = {}) {
  const { query, userKeys } = database;
  const now = options.now ?? Date.now;
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  const codeDigest = (code: string): string => userKeys.digest(`console-code:${code}`);
  const clientDigest = (client: string): string => userKeys.digest(`console-client:${client}`);
  const endSession = async (hash: string): Promise<void> => {
    await query("delete from console_sessions where token_hash = $1", [hash]);
  };
  const lockout = async (transaction: Pick<PostgresTransaction, "query">, key: string) =>
    (
      await transaction.query<{ failures: number; windowStart: number; lockedUntil: number | null }>(
        `select failures, window_start as "windowStart", locked_until as "lockedUntil"
         from console_lockouts where client = $1`,
        [key],
      )
    ).rows[0];

  return {
    /** A new code for a staff member, replacing any code of theirs not used yet; good for {@link CODE_TTL_MS}. */
    async mintCode(userKey: string): Promise<{ code: string; expiresAt: number }> {
      const digest = userKeys.digest(userKey);
      const code = String(randomInt(0, 100_000_000)).padStart(8, "0");
      const expiresAt = now() + CODE_TTL_MS;
      await database.inTransaction(async (transaction) => {
        await transaction.query("delete from console_codes where user_key = $1", [digest]);
        await transaction.query(
          `insert into console_codes (code_hash, user_key, expires_at) values ($1, $2, $3)
           on conflict (code_hash) do update set user_key = excluded.user_key, expires_at = excluded.expires_at`,
          [codeDigest(code), digest, expiresAt],
        );
      });
      return { code, expiresAt };
    },

    /** Signs in with a code typed by `client`; a wrong or expired code counts against the client. */
    redeem(code: string, client: string): Promise<Redeemed> {
      return database.inTransaction(async (transaction): Promise<Redeemed> => {
        const at = now();
        const key = clientDigest(client);
        const row = await lockout(transaction, key);
        if (row?.lockedUntil && row.lockedUntil > at) return { type: "locked", until: row.lockedUntil };
        const digits = code.replace(/\D/g, "");
        const taken =
          digits.length === 8
            ? (
                await transaction.query<{ userKey: string }>(
                  `delete from console_codes where code_hash = $1 and expires_at > $2 returning user_key as "userKey"`,
                  [codeDigest(digits), at],
                )
              ).rows[0]
            : undefined;
        if (taken) {
          await transaction.query("delete from console_lockouts where client = $1", [key]);
          const token = randomBytes(32).toString("base64url");
          await transaction.query(
            `insert into console_sessions (token_hash, user_key, created_at, last_seen_at, expires_at)
             values ($1, $2, $3, $3, $4)`,
            [sha256(token), taken.userKey, at, at + SESSION_MAX_MS],
          );
          return { type: "ok", token, userKey: taken.userKey };
        }
        // A window that ended starts afresh; otherwise one more failure in it.
        const { rows } = await transaction.query<{ failures: number; lockedUntil: number | null }>(
          `insert into console_lockouts as l (client, failures, window_start, locked_until)
           values ($1, 1, $2, case when 1 >= $4 then $2::bigint + $3 else null end)
           on conflict (client) do update set
             failures = case when l.window_start + $3 <= $2 then 1 else l.failures + 1 end,
             window_start = case when l.window_start + $3 <= $2 then $2 else l.window_start end,
             locked_until = case
               when (case when l.window_start + $3 <= $2 then 1 else l.failures + 1 end) >= $4 then $2::bigint + $3
               else null end
           returning failures, locked_until as "lockedUntil"`,
          [key, at, FAILURE_WINDOW_MS, MAX_WRONG_CODES],
        );
        const saved = rows[0]!;
        return saved.lockedUntil
          ? { type: "locked", until: saved.lockedUntil }
          : { type: "wrong", remaining: MAX_WRONG_CODES - saved.failures };
      });
    },

    /** Whether `client` is locked out now. */
    async lockedUntil(client: string): Promise<number | null> {
      const row = await lockout(database, clientDigest(client));
      return row?.lockedUntil && row.lockedUntil > now() ? row.lockedUntil : null;
    },

    /** The live session of a cookie token, its activity noted; null when unknown, idle too long or over. */
    async session(token: string): Promise<ConsoleSession | null> {
      const hash = sha256(token);
      const { rows } = await query<{
        userKey: string;
        createdAt: number;
        lastSeenAt: number;
        expiresAt: number;
      }>(
        `select user_key as "userKey", created_at as "createdAt", last_seen_at as "lastSeenAt",
           expires_at as "expiresAt"
         from console_sessions where token_hash = $1`,
        [hash],
      );
      const row = rows[0];
      if (!row) return null;
      const at = now();
      if (row.expiresAt <= at || row.lastSeenAt + idleMs <= at) {
        await endSession(hash);
        return null;
      }
      if (at - row.lastSeenAt >= TOUCH_EVERY_MS)
        await query("update console_sessions set last_seen_at = $1 where token_hash = $2", [at, hash]);
      return { userKey: row.userKey, createdAt: row.createdAt, expiresAt: row.expiresAt };
    },

    /** Signs out: the session is deleted. */
    endSession: (token: string): Promise<void> => endSession(sha256(token)),

    /** Deletes expired codes, ended sessions and stale lock-outs; returns how many rows went. */
    async purgeExpired(): Promise<number> {
      const at = now();
      const codes = await query("delete from console_codes where expires_at <= $1", [at]);
      const sessions = await query(
        "delete from console_sessions where expires_at <= $1 or last_seen_at <= $2",
        [at, at - idleMs],
      );
      const lockouts = await query(
        "delete from console_lockouts where window_start <= $1 and (locked_until is null or locked_until <= $2)",
        [at - FAILURE_WINDOW_MS, at],
      );
      return codes.rowCount + sessions.rowCount + lockouts.rowCount;
    },
  };
}

/** The store's interface on PostgreSQL. */
export type PostgresConsoleAuthStore = ReturnType<typeof createPostgresConsoleAuthStore>;
