/**
 * Direct answers, in-process on the bundled knowledge: the time to read a question, match it to a fact and
 * state that fact for its date (goal: p95 ≤ 5 ms). Every question of test/facts/, both sets,
 * asked 20 rounds after one warm-up round; the answerer keeps no cache, so every call does the whole work.
 */
import { performance } from "node:perf_hooks";
import { openAnswerer } from "../src/knowledge/open.ts";
import { loadPolicyKnowledge } from "../src/knowledge/policy-load.ts";
import { loadFactQuestions } from "../test/facts/evaluation.ts";
import { percentile } from "./support/load.ts";

const GOAL_P95_MS = 5;
const ROUNDS = 20;

const questions = loadFactQuestions();
const asked = [...questions.tuning, ...questions.heldout].map((entry) => entry.q);
const answerer = openAnswerer(loadPolicyKnowledge());
for (const question of asked) answerer.answer(question, questions.today);

const times: number[] = [];
let answered = 0;
for (let round = 0; round < ROUNDS; round++) {
  for (const question of asked) {
    const start = performance.now();
    const answer = answerer.answer(question, questions.today);
    times.push(performance.now() - start);
    if (round === 0 && answer) answered++;
  }
}
times.sort((a, b) => a - b);
const p95 = percentile(times, 95);
console.log(
  `answers: ${asked.length} questions × ${ROUNDS} rounds, ${answered} answered; ` +
    `ms p50 ${percentile(times, 50).toFixed(3)}, p95 ${p95.toFixed(3)}, p99 ${percentile(times, 99).toFixed(3)}, ` +
    `max ${times.at(-1)!.toFixed(3)} (goal p95 ≤ ${GOAL_P95_MS} ms: ${p95 <= GOAL_P95_MS ? "met" : "NOT met"})`,
);
