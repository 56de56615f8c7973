import { afterEach, describe, expect, it } from "vitest";
import { decide } from "../../domain/eligibility.ts";
import type { HouseholdInput } from "../../domain/household.ts";
import { loadPolicyKnowledge } from "../../knowledge/policy-load.ts";
import { openDatabase, type AppDatabase } from "../database.ts";
import { createFeedbackStore, createUsageStats, decisionFeedback } from "./feedback.ts";
import { createRuleWatchStore } from "./rule-watches.ts";
import { createSessionStore } from "./sessions.ts";
import { createUserData } from "./user-data.ts";
import { createUserKeys } from "../user-keys.ts";

const policy = loadPolicyKnowledge();
const household: HouseholdInput = {
  area: "rural",
  members: 4,
  monthlyIncome: 3_500_000,
  deprivationCount: 3,
  assessedOn: "2026-03-01",
};
const versions = { rules: "r", knowledge: "k" };

let database: AppDatabase;
afterEach(() => database?.close());

function storeEverything(userKey: string): void {
  const decision = decide(household, policy);
  createSessionStore(database).save(userKey, { mode: "menu" }, null);
  createRuleWatchStore(database).watch(userKey, household, decision, "r");
  createFeedbackStore(database).record({
    ...decisionFeedback(household, decision),
    userKey,
    verdict: "wrong",
    role: "resident",
    versions,
  });
  createUsageStats(database).recordSearch(
    { type: "no_match", query: "câu hỏi không ai trả lời", message: "…", results: [] },
    userKey,
  );
}

const counts = () =>
  database.sqlite
    .prepare(
      `select (select count(*) from sessions) as sessions, (select count(*) from rule_watches) as watches,
         (select count(*) from feedback) as feedback,
         (select count(*) from usage_events where question is not null) as questions,
         (select count(*) from usage_events) as events`,
    )
    .get();

describe("erasing a user's data (/xoa)", () => {
  it("removes the session, watch, feedback and kept questions of that user only, keeping the counts", () => {
    database = openDatabase(":memory:");
    storeEverything("telegram:1");
    storeEverything("zalo:2");
    expect(counts()).toEqual({ sessions: 2, watches: 2, feedback: 2, questions: 2, events: 2 });
    createUserData(database).erase("telegram:1");
    expect(counts()).toEqual({ sessions: 1, watches: 1, feedback: 1, questions: 1, events: 2 });
    const watches = createRuleWatchStore(database);
    expect(watches.has("zalo:2")).toBe(true);
    expect(watches.has("telegram:1")).toBe(false);
  });
});

describe("rule-change watches", () => {
  it("keep the account sealed and hand it back for the notice; a rotated secret cannot open it", () => {
    database = openDatabase(":memory:", { userKeySecret: "a".repeat(40) });
    const watches = createRuleWatchStore(database, { now: () => Date.parse("2026-03-01T05:00:00Z") });
    watches.watch("telegram:777", household, decide(household, policy), "r");
    const row = database.sqlite.prepare("select user_key, address from rule_watches").get() as Record<
      string,
      string
    >;
    expect(JSON.stringify(row)).not.toContain("777");
    // A changed decision is reported to the account itself.
    database.sqlite
      .prepare(`update rule_watches set last_summary = '{"category":"none","programs":{}}'`)
      .run();
    expect(watches.check(policy, "r2", { dryRun: true }).map((n) => n.userKey)).toEqual(["telegram:777"]);
    expect(createUserKeys("b".repeat(40)).open(row.address!)).toBeNull();
  });

  it("seal rows stored with the user key in clear when the store opens", () => {
    database = openDatabase(":memory:");
    database.sqlite
      .prepare(
        `insert into rule_watches (user_key, household, last_summary, rules_version, created_on, checked_on, expires_on)
         values ('zalo:abc', '{}', '{}', 'r', '2026-01-01', '2026-01-01', '2099-01-01')`,
      )
      .run();
    const watches = createRuleWatchStore(database);
    const row = database.sqlite.prepare("select user_key, address from rule_watches").get() as Record<
      string,
      string
    >;
    expect(row.user_key).toBe(database.userKeys.digest("zalo:abc"));
    expect(database.userKeys.open(row.address!)).toBe("zalo:abc");
    expect(watches.has("zalo:abc")).toBe(true);
  });
});
