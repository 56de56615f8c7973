import { afterEach, describe, expect, it } from "vitest";
import { decide } from "../../domain/eligibility.ts";
import type { HouseholdInput } from "../../domain/household.ts";
import { loadPolicyKnowledge } from "../../knowledge/policy-load.ts";
import { openDatabase, type AppDatabase } from "../database.ts";
import { createDeliveryStore } from "./delivery.ts";
import { createFeedbackStore, createUsageStats, decisionFeedback } from "../../staff/services/feedback.ts";
import { createRuleWatchStore } from "../../staff/services/rule-watches.ts";
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

describe("erasing a user's messages still in delivery (/xoa)", () => {
  it("deletes the user's unsent replies and stored updates no one handles; the turn being handled stays", () => {
    database = openDatabase(":memory:");
    const now = Date.parse("2026-12-06T10:00:00Z");
    const store = createDeliveryStore(database);
    const receive = (updateId: string, userKey: string, owner: string, leaseUntil: number) =>
      store.receive(
        { platform: "telegram", updateId, payload: `{"text":"${updateId}"}`, userKey },
        owner,
        now - 1000,
        leaseUntil,
      )!;
    const answer = (updateId: string, userKey: string, target: string) => {
      const item = receive(updateId, userKey, "a", now + 60_000);
      store.complete(
        item.id,
        "a",
        [{ platform: "telegram", target, payload: '{"text":"trả lời"}' }],
        now,
        now - 1,
      );
    };
    answer("1", "telegram:1", "1"); // a reply to telegram:1 not sent yet
    answer("2", "telegram:2", "2"); // someone else's
    const erasing = receive("3", "telegram:1", "a", now + 60_000); // the /xoa itself, being handled
    receive("4", "telegram:1", "dead", now - 1);
    store.releaseOwn("dead"); // left by a stopped run: pending
    receive("5", "telegram:1", "dead", now - 1); // its handler died: the lease ran out
    receive("6", "telegram:2", "dead", now - 1);
    const left = () =>
      database.sqlite.prepare("select update_id from inbox where status <> 'done' order by id").pluck().all();
    const targets = () => database.sqlite.prepare("select target from outbox order by id").pluck().all();
    expect(left()).toEqual(["3", "4", "5", "6"]);
    expect(targets()).toEqual(["1", "2"]);

    createUserData(database, { now: () => now }).erase("telegram:1");
    expect(left()).toEqual(["3", "6"]);
    expect(targets()).toEqual(["2"]);
    // The /xoa's own reply is still queued and sent.
    expect(
      store.complete(
        erasing.id,
        "a",
        [{ platform: "telegram", target: "1", payload: "{}" }],
        now,
        now + 15_000,
      ),
    ).toHaveLength(1);
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
