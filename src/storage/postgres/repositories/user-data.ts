import { SCOPE, type PostgresDatabase } from "../database.ts";
import { dropCarriedSession } from "./sessions.ts";

/**
 * Everything stored about one user, across the stores, on PostgreSQL: /xoa erases it in one transaction. The
 * SQLite version also zeroes the deleted rows (secure delete) and empties its write-ahead log; PostgreSQL has
 * no counterpart to either: deleted tuples stay in the table files until VACUUM reuses the space, and in the
 * WAL until it is recycled (the operator's backups and WAL archive are theirs to age out).
 *
 * ```ts
 * await createPostgresUserData(database).erase("telegram:42");
 * ```
 */
export function createPostgresUserData(database: PostgresDatabase, clock: { now?: () => number } = {}) {
  const now = clock.now ?? Date.now;
  const statements = [
    "delete from sessions where user_key = $1",
    "delete from rule_watches where user_key = $1",
    "delete from feedback where user_key = $1",
    // The question goes; the count of an unanswered question stays anonymous.
    "update usage_events set question = null, user_key = null where user_key = $1",
    // Replies not sent yet (they hold answers and the chat id). One being sent now may still arrive.
    "delete from outbox where user_key = $1",
    // The staff console: sign-in codes not used yet and open sessions.
    "delete from console_codes where user_key = $1",
    "delete from console_sessions where user_key = $1",
  ];
  return {
    /**
     * Deletes the user's session, rule-change watch, feedback, kept questions, replies not sent yet, stored
     * messages waiting to be handled (not the ones being handled now: the /xoa itself, and what came after it)
     * and console sign-in codes and sessions.
     */
    async erase(userKey: string): Promise<void> {
      const key = database.userKeys.digest(userKey);
      // In the user's turn (/xoa), its transaction; else one of its own.
      await database.inTransaction(
        async (transaction) => {
          // A session save the turn holds back (see sessions.ts) must not bring the session back at the commit.
          dropCarriedSession(transaction, key);
          for (const statement of statements) await transaction.query(statement, [key]);
          await transaction.query(
            `delete from inbox where status <> 'done' and user_key = $1
             and (status = 'pending' or lease_until < $2)`,
            [key, now()],
          );
        },
        [SCOPE.user(key)],
      );
    },
    /** The SQLite version's log checkpoint: nothing to do on PostgreSQL (see above); always true. */
    async flush(): Promise<boolean> {
      return true;
    },
  };
}

/** The erasure's interface on PostgreSQL. */
export type PostgresUserData = ReturnType<typeof createPostgresUserData>;
