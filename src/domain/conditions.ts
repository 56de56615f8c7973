/**
 * Three-valued evaluation of programme conditions (yes / no / unknown) against a household and, for
 * per-person rules, one of its members. A "yes" carries its grade: "eligible" when it rests on the commune's
 * list or on plain facts, "possible" when it rests on the household's own figures (a category the commune has
 * not recognised). An "unknown" names the facts that would settle it. Every outcome carries the Vietnamese
 * sentence that explains it. Pure.
 *
 * Outcomes are immutable and, for the conditions evaluated most (category, flags, person facts), shared
 * between households with the same relevant facts: screening a commune's list evaluates the same few
 * situations thousands of times.
 */
import { addYears, formatDateVi } from "./dates.ts";
import { HOUSEHOLD_FLAG_WORDING, PERSON_FLAG_WORDING, type HouseholdFlag } from "./facts.ts";
import { EDUCATION_AGES, EDUCATION_LEVELS, type HouseholdInput, type Person } from "./household.ts";
import { lowerConfidence, resolveValue, type ResolvedValue } from "./parameters.ts";
import type { Category, Condition, Confidence, Reference } from "./policy.ts";
import type { ClassificationResult } from "./classify.ts";
import { categoriesText, CATEGORY_LABEL, EDUCATION_LABEL, personName } from "./wording.ts";

/** "eligible" rests on the list or on facts; "possible" on the household's own estimate. */
export type Grade = "eligible" | "possible";

/** The outcome of a condition. */
export type Truth =
  | {
      readonly v: "yes";
      readonly grade: Grade;
      readonly texts: readonly string[];
      readonly confidence: Confidence;
      readonly references: readonly Reference[];
      /** Facts that would turn a "possible" into an "eligible" (the household's list status). */
      readonly upgrade: readonly string[];
    }
  | { readonly v: "no"; readonly text: string; readonly confidence: Confidence }
  | { readonly v: "unknown"; readonly text: string; readonly missing: readonly string[] };

/** What conditions are evaluated against. */
export interface EvaluationContext {
  input: HouseholdInput;
  date: string;
  /** The list status as used (absent → undefined). */
  listed: HouseholdInput["listedStatus"];
  classification: ClassificationResult;
  /** True: decide afresh, sharing no outcome with other households (to check that sharing changes nothing). */
  unshared?: boolean;
}

/** A member a per-person rule is evaluated for. */
export interface PersonRef {
  index: number;
  person: Person;
}

const NONE: readonly string[] = Object.freeze([]);
const NO_REFERENCES: readonly Reference[] = Object.freeze([]);

const LISTED_TEXT = {
  poor: "Hộ có tên trong danh sách hộ nghèo của xã.",
  near_poor: "Hộ có tên trong danh sách hộ cận nghèo của xã.",
  none: "Hộ hiện không có tên trong danh sách hộ nghèo, hộ cận nghèo của xã.",
  unknown: "Bạn chưa rõ hộ có tên trong danh sách của xã không.",
} as const;

const AREA_TEXT = { rural: "khu vực nông thôn", urban: "khu vực thành thị (đô thị)" } as const;

const OPERATOR_TEXT = {
  "<": (n: number) => `dưới ${n} tuổi`,
  "<=": (n: number) => `từ ${n} tuổi trở xuống`,
  ">": (n: number) => `trên ${n} tuổi`,
  ">=": (n: number) => `từ ${n} tuổi trở lên`,
} as const;

const NO_MEMBERS = "Chưa có thông tin về các thành viên trong hộ (tuổi, bậc học, ...).";

/** The outcome of a per-person rule when the household's members are not described: ask for them first. */
export const MEMBERS_UNKNOWN: Truth = Object.freeze({
  v: "unknown",
  text: NO_MEMBERS,
  missing: Object.freeze(["persons"]),
});

function yes(
  text: string | null,
  grade: Grade = "eligible",
  confidence: Confidence = "high",
  references: readonly Reference[] = NO_REFERENCES,
  upgrade: readonly string[] = NONE,
): Truth {
  return Object.freeze({
    v: "yes",
    grade,
    texts: text ? Object.freeze([text]) : NONE,
    confidence,
    references,
    upgrade,
  });
}
function no(text: string, confidence: Confidence = "high"): Truth {
  return Object.freeze({ v: "no", text, confidence });
}
function unknown(text: string, missing: readonly string[]): Truth {
  return Object.freeze({ v: "unknown", text, missing: Object.freeze([...missing]) });
}

// === Memo: outcomes by condition and a small integer key describing the facts that matter

const memo = new WeakMap<Condition, Map<number, Truth>>();

function remember(context: EvaluationContext, condition: Condition, key: number, build: () => Truth): Truth {
  if (context.unshared) return build();
  let byKey = memo.get(condition);
  if (!byKey) memo.set(condition, (byKey = new Map()));
  let truth = byKey.get(key);
  if (!truth) {
    truth = build();
    byKey.set(key, truth);
  }
  return truth;
}

const CATEGORY_BIT: Record<Category, number> = { poor: 1, near_poor: 2, average_living: 4, none: 8 };
const LISTED_CODE = { undefined: 0, poor: 1, near_poor: 2, none: 3, unknown: 4 } as const;
const CONFIDENCE_CODE = { high: 0, medium: 1, low: 2 } as const;

/** A number identifying everything a category condition's outcome depends on. */
export function categoryKey(context: EvaluationContext): number {
  const result = context.classification;
  const classification = result.classification;
  let mask = 0;
  for (const category of classification.candidates) mask |= CATEGORY_BIT[category];
  const listed = LISTED_CODE[String(context.listed) as keyof typeof LISTED_CODE];
  const basis = classification.basis === "listed" ? 1 : 0;
  // Missing facts and gaps only matter when the outcome is unknown; they follow from the candidates except
  // for which figures were given, hence the two bits.
  const missing =
    (result.missing.includes("monthlyIncome") ? 1 : 0) | (result.missing.includes("deprivations") ? 2 : 0);
  const standard = result.standardIndex + 1;
  return (
    mask |
    (listed << 4) |
    (basis << 7) |
    (CONFIDENCE_CODE[result.confidence] << 8) |
    (missing << 10) |
    (standard << 12)
  );
}

function categoryTruth(condition: { in: Category[] }, context: EvaluationContext): Truth {
  const { classification } = context.classification;
  const wanted = categoriesText(condition.in);
  if (classification.basis === "listed") {
    const listed = classification.category as Category;
    return condition.in.includes(listed)
      ? yes(LISTED_TEXT[listed as "poor" | "near_poor"])
      : no(`Hộ đang có tên trong danh sách ${CATEGORY_LABEL[listed]} của xã, không phải ${wanted}.`);
  }
  const candidates = classification.candidates;
  const confidence = context.classification.confidence;
  if (candidates.every((category) => condition.in.includes(category))) {
    const which = categoriesText(candidates.length === 1 ? candidates : condition.in);
    const caveat =
      confidence === "high" ? "" : " Cách xếp loại này dựa trên quy định hoặc số liệu chưa được xác nhận.";
    return yes(
      `Theo thông tin bạn cung cấp, hộ có thể thuộc diện ${which}, nhưng chưa được UBND xã công nhận.${caveat}`,
      "possible",
      confidence,
      NO_REFERENCES,
      context.listed === undefined ? ["listedStatus"] : NONE,
    );
  }
  if (!candidates.some((category) => condition.in.includes(category))) {
    // Excluding a category rests on the lines that bound it, not on how sure the category finally estimated is.
    const prefix = context.listed === "none" ? "Hộ không có tên trong danh sách của xã, và theo" : "Theo";
    return no(`${prefix} thông tin bạn cung cấp, hộ không thuộc diện ${wanted}.`);
  }
  const missing = [
    ...(context.listed === undefined ? ["listedStatus"] : []),
    ...context.classification.missing,
  ];
  const gaps = context.classification.gaps.length > 0 ? ` ${context.classification.gaps.join(" ")}` : "";
  return unknown(`Chưa đủ thông tin để biết hộ có thuộc diện ${wanted} không.${gaps}`, missing);
}

/** " <label>: mức này chưa được xác nhận, hãy hỏi ..." when a limit read from a parameter is not confirmed. */
function unconfirmedLimit(value: ResolvedValue): string {
  if (value.confidence === "high") return "";
  return ` ${value.label ?? "Mức này"}: mức này chưa được xác nhận${value.ask ? `, hãy hỏi ${value.ask}` : ""}.`;
}

/** A household flag as given, or as implied by the deprivations listed (lacking clean water, a latrine). */
export function householdFlag(input: HouseholdInput, fact: HouseholdFlag): boolean | undefined {
  const given = input[fact];
  if (given !== undefined) return given;
  // Extremely difficult areas are a subset of difficult areas.
  if (fact === "inDifficultArea" && input.inExtremelyDifficultArea === true) return true;
  if (fact === "inExtremelyDifficultArea" && input.inDifficultArea === false) return false;
  if (fact === "needsWaterSupply" && input.deprivations) return input.deprivations.includes("water_source");
  if (fact === "needsSanitation" && input.deprivations)
    return input.deprivations.includes("hygienic_latrine");
  return undefined;
}

/** Whether the household lacks a deprivation indicator; undefined when it did not list its deprivations. */
export function lacksIndicator(input: HouseholdInput, indicator: string): boolean | undefined {
  return input.deprivations ? input.deprivations.includes(indicator) : undefined;
}

/** 0 for no, 1 for yes, 2 for not known. */
export function threeCode(value: boolean | undefined): number {
  return value === undefined ? 2 : value ? 1 : 0;
}

/** Key of a person's facts for person conditions: index, age (or level when no age), and one more small code. */
function personKey(person: PersonRef, code: number): number {
  const { age, education } = person.person;
  const ageCode = age ?? 140 + (education ? EDUCATION_LEVELS.indexOf(education) + 1 : 0);
  return (person.index * 256 + ageCode) * 16 + code;
}

function compareAge(age: number, operator: "<" | "<=" | ">" | ">=", limit: number): boolean {
  return operator === "<"
    ? age < limit
    : operator === "<="
      ? age <= limit
      : operator === ">"
        ? age > limit
        : age >= limit;
}

/**
 * Whether an age rule holds for a person: from the age, or else from the usual ages of the level studied
 * when all of them agree; undefined when neither settles it.
 */
function ageHolds(
  person: Person,
  operator: "<" | "<=" | ">" | ">=",
  limit: number,
): { holds: boolean; byLevel: boolean } | undefined {
  if (person.age !== undefined) return { holds: compareAge(person.age, operator, limit), byLevel: false };
  if (!person.education) return undefined;
  const { min, max } = EDUCATION_AGES[person.education];
  const atMin = compareAge(min, operator, limit);
  // Age rules are thresholds: they agree on the whole range when they agree on both ends.
  const atMax = compareAge(max, operator, limit);
  return atMin === atMax ? { holds: atMin, byLevel: true } : undefined;
}

/**
 * Evaluates one condition. `person` is the member a per-person rule is evaluated for; when absent, person
 * conditions are unknown and ask for the household's members.
 */
export function evaluateCondition(
  condition: Condition,
  context: EvaluationContext,
  person?: PersonRef,
): Truth {
  const { input } = context;
  switch (condition.type) {
    case "category":
      // A gap in the data (a line not found) is explained with its dated note: not shared across dates.
      if (context.classification.gaps.length > 0) return categoryTruth(condition, context);
      return remember(context, condition, categoryKey(context), () => categoryTruth(condition, context));
    case "listed_status": {
      const listed = context.listed;
      return remember(context, condition, LISTED_CODE[String(listed) as keyof typeof LISTED_CODE], () => {
        if (listed === undefined)
          return unknown("Chưa biết hộ có tên trong danh sách hộ nghèo, hộ cận nghèo của xã không.", [
            "listedStatus",
          ]);
        if (listed === "unknown" && !condition.in.includes("unknown")) {
          return unknown(
            "Bạn chưa rõ hộ có tên trong danh sách của xã không; hãy hỏi cán bộ UBND xã hoặc trưởng thôn.",
            NONE,
          );
        }
        return condition.in.includes(listed) ? yes(LISTED_TEXT[listed]) : no(LISTED_TEXT[listed]);
      });
    }
    case "household_flag": {
      const value = householdFlag(input, condition.fact);
      return remember(context, condition, threeCode(value), () => {
        const wording = HOUSEHOLD_FLAG_WORDING[condition.fact];
        if (value === undefined) return unknown(wording.unknown, [condition.fact]);
        const text = value ? wording.yes : wording.no;
        return value === condition.equals ? yes(text) : no(text);
      });
    }
    case "area":
      return remember(context, condition, input.area === "rural" ? 0 : 1, () =>
        condition.in.includes(input.area)
          ? yes(`Hộ ở ${AREA_TEXT[input.area]}.`)
          : no(
              `Hộ ở ${AREA_TEXT[input.area]}; chính sách này chỉ dành cho ${condition.in.map((area) => AREA_TEXT[area]).join(" hoặc ")}.`,
            ),
      );
    case "left_list_within": {
      const years = resolveValue(condition.years, context.date, input.area, "high");
      if (input.leftListOn === null) {
        const window = years.value !== null ? ` trong ${years.value} năm gần đây` : " gần đây";
        return no(`Theo bạn cho biết, hộ không ra khỏi danh sách hộ nghèo, hộ cận nghèo${window}.`);
      }
      if (input.leftListOn === undefined)
        return unknown("Chưa biết hộ ra khỏi danh sách hộ nghèo, hộ cận nghèo khi nào (nếu có).", [
          "leftListOn",
        ]);
      if (years.value === null)
        return unknown(`${years.label ?? "Thời hạn"}: ${years.note ?? "chưa có số liệu"}.`, NONE);
      const end = addYears(input.leftListOn, years.value);
      const left = formatDateVi(input.leftListOn);
      if (input.leftListOn > context.date) return no(`Ngày ra khỏi danh sách (${left}) sau ngày đánh giá.`);
      const caveat = unconfirmedLimit(years);
      return context.date <= end
        ? yes(
            `Hộ ra khỏi danh sách ngày ${left}, chưa quá ${years.value} năm (tính đến hết ngày ${formatDateVi(end)}).${caveat}`,
            "eligible",
            years.confidence,
            years.references,
          )
        : no(
            `Hộ ra khỏi danh sách ngày ${left}, đã quá ${years.value} năm (thời hạn hết ngày ${formatDateVi(end)}).${caveat}`,
            years.confidence,
          );
    }
    case "deprivation": {
      const lacks = lacksIndicator(input, condition.indicator);
      return remember(context, condition, threeCode(lacks), () => {
        if (lacks === undefined)
          return unknown(`Chưa biết hộ có thiếu hụt về ${condition.label} không.`, ["deprivations"]);
        const text = lacks
          ? `Hộ thiếu hụt về ${condition.label}.`
          : `Hộ không thiếu hụt về ${condition.label}.`;
        return lacks ? yes(text) : no(text);
      });
    }
    case "person_age": {
      if (!person) return remember(context, condition, -1, () => unknown(NO_MEMBERS, ["persons"]));
      const limit = resolveValue(condition.value, context.date, input.area, "high");
      // The limit is part of the key: a dated parameter may change it.
      return remember(context, condition, personKey(person, 0) * 256 + (limit.value ?? 255), () => {
        if (limit.value === null)
          return unknown(`${limit.label ?? "Độ tuổi"}: ${limit.note ?? "chưa có số liệu"}.`, NONE);
        const phrase = OPERATOR_TEXT[condition.operator](limit.value);
        const name = personName(person.index, person.person);
        const caveat = unconfirmedLimit(limit);
        const outcome = ageHolds(person.person, condition.operator, limit.value);
        if (!outcome)
          return unknown(`${name}: chưa biết có ${phrase} không.`, [`persons[${person.index}].age`]);
        // An age read from the level is the usual age of that level, and is said to be so.
        const byLevel = outcome.byLevel ? " (theo độ tuổi thường gặp của bậc học)" : "";
        return outcome.holds
          ? yes(`${name} ${phrase}${byLevel}.${caveat}`, "eligible", limit.confidence, limit.references)
          : no(`${name} không ${phrase}${byLevel}.${caveat}`, limit.confidence);
      });
    }
    case "person_education": {
      if (!person) return remember(context, condition, -1, () => unknown(NO_MEMBERS, ["persons"]));
      const level = person.person.education;
      return remember(
        context,
        condition,
        personKey(person, level ? EDUCATION_LEVELS.indexOf(level) + 1 : 0),
        () => {
          const name = personName(person.index, person.person);
          if (!level) return no(`${name} không đang đi học.`);
          return condition.in.includes(level)
            ? yes(`${name} đang học ${EDUCATION_LABEL[level]}.`)
            : no(
                `${name} đang học ${EDUCATION_LABEL[level]}, không thuộc bậc ${condition.in.map((l) => EDUCATION_LABEL[l]).join(", ")}.`,
              );
        },
      );
    }
    case "person_flag": {
      if (!person) return remember(context, condition, -1, () => unknown(NO_MEMBERS, ["persons"]));
      const value = person.person[condition.fact];
      return remember(context, condition, personKey(person, threeCode(value)), () => {
        const wording = PERSON_FLAG_WORDING[condition.fact];
        const name = personName(person.index, person.person);
        if (value === undefined)
          return unknown(`${name}: ${wording.unknown}.`, [`persons[${person.index}].${condition.fact}`]);
        const text = `${name} ${value ? wording.yes : wording.no}.`;
        return value === condition.equals ? yes(text) : no(text);
      });
    }
    case "all":
      return evaluateAll(condition.conditions, context, person);
    case "any": {
      const results = condition.conditions.map((child) => evaluateCondition(child, context, person));
      const hit =
        results.find((result) => result.v === "yes" && result.grade === "eligible") ??
        results.find((result) => result.v === "yes");
      if (hit) return hit;
      const open = results.find((result) => result.v === "unknown");
      if (open) return open;
      const texts = results.map((result) => (result.v === "no" ? result.text : ""));
      const confidence = results.reduce<Confidence>(
        (low, result) => lowerConfidence(low, result.v === "no" ? result.confidence : "high"),
        "high",
      );
      return no(texts.join(" "), confidence);
    }
  }
}

/** Evaluates conditions that must all hold, in order, stopping at the first "no" (see {@link combineAll}). */
export function evaluateAll(
  conditions: readonly Condition[],
  context: EvaluationContext,
  person?: PersonRef,
): Truth {
  if (conditions.length === 1) return evaluateCondition(conditions[0]!, context, person);
  const results: Truth[] = [];
  for (const condition of conditions) {
    const result = evaluateCondition(condition, context, person);
    if (result.v === "no") return result;
    results.push(result);
  }
  return combineAll(results);
}

const ALWAYS: Truth = yes(null);

/**
 * Combines the outcomes of conditions that must all hold: no if any is no; unknown (asking for the first
 * unknown condition's facts, so a conversation asks one thing at a time) if any is unknown; else yes at the
 * lowest grade and confidence, with every condition's sentence.
 */
export function combineAll(results: Truth[]): Truth {
  if (results.length === 0) return ALWAYS;
  if (results.length === 1) return results[0]!;
  const refused = results.find((result) => result.v === "no");
  if (refused) return refused;
  const open = results.find((result) => result.v === "unknown");
  if (open) return open;
  let grade: Grade = "eligible";
  let confidence: Confidence = "high";
  const references: Reference[] = [];
  const upgrade: string[] = [];
  const texts: string[] = [];
  for (const result of results) {
    if (result.v !== "yes") continue;
    if (result.grade === "possible") grade = "possible";
    confidence = lowerConfidence(confidence, result.confidence);
    references.push(...result.references);
    upgrade.push(...result.upgrade);
    texts.push(...result.texts);
  }
  return { v: "yes", grade, texts, confidence, references, upgrade };
}
