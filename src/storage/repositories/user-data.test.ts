import { afterEach, describe, expect, it } from "vitest";
import {
  storageDialects,
  type StorageDialect,
  type StorageHandle,
} from "../../../test/support/storage-dialects.ts";
import { decide } from "../../domain/eligibility.ts";
import type { HouseholdInput } from "../../domain/household.ts";
import { loadPolicyKnowledge } from "../../knowledge/policy-load.ts";
import { createRuleWatchStore } from "../../staff/services/rule-watches.ts";
import { openDatabase, type AppDatabase } from "../database.ts";
import { createUserKeys } from "../user-keys.ts";

const policy = loadPolicyKnowledge();
const household: HouseholdInput = {
  area: "rural",
  members: 4,
  monthlyIncome: 3_500_000,
  deprivationCount: 3,
  assessedOn: "2026-03-01",
};
const dialects = storageDialects();

async function storeEverything(database: StorageHandle, userKey: string): Promise<void> {
  await database.sessions().save(userKey, { mode: "menu" }, null);
  await database.ruleWatches().save(userKey, household, { category: "poor", programs: {} }, "r");
  await database.feedback().insert({
    kind: "decision",
    verdict: "wrong",
    role: "resident",
    userKey,
    question: null,
    household,
    answer: { category: "poor" },
    rulesVersion: "r",
    knowledgeVersion: "k",
  });
  await database.usage().insertSearch({ answered: false, question: "câu hỏi không ai trả lời", userKey });
}

const counts = async (database: StorageHandle) =>
  (
    await database.rows(
      `select (select count(*) from sessions) as sessions, (select count(*) from rule_watches) as watches,
         (select count(*) from feedback) as feedback,
         (select count(*) from usage_events where question is not null) as questions,
         (select count(*) from usage_events) as events`,
    )
  )[0];

for (const dialect of dialects) {
  describe.runIf(dialect.available)(`erasing a user's data (/xoa, ${dialect.name})`, () => erasure(dialect));
}

function erasure(dialect: StorageDialect): void {
  it("removes the session, watch, feedback and kept questions of that user only, keeping the counts", async () => {
    const database = await dialect.open();
    await storeEverything(database, "telegram:1");
    await storeEverything(database, "zalo:2");
    expect(await counts(database)).toEqual({ sessions: 2, watches: 2, feedback: 2, questions: 2, events: 2 });
    await database.userData().erase("telegram:1");
    expect(await counts(database)).toEqual({ sessions: 1, watches: 1, feedback: 1, questions: 1, events: 2 });
    const watches = database.ruleWatches();
    expect(await watches.has("zalo:2")).toBe(true);
    expect(await watches.has("telegram:1")).toBe(false);
  });

  it("deletes the user's unsent replies and stored updates no one handles; the turn being handled stays", async () => {
    const database = await dialect.open();
    const now = Date.parse("2026-12-06T10:00:00Z");
    const store = database.delivery();
    const receive = async (updateId: string, userKey: string, owner: string, leaseUntil: number) =>
      (await store.receive(
        { platform: "telegram", updateId, payload: `{"text":"${updateId}"}`, userKey },
        owner,
        now - 1000,
        leaseUntil,
      ))!;
    const answer = async (updateId: string, userKey: string, target: string) => {
      const item = await receive(updateId, userKey, "a", now + 60_000);
      await store.complete(
        item.id,
        "a",
        [{ platform: "telegram", target, payload: '{"text":"trả lời"}' }],
        now,
        now - 1,
      );
    };
    await answer("1", "telegram:1", "1"); // a reply to telegram:1 not sent yet
    await answer("2", "telegram:2", "2"); // someone else's
    const erasing = await receive("3", "telegram:1", "a", now + 60_000); // the /xoa itself, being handled
    await receive("4", "telegram:1", "dead", now - 1);
    await store.releaseOwn("dead"); // left by a stopped run: pending
    await receive("5", "telegram:1", "dead", now - 1); // its handler died: the lease ran out
    await receive("6", "telegram:2", "dead", now - 1);
    const left = () => database.column("select update_id from inbox where status <> 'done' order by id");
    const targets = () => database.column("select target from outbox order by id");
    expect(await left()).toEqual(["3", "4", "5", "6"]);
    expect(await targets()).toEqual(["1", "2"]);

    await database.userData({ now: () => now }).erase("telegram:1");
    expect(await left()).toEqual(["3", "6"]);
    expect(await targets()).toEqual(["2"]);
    // The /xoa's own reply is still queued and sent.
    expect(
      await store.complete(
        erasing.id,
        "a",
        [{ platform: "telegram", target: "1", payload: "{}" }],
        now,
        now + 15_000,
      ),
    ).toHaveLength(1);
  });

  it("deletes the user's console sign-in codes and sessions", async () => {
    const database = await dialect.open();
    const auth = database.consoleAuth();
    const signedIn = await auth.redeem((await auth.mintCode("telegram:2")).code, "c");
    if (signedIn.type !== "ok") throw new Error("no session");
    await auth.mintCode("telegram:2");
    await auth.mintCode("telegram:3");
    await database.userData().erase("telegram:2");
    expect(await auth.session(signedIn.token)).toBeNull();
    expect(await database.column("select count(*) from console_sessions")).toEqual([0]);
    expect(await database.column("select user_key from console_codes")).toEqual([
      database.userKeys.digest("telegram:3"),
    ]);
  });
}

let database: AppDatabase;
afterEach(() => database?.close());

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
