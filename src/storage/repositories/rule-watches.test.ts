import { describe, expect, it } from "vitest";
import { storageDialects, type StorageDialect } from "../../../test/support/storage-dialects.ts";
import type { HouseholdInput } from "../../domain/household.ts";
import { createUserKeys } from "../user-keys.ts";
import { WATCH_DAYS } from "./rule-watches.ts";

const dialects = storageDialects();
const household: HouseholdInput = {
  area: "urban",
  members: 3,
  monthlyIncome: 4_000_000,
  deprivationCount: 2,
  assessedOn: "2026-03-01",
};
const summary = { category: "near_poor", programs: { bhyt: "eligible" } };

for (const dialect of dialects) {
  describe.runIf(dialect.available)(`rule-change watch rows (${dialect.name})`, () => contract(dialect));
}

function contract(dialect: StorageDialect): void {
  async function setup(secret = "w".repeat(40)) {
    const clock = { at: Date.parse("2026-03-01T05:00:00Z") };
    const database = await dialect.open({ userKeySecret: secret });
    return { database, clock, watches: database.ruleWatches({ now: () => clock.at }) };
  }

  it("keeps the account sealed and the household without its date, and hands both back while in force", async () => {
    const { database, watches } = await setup();
    expect(watches.today()).toBe("2026-03-01");
    await watches.save("telegram:777", household, summary, "r1");
    const rows = await database.rows<{ user_key: string; address: string }>("select * from rule_watches");
    expect(JSON.stringify(rows)).not.toContain("777");
    expect(rows[0]?.user_key).toBe(database.userKeys.digest("telegram:777"));
    expect(createUserKeys("b".repeat(40)).open(rows[0]!.address)).toBeNull();
    const { assessedOn: _date, ...facts } = household;
    expect(await watches.inForce()).toEqual([
      {
        key: database.userKeys.digest("telegram:777"),
        userKey: "telegram:777",
        household: { format: expect.any(Number), household: facts },
        lastSummary: summary,
      },
    ]);
    expect(await watches.has("telegram:777")).toBe(true);
    expect(await watches.count()).toBe(1);
  });

  it("renews on a second opt-in, remembers a new decision, and ends after a year", async () => {
    const { database, watches } = await setup();
    await watches.save("zalo:1", household, summary, "r1");
    await watches.save("zalo:1", household, { category: "poor", programs: {} }, "r1");
    expect(await watches.count()).toBe(1);
    const [watch] = await watches.inForce();
    await watches.remember(watch!.key, { category: "none", programs: {} }, "r2", "2026-06-01");
    expect(await database.rows("select rules_version, checked_on, last_summary from rule_watches")).toEqual([
      { rules_version: "r2", checked_on: "2026-06-01", last_summary: '{"category":"none","programs":{}}' },
    ]);
    const [expiresOn] = await database.column<string>("select expires_on from rule_watches");
    expect(expiresOn).toBe(`${2026 + WATCH_DAYS / 365}-03-01`);
    expect(await watches.inForce("2027-03-01")).toHaveLength(1);
    expect(await watches.inForce("2027-03-02")).toEqual([]);
    await watches.deleteExpired("2027-03-01");
    expect(await watches.count()).toBe(1);
    await watches.deleteExpired("2027-03-02");
    expect(await watches.count()).toBe(0);
  });

  it("deletes a user's watch by user key or by row key, saying whether there was one", async () => {
    const { database, watches } = await setup();
    await watches.save("telegram:1", household, summary, "r");
    await watches.save("telegram:2", household, summary, "r");
    expect(await watches.remove("telegram:1")).toBe(true);
    expect(await watches.remove("telegram:1")).toBe(false);
    expect(await watches.delete(database.userKeys.digest("telegram:2"))).toBe(true);
    expect(await watches.count()).toBe(0);
  });

  // Two instances on one PostgreSQL database (a SQLite database in memory is one connection's own).
  if (dialect.name === "PostgreSQL")
    it("leaves out a watch another instance cannot open (USER_KEY_SECRET differs)", async () => {
      const { watches } = await setup();
      await watches.save("telegram:9", household, summary, "r");
      const other = (await dialect.open({ userKeySecret: "c".repeat(40) })).ruleWatches();
      expect(await other.count()).toBe(1);
      expect(await other.inForce("2026-03-01")).toEqual([]);
      expect(await watches.inForce("2026-03-01")).toHaveLength(1);
    });
}
