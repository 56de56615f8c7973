/**
 * Checks on flow files that zod cannot express, with messages that name the step and the fix: a `next`
 * target or a condition's step that does not exist ("did you mean ask_income?"), an option value that the
 * step does not offer, a cycle, an unreachable step, a path longer than `max_questions`. Also turns zod
 * issues into the same kind of message. Pure: takes parsed data, returns problems.
 */

import type { z } from "zod";
import { didYouMean, suggest } from "../shared/did-you-mean.ts";
import { HOUSEHOLD_FACTS, HOUSEHOLD_FLAG_FACTS } from "./ports.ts";
import {
  DONE,
  EACH_OPTION,
  type Condition,
  type FlowDefinition,
  type Scalar,
  type StepDefinition,
} from "./schema.ts";

/**
 * One line per zod issue: where in the file, what is wrong, and a suggestion when one is close (an unknown
 * key against `knownKeys`, a value against the allowed ones).
 */
export function describeZodIssues(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  knownKeys: readonly string[],
): string[] {
  const valueAt = (path: readonly PropertyKey[]): unknown =>
    path.reduce<unknown>(
      (node, key) =>
        node && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[key] : undefined,
      input,
    );
  return issues.map((issue) => {
    const where = issue.path.length ? issue.path.map(String).join(".") : "(top level)";
    if (issue.code === "unrecognized_keys") {
      return issue.keys
        .map((key) => {
          const close = suggest(key, knownKeys);
          const fix = close
            ? `Did you mean "${close}"?`
            : "Remove it; if it is the end of a text with a comma inside { }, put the whole text in quotes.";
          return `${where}: unknown key "${key}". ${fix}`;
        })
        .join("\n  - ");
    }
    if (issue.code === "invalid_value") {
      const got = valueAt(issue.path);
      const allowed = issue.values.map(String);
      return `${where}: ${JSON.stringify(got)} is not allowed. ${didYouMean(String(got), allowed)}`;
    }
    if (issue.code === "invalid_union" && issue.path.at(-1) === "type") {
      // A discriminator (answer type) that matches no variant: zod lists the allowed values in its message.
      const allowed = [...issue.message.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
      const got = valueAt(issue.path);
      return `${where}: ${JSON.stringify(got)} is not an answer type. ${didYouMean(String(got), allowed)}`;
    }
    return `${where}: ${issue.message}.`;
  });
}

/** The step id of an instance key: "ask_student_level#2" → "ask_student_level". */
export function stepIdOf(key: string): string {
  const hash = key.indexOf("#");
  return hash < 0 ? key : key.slice(0, hash);
}

/** Every step id a condition reads. */
export function conditionSteps(condition: Condition): string[] {
  if ("all" in condition) return condition.all.flatMap(conditionSteps);
  if ("any" in condition) return condition.any.flatMap(conditionSteps);
  if ("not" in condition) return conditionSteps(condition.not);
  return [condition.step];
}

/** The targets a step may go to. */
export function targetsOf(step: StepDefinition): string[] {
  return typeof step.next === "string" ? [step.next] : step.next.map((t) => t.goto);
}

function conditionValues(condition: Condition): { step: string; values: Scalar[] }[] {
  if ("all" in condition) return condition.all.flatMap(conditionValues);
  if ("any" in condition) return condition.any.flatMap(conditionValues);
  if ("not" in condition) return conditionValues(condition.not);
  if ("equals" in condition) return [{ step: condition.step, values: [condition.equals] }];
  if ("in" in condition) return [{ step: condition.step, values: condition.in }];
  return [];
}

/** The answers a choice or yes/no step can give; undefined for other answer types. */
function answersOf(step: StepDefinition): Scalar[] | undefined {
  if (step.answer.type === "choice") return step.answer.options.map((o) => o.value);
  if (step.answer.type === "yes_no") return [true, false];
  return undefined;
}

/**
 * The largest number of questions any path through the flow can ask, counting each repeated step at its
 * maximum; undefined when the flow has a cycle (reported separately).
 */
export function longestPath(flow: FlowDefinition): number | undefined {
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  const cost = (id: string): number | undefined => {
    if (id === DONE) return 0;
    const cached = memo.get(id);
    if (cached !== undefined) return cached;
    if (visiting.has(id)) return undefined;
    const step = flow.steps[id];
    if (!step) return 0;
    visiting.add(id);
    let best = 0;
    for (const target of targetsOf(step)) {
      const rest = cost(target);
      if (rest === undefined) return undefined;
      best = Math.max(best, rest);
    }
    visiting.delete(id);
    const total = (step.repeat ? step.repeat.max : 1) + best;
    memo.set(id, total);
    return total;
  };
  return cost(flow.start);
}

function findCycle(flow: FlowDefinition): string[] | undefined {
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (id === DONE || !flow.steps[id]) return undefined;
    if (state.get(id) === "done") return undefined;
    if (state.get(id) === "visiting") return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, "visiting");
    stack.push(id);
    for (const target of targetsOf(flow.steps[id])) {
      const cycle = visit(target);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, "done");
    return undefined;
  };
  for (const id of Object.keys(flow.steps)) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return undefined;
}

/**
 * Problems in an interview flow that passed its zod schema, each naming the step and the fix. An empty list
 * means the flow is usable.
 */
export function validateFlow(flow: FlowDefinition): string[] {
  const problems: string[] = [];
  const ids = Object.keys(flow.steps);
  const targets = [...ids, DONE];
  if (!flow.steps[flow.start])
    problems.push(`start: step "${flow.start}" does not exist. ${didYouMean(flow.start, ids)}`);

  for (const [id, step] of Object.entries(flow.steps)) {
    const at = `steps.${id}`;
    if (typeof step.next === "string") {
      if (!targets.includes(step.next))
        problems.push(`${at}.next: step "${step.next}" does not exist. ${didYouMean(step.next, targets)}`);
    } else {
      step.next.forEach((transition, i) => {
        if (!targets.includes(transition.goto)) {
          problems.push(
            `${at}.next[${i}].goto: step "${transition.goto}" does not exist. ${didYouMean(transition.goto, targets)}`,
          );
        }
        if (!transition.if) {
          if (i !== step.next.length - 1)
            problems.push(
              `${at}.next[${i}]: a transition without "if" must come last (the ones after it can never be taken).`,
            );
          return;
        }
        for (const ref of conditionSteps(transition.if)) {
          const refStep = flow.steps[ref];
          if (!refStep)
            problems.push(`${at}.next[${i}].if: step "${ref}" does not exist. ${didYouMean(ref, ids)}`);
          else if (refStep.repeat)
            problems.push(
              `${at}.next[${i}].if: step "${ref}" is repeated; a condition can only read a step asked once.`,
            );
        }
        for (const { step: ref, values } of conditionValues(transition.if)) {
          const refStep = flow.steps[ref];
          if (!refStep) continue;
          const allowed = answersOf(refStep);
          if (!allowed) continue;
          for (const value of values) {
            if (!allowed.includes(value)) {
              problems.push(
                `${at}.next[${i}].if: ${JSON.stringify(value)} is not an answer of "${ref}". ${didYouMean(String(value), allowed.map(String))}`,
              );
            }
          }
        }
      });
      if (step.next.at(-1)?.if)
        problems.push(
          `${at}.next: add a last transition without "if" (where to go when no condition holds).`,
        );
    }
    if (step.set === EACH_OPTION) {
      if (step.answer.type !== "multi_choice")
        problems.push(
          `${at}.set: ${EACH_OPTION} is only for a multi_choice answer (one yes/no fact per option).`,
        );
      else
        for (const option of step.answer.options) {
          if (!(HOUSEHOLD_FLAG_FACTS as readonly Scalar[]).includes(option.value))
            problems.push(
              `${at}.answer.options: ${JSON.stringify(option.value)} is not a yes/no household fact (set: ${EACH_OPTION}). ${didYouMean(String(option.value), HOUSEHOLD_FLAG_FACTS)}`,
            );
        }
    } else if (step.set) {
      const field = step.set.startsWith("persons[") ? "persons" : step.set;
      if (!(HOUSEHOLD_FACTS as readonly string[]).includes(field)) {
        problems.push(
          `${at}.set: "${step.set}" is not a household field. ${didYouMean(step.set, HOUSEHOLD_FACTS)}`,
        );
      }
      if (step.set.startsWith("persons[]") && !step.repeat)
        problems.push(
          `${at}.set: persons[] needs "repeat" (one person per repetition); use persons[*] for every person.`,
        );
    }
    if (step.answer.type === "integer" && step.answer.max_answer) {
      const bound = flow.steps[step.answer.max_answer];
      if (!bound)
        problems.push(
          `${at}.answer.max_answer: step "${step.answer.max_answer}" does not exist. ${didYouMean(step.answer.max_answer, ids)}`,
        );
      else if (bound.answer.type !== "integer" || bound.repeat)
        problems.push(
          `${at}.answer.max_answer: "${step.answer.max_answer}" must be an integer question asked once.`,
        );
    }
    if (step.writes) {
      const answers = answersOf(step);
      step.writes.forEach((entry, i) => {
        if (answers && !answers.includes(entry.answer))
          problems.push(
            `${at}.writes[${i}].answer: ${JSON.stringify(entry.answer)} is not an answer of this step. ${didYouMean(String(entry.answer), answers.map(String))}`,
          );
      });
    }
    if (step.unknown_value !== undefined && !step.allow_unknown)
      problems.push(`${at}.unknown_value: set allow_unknown: true, or remove unknown_value.`);
    if (step.sensitive && !flow.privacy_notice)
      problems.push(`${at}.sensitive: the flow needs a privacy_notice to show before this question.`);
    if (step.answer.type === "choice" || step.answer.type === "multi_choice") {
      const values = step.answer.options.map((o) => String(o.value));
      const duplicate = values.find((v, i) => values.indexOf(v) !== i);
      if (duplicate) problems.push(`${at}.answer.options: value ${JSON.stringify(duplicate)} appears twice.`);
    }
    if (step.repeat) {
      const counter = flow.steps[step.repeat.times];
      if (!counter)
        problems.push(
          `${at}.repeat.times: step "${step.repeat.times}" does not exist. ${didYouMean(step.repeat.times, ids)}`,
        );
      else if (counter.answer.type !== "integer")
        problems.push(`${at}.repeat.times: "${step.repeat.times}" must be an integer question.`);
      else if (counter.repeat)
        problems.push(`${at}.repeat.times: "${step.repeat.times}" is itself repeated.`);
    }
  }

  const cycle = findCycle(flow);
  if (cycle)
    problems.push(
      `next: the steps ${cycle.join(" → ")} form a loop; an interview must always move forward (use repeat to ask a question several times).`,
    );
  else if (flow.steps[flow.start]) {
    const reachable = new Set<string>();
    const walk = (id: string): void => {
      if (id === DONE || reachable.has(id) || !flow.steps[id]) return;
      reachable.add(id);
      for (const target of targetsOf(flow.steps[id])) walk(target);
    };
    walk(flow.start);
    for (const id of ids)
      if (!reachable.has(id))
        problems.push(
          `steps.${id}: no path from "${flow.start}" leads here; link it from a next, or remove it.`,
        );
    const longest = longestPath(flow);
    if (longest !== undefined && longest > flow.max_questions) {
      problems.push(
        `max_questions: a path through this flow can ask ${longest} questions, more than ${flow.max_questions}; shorten it or lower a repeat max.`,
      );
    }
  }
  return problems;
}
