import { describe, expect, it } from "vitest";
import { decide } from "../../domain/eligibility.ts";
import type { HouseholdInput } from "../../domain/household.ts";
import { loadPolicyKnowledge } from "../../knowledge/policy-load.ts";
import { decisionChanges, watchSummary } from "../rule-watch.ts";
import { openDatabase } from "../../storage/database.ts";
import { createRuleWatchStore } from "./rule-watches.ts";

const policy = loadPolicyKnowledge();
// 1.750.000 đ per person in the countryside: above the 2026 line (1,5 tr), under the 2027 one (2,2 tr).
const household: HouseholdInput = {
  area: "rural",
  members: 4,
  monthlyIncome: 7_000_000,
  deprivationCount: 1,
  assessedOn: "2026-12-30",
};
const at = (day: string) => Date.parse(`${day}T03:00:00Z`);

describe("rule-change watches", () => {
  it("tells a watcher once when the new standard changes the decision, and keeps only what re-running needs", () => {
    const database = openDatabase(":memory:");
    let now = at("2026-12-30");
    const store = createRuleWatchStore(database, { now: () => now });
    store.watch("zalo:abc", household, decide(household, policy), "v1");
    const row = database.sqlite.prepare("SELECT * FROM rule_watches").get() as Record<string, string>;
    expect(JSON.parse(row.household!)).toEqual({
      format: 1,
      household: { area: "rural", members: 4, monthlyIncome: 7_000_000, deprivationCount: 1 },
    });
    expect(row.expires_on).toBe("2027-12-30");

    expect(store.check(policy, "v1")).toEqual([]); // same rules, same day: nothing to tell
    now = at("2027-01-02");
    expect(store.check(policy, "v2", { dryRun: true })).toHaveLength(1);
    const notices = store.check(policy, "v2");
    expect(notices).toHaveLength(1);
    expect(notices[0]!.userKey).toBe("zalo:abc");
    expect(notices[0]!.text).toMatch(
      /^Quy định về chính sách giảm nghèo đã thay đổi\. Xét lại theo thông tin bạn đã cung cấp, áp dụng ngày 02\/01\/2027:/,
    );
    expect(notices[0]!.text).toContain(
      "Diện của hộ: trước đây có thể thuộc diện hộ có mức sống trung bình, nay có thể thuộc diện hộ cận nghèo.",
    );
    expect(notices[0]!.text).toContain("/xoa");
    expect(store.check(policy, "v2")).toEqual([]); // told once
    database.close();
  });

  it("keeps a pending notice until it is told (a notice that could not be sent comes again)", () => {
    const database = openDatabase(":memory:");
    let now = at("2026-12-30");
    const store = createRuleWatchStore(database, { now: () => now });
    store.watch("zalo:abc", household, decide(household, policy), "v1");
    now = at("2027-01-02");
    const first = store.pending(policy, "v2");
    expect(first).toHaveLength(1);
    expect(store.pending(policy, "v2")).toHaveLength(1); // not sent: still there
    first[0]!.told();
    expect(store.pending(policy, "v2")).toEqual([]);
    database.close();
  });

  it("forgets a watcher the channel says cannot be reached any more", () => {
    const database = openDatabase(":memory:");
    let now = at("2026-12-30");
    const store = createRuleWatchStore(database, { now: () => now });
    store.watch("telegram:7", household, decide(household, policy), "v1");
    now = at("2027-01-02");
    store.pending(policy, "v2")[0]!.gone();
    expect(store.has("telegram:7")).toBe(false);
    expect(database.sqlite.prepare("SELECT count(*) AS n FROM rule_watches").get()).toEqual({ n: 0 });
    database.close();
  });

  it("forgets at once on /xoa, and after a year", () => {
    const database = openDatabase(":memory:");
    let now = at("2026-03-01");
    const store = createRuleWatchStore(database, { now: () => now });
    store.watch("telegram:1", household, decide(household, policy), "v1");
    store.watch("telegram:2", household, decide(household, policy), "v1");
    expect(store.unwatch("telegram:1")).toBe(true);
    expect(store.unwatch("telegram:1")).toBe(false);
    expect(store.has("telegram:2")).toBe(true);
    now = at("2027-03-02");
    store.check(policy, "v1");
    expect(store.has("telegram:2")).toBe(false);
    database.close();
  });

  it("reads a household stored before its format was kept, and drops one that is not a household any more", () => {
    const database = openDatabase(":memory:");
    let now = at("2026-12-30");
    const store = createRuleWatchStore(database, { now: () => now });
    store.watch("zalo:old", household, decide(household, policy), "v1");
    store.watch("zalo:broken", household, decide(household, policy), "v1");
    const { assessedOn: _date, ...facts } = household;
    const set = database.sqlite.prepare("UPDATE rule_watches SET household = ? WHERE user_key = ?");
    set.run(JSON.stringify(facts), database.userKeys.digest("zalo:old"));
    set.run(
      JSON.stringify({ format: 1, household: { ...facts, members: "bốn" } }),
      database.userKeys.digest("zalo:broken"),
    );
    now = at("2027-01-02");
    const notices = store.check(policy, "v2");
    expect(notices.map((notice) => notice.userKey)).toEqual(["zalo:old"]);
    expect(store.has("zalo:broken")).toBe(false);
    database.close();
  });

  it("names status and figure changes programme by programme", () => {
    const before = watchSummary(
      decide({ ...household, assessedOn: "2025-11-30", listedStatus: "poor" }, policy),
    );
    const changes = decisionChanges(
      before,
      decide({ ...household, assessedOn: "2025-12-01", listedStatus: "poor" }, policy),
      policy.kinds,
    );
    expect(changes).toContain(
      "Vay vốn ưu đãi hộ nghèo (Ngân hàng Chính sách xã hội): lãi suất từ 6,6%/năm thành 6,24%/năm.",
    );
    expect(
      decisionChanges(
        before,
        decide({ ...household, assessedOn: "2025-11-30", listedStatus: "poor" }, policy),
        policy.kinds,
      ),
    ).toEqual([]);
  });
});
