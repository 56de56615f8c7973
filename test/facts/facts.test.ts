import { afterAll, describe, expect, it } from "vitest";
import { openKnowledgeBase } from "../../src/knowledge/open.ts";
import { loadFactQuestions, scoreFacts } from "./evaluation.ts";

const questions = loadFactQuestions();
const kb = openKnowledgeBase({ databasePath: ":memory:", today: () => questions.today });
afterAll(() => kb.close());

describe("residents' questions of fact", () => {
  it("has at least 120 questions, a held-out part among them, none asked twice", () => {
    expect(questions.dev.length + questions.heldout.length).toBeGreaterThanOrEqual(120);
    expect(questions.heldout.length).toBeGreaterThanOrEqual(60);
    const all = [...questions.dev, ...questions.heldout].map((entry) => entry.q);
    expect(new Set(all).size).toBe(all.length);
  });

  it("states the expected figure near the top of the reply for the tuning part", () => {
    const score = scoreFacts(kb, questions.dev, questions.window);
    expect(score.passed / score.total).toBeGreaterThanOrEqual(0.95);
  });

  // The measure is the held-out share printed by `npm run eval`; this floor catches a regression.
  it("does not fall back on the held-out part", () => {
    const score = scoreFacts(kb, questions.heldout, questions.window);
    expect(score.passed / score.total).toBeGreaterThanOrEqual(0.85);
  });
});
