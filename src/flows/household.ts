/**
 * Turning interview answers into the scorer's household input (`HouseholdInput`): each answered
 * step writes its value to its `set` field (by default its `fact`). Pure.
 */

import type { Answer, AnswerValue } from "./answers.ts";
import type { HouseholdDraft } from "./ports.ts";
import { EACH_OPTION, type FlowDefinition, type StepDefinition } from "./schema.ts";

/**
 * Facts the scorer accepts in either of two forms (contract: `monthlyIncome` or `incomePerPerson`,
 * `deprivations` or `deprivationCount`): a step collecting one settles a missing report of the other.
 */
export const ALTERNATIVE_FACTS: Readonly<Record<string, string>> = {
  monthlyIncome: "incomePerPerson",
  incomePerPerson: "monthlyIncome",
  deprivations: "deprivationCount",
  deprivationCount: "deprivations",
};

/** The last day of a month ("2024-02" → "2024-02-29"), or of a year ("2024" → "2024-12-31"). */
export function lastDayOf(monthYear: string): string {
  const [year, month] = monthYear.split("-").map(Number) as [number, number | undefined];
  if (month === undefined) return `${year}-12-31`;
  const day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * The facts a step settles when answered: its `fact`, the fact of every option of an {@link EACH_OPTION}
 * step, and the alternative form of each (`deprivations` settles `deprivationCount`).
 */
export function settledFacts(step: StepDefinition): string[] {
  const facts: string[] = [step.fact];
  if (step.set === EACH_OPTION && step.answer.type === "multi_choice")
    facts.push(...step.answer.options.map((option) => String(option.value)));
  return [...new Set(facts.flatMap((fact) => [fact, ALTERNATIVE_FACTS[fact] ?? fact]))];
}

/** What an answer writes: the step's `writes` entry for it when the step has any, else the answer itself. */
function writtenValue(step: StepDefinition, answer: Answer): AnswerValue | null | undefined {
  if (answer.type === "unknown") return step.unknown_value;
  if (!step.writes) return answer.value;
  return step.writes.find((entry) => entry.answer === answer.value)?.value;
}

/** The value an answer writes, converted to what the field expects. */
function fieldValue(step: StepDefinition, target: string, value: AnswerValue | null): unknown {
  // A month is written as its last day: the resident rarely knows the day, and the later date gives the
  // household the benefit of the doubt on time windows such as "left the list within 3 years".
  if (step.answer.type === "month_year" && typeof value === "string") return lastDayOf(value);
  if (Array.isArray(value) && target === "deprivationCount") return value.length;
  return value;
}

/**
 * The household input for the answers on the interview's path, with `assessedOn` set to `today`.
 * Rules beyond "write the answer to its field":
 * - "không biết" writes the step's `unknown_value` if it has one, and nothing otherwise;
 * - a step with `writes` writes the value listed for its answer, and nothing for an answer not listed;
 * - a multi-choice with `set: each_option` writes each option's fact: true when chosen, false otherwise;
 * - an integer written to `persons` creates that many persons (to be described by `persons[].…` steps);
 *   persons not described yet are left out (and `persons` itself while none is), 0 writes `persons: []`;
 * - `persons[].field` writes to the person of the repetition, `persons[*].field` to every person;
 * - a multi-choice written to `deprivationCount` writes the number of options chosen;
 * - a month/year is written as the last day of that month (or year).
 *
 * ```ts
 * buildHousehold(flow, { ask_area: { type: "value", value: "rural" } }, ["ask_area"], "2026-11-22");
 * // { assessedOn: "2026-11-22", area: "rural" }
 * ```
 */
export function buildHousehold(
  flow: FlowDefinition,
  answers: Readonly<Record<string, Answer>>,
  path: readonly string[],
  today: string,
): HouseholdDraft {
  const household: HouseholdDraft = { assessedOn: today };
  const persons: Record<string, unknown>[] = [];
  const everyone: [string, unknown][] = [];
  for (const key of path) {
    const [stepId, indexText] = key.split("#") as [string, string | undefined];
    const step = flow.steps[stepId];
    const answer = answers[key];
    if (!step || !answer) continue;
    const value = writtenValue(step, answer);
    const target = step.set === undefined ? step.fact : step.set;
    if (value === undefined || target === null) continue;
    if (target === EACH_OPTION && step.answer.type === "multi_choice" && Array.isArray(value)) {
      for (const option of step.answer.options)
        household[String(option.value)] = value.includes(option.value);
      continue;
    }
    const converted = fieldValue(step, target, value);
    const personField = /^persons\[(\*?)\]\.(\w+)$/.exec(target);
    if (personField) {
      if (personField[1] === "*") everyone.push([personField[2]!, converted]);
      else {
        const index = Number(indexText ?? "1") - 1;
        while (persons.length <= index) persons.push({});
        persons[index]![personField[2]!] = converted;
      }
    } else if (target === "persons" && typeof converted === "number") {
      while (persons.length < converted) persons.push({});
      household.persons = persons;
    } else household[target] = converted;
  }
  if (persons.length > 0 || household.persons) {
    // Persons counted but not described yet (the interview is still asking) are left out, and a household
    // whose counted persons are all still undescribed says nothing of them: an empty list would tell the
    // scorer there is nobody to describe.
    const described = persons.filter((person) => Object.keys(person).length > 0);
    for (const person of described) for (const [field, value] of everyone) person[field] = value;
    if (described.length > 0 || persons.length === 0) household.persons = described;
    else delete household.persons;
  }
  return household;
}

/** True when the household has every fact the scorer needs before it can decide (`decide_after`). */
export function isDecidable(flow: FlowDefinition, household: HouseholdDraft): boolean {
  return flow.decide_after.every((fact) => household[fact] !== undefined);
}
