import { createHash, randomBytes, randomInt } from "node:crypto";
import type { MaybePromise } from "../../shared/maybe-promise.ts";
import type { AppDatabase } from "../database.ts";

/** How long a sign-in code is good for: 10 minutes. */
export const CODE_TTL_MS = 10 * 60 * 1000;
/** Default idle timeout of a console session: 30 minutes. */
export const DEFAULT_IDLE_MS = 30 * 60 * 1000;
/** Absolute length of a console session, whatever the activity: 12 hours. */
export const SESSION_MAX_MS = 12 * 60 * 60 * 1000;
/** Wrong codes a client may type in {@link FAILURE_WINDOW_MS} before it is locked out. */
export const MAX_WRONG_CODES = 10;
/** The window wrong codes are counted in, and how long a lock-out lasts: 15 minutes. */
export const FAILURE_WINDOW_MS = 15 * 60 * 1000;
/** A session's last activity is written at most this often (each page view would otherwise be a write). */
const TOUCH_EVERY_MS = 30 * 1000;

/** The outcome of typing a code. */
export type Redeemed =
  | { type: "ok"; token: string; userKey: string }
  | { type: "wrong"; remaining: number }
  | { type: "locked"; until: number };

/** A live session. */
export interface ConsoleSession {
  /** Keyed digest of the staff member's user key. */
  userKey: string;
  createdAt: number;
  expiresAt: number;
}

/** The console's sign-in, as the console, the desk and the CLI use it (see {@link createConsoleAuthStore}). */
export interface ConsoleAuthPort {
  mintCode(userKey: string): MaybePromise<{ code: string; expiresAt: number }>;
  redeem(code: string, client: string): MaybePromise<Redeemed>;
  lockedUntil(client: string): MaybePromise<number | null>;
  session(token: string): MaybePromise<ConsoleSession | null>;
  endSession(token: string): MaybePromise<void>;
  purgeExpired(): MaybePromise<number>;
}

/** Options of {@link createConsoleAuthStore}. */
export interface ConsoleAuthOptions {
  now?: () => number;
  /** Idle timeout of a session, in ms (default {@link DEFAULT_IDLE_MS}). */
  idleMs?: number;
}

const sha256 = (value: string): string => createHash("sha256").update(value).digest("base64url");

/**
 * The console's sign-in codes, sessions and lock-outs. Codes and the user keys they belong to are stored as
 * keyed digests, session tokens as SHA-256: the database file alone signs no one in and names no one.
 *
 * ```ts
 * const auth = createConsoleAuthStore(database);
 * const { code } = auth.mintCode("telegram:123");      // sent to the staff member in chat
 * const result = auth.redeem(code, "203.0.113.7");      // typed on the sign-in page
 * if (result.type === "ok") setCookie(result.token);
 * ```
 */
export function createConsoleAuthStore(database: AppDatabase, options: ConsoleAuthOptions = {}) {
  const { sqlite, userKeys } = database;
  const now = options.now ?? Date.now;
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  const codeDigest = (code: string): string => userKeys.digest(`console-code:${code}`);
  const clientDigest = (client: string): string => userKeys.digest(`console-client:${client}`);

  const statements = {
    dropCodesOf: sqlite.prepare("delete from console_codes where user_key = ?"),
    insertCode: sqlite.prepare(
      "insert or replace into console_codes (code_hash, user_key, expires_at) values (?, ?, ?)",
    ),
    takeCode: sqlite.prepare<[string, number], { user_key: string }>(
      "delete from console_codes where code_hash = ? and expires_at > ? returning user_key",
    ),
    lockout: sqlite.prepare<
      [string],
      { failures: number; window_start: number; locked_until: number | null }
    >("select failures, window_start, locked_until from console_lockouts where client = ?"),
    saveLockout: sqlite.prepare(
      `insert into console_lockouts (client, failures, window_start, locked_until) values (?, ?, ?, ?)
       on conflict (client) do update set failures = excluded.failures, window_start = excluded.window_start,
         locked_until = excluded.locked_until`,
    ),
    clearLockout: sqlite.prepare("delete from console_lockouts where client = ?"),
    insertSession: sqlite.prepare(
      "insert into console_sessions (token_hash, user_key, created_at, last_seen_at, expires_at) values (?, ?, ?, ?, ?)",
    ),
    session: sqlite.prepare<
      [string],
      { user_key: string; created_at: number; last_seen_at: number; expires_at: number }
    >("select user_key, created_at, last_seen_at, expires_at from console_sessions where token_hash = ?"),
    touch: sqlite.prepare("update console_sessions set last_seen_at = ? where token_hash = ?"),
    endSession: sqlite.prepare("delete from console_sessions where token_hash = ?"),
    purgeCodes: sqlite.prepare("delete from console_codes where expires_at <= ?"),
    purgeSessions: sqlite.prepare("delete from console_sessions where expires_at <= ? or last_seen_at <= ?"),
    purgeLockouts: sqlite.prepare(
      "delete from console_lockouts where window_start <= ? and (locked_until is null or locked_until <= ?)",
    ),
  };

  const redeemTransaction = sqlite.transaction((code: string, client: string): Redeemed => {
    const at = now();
    const key = clientDigest(client);
    const row = statements.lockout.get(key);
    if (row?.locked_until && row.locked_until > at) return { type: "locked", until: row.locked_until };
    const digits = code.replace(/\D/g, "");
    const taken = digits.length === 8 ? statements.takeCode.get(codeDigest(digits), at) : undefined;
    if (taken) {
      statements.clearLockout.run(key);
      const token = randomBytes(32).toString("base64url");
      statements.insertSession.run(sha256(token), taken.user_key, at, at, at + SESSION_MAX_MS);
      return { type: "ok", token, userKey: taken.user_key };
    }
    const fresh = !row || row.window_start + FAILURE_WINDOW_MS <= at;
    const failures = (fresh ? 0 : row.failures) + 1;
    const windowStart = fresh ? at : row.window_start;
    const locked = failures >= MAX_WRONG_CODES ? at + FAILURE_WINDOW_MS : null;
    statements.saveLockout.run(key, failures, windowStart, locked);
    return locked
      ? { type: "locked", until: locked }
      : { type: "wrong", remaining: MAX_WRONG_CODES - failures };
  });

  return {
    /**
     * A new code for a staff member (a user key such as "telegram:123"), replacing any code of theirs not used
     * yet; good for {@link CODE_TTL_MS}. The caller decides who is staff.
     */
    mintCode(userKey: string): { code: string; expiresAt: number } {
      const digest = userKeys.digest(userKey);
      const code = String(randomInt(0, 100_000_000)).padStart(8, "0");
      const expiresAt = now() + CODE_TTL_MS;
      sqlite.transaction(() => {
        statements.dropCodesOf.run(digest);
        statements.insertCode.run(codeDigest(code), digest, expiresAt);
      })();
      return { code, expiresAt };
    },

    /**
     * Signs in with a code typed by `client` (its network address): the code is used up and a session starts;
     * a wrong or expired code counts against the client, locked out after {@link MAX_WRONG_CODES}.
     */
    redeem(code: string, client: string): Redeemed {
      return redeemTransaction(code, client);
    },

    /** Whether `client` is locked out now (the sign-in page says so before anything is typed). */
    lockedUntil(client: string): number | null {
      const row = statements.lockout.get(clientDigest(client));
      return row?.locked_until && row.locked_until > now() ? row.locked_until : null;
    },

    /** The live session of a cookie token, its activity noted; null when unknown, idle too long or over. */
    session(token: string): ConsoleSession | null {
      const hash = sha256(token);
      const row = statements.session.get(hash);
      if (!row) return null;
      const at = now();
      if (row.expires_at <= at || row.last_seen_at + idleMs <= at) {
        statements.endSession.run(hash);
        return null;
      }
      if (at - row.last_seen_at >= TOUCH_EVERY_MS) statements.touch.run(at, hash);
      return { userKey: row.user_key, createdAt: row.created_at, expiresAt: row.expires_at };
    },

    /** Signs out: the session is deleted. */
    endSession(token: string): void {
      statements.endSession.run(sha256(token));
    },

    /** Deletes expired codes, ended sessions and stale lock-outs; returns how many rows went. */
    purgeExpired(): number {
      const at = now();
      return (
        statements.purgeCodes.run(at).changes +
        statements.purgeSessions.run(at, at - idleMs).changes +
        statements.purgeLockouts.run(at - FAILURE_WINDOW_MS, at).changes
      );
    },
  };
}

/** The SQLite store's own interface (synchronous). */
export type ConsoleAuthStore = ReturnType<typeof createConsoleAuthStore>;
