import { afterAll, describe, expect, it } from "vitest";
import { openKnowledgeBase } from "../../src/knowledge/open.ts";
import { loadFactQuestions, scoreFacts } from "./evaluation.ts";

const questions = loadFactQuestions();
const kb = openKnowledgeBase({ databasePath: ":memory:", today: () => questions.today });
afterAll(() => kb.close());

describe("residents' questions of fact", () => {
  it("has at least 120 questions, a held-out set among them, none asked twice", () => {
    expect(questions.tuning.length + questions.heldout.length).toBeGreaterThanOrEqual(120);
    expect(questions.heldout.length).toBeGreaterThanOrEqual(60);
    const all = [...questions.tuning, ...questions.heldout].map((entry) => entry.q);
    expect(new Set(all).size).toBe(all.length);
  });

  it("states the expected figure near the top of the reply for the tuning set", () => {
    const score = scoreFacts(kb, questions.tuning, questions.window);
    expect(score.passed / score.total).toBeGreaterThanOrEqual(0.95);
  });

  // The measure is the held-out share printed by `npm run eval`; this floor catches a regression.
  it("does not fall back on the held-out set", () => {
    const score = scoreFacts(kb, questions.heldout, questions.window);
    expect(score.passed / score.total).toBeGreaterThanOrEqual(0.88);
  });
});
