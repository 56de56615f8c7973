import { describe, expect, it } from "vitest";
import { storageDialects, type StorageDialect } from "../../../test/support/storage-dialects.ts";
import type { HouseholdInput } from "../../domain/household.ts";
import type { FeedbackRow } from "./feedback.ts";

const dialects = storageDialects();
const DAY = 24 * 60 * 60 * 1000;
const household: HouseholdInput = {
  area: "rural",
  members: 4,
  monthlyIncome: 3_500_000,
  deprivationCount: 3,
  assessedOn: "2026-03-01",
};
const row = (overrides: Partial<FeedbackRow> = {}): FeedbackRow => ({
  kind: "decision",
  verdict: "wrong",
  role: "staff",
  userKey: "telegram:1",
  question: null,
  household,
  answer: { category: "poor", programs: { bhyt: "eligible" } },
  rulesVersion: "r1",
  knowledgeVersion: "k1",
  ...overrides,
});

for (const dialect of dialects) {
  describe.runIf(dialect.available)(`feedback and usage statistics (${dialect.name})`, () =>
    contract(dialect),
  );
}

function contract(dialect: StorageDialect): void {
  async function setup(retentionDays = 90) {
    const clock = { at: Date.parse("2026-03-10T03:00:00Z") };
    const database = await dialect.open();
    const options = { now: () => clock.at, retentionDays };
    return { database, clock, feedback: database.feedback(options), usage: database.usage(options) };
  }

  it("keeps disputed rows with their household and answer, without who judged, and sets the right answer", async () => {
    const { database, feedback } = await setup();
    const wrong = await feedback.insert(row());
    const correct = await feedback.insert(row({ verdict: "correct", household: null }));
    const unclear = await feedback.insert(
      row({
        kind: "search",
        verdict: "unclear",
        household: null,
        question: "hỏi gì đó",
        answer: { passages: [] },
      }),
    );
    expect(await feedback.setExpected(wrong, "cận nghèo")).toBe(true);
    expect(await feedback.setExpected(correct, "không đổi")).toBe(false);
    expect(await feedback.setExpected(9999, "không có")).toBe(false);
    const disputed = await feedback.disputed();
    expect(disputed.map((item) => item.id)).toEqual([wrong, unclear]);
    expect(disputed[0]).toEqual({
      id: wrong,
      day: "2026-03-10",
      kind: "decision",
      verdict: "wrong",
      role: "staff",
      question: null,
      household,
      answer: { category: "poor", programs: { bhyt: "eligible" } },
      expected: "cận nghèo",
      rulesVersion: "r1",
      knowledgeVersion: "k1",
    });
    expect(disputed[1]).toMatchObject({ question: "hỏi gì đó", household: null, expected: null });
    expect(await database.column("select user_key from feedback order by id")).toEqual(
      Array(3).fill(database.userKeys.digest("telegram:1")),
    );
    expect(await feedback.disputed({ from: "2026-03-11" })).toEqual([]);
    expect(await feedback.disputed({ to: "2026-03-10" })).toHaveLength(2);
  });

  it("unlinks feedback and kept questions from their user after the retention period", async () => {
    const { database, clock, feedback, usage } = await setup(2);
    await feedback.insert(row());
    await usage.insertSearch({ answered: false, question: "một câu hỏi", userKey: "zalo:9" });
    clock.at += 2 * DAY;
    expect(await feedback.purgeExpired()).toBe(0);
    expect(await usage.purgeExpired()).toBe(0);
    clock.at += DAY;
    expect(await feedback.purgeExpired()).toBe(1);
    expect(await usage.purgeExpired()).toBe(1);
    expect(await database.rows("select user_key, question from usage_events")).toEqual([
      { user_key: null, question: null },
    ]);
    expect(await database.column("select user_key from feedback")).toEqual([null]);
    expect(await feedback.disputed()).toHaveLength(1);
  });

  it("counts screenings, programmes, questions and feedback over a day range, never per person", async () => {
    const { clock, feedback, usage } = await setup();
    await usage.insertScreening({ category: "poor", basis: "figures", eligible: ["bhyt", "hoc-phi"] });
    await usage.insertScreening({ category: "poor", basis: "list", eligible: ["bhyt"] });
    await usage.insertSearch({ answered: true, question: null, userKey: null });
    await usage.insertSearch({ answered: false, question: "câu hỏi chưa có lời", userKey: "telegram:5" });
    await feedback.insert(row());
    await feedback.insert(row({ kind: "search", verdict: "correct", household: null }));
    clock.at += DAY;
    await usage.insertScreening({ category: "near_poor", basis: "figures", eligible: [] });
    await feedback.insert(row());

    expect(await usage.counts()).toEqual({
      perDay: [
        { day: "2026-03-10", count: 2 },
        { day: "2026-03-11", count: 1 },
      ],
      categories: [
        { category: "poor", count: 2 },
        { category: "near_poor", count: 1 },
      ],
      eligible: [
        { id: "bhyt", count: 2 },
        { id: "hoc-phi", count: 1 },
      ],
      searches: [
        { answered: false, count: 1 },
        { answered: true, count: 1 },
      ],
      unansweredQuestions: ["câu hỏi chưa có lời"],
      feedback: [
        { kind: "decision", verdict: "wrong", count: 2 },
        { kind: "search", verdict: "correct", count: 1 },
      ],
    });
    const secondDay = await usage.counts({ from: "2026-03-11", to: "2026-03-11" });
    expect(secondDay).toMatchObject({
      perDay: [{ day: "2026-03-11", count: 1 }],
      eligible: [],
      searches: [],
      unansweredQuestions: [],
      feedback: [{ kind: "decision", verdict: "wrong", count: 1 }],
    });
  });
}
