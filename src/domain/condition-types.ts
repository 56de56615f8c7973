/**
 * What each type of programme condition reads of a household. The scorer shares a programme's outcome
 * between households that agree on everything its conditions read (screening a commune's list meets the
 * same situations again and again); the key it shares on is derived from here, so a new condition type
 * must say what it reads before it compiles. Pure.
 */
import { householdFlag, lacksIndicator, threeCode } from "./conditions.ts";
import { HOUSEHOLD_FLAGS, type HouseholdFlag } from "./facts.ts";
import type { HouseholdInput } from "./household.ts";
import type { Condition } from "./policy.ts";

/**
 * A household fact a condition reads. The date, the area, the province and what decides the category (the
 * list status, the candidates, which figures were given) are read by every programme and key every shared
 * outcome: a fact among those has no `code`.
 */
export interface FactRead {
  /** Two reads of the same id read the same thing. */
  id: string;
  /**
   * The fact's value for a household: a small number below `states`, a string, or null when the outcome
   * must not be shared at all (members described one by one).
   */
  code?: (input: HouseholdInput) => number | string | null;
  /** How many numbers `code` returns (when it returns numbers). */
  states?: number;
}

const SITUATION = { category: { id: "category" }, area: { id: "area" } } as const;

/** The members, for per-person conditions: a household without members can share; one with members cannot. */
export const PERSONS: FactRead = {
  id: "persons",
  code: (input) => (input.persons === undefined ? 0 : null),
  states: 1,
};

const LEFT_LIST_ON: FactRead = {
  id: "leftListOn",
  code: (input) => (input.leftListOn === null ? "-" : (input.leftListOn ?? "")),
};

const flagReads = new Map<HouseholdFlag, FactRead>(
  HOUSEHOLD_FLAGS.map((flag) => [
    flag,
    { id: `flag:${flag}`, code: (input) => threeCode(householdFlag(input, flag)), states: 3 },
  ]),
);

const indicatorReads = new Map<string, FactRead>();

function indicatorRead(indicator: string): FactRead {
  let read = indicatorReads.get(indicator);
  if (!read) {
    read = {
      id: `deprivation:${indicator}`,
      code: (input) => threeCode(lacksIndicator(input, indicator)),
      states: 3,
    };
    indicatorReads.set(indicator, read);
  }
  return read;
}

type ConditionOf<T extends Condition["type"]> = Extract<Condition, { type: T }>;

/** Every condition type: whether it reads a person's facts, and the household facts it reads. */
export const CONDITION_TYPES: {
  [T in Condition["type"]]: { person: boolean; reads(condition: ConditionOf<T>): FactRead[] };
} = {
  category: { person: false, reads: () => [SITUATION.category] },
  // The list status is part of what decides the category.
  listed_status: { person: false, reads: () => [SITUATION.category] },
  household_flag: { person: false, reads: (condition) => [flagReads.get(condition.fact)!] },
  area: { person: false, reads: () => [SITUATION.area] },
  left_list_within: { person: false, reads: () => [LEFT_LIST_ON] },
  deprivation: { person: false, reads: (condition) => [indicatorRead(condition.indicator)] },
  person_age: { person: true, reads: () => [PERSONS] },
  person_education: { person: true, reads: () => [PERSONS] },
  person_flag: { person: true, reads: () => [PERSONS] },
  any: { person: false, reads: (condition) => condition.conditions.flatMap(readsOf) },
  all: { person: false, reads: (condition) => condition.conditions.flatMap(readsOf) },
};

/** The facts a condition reads (its children's too). */
export function readsOf(condition: Condition): FactRead[] {
  const type = CONDITION_TYPES[condition.type] as { reads(condition: Condition): FactRead[] };
  return type.reads(condition);
}

/** True when a condition reads a person's facts (the rule is then evaluated for each person). */
export function readsPerson(condition: Condition): boolean {
  if (CONDITION_TYPES[condition.type].person) return true;
  return condition.type === "any" || condition.type === "all"
    ? condition.conditions.some(readsPerson)
    : false;
}

/**
 * The facts, beyond the situation, that the outcome of a programme with these conditions depends on,
 * each once, in a stable order.
 */
export function sharingKeyReads(conditions: Iterable<Condition>): FactRead[] {
  const reads = new Map<string, FactRead>();
  for (const condition of conditions)
    for (const read of readsOf(condition)) if (read.code) reads.set(read.id, read);
  return [...reads.values()].sort((a, b) => a.id.localeCompare(b.id));
}
