import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { decide } from "../../domain/eligibility.ts";
import type { HouseholdInput } from "../../domain/household.ts";
import { testFileSchema } from "../../domain/policy-schema.ts";
import type { SearchOutcome } from "../../knowledge/types.ts";
import { loadPolicyKnowledge } from "../../knowledge/policy-load.ts";
import { householdCaseDrafts, kbQuestionDrafts } from "../feedback.ts";
import { renderStats } from "../stats.ts";
import { openDatabase, type AppDatabase } from "../../storage/database.ts";
import { createFeedbackStore, createUsageStats, decisionFeedback, searchFeedback } from "./feedback.ts";

const policy = loadPolicyKnowledge();
const versions = { rules: "rules123", knowledge: "plans456" };
const outcome: SearchOutcome = {
  type: "results",
  query: "ho can ngheo bhyt",
  results: [
    {
      documentId: "thai-binh-2017-2020",
      title: "Kế hoạch …",
      sectionPath: ["IV. CÁC GIẢI PHÁP THỰC HIỆN", "1.2. Hỗ trợ về y tế"],
      text: "…",
      excerpt: "…",
      score: 1,
      citation: "Kế hoạch số 02/KH-UBND … — mục IV › 1.2",
      warnings: [],
    },
  ],
};
const household: HouseholdInput = {
  area: "rural",
  members: 4,
  monthlyIncome: 5_600_000,
  deprivationCount: 3,
  assessedOn: "2026-03-01",
};
const decision = decide(household, policy);

let database: AppDatabase;
let now = Date.UTC(2026, 2, 1, 3); // 01/03/2026 10:00 in Vietnam
beforeEach(() => {
  database = openDatabase(":memory:");
  now = Date.UTC(2026, 2, 1, 3);
});
afterEach(() => database.close());

describe("feedback store", () => {
  it("ties a row to a person only through the keyed digest, for /xoa", () => {
    for (const table of ["feedback", "usage_events"]) {
      const columns = (
        database.sqlite.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]
      ).map((c) => c.name);
      expect(
        columns.filter((name) => /user|chat|name|phone|time|_at$/.test(name)),
        table,
      ).toEqual(["user_key"]);
    }
    createFeedbackStore(database).record({
      ...searchFeedback(outcome, "q"),
      userKey: "telegram:42",
      verdict: "wrong",
      role: "resident",
      versions,
    });
    const stored = database.sqlite.prepare("select user_key from feedback").pluck().get();
    expect(stored).toBe(database.userKeys.digest("telegram:42"));
  });

  it("unlinks feedback from its user after the retention period, keeping the feedback", () => {
    const store = createFeedbackStore(database, { now: () => now, retentionDays: 90 });
    store.record({
      ...searchFeedback(outcome, "q"),
      userKey: "zalo:a",
      verdict: "wrong",
      role: "resident",
      versions,
    });
    now += 90 * 24 * 3600 * 1000;
    expect(store.purgeExpired()).toBe(0);
    now += 24 * 3600 * 1000;
    expect(store.purgeExpired()).toBe(1);
    expect(database.sqlite.prepare("select user_key from feedback").pluck().all()).toEqual([null]);
    expect(store.disputed()).toHaveLength(1);
  });

  it("stores the question scrubbed, what was shown compactly, the versions, the day only", () => {
    const store = createFeedbackStore(database, { now: () => now });
    const id = store.record({
      ...searchFeedback(outcome, "ho can ngheo bhyt, sdt em 0912 345 678, cccd 034123456789"),
      verdict: "wrong",
      role: "resident",
      versions,
    });
    const [row] = store.disputed();
    expect(row).toMatchObject({
      id,
      day: "2026-03-01",
      kind: "search",
      verdict: "wrong",
      role: "resident",
      question: "ho can ngheo bhyt, sdt em [số], cccd [số]",
      household: null,
      rulesVersion: "rules123",
      knowledgeVersion: "plans456",
      answer: {
        type: "results",
        results: [{ documentId: "thai-binh-2017-2020", citation: "Kế hoạch số 02/KH-UBND … — mục IV › 1.2" }],
      },
    });
    expect(JSON.stringify(row)).not.toContain("0912");
  });

  it("keeps household facts only for a disputed decision, and the right answer only on a disputed one", () => {
    const store = createFeedbackStore(database, { now: () => now });
    const agreed = store.record({
      ...decisionFeedback(household, decision),
      verdict: "correct",
      role: "staff",
      versions,
    });
    const disputed = store.record({
      ...decisionFeedback(household, decision),
      verdict: "wrong",
      role: "staff",
      versions,
    });
    const row = database.sqlite.prepare("SELECT household FROM feedback WHERE id = ?").get(agreed) as {
      household: string | null;
    };
    expect(row.household).toBeNull();
    expect(store.addExpected(agreed, "cận nghèo")).toBe(false);
    expect(store.addExpected(disputed, "cận nghèo; vay hộ cận nghèo: được; bhyt: được; học phí: không")).toBe(
      true,
    );
    const [kept] = store.disputed();
    expect(kept).toMatchObject({ id: disputed, household: { members: 4, monthlyIncome: 5_600_000 } });
    expect(kept!.answer).toMatchObject({
      category: decision.classification.category,
      programs: { "credit.poor_household": expect.any(String) },
    });
  });

  it("exports disputed answers as draft test cases in the formats of the test files", () => {
    const store = createFeedbackStore(database, { now: () => now });
    store.record({
      ...searchFeedback(outcome, "Hộ cận nghèo được hỗ trợ BHYT bao nhiêu?"),
      verdict: "unclear",
      role: "staff",
      versions,
    });
    store.record({ ...searchFeedback(outcome, "vay vốn"), verdict: "correct", role: "staff", versions });
    const id = store.record({
      ...decisionFeedback(household, decision),
      verdict: "wrong",
      role: "staff",
      versions,
    });
    store.addExpected(id, "cận nghèo; vay hộ cận nghèo: được; bhyt: được; học phí: không");
    store.record({
      ...decisionFeedback({ ...household, members: 2 }, decision),
      verdict: "unclear",
      role: "resident",
      versions,
    });
    const records = store.disputed();

    const kb = kbQuestionDrafts(records);
    const questions = parse(kb) as Record<string, unknown>[];
    expect(questions).toEqual([
      {
        id: "feedback-1",
        split: "heldout",
        q: "Hộ cận nghèo được hỗ trợ BHYT bao nhiêu?",
        plain: "ho can ngheo duoc ho tro bhyt bao nhieu?",
        typo: "TODO",
        accept: [["TODO-document-id", "TODO passage"]],
      },
    ]);
    expect(kb).toContain("# shown 1: Kế hoạch số 02/KH-UBND … — mục IV › 1.2");
    // The passage staff pointed to ("where is the right one?") keeps its document and names the section.
    const pointed = kbQuestionDrafts(
      [{ ...records[0]!, expected: "thai-binh-2017-2020 IV.1.2" }],
      ["thai-binh-2017-2020"],
    );
    expect((parse(pointed) as { accept: unknown }[])[0]!.accept).toEqual([
      ["thai-binh-2017-2020", "TODO passage of section IV.1.2"],
    ]);

    const cases = householdCaseDrafts(records);
    const parsed = testFileSchema.parse(parse(cases));
    expect(parsed.cases).toHaveLength(2);
    expect(parsed.cases[0]).toMatchObject({
      date: "2026-03-01",
      input: { area: "rural", members: 4, monthlyIncome: 5_600_000, deprivationCount: 3 },
      output: {
        classification: { category: "near_poor" },
        programs: {
          "credit.near_poor_household": { status: "eligible" },
          health_insurance: { status: "eligible" },
          tuition: { status: "not_eligible" },
        },
      },
    });
    expect(parsed.cases[0]!.input).not.toHaveProperty("assessedOn");
    expect(parsed.cases[1]!.output).toEqual({});
    expect(cases).toContain("# expected (as typed): cận nghèo; vay hộ cận nghèo: được");
    expect(cases).toContain("# expected: not given, fill `output`");
  });

  it("exports empty files honestly when nothing is disputed", () => {
    expect(parse(kbQuestionDrafts([]))).toEqual([]);
    expect(parse(householdCaseDrafts([]))).toMatchObject({ cases: [] });
  });
});

describe("usage statistics", () => {
  it("keeps an unanswered question scrubbed hard, linked to its asker, and only for the retention period", () => {
    const stats = createUsageStats(database, { now: () => now, retentionDays: 30 });
    const noMatch = (query: string): SearchOutcome => ({
      type: "no_match",
      query,
      message: "…",
      results: [],
    });
    stats.recordSearch(noMatch("toi ten nguyen van an, nha so 5 ngo 12, chong bi HIV no 50 trieu"), "zalo:x");
    stats.recordSearch(noMatch("câu hỏi không có người hỏi"));
    const rows = database.sqlite
      .prepare("select question, user_key as userKey from usage_events order by id")
      .all() as { question: string | null; userKey: string | null }[];
    expect(rows).toEqual([
      {
        question: "toi ten [tên], nha [địa chỉ], chong bi [sức khoẻ] no [số] trieu",
        userKey: database.userKeys.digest("zalo:x"),
      },
      // Nobody to erase it for: counted, not kept.
      { question: null, userKey: null },
    ]);
    now += 31 * 24 * 3600 * 1000;
    expect(stats.purgeExpired()).toBe(1);
    expect(
      database.sqlite
        .prepare("select count(*) from usage_events where question is not null or user_key is not null")
        .pluck()
        .get(),
    ).toBe(0);
    expect(stats.summary()).toMatchObject({ searches: 2, unanswered: 2, unansweredQuestions: [] });
  });

  it("counts screenings per day, categories, eligible programmes, unanswered questions and feedback", () => {
    const stats = createUsageStats(database, { now: () => now });
    const store = createFeedbackStore(database, { now: () => now });
    const poor = decide(
      { area: "rural", members: 4, listedStatus: "poor", assessedOn: "2026-03-01" },
      policy,
    );
    const notPoor = decide(
      { area: "urban", members: 2, monthlyIncome: 20_000_000, assessedOn: "2026-03-01" },
      policy,
    );
    stats.recordScreening(poor);
    stats.recordScreening(poor);
    now += 24 * 3600 * 1000;
    stats.recordScreening(notPoor);
    stats.recordSearch(outcome);
    stats.recordSearch(
      { type: "no_match", query: "giá vàng hôm nay, gọi 0987654321", message: "…", results: [] },
      "telegram:1",
    );
    stats.recordSearch(
      { type: "no_match", query: "Giá vàng hôm nay, gọi 0987654321", message: "…", results: [] },
      "zalo:2",
    );
    stats.recordSearch({ type: "invalid", query: "", message: "…" });
    store.record({ ...searchFeedback(outcome, "q"), verdict: "correct", role: "staff", versions });
    store.record({ ...decisionFeedback(household, decision), verdict: "wrong", role: "staff", versions });

    const summary = stats.summary();
    expect(summary.screenings).toBe(3);
    expect(summary.screeningsPerDay).toEqual([
      { day: "2026-03-01", count: 2 },
      { day: "2026-03-02", count: 1 },
    ]);
    expect(summary.categories).toEqual([
      { category: "poor", count: 2 },
      { category: notPoor.classification.category, count: 1 },
    ]);
    const expected = new Map<string, number>();
    for (const screened of [poor, poor, notPoor])
      for (const program of screened.programs)
        if (program.status === "eligible") expected.set(program.id, (expected.get(program.id) ?? 0) + 1);
    expect(expected.size).toBeGreaterThan(0);
    expect(new Map(summary.eligibleProgrammes.map((row) => [row.id, row.count]))).toEqual(expected);
    expect(summary.eligibleProgrammes.map((row) => row.count)).toEqual(
      [...summary.eligibleProgrammes.map((row) => row.count)].sort((a, b) => b - a),
    );
    expect(summary).toMatchObject({ searches: 3, unanswered: 2 });
    expect(summary.unansweredQuestions).toEqual([{ question: "giá vàng hôm nay, gọi [số]", count: 2 }]);
    expect(summary.feedback).toEqual(
      expect.arrayContaining([
        { kind: "search", verdict: "correct", count: 1 },
        { kind: "decision", verdict: "wrong", count: 1 },
      ]),
    );
    expect(stats.summary({ from: "2026-03-02" }).screenings).toBe(1);
    expect(stats.summary({ to: "2026-03-01" }).screenings).toBe(2);

    const text = renderStats(summary, new Map(policy.programs.map((program) => [program.id, program.title])));
    expect(text).toMatch(/^Thống kê ẩn danh \(toàn bộ thời gian\)\. Không có số liệu theo từng người\./);
    expect(text).toContain("Lượt kiểm tra điều kiện: 3\n  01/03/2026: 2\n  02/03/2026: 1");
    expect(text).toContain("có thể thuộc hộ nghèo: 2 (67%)");
    expect(text).toContain("Câu hỏi tra cứu: 3, chưa có đoạn trả lời tốt: 2 (67%)");
    expect(text).toContain("• giá vàng hôm nay, gọi [số] (2 lần)");
    expect(text).toContain("Kết quả kiểm tra: 0 / 1 / 0");
    expect(text).not.toContain("0987654321");
  });
});
