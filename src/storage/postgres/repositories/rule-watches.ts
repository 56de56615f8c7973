import { addDays, vietnamDate } from "../../../domain/dates.ts";
import { storeHousehold, type HouseholdInput } from "../../../domain/household.ts";
import { WATCH_DAYS, type StoredWatch } from "../../repositories/rule-watches.ts";
import { SCOPE, type PostgresDatabase } from "../database.ts";

/**
 * The opt-ins "Báo cho tôi khi chính sách thay đổi" on PostgreSQL (table `rule_watches`), as on SQLite: found by
 * the keyed digest of the user key, the user key itself kept sealed for the notice. Every row here was written
 * sealed (the PostgreSQL schema starts after sealing), so there are no older rows to seal at open. A statement
 * about one user joins the transaction open for the user ({@link SCOPE}.user), if any.
 */
export function createPostgresRuleWatchRepository(
  database: PostgresDatabase,
  options: { now?: () => number } = {},
) {
  const { query } = database;
  const keys = database.userKeys;
  const digest = (userKey: string): string => keys.digest(userKey);
  const today = (): string => vietnamDate((options.now ?? Date.now)());
  const about = (key: string) => database.transactionIn(SCOPE.user(key)) ?? database;
  const remove = async (key: string, on: Pick<PostgresDatabase, "query"> = database): Promise<boolean> =>
    (await on.query("delete from rule_watches where user_key = $1", [key])).rowCount > 0;
  return {
    /** Today in Vietnam (the repository's clock). */
    today,
    /** Records (or renews, for {@link WATCH_DAYS}) an opt-in: the household without its date, and the summary. */
    async save(
      userKey: string,
      household: HouseholdInput,
      lastSummary: unknown,
      rulesVersion: string,
    ): Promise<void> {
      const { assessedOn: _date, ...facts } = household;
      const day = today();
      const key = digest(userKey);
      await about(key).query(
        `insert into rule_watches (user_key, address, household, last_summary, rules_version, created_on,
           checked_on, expires_on)
         values ($1, $2, $3, $4, $5, $6, $6, $7)
         on conflict (user_key) do update set address = excluded.address, household = excluded.household,
           last_summary = excluded.last_summary, rules_version = excluded.rules_version,
           created_on = excluded.created_on, checked_on = excluded.checked_on, expires_on = excluded.expires_on`,
        [
          key,
          keys.seal(userKey),
          JSON.stringify(storeHousehold(facts)),
          JSON.stringify(lastSummary),
          rulesVersion,
          day,
          addDays(day, WATCH_DAYS),
        ],
      );
    },
    /** Deletes a user's watch; true when there was one. */
    remove: (userKey: string): Promise<boolean> => {
      const key = digest(userKey);
      return remove(key, about(key));
    },
    /** Deletes the watch with this row key (the notices' work, outside any turn); true when there was one. */
    delete: (key: string): Promise<boolean> => remove(key),
    /** Number of watches stored. */
    async count(): Promise<number> {
      const { rows } = await query<{ n: number }>("select count(*) as n from rule_watches");
      return rows[0]?.n ?? 0;
    },
    /** True when the user has a watch. */
    async has(userKey: string): Promise<boolean> {
      const key = digest(userKey);
      return (await about(key).query("select 1 from rule_watches where user_key = $1", [key])).rowCount > 0;
    },
    /** Deletes the watches that ended before today. */
    async deleteExpired(day: string = today()): Promise<void> {
      await query("delete from rule_watches where expires_on < $1", [day]);
    },
    /** The watches in force today whose account can still be reached (sealed with the current secret). */
    async inForce(day: string = today()): Promise<StoredWatch[]> {
      const { rows } = await query<{
        userKey: string;
        address: string | null;
        household: string;
        lastSummary: string;
      }>(
        `select user_key as "userKey", address, household, last_summary as "lastSummary" from rule_watches
         where expires_on >= $1
         order by created_on, user_key`,
        [day],
      );
      const watches: StoredWatch[] = [];
      for (const row of rows) {
        const address = row.address ? keys.open(row.address) : null;
        if (address === null) continue;
        watches.push({
          key: row.userKey,
          userKey: address,
          household: JSON.parse(row.household) as unknown,
          lastSummary: JSON.parse(row.lastSummary) as unknown,
        });
      }
      return watches;
    },
    /** Remembers what the decision of a watch says now, checked on `day`. */
    async remember(
      key: string,
      lastSummary: unknown,
      rulesVersion: string,
      day: string = today(),
    ): Promise<void> {
      await query(
        "update rule_watches set last_summary = $2, rules_version = $3, checked_on = $4 where user_key = $1",
        [key, JSON.stringify(lastSummary), rulesVersion, day],
      );
    },
  };
}

/** The rule-watch repository's interface on PostgreSQL. */
export type PostgresRuleWatchRepository = ReturnType<typeof createPostgresRuleWatchRepository>;
