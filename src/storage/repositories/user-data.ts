import type { MaybePromise } from "../../shared/maybe-promise.ts";
import type { AppDatabase } from "../database.ts";

/** The erasure, as /xoa and the hourly purge use it (see {@link createUserData}). */
export interface UserDataPort {
  erase(userKey: string): MaybePromise<void>;
  flush(): MaybePromise<boolean>;
}

/**
 * Everything stored about one user, across the stores: /xoa erases it, and no readable copy stays in the
 * database file or its write-ahead log (secure delete zeroes the deleted rows; the checkpoint empties the
 * log, which still holds the pages as they were).
 *
 * ```ts
 * const userData = createUserData(database);
 * userData.erase("telegram:42");
 * ```
 */
export function createUserData(database: AppDatabase, clock: { now?: () => number } = {}) {
  const { sqlite } = database;
  const now = clock.now ?? Date.now;
  const statements = [
    sqlite.prepare("delete from sessions where user_key = ?"),
    sqlite.prepare("delete from rule_watches where user_key = ?"),
    sqlite.prepare("delete from feedback where user_key = ?"),
    // The question goes; the count of an unanswered question stays anonymous.
    sqlite.prepare("update usage_events set question = null, user_key = null where user_key = ?"),
    // Replies not sent yet (they hold answers and the chat id). One being sent now may still arrive.
    sqlite.prepare("delete from outbox where user_key = ?"),
    // The staff console: sign-in codes not used yet and open sessions.
    sqlite.prepare("delete from console_codes where user_key = ?"),
    sqlite.prepare("delete from console_sessions where user_key = ?"),
  ];
  // Messages stored and waiting with no one handling them (left by a stopped run, or whose handler died). The
  // ones being handled now are left to their turn: the /xoa itself, and what the user sent after it, which
  // comes after it in the user's queue; handling clears their text.
  const waitingUpdates = sqlite.prepare<{ key: string; now: number }>(
    `delete from inbox where status <> 'done' and user_key = @key
       and (status = 'pending' or lease_until < @now)`,
  );
  const eraseAll = sqlite.transaction((key: string) => {
    for (const statement of statements) statement.run(key);
    waitingUpdates.run({ key, now: now() });
  });
  return {
    /**
     * Deletes the user's session, rule-change watch, feedback, kept questions, replies not sent yet, stored
     * messages waiting to be handled and console sign-in codes and sessions, then checkpoints.
     */
    erase(userKey: string): void {
      eraseAll(database.userKeys.digest(userKey));
      checkpointPersistently(database);
    },
    /**
     * Empties the write-ahead log, so rows deleted since (expired, or erased while another connection kept
     * the log busy) leave no copy there; run with the hourly purge. False when it could not complete.
     */
    flush(): boolean {
      return checkpointPersistently(database);
    },
  };
}

/** Longest {@link checkpointPersistently} waits for another connection's checkpoint to end, in ms. */
const CHECKPOINT_PATIENCE_MS = 200;

/**
 * The truncating checkpoint, tried again for a moment while it is kept from completing. `serve` checkpoints on
 * a thread of its own (checkpointer.ts): while that thread's checkpoint runs, SQLite refuses a second one at
 * once instead of waiting, and the erased rows would stay in the log until the next hourly flush. Blocks for a
 * few milliseconds at most in practice; erasures are rare.
 */
function checkpointPersistently(database: AppDatabase): boolean {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + CHECKPOINT_PATIENCE_MS;
  for (;;) {
    if (database.checkpoint()) return true;
    if (Date.now() >= deadline) return false;
    Atomics.wait(pause, 0, 0, 2);
  }
}

/** The SQLite erasure's own interface (synchronous). */
export type UserData = ReturnType<typeof createUserData>;
