/**
 * The retrieval quality bar, as a test: hit@3 per way of asking, on the held-out questions (never looked at
 * while tuning synonyms or weights), must stay at or above the goals; the tuning questions would flatter it.
 * `npm run eval` prints the same figures in full, for both sets.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openKnowledgeBase } from "../../src/knowledge/open.ts";
import type { KnowledgeBase } from "../../src/knowledge/types.ts";
import { evaluate, FORM_NAMES, FORMS, HIT3_GOALS, loadQuestions, type Evaluation } from "./evaluation.ts";

let kb: KnowledgeBase;
let evaluation: Evaluation;
const questions = loadQuestions();

beforeAll(() => {
  kb = openKnowledgeBase({ databasePath: ":memory:", today: () => "2026-11-22" });
  evaluation = evaluate(kb, questions);
});
afterAll(() => kb.close());

describe("knowledge-base retrieval evaluation", () => {
  it("has at least 60 questions covering all five plans, each asked three distinct ways", () => {
    expect(questions.length).toBeGreaterThanOrEqual(60);
    const documents = new Set(questions.flatMap((q) => q.accept.map(([documentId]) => documentId)));
    expect(documents.size).toBe(5);
    for (const question of questions) {
      expect(new Set([question.q, question.plain, question.typo]).size, question.id).toBe(3);
    }
  });

  it("holds out at least a third of the questions", () => {
    const heldOut = questions.filter((q) => q.split === "heldout").length;
    expect(heldOut * 3).toBeGreaterThanOrEqual(questions.length);
  });

  it.each(FORMS)("meets the hit@3 goal on the held-out questions asked %s", (form) => {
    const figures = evaluation.bySplit.heldout[form];
    expect(
      figures.hit3,
      `${FORM_NAMES[form]}, held out: hit@3 ${figures.hit3.toFixed(3)}`,
    ).toBeGreaterThanOrEqual(HIT3_GOALS[form]);
  });

  it("does not call an evaluation question unanswerable", () => {
    const noMatch = evaluation.outcomes.filter((o) => o.type !== "results").map((o) => `${o.id}/${o.form}`);
    expect(noMatch.length, noMatch.join(", ")).toBeLessThanOrEqual(
      Math.floor(evaluation.outcomes.length * 0.02),
    );
  });
});
