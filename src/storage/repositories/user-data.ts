import type { AppDatabase } from "../database.ts";

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
export function createUserData(database: AppDatabase) {
  const { sqlite } = database;
  const statements = [
    sqlite.prepare("delete from sessions where user_key = ?"),
    sqlite.prepare("delete from rule_watches where user_key = ?"),
    sqlite.prepare("delete from feedback where user_key = ?"),
    // The question goes; the count of an unanswered question stays anonymous.
    sqlite.prepare("update usage_events set question = null, user_key = null where user_key = ?"),
  ];
  const eraseAll = sqlite.transaction((key: string) => {
    for (const statement of statements) statement.run(key);
  });
  return {
    /** Deletes the user's session, rule-change watch, feedback and kept questions, then checkpoints. */
    erase(userKey: string): void {
      eraseAll(database.userKeys.digest(userKey));
      database.checkpoint();
    },
    /**
     * Empties the write-ahead log, so rows deleted since (expired, or erased while another connection kept
     * the log busy) leave no copy there; run with the hourly purge. False when it could not complete.
     */
    flush(): boolean {
      return database.checkpoint();
    },
  };
}

/** The erasure's interface. */
export type UserData = ReturnType<typeof createUserData>;
