/**
 * Where an interview stands, computed from its answers alone: walk the flow from its start, follow each
 * answered step's `next`, and stop at the first unanswered step that is still needed. A step is needed when
 * it is marked `always`, or when the scorer reports its fact as missing. Because the position is derived,
 * going back is just removing the last answer, and changing an earlier answer re-routes by itself. Pure.
 */

import type { Answer, AnswerValue } from "./answers.ts";
import { settledFacts } from "./household.ts";
import { DONE, type Condition, type FlowDefinition, type StepDefinition } from "./schema.ts";
import { stepIdOf } from "./validate.ts";

/** Answers of one interview by question key: a step id, or `step_id#n` for the n-th repetition. */
export type Answers = Readonly<Record<string, Answer>>;

/**
 * What the scorer last said it still needs: a set of fact names, `"all"` when it could not decide (every
 * step is then asked), or undefined when it has not been asked since the answers changed.
 */
export type MissingFacts = ReadonlySet<string> | "all" | undefined;

/** The outcome of a walk. */
export type WalkOutcome =
  { type: "ask"; key: string; stepId: string; index: number } | { type: "need_decision" } | { type: "done" };

/** The key of the n-th repetition of a step (n from 1), or the step id when it is not repeated. */
export function questionKey(stepId: string, step: StepDefinition, index: number): string {
  return step.repeat ? `${stepId}#${index}` : stepId;
}

/** The repetition number in a question key (1 when the step is not repeated). */
export function indexOfKey(key: string): number {
  const hash = key.indexOf("#");
  return hash < 0 ? 1 : Number(key.slice(hash + 1));
}

function valueOf(answers: Answers, stepId: string): AnswerValue | undefined {
  const answer = answers[stepId];
  return answer?.type === "value" ? answer.value : undefined;
}

/** Whether a condition holds on the answers so far (an unanswered step makes equals/in/gte/lte false). */
export function holds(condition: Condition, answers: Answers): boolean {
  if ("all" in condition) return condition.all.every((c) => holds(c, answers));
  if ("any" in condition) return condition.any.some((c) => holds(c, answers));
  if ("not" in condition) return !holds(condition.not, answers);
  const value = valueOf(answers, condition.step);
  if ("equals" in condition) return value === condition.equals;
  if ("in" in condition) return value !== undefined && !Array.isArray(value) && condition.in.includes(value);
  if ("gte" in condition) return typeof value === "number" && value >= condition.gte;
  if ("lte" in condition) return typeof value === "number" && value <= condition.lte;
  const answer = answers[condition.step];
  switch (condition.is) {
    case "unknown":
      return answer?.type === "unknown";
    case "known":
      return answer?.type === "value";
    case "answered":
      return answer !== undefined;
    case "unanswered":
      return answer === undefined;
  }
}

/** The step after `step`, given the answers so far. */
export function nextOf(step: StepDefinition, answers: Answers): string {
  if (typeof step.next === "string") return step.next;
  for (const transition of step.next)
    if (!transition.if || holds(transition.if, answers)) return transition.goto;
  return DONE;
}

/** "persons[2].ethnicMinority" → "ethnicMinority": the scorer's name of a member's fact, without the member. */
const PERSON_FACT = /^persons\[\d+\]\.(\w+)$/;

function isMissing(step: StepDefinition, missing: ReadonlySet<string>): boolean {
  if (settledFacts(step).some((fact) => missing.has(fact))) return true;
  // A step describing members (`persons[*].ethnicMinority`) is needed when any member lacks that fact.
  const field = step.set ? /^persons\[\*?\]\.(\w+)$/.exec(step.set)?.[1] : undefined;
  if (!field) return false;
  for (const fact of missing) if (PERSON_FACT.exec(fact)?.[1] === field) return true;
  return false;
}

/**
 * Walks the flow over the answers. Returns the question to ask, `need_decision` when the next unanswered
 * step depends on what the scorer needs (or the result is due) and the scorer has not been asked since the
 * answers changed, or `done`; plus `path`, the keys of the answered questions on the way (answers
 * elsewhere are stale and can be dropped).
 *
 * Repeated steps that follow one another with the same `repeat.times` form a block asked once per unit
 * (student 1 level, student 1 school, student 2 level, ...), as XState would loop a compound state.
 */
export function walk(
  flow: FlowDefinition,
  answers: Answers,
  missing: MissingFacts | "none",
): { outcome: WalkOutcome; path: string[] } {
  const path: string[] = [];
  let stepId = flow.start;
  let loop: { entry: string; times: string; index: number; count: number } | undefined;
  // Validated flows have no cycles; the bound only guards against a programming error.
  for (let guard = 0; guard < 1000; guard++) {
    const step = stepId === DONE ? undefined : flow.steps[stepId];
    if (loop && (!step?.repeat || step.repeat.times !== loop.times)) {
      // Leaving a repeated block: go round again for the next unit, or carry on.
      if (loop.index < loop.count) {
        loop = { ...loop, index: loop.index + 1 };
        stepId = loop.entry;
        continue;
      }
      loop = undefined;
    }
    // The result needs a decision on the final answers too.
    if (!step) return { outcome: { type: missing === undefined ? "need_decision" : "done" }, path };
    if (step.repeat && !loop) {
      const times = valueOf(answers, step.repeat.times);
      const count = typeof times === "number" ? Math.max(0, Math.min(times, step.repeat.max)) : 0;
      loop = { entry: stepId, times: step.repeat.times, index: 1, count };
    }
    if (loop && loop.count === 0) {
      stepId = nextOf(step, answers);
      continue;
    }
    const index = loop?.index ?? 1;
    const key = questionKey(stepId, step, index);
    if (answers[key]) {
      path.push(key);
      stepId = nextOf(step, answers);
      continue;
    }
    if (missing !== "none" && (step.always || missing === "all")) {
      return { outcome: { type: "ask", key, stepId, index }, path };
    }
    if (missing === undefined) return { outcome: { type: "need_decision" }, path };
    if (missing !== "none" && isMissing(step, missing))
      return { outcome: { type: "ask", key, stepId, index }, path };
    stepId = nextOf(step, answers);
  }
  throw new Error(`flow ${flow.id}: walk did not end (cycle?)`);
}

/**
 * The keys of every answered question on the route the answers take, as if nothing more were asked: what
 * the scorer is given, and what is kept when answers are pruned. Unlike the path of {@link walk}, it does
 * not stop at the next question, so answers given after it (the scorer may ask for an earlier fact late)
 * are kept.
 */
export function answeredPath(flow: FlowDefinition, answers: Answers): string[] {
  return walk(flow, answers, "none").path;
}

/** The step definition behind a question key. */
export function stepOfKey(flow: FlowDefinition, key: string): StepDefinition | undefined {
  return flow.steps[stepIdOf(key)];
}
