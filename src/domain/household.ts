/**
 * What a household says about itself, and the validation of untrusted input into that shape with a
 * Vietnamese message naming each bad field. Pure: no I/O.
 */
import { z } from "zod";
import { err, ok, type Result } from "../shared/result.ts";
import { closestName } from "../shared/did-you-mean.ts";
import { isIsoDate } from "./dates.ts";
import {
  HOUSEHOLD_FLAGS,
  HOUSEHOLD_FLAG_WORDING,
  type HouseholdField,
  type HouseholdFlag,
  type PersonField,
} from "./facts.ts";

/** Where the household lives: "rural" (nông thôn) or "urban" (thành thị; "đô thị" from 2027). */
export type Area = "rural" | "urban";
/** What the commune's current list says about the household. */
export type ListedStatus = "poor" | "near_poor" | "none" | "unknown";
/** The level a person is studying at; `null` or absent when not studying. */
export type EducationLevel =
  "preschool" | "primary" | "lower_secondary" | "upper_secondary" | "vocational" | "college" | "university";

/** The education levels, in order. */
export const EDUCATION_LEVELS: readonly EducationLevel[] = [
  "preschool",
  "primary",
  "lower_secondary",
  "upper_secondary",
  "vocational",
  "college",
  "university",
];

/**
 * The ages a level is normally studied at, in whole years, inclusive (Luật Giáo dục 2019: mầm non up to
 * 6 years old, Art. 23; grade 1 at 6, grade 6 at 11, grade 10 at 15, Art. 28). Vocational and higher
 * education start at 15 and 17; their upper bound only says that a learner of 60 or more is rare (an age
 * rule on the elderly is then not left open for every student). Used when a person's `age` is not given: a
 * rule on age is decided from the level only when every age in the range gives the same answer.
 */
export const EDUCATION_AGES: Readonly<Record<EducationLevel, { min: number; max: number }>> = {
  preschool: { min: 0, max: 5 },
  primary: { min: 6, max: 10 },
  lower_secondary: { min: 11, max: 14 },
  upper_secondary: { min: 15, max: 17 },
  vocational: { min: 15, max: 59 },
  college: { min: 17, max: 59 },
  university: { min: 17, max: 59 },
};

/** One member of the household, as far as the programmes need to know. */
export interface Person {
  /**
   * Age in whole years. May be left out for a person whose `education` is given: the level's usual ages
   * ({@link EDUCATION_AGES}) then decide the rules on age where they can (a conversation asks a student's
   * level, not their age).
   */
  age?: number;
  ethnicMinority?: boolean;
  /** Level currently studied; `null` or absent when not studying. */
  education?: EducationLevel | null;
  /** True for a public (công lập) school or institution. */
  publicSchool?: boolean;
  disability?: boolean;
}

/**
 * A household as described by its members or by commune staff. Only `area` and `members` are required: the
 * scorer says which other facts would settle an undecided programme (see `Decision.missingFacts`).
 */
export interface HouseholdInput {
  /** Date of the assessment, "YYYY-MM-DD"; today (in Vietnam) when absent. */
  assessedOn?: string;
  area: Area;
  /** Number of people in the household (integer ≥ 1). */
  members: number;
  /** Income of the whole household, VND per month (12-month average, social allowances excluded). */
  monthlyIncome?: number;
  /** Income per person, VND per month; used instead of `monthlyIncome` / `members` when given. */
  incomePerPerson?: number;
  /** Ids of the deprivation indicators the household lacks (e.g. "housing_area", "water_source"). */
  deprivations?: string[];
  /** Number of indicators lacked, when the ids are not known. */
  deprivationCount?: number;
  /** What the commune's current poor / near-poor list says. */
  listedStatus?: ListedStatus;
  /**
   * When the household left the poor or near-poor list, "YYYY-MM-DD"; `null` when the household says it has
   * not left either list in recent years (so "newly escaped poverty" programmes do not apply).
   */
  leftListOn?: string | null;
  /** Farming, forestry, fishery or salt making. */
  agricultural?: boolean;
  /** Lives in a commune on the Prime Minister's list of poor communes. */
  inPoorCommune?: boolean;
  /** Lives in a commune or village of the ethnic-minority and mountainous areas. */
  inEthnicMinorityArea?: boolean;
  /** Lives in an area with difficult (or extremely difficult) socio-economic conditions. */
  inDifficultArea?: boolean;
  /** Lives in an extremely difficult village, a Region III commune, or an extremely difficult coastal/island commune. */
  inExtremelyDifficultArea?: boolean;
  /** Has no working household water-supply facility (never built, or damaged). */
  needsWaterSupply?: boolean;
  /** Has no working hygienic latrine (never built, or damaged). */
  needsSanitation?: boolean;
  /** Province or city (Vietnamese, with or without diacritics); selects province overrides. */
  province?: string;
  /**
   * The members described one by one (some or all); needed for per-person programmes (tuition, student
   * loans, children's BHYT). Members not listed take the household's outcome; an empty list says no member
   * needs describing. Absent: nothing is known of the members, and per-person programmes ask for them.
   */
  persons?: Person[];
}

/** One problem with a household input: the field path ("persons[0].age") and a Vietnamese message. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** Options of {@link parseHousehold}. */
export interface ParseHouseholdOptions {
  /** Known deprivation indicator ids (from the loaded policy); unknown ids are then rejected. */
  indicatorIds?: ReadonlySet<string>;
}

const MAX_MEMBERS = 50;
const MAX_HOUSEHOLD_INCOME = 10_000_000_000;
const MAX_INCOME_PER_PERSON = 1_000_000_000;
const MAX_DEPRIVATIONS = 20;

/** Vietnamese names of the fields, for messages. */
const FIELD_LABELS: Record<HouseholdField | PersonField, string> = {
  assessedOn: "ngày đánh giá",
  area: "khu vực sống",
  members: "số người trong hộ",
  monthlyIncome: "thu nhập mỗi tháng của cả hộ, tính bằng đồng",
  incomePerPerson: "thu nhập bình quân đầu người mỗi tháng, tính bằng đồng",
  deprivations: "các chỉ số thiếu hụt",
  deprivationCount: "số chỉ số thiếu hụt",
  listedStatus: "tình trạng trong danh sách hộ nghèo, cận nghèo của xã",
  leftListOn: "ngày ra khỏi danh sách hộ nghèo, cận nghèo",
  province: "tỉnh, thành phố",
  persons: "các thành viên trong hộ",
  age: "tuổi",
  ethnicMinority: "là người dân tộc thiểu số",
  education: "bậc học đang theo học",
  publicSchool: "học trường công lập",
  disability: "là người khuyết tật",
  ...(Object.fromEntries(HOUSEHOLD_FLAGS.map((flag) => [flag, HOUSEHOLD_FLAG_WORDING[flag].label])) as Record<
    HouseholdFlag,
    string
  >),
};

function shown(input: unknown): string {
  if (input === undefined) return "không có";
  // JSON has no infinity: 1e999 reads as Infinity, which JSON.stringify would show as "null".
  if (typeof input === "number" && !Number.isFinite(input))
    return Number.isNaN(input) ? "một giá trị không phải số" : "một số quá lớn";
  // A nested value is named, not printed: printing it whole could be arbitrarily long or deep.
  if (Array.isArray(input)) return "một danh sách";
  if (input !== null && typeof input === "object") return "một đối tượng";
  const text = JSON.stringify(input) ?? String(input);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Deepest nesting a household can need (household → persons → person → field), with room to spare. */
export const MAX_HOUSEHOLD_DEPTH = 16;

/** True when `value` nests objects or arrays deeper than `limit`; iterative, so any depth is safe. */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== "object") continue;
    if (depth >= limit) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

function typeWord(expected: string): string {
  return (
    {
      number: "một số",
      string: "một chuỗi chữ",
      boolean: "true hoặc false",
      array: "một danh sách",
      object: "một đối tượng",
    }[expected] ?? expected
  );
}

/** A required or optional number with Vietnamese messages for wrong type, non-integer and range. */
function numberField(options: { min: number; max: number; integer: boolean; unit?: string }) {
  const range = `từ ${options.min} đến ${options.max.toLocaleString("vi-VN")}${options.unit ? ` ${options.unit}` : ""}`;
  let schema = z.number({
    error: (issue) =>
      issue.input === undefined
        ? "bắt buộc phải có"
        : typeof issue.input === "number" && !Number.isNaN(issue.input)
          ? `phải ${range}, bạn nhập ${shown(issue.input)} (hãy kiểm tra lại)`
          : `phải là ${typeWord("number")}, bạn nhập ${shown(issue.input)}`,
  });
  if (options.integer)
    schema = schema.int({ error: (issue) => `phải là số nguyên, bạn nhập ${shown(issue.input)}` });
  return schema
    .min(options.min, { error: (issue) => `phải ${range}, bạn nhập ${shown(issue.input)}` })
    .max(options.max, {
      error: (issue) => `phải ${range}, bạn nhập ${shown(issue.input)} (số quá lớn, hãy kiểm tra lại)`,
    });
}

function booleanField() {
  return z.boolean({
    error: (issue) => `phải là true (có) hoặc false (không), bạn nhập ${shown(issue.input)}`,
  });
}

function dateField() {
  return z
    .string({
      error: (issue) => `phải là ngày dạng "YYYY-MM-DD" (ví dụ "2026-03-15"), bạn nhập ${shown(issue.input)}`,
    })
    .refine((text) => isIsoDate(text) && text >= "2000-01-01" && text <= "2100-12-31", {
      error: (issue) =>
        `phải là một ngày có thật dạng "YYYY-MM-DD" trong khoảng 2000–2100 (ví dụ "2026-03-15"), bạn nhập ${shown(issue.input)}`,
    });
}

function enumField<const T extends readonly [string, ...string[]]>(values: T, explain: string) {
  return z.enum(values, {
    error: (issue) =>
      issue.input === undefined
        ? `bắt buộc phải có: ${explain}`
        : `phải là ${explain}; bạn nhập ${shown(issue.input)}`,
  });
}

function strictObject<S extends z.ZodRawShape>(shape: S) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === "unrecognized_keys") {
        return issue.keys
          .map((key) => {
            const guess = closestName(key, known);
            return `không có trường "${key}"${guess ? ` (có phải bạn muốn viết "${guess}"?)` : ""}`;
          })
          .join("; ");
      }
      return `phải là ${typeWord("object")} JSON dạng {"tên": giá trị}, bạn nhập ${shown(issue.input)}`;
    },
  });
}

const personSchema = strictObject({
  age: numberField({ min: 0, max: 130, integer: true, unit: "tuổi" }).optional(),
  ethnicMinority: booleanField().optional(),
  education: enumField(
    EDUCATION_LEVELS as unknown as readonly [EducationLevel, ...EducationLevel[]],
    `một trong ${EDUCATION_LEVELS.map((level) => `"${level}"`).join(", ")} hoặc null (không đi học)`,
  )
    .nullable()
    .optional(),
  publicSchool: booleanField().optional(),
  disability: booleanField().optional(),
});

const flagShape = Object.fromEntries(
  HOUSEHOLD_FLAGS.map((flag) => [flag, booleanField().optional()]),
) as Record<HouseholdFlag, z.ZodOptional<z.ZodBoolean>>;

const householdSchema = strictObject({
  assessedOn: dateField().optional(),
  area: enumField(["rural", "urban"], `"rural" (nông thôn) hoặc "urban" (thành thị, đô thị)`),
  members: numberField({ min: 1, max: MAX_MEMBERS, integer: true, unit: "người" }),
  monthlyIncome: numberField({ min: 0, max: MAX_HOUSEHOLD_INCOME, integer: false, unit: "đồng" }).optional(),
  incomePerPerson: numberField({
    min: 0,
    max: MAX_INCOME_PER_PERSON,
    integer: false,
    unit: "đồng",
  }).optional(),
  deprivations: z
    .array(
      z.string({ error: (issue) => `mỗi chỉ số phải là một mã dạng chữ, bạn nhập ${shown(issue.input)}` }),
      {
        error: (issue) =>
          `phải là một danh sách mã chỉ số, ví dụ ["housing_area", "water_source"]; bạn nhập ${shown(issue.input)}`,
      },
    )
    .max(MAX_DEPRIVATIONS, { error: `có nhiều hơn ${MAX_DEPRIVATIONS} chỉ số` })
    .optional(),
  deprivationCount: numberField({ min: 0, max: MAX_DEPRIVATIONS, integer: true, unit: "chỉ số" }).optional(),
  listedStatus: enumField(
    ["poor", "near_poor", "none", "unknown"],
    `"poor" (hộ nghèo), "near_poor" (hộ cận nghèo), "none" (không có tên) hoặc "unknown" (không rõ)`,
  ).optional(),
  leftListOn: dateField().nullable().optional(),
  province: z
    .string({ error: (issue) => `phải là tên tỉnh, thành phố, bạn nhập ${shown(issue.input)}` })
    .trim()
    .min(1, { error: "không được để trống" })
    .max(100, { error: "quá dài" })
    .optional(),
  ...flagShape,
  persons: z
    .array(personSchema, {
      error: (issue) =>
        `phải là một danh sách thành viên, ví dụ [{"age": 8, "education": "primary"}]; bạn nhập ${shown(issue.input)}`,
    })
    .max(MAX_MEMBERS, { error: `có nhiều hơn ${MAX_MEMBERS} người` })
    .optional(),
});

/** True when two unions of field names are the same. */
type SameFields<A, B> = [Exclude<A, B> | Exclude<B, A>] extends [never] ? true : never;
// The schemas read exactly the fields of the one list in facts.ts (a field added to one but not the other fails to compile).
const _householdFields: SameFields<keyof z.infer<typeof householdSchema>, HouseholdField> = true;
const _personFields: SameFields<keyof z.infer<typeof personSchema>, PersonField> = true;

const HOUSEHOLD_KEYS = Object.keys(householdSchema.shape);
const PERSON_KEYS = Object.keys(personSchema.shape);

/** "persons[0].age" from a zod path. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) =>
      typeof key === "number" ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key),
    "",
  );
}

function problem(path: readonly PropertyKey[], detail: string): FieldProblem {
  const field = fieldPath(path);
  if (!field) return { field: "", message: `Dữ liệu hộ gia đình ${detail}.` };
  const last = [...path].reverse().find((key) => typeof key === "string");
  const label = typeof last === "string" ? (FIELD_LABELS as Record<string, string>)[last] : undefined;
  return { field, message: `Trường "${field}"${label ? ` (${label})` : ""} ${detail}.` };
}

/** Checks between fields, once each field is valid on its own. */
function crossCheck(household: HouseholdInput, options: ParseHouseholdOptions): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (household.persons && household.persons.length > household.members) {
    problems.push(
      problem(
        ["persons"],
        `có ${household.persons.length} người, nhiều hơn số người trong hộ (members = ${household.members})`,
      ),
    );
  }
  if (household.deprivations) {
    const seen = new Set<string>();
    household.deprivations.forEach((id, index) => {
      if (seen.has(id)) problems.push(problem(["deprivations", index], `lặp lại chỉ số "${id}"`));
      seen.add(id);
      if (options.indicatorIds && !options.indicatorIds.has(id)) {
        const guess = closestName(id, options.indicatorIds);
        problems.push(
          problem(
            ["deprivations", index],
            `có mã chỉ số "${id}" không có trong danh sách chỉ số thiếu hụt${guess ? ` (có phải "${guess}"?)` : ""}; các mã hợp lệ: ${[
              ...options.indicatorIds,
            ].join(", ")}`,
          ),
        );
      }
    });
    if (
      household.deprivationCount !== undefined &&
      household.deprivationCount !== household.deprivations.length
    ) {
      problems.push(
        problem(
          ["deprivationCount"],
          `là ${household.deprivationCount} nhưng danh sách deprivations có ${household.deprivations.length} chỉ số; chỉ cần nhập một trong hai`,
        ),
      );
    }
  }
  if (household.monthlyIncome !== undefined && household.incomePerPerson !== undefined) {
    const perPerson = household.monthlyIncome / household.members;
    if (Math.abs(perPerson - household.incomePerPerson) > 1) {
      problems.push(
        problem(
          ["incomePerPerson"],
          `là ${household.incomePerPerson} nhưng monthlyIncome / members = ${Math.round(perPerson)}; chỉ cần nhập một trong hai`,
        ),
      );
    }
  }
  if (household.leftListOn && household.assessedOn && household.leftListOn > household.assessedOn) {
    problems.push(
      problem(
        ["leftListOn"],
        `(${household.leftListOn}) sau ngày đánh giá assessedOn (${household.assessedOn})`,
      ),
    );
  }
  household.persons?.forEach((person, index) => {
    if (person.age === undefined && !person.education) {
      problems.push(
        problem(
          ["persons", index, "age"],
          `bắt buộc phải có, trừ khi có "education" (bậc học đang theo học)`,
        ),
      );
    }
    if (person.publicSchool !== undefined && !person.education) {
      problems.push(
        problem(["persons", index, "publicSchool"], `chỉ dùng cho người đang đi học (cần có "education")`),
      );
    }
  });
  return problems;
}

/**
 * Validates untrusted input (a parsed JSON value) into a {@link HouseholdInput}. Every problem is reported,
 * each naming its field in a Vietnamese message; nothing is guessed or silently dropped (unknown fields are
 * errors, with a suggestion when they look like a typo).
 *
 * ```ts
 * const parsed = parseHousehold({ area: "rural", members: 0 });
 * if (!parsed.ok) parsed.error[0]?.message; // 'Trường "members" (số người trong hộ) phải từ 1 đến 50 người, bạn nhập 0.'
 * ```
 */
export function parseHousehold(
  raw: unknown,
  options: ParseHouseholdOptions = {},
): Result<HouseholdInput, FieldProblem[]> {
  // Validation recurses into the value: a hostile nesting would overflow the stack instead of failing here.
  if (nestedDeeperThan(raw, MAX_HOUSEHOLD_DEPTH))
    return err([
      problem([], `lồng nhau quá sâu (hơn ${MAX_HOUSEHOLD_DEPTH} tầng), không phải dạng của một hộ gia đình`),
    ]);
  const parsed = householdSchema.safeParse(raw);
  if (!parsed.success) {
    return err(
      parsed.error.issues.flatMap((issue) => {
        if (issue.code !== "unrecognized_keys") return [problem(issue.path, issue.message)];
        // One problem per unknown field, named by its own path, with a suggestion when it looks like a typo.
        const known = issue.path.length === 0 ? HOUSEHOLD_KEYS : PERSON_KEYS;
        return issue.keys.map((key) => {
          const guess = closestName(key, known);
          return problem(
            [...issue.path, key],
            `không có trong dữ liệu hộ gia đình${guess ? ` (có phải bạn muốn viết "${guess}"?)` : ""}`,
          );
        });
      }),
    );
  }
  const household = parsed.data as HouseholdInput;
  const problems = crossCheck(household, options);
  return problems.length > 0 ? err(problems) : ok(household);
}

// === Households kept between messages or for a rule-change watch

/** Format of a stored household; one of another format is read as a plain household (written before). */
export const STORED_HOUSEHOLD_FORMAT = 1;

/** A household as stored (a watch, the last check of a session): its format, then the household. */
export interface StoredHousehold {
  format: typeof STORED_HOUSEHOLD_FORMAT;
  household: Partial<HouseholdInput>;
}

const storedHouseholdSchema = z.object({
  format: z.literal(STORED_HOUSEHOLD_FORMAT),
  household: z.unknown(),
});

/** A household in its stored form. */
export function storeHousehold(household: Partial<HouseholdInput>): StoredHousehold {
  return { format: STORED_HOUSEHOLD_FORMAT, household };
}

/**
 * A stored household read back: validated like any input (it may come from an older release or a manual
 * edit), or undefined when it is not a household any more. A household stored without its date
 * (`assessedOn`) is read as of `assessedOn` when given. Rows written before the format was stored (a plain
 * household) are read too.
 */
export function readStoredHousehold(
  raw: unknown,
  options: ParseHouseholdOptions & { assessedOn?: string } = {},
): HouseholdInput | undefined {
  const stored = storedHouseholdSchema.safeParse(raw);
  const household = stored.success ? stored.data.household : raw;
  if (household === null || typeof household !== "object" || Array.isArray(household)) return undefined;
  const { assessedOn, ...parse } = options;
  const parsed = parseHousehold(assessedOn ? { ...household, assessedOn } : household, parse);
  return parsed.ok ? parsed.value : undefined;
}
