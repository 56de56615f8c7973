import { describe, expect, it } from "vitest";
import { ok } from "../shared/result.ts";
import { createTestScorer } from "../../test/support/fake-deps.ts";
import {
  initialSnapshot,
  sanitizeInput,
  step,
  type Effect,
  type EngineContext,
  type Snapshot,
} from "./engine.ts";
import { loadFlows } from "./load.ts";
import type { DecisionLike } from "./ports.ts";

const flows = loadFlows();
const context: EngineContext = { flows, ttlDays: 30 };
const today = "2026-11-22";
const scorer = createTestScorer({ today });
/** The question reference prefix of the eligibility flow's current version. */
const ref = `eligibility@${flows.flows.eligibility!.version}`;

function texts(effects: readonly Effect[]): string {
  return effects
    .flatMap((e) =>
      e.type === "reply" ? [e.reply.fallbackText] : e.type === "search" ? [`[search] ${e.query}`] : [],
    )
    .join("\n---\n");
}

/** Sends a message and, when the engine asks for a decision, answers with the scorer (as the runner would). */
function send(snapshot: Snapshot, text: string, decide = (h: Record<string, unknown>) => scorer.decide(h)) {
  let result = step(context, snapshot, { type: "message", text, today });
  const effects = [...result.effects];
  const request = result.effects.find((e) => e.type === "decide");
  if (request?.type === "decide") {
    result = step(context, result.snapshot, { type: "decided", outcome: decide(request.household), today });
    effects.push(...result.effects);
  }
  return { snapshot: result.snapshot, effects, text: texts(effects) };
}

function run(lines: string[], from: Snapshot = initialSnapshot()) {
  let snapshot = from;
  let last = { snapshot, effects: [] as Effect[], text: "" };
  for (const line of lines) {
    last = send(snapshot, line);
    snapshot = last.snapshot;
  }
  return last;
}

describe("step (pure transition)", () => {
  it("returns effects as values and does not touch the snapshot it was given", () => {
    const before = initialSnapshot();
    const frozen = JSON.stringify(before);
    const { snapshot, effects } = step(context, before, { type: "message", text: "/kiemtra", today });
    expect(JSON.stringify(before)).toBe(frozen);
    expect(effects.map((e) => e.type)).toEqual(["reply", "reply", "persist"]);
    expect(snapshot.interview?.pending).toBe("ask_area");
  });

  it("is deterministic: the same snapshot and event give the same result", () => {
    const start = run(["/kiemtra", "1"]).snapshot;
    const a = step(context, start, { type: "message", text: "4 người", today });
    const b = step(context, start, { type: "message", text: "4 người", today });
    expect(a).toEqual(b);
  });

  it("asks the steps marked always without the scorer, then the scorer with the household so far", () => {
    const start = run(["/kiemtra", "2"]).snapshot;
    const members = step(context, start, { type: "message", text: "4", today });
    expect(members.effects.some((e) => e.type === "decide")).toBe(false);
    expect(members.snapshot.interview?.pending).toBe("ask_listed_status");
    const { effects } = step(context, members.snapshot, { type: "message", text: "hộ nghèo", today });
    expect(effects).toContainEqual({
      type: "decide",
      household: { assessedOn: today, area: "urban", members: 4, listedStatus: "poor" },
    });
  });

  it("asks only what the scorer reports missing, in flow order", () => {
    const start = run(["/kiemtra", "1", "4", "không có tên"]).snapshot;
    const decision = (missing: string[]): DecisionLike => ({
      classification: { category: "unknown", basis: "estimated" },
      programs: [],
      missingFacts: missing.map((fact) => ({ fact })),
    });
    const next = step(context, start, {
      type: "decided",
      outcome: ok(decision(["persons", "monthlyIncome"])),
      today,
    });
    expect(next.snapshot.interview?.pending).toBe("ask_income");
    const alternative = step(context, start, {
      type: "decided",
      outcome: ok(decision(["incomePerPerson"])),
      today,
    });
    expect(alternative.snapshot.interview?.pending).toBe("ask_income");
    const none = step(context, start, { type: "decided", outcome: ok(decision([])), today });
    expect(none.snapshot.interview?.pending).toBeNull();
    expect(texts(none.effects)).toContain("KẾT QUẢ ƯỚC TÍNH");
  });

  it("keeps later answers when the scorer asks late for an earlier fact, and asks nothing twice", () => {
    // A university student of a poor household: the scorer needs the student's ethnicity (tuition).
    const start = run(["/kiemtra", "1", "4", "hộ nghèo", "0", "1", "đại học", "trường công"]).snapshot;
    expect(start.interview?.pending).toBe("ask_ethnic_minority");
    const decision = (missing: string[]): DecisionLike => ({
      classification: { category: "poor", basis: "listed" },
      programs: [],
      missingFacts: missing.map((fact) => ({ fact })),
    });
    const answered = step(context, start, { type: "message", text: "không", today });
    const late = step(context, answered.snapshot, {
      type: "decided",
      outcome: ok(decision(["inPoorCommune"])),
      today,
    });
    expect(late.snapshot.interview?.pending).toBe("ask_poor_commune");
    expect(Object.keys(late.snapshot.interview!.answers)).toContain("ask_student_school#1");
    const again = step(context, late.snapshot, { type: "message", text: "có", today });
    const done = step(context, again.snapshot, {
      type: "decided",
      outcome: ok(decision(["inPoorCommune", "persons"])),
      today,
    });
    expect(done.snapshot.interview?.pending).toBeNull();
    expect(texts(done.effects)).toContain("KẾT QUẢ ƯỚC TÍNH");
    expect(done.snapshot.interview?.history).toHaveLength(9);
  });

  it("never asks a listed poor household the deprivations, even if the scorer lists them", () => {
    const everything = (): ReturnType<typeof scorer.decide> =>
      ok({
        classification: { category: "poor", basis: "listed" },
        programs: [],
        missingFacts: [
          "monthlyIncome",
          "deprivationCount",
          "deprivations",
          "leftListOn",
          "inPoorCommune",
          "persons",
        ].map((fact) => ({ fact })),
      });
    let snapshot = run(["/kiemtra", "1", "4"]).snapshot;
    const asked: string[] = [];
    for (const answer of ["hộ nghèo", "không", "0"]) {
      const result = send(snapshot, answer, everything);
      snapshot = result.snapshot;
      if (snapshot.interview?.pending) asked.push(snapshot.interview.pending);
    }
    expect(asked).toEqual(["ask_poor_commune", "ask_student_count"]);
    expect(asked).not.toContain("ask_deprivations");
  });

  it("asks every remaining question when the scorer fails, then says the result could not be computed", () => {
    const failing = () => ({ ok: false as const, error: ["Số người không hợp lệ."] });
    let snapshot = run(["/kiemtra", "1"]).snapshot;
    let result = send(snapshot, "4", failing);
    expect(result.snapshot.interview?.pending).toBe("ask_listed_status");
    for (const answer of ["3", "không", "3tr", "0", "không", "không", "0", "0"]) {
      snapshot = result.snapshot;
      result = send(snapshot, answer, failing);
    }
    expect(result.text).toContain("chưa tính được kết quả");
    expect(result.text).toContain("Số người không hợp lệ.");
  });

  it("refuses more students than people in the household, and keeps the earlier answers", () => {
    const start = run(["/kiemtra", "2", "3", "hộ nghèo"]).snapshot;
    expect(start.interview?.pending).toBe("ask_student_count");
    const { snapshot, text } = send(start, "lớp 7");
    expect(text).toContain("Số này không được quá 3.");
    expect(snapshot.interview?.pending).toBe("ask_student_count");
    expect(Object.keys(snapshot.interview!.answers)).toHaveLength(3);
  });

  it("tells the scorer a household has not left the list, so newly-escaped credit is settled", () => {
    scorer.log.households.length = 0;
    run(["/kiemtra", "2", "3", "không có tên", "không", "20 triệu"]);
    expect(scorer.log.households.at(-1)).toMatchObject({ leftListOn: null, monthlyIncome: 20_000_000 });
  });

  it("answers a question typed mid-interview by searching, then asks the pending question again", () => {
    const { effects, snapshot } = send(run(["/kiemtra", "1", "4"]).snapshot, "vay vốn lãi suất bao nhiêu?");
    expect(effects[0]).toEqual({ type: "search", query: "vay vốn lãi suất bao nhiêu?" });
    expect(texts(effects)).toContain("Quay lại câu hỏi đang dở");
    expect(snapshot.interview?.pending).toBe("ask_listed_status");
  });

  it("shows the privacy notice once, before the first sensitive question", () => {
    const { text, snapshot } = run(["/kiemtra", "1", "4", "3", "không"]);
    expect(text).toContain("91/2025/QH15");
    expect(text).toContain("30 ngày");
    expect(snapshot.noticeShown).toBe(true);
    const again = run(["/quaylai", "không"], snapshot);
    expect(again.text).not.toContain("91/2025/QH15");
  });

  it("erases everything on /xoa", () => {
    const { snapshot, effects } = send(run(["/kiemtra", "1", "4"]).snapshot, "/xoa");
    expect(effects.map((e) => e.type)).toEqual(["erase", "reply"]);
    expect(snapshot).toEqual(initialSnapshot());
  });

  it("restarts politely when the stored interview belongs to an older version of its flow", () => {
    const old = run(["/kiemtra", "1", "4"]).snapshot;
    const stale: Snapshot = { ...old, interview: { ...old.interview!, flowVersion: 0 } };
    const { text, snapshot } = send(stale, "hộ nghèo");
    expect(text).toContain("vừa được cập nhật");
    expect(snapshot.interview?.flowVersion).toBe(flows.flows.eligibility!.version);
    expect(snapshot.interview?.pending).toBe("ask_area");
    expect(snapshot.interview?.answers).toEqual({});
  });

  it("answers a button of an old question with the current one", () => {
    const start = run(["/kiemtra", "1"]).snapshot;
    const stale = step(context, start, {
      type: "message",
      text: "2",
      today,
      question: `${ref}:ask_area`,
    });
    expect(texts(stale.effects)).toContain("Câu hỏi đó đã cũ");
    expect(stale.snapshot.interview?.answers).toEqual(start.interview?.answers);
    const fresh = step(context, start, {
      type: "message",
      text: "4",
      today,
      question: `${ref}:ask_members`,
    });
    expect(fresh.snapshot.interview?.pending).toBe("ask_listed_status");
  });

  it("reads a button press as an answer even when the same text typed would look like a question", () => {
    const start = run(["/kiemtra", "1", "4"]).snapshot;
    const typed = step(context, start, { type: "message", text: "là hộ nghèo ạ?", today });
    expect(typed.effects.some((e) => e.type === "search")).toBe(true);
    const pressed = step(context, start, {
      type: "message",
      text: "là hộ nghèo ạ?",
      today,
      question: `${ref}:ask_listed_status`,
    });
    expect(pressed.effects.some((e) => e.type === "search")).toBe(false);
    expect(pressed.snapshot.interview?.answers.ask_listed_status).toEqual({ type: "value", value: "poor" });
  });

  it("keeps only answers on the current path after going back and changing route", () => {
    const { snapshot } = run([
      "/kiemtra",
      "1",
      "4",
      "3",
      "có",
      "3/2024",
      "/quaylai",
      "/quaylai",
      "/quaylai",
      "hộ nghèo",
    ]);
    expect(Object.keys(snapshot.interview!.answers).sort()).toEqual([
      "ask_area",
      "ask_listed_status",
      "ask_members",
    ]);
  });
});

describe("sanitizeInput", () => {
  it.each([
    ["  có \u0000\u0007 ", "có"],
    ["a\u200Bb\uFEFF", "ab"],
    ["\uD800x", "x"],
    ["ho\u0300a", "hòa"],
    ["dòng 1\ndòng 2", "dòng 1\ndòng 2"],
    ["😀", "😀"],
  ])("%j → %j", (input, expected) => {
    expect(sanitizeInput(input)).toBe(expected);
  });
});
