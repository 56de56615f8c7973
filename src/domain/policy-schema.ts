/**
 * zod schemas of the policy data files under knowledge/ (parameters, rules, province overrides, golden test
 * cases). The loader validates every file against these at start-up; {@link compilePolicy} then checks what
 * a schema cannot see (a rule naming a parameter that does not exist, a missing step id, ...).
 *
 * Conventions: ids are snake_case, a parameter's or programme's id is its path under its folder
 * (`knowledge/parameters/credit/poor_household.yaml` + key `interest_rate` → `credit.poor_household.interest_rate`),
 * dates are ISO "YYYY-MM-DD", and every figure and rule carries a legal reference and a confidence.
 */
import { z } from "zod";
import { isIsoDate } from "./dates.ts";
import { EDUCATION_LEVELS } from "./household.ts";
import { HOUSEHOLD_FLAGS, PERSON_FIELDS, PERSON_FLAGS } from "./facts.ts";

// === Shared pieces

/** How sure the data is of a figure or rule (see shared/domain/policy-facts.md for the meaning of each). */
export const CONFIDENCES = ["high", "medium", "low"] as const;
/** Household categories of the multidimensional poverty standard. */
export const CATEGORIES = ["poor", "near_poor", "average_living", "none"] as const;
/** Decision statuses of a programme. */
export const STATUSES = ["eligible", "possible", "needs_info", "not_eligible"] as const;
/** Units a parameter may be expressed in. */
export const UNITS = [
  "VND",
  "VND_per_month",
  "percent",
  "percent_per_year",
  "months",
  "years",
  "count",
  "kwh_per_month",
  "age",
] as const;

const snakeId = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, "must be a snake_case id (a-z, 0-9, _; starts with a letter)");
const dottedId = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/,
    'must be a dotted snake_case id like "credit.poor_household.max_amount"',
  );
const isoDate = z
  .string({
    error: 'must be a date written "YYYY-MM-DD" (quote it if your editor turns it into something else)',
  })
  .refine(isIsoDate, 'must be a real calendar date written "YYYY-MM-DD"');
const text = z.string().trim().min(1, "must not be empty");
const confidence = z.enum(CONFIDENCES);
const areaValues = z.strictObject({ rural: z.number(), urban: z.number() });

/**
 * A legal reference: either `{ ref: <id> }` naming an entry of knowledge/rules/references.yaml, or inline
 * `{ instrument, article, date, url, document }`. `url` must be https (the most official source available);
 * `document` names a plan under knowledge/plans/ (its file name without .md).
 */
export const referenceSchema = z
  .strictObject({
    ref: snakeId.optional(),
    instrument: text.optional(),
    article: text.optional(),
    date: isoDate.optional(),
    effective: isoDate.optional(),
    url: z
      .string()
      .regex(/^https:\/\/\S+$/, "must be an https:// URL")
      .optional(),
    document: z
      .string()
      .regex(/^[a-z0-9-]+$/, "must be a plan id (file name under knowledge/plans without .md)")
      .optional(),
  })
  .superRefine((value, ctx) => {
    if (value.ref !== undefined && Object.keys(value).length > 1) {
      ctx.addIssue({
        code: "custom",
        message: "a { ref: id } reference takes no other fields; put details in references.yaml",
      });
    }
    if (value.ref === undefined && value.instrument === undefined) {
      ctx.addIssue({
        code: "custom",
        message: "needs either `ref: <id from references.yaml>` or `instrument: <name of the legal text>`",
      });
    }
  });
/** One or more references. */
export const referencesSchema = z.array(referenceSchema).min(1, "must list at least one legal reference");

/** A figure: a literal number, or `{ param: <parameter id> }` read on the assessment date. */
export const valueSourceSchema = z.union([z.number(), z.strictObject({ param: dottedId })], {
  error: "must be a number or { param: <parameter id> }",
});

// === Parameters

/** One dated value of a parameter. A low-confidence figure goes in `estimate` with `value: null`. */
export const parameterValueSchema = z
  .strictObject({
    value: z.union([z.number(), areaValues, z.null()], {
      error: "must be a number, { rural, urban } or null",
    }),
    estimate: z.union([z.number(), areaValues]).optional(),
    confidence,
    reference: referencesSchema.optional(),
    note: text.optional(),
  })
  .superRefine((entry, ctx) => {
    if (entry.confidence === "low" && entry.value !== null) {
      ctx.addIssue({
        code: "custom",
        path: ["value"],
        message:
          "a low-confidence figure must not be shown as fact: set `value: null` and put the figure in `estimate`",
      });
    }
    if (entry.value === null && entry.note === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["note"],
        message: "a null value needs a `note` saying why (not found, repealed, ...)",
      });
    }
  });

/** A parameter: dated values, each with its reference and confidence (OpenFisca-style). */
export const parameterSchema = z
  .strictObject({
    description: text,
    label: text,
    unit: z.enum(UNITS),
    ask: text.optional(),
    reference: referencesSchema.optional(),
    values: z.record(
      z.string().refine(isIsoDate, 'each key of `values` must be a start date "YYYY-MM-DD"'),
      parameterValueSchema,
    ),
  })
  .superRefine((parameter, ctx) => {
    const dates = Object.keys(parameter.values);
    if (dates.length === 0)
      ctx.addIssue({ code: "custom", path: ["values"], message: "must have at least one dated value" });
    for (const date of dates) {
      const entry = parameter.values[date]!;
      if (!entry.reference && !parameter.reference) {
        ctx.addIssue({
          code: "custom",
          path: ["values", date, "reference"],
          message: "needs a `reference` (here or once for the whole parameter)",
        });
      }
      if (entry.confidence !== "high" && !parameter.ask) {
        ctx.addIssue({
          code: "custom",
          path: ["ask"],
          message: `value ${date} is not high-confidence, so the parameter needs \`ask\`: who the user should ask to confirm it`,
        });
      }
    }
  });

/** A file of several parameters: `parameters: { <key>: <parameter> }`. */
export const parameterNodeSchema = z.strictObject({
  description: text,
  parameters: z.record(snakeId, parameterSchema),
});

// === Rule conditions

/** A condition of a programme rule (closed set; typed, never free code). */
export type ConditionData =
  | { type: "category"; in: (typeof CATEGORIES)[number][] }
  | { type: "listed_status"; in: ("poor" | "near_poor" | "none" | "unknown")[] }
  | { type: "household_flag"; fact: (typeof HOUSEHOLD_FLAGS)[number]; equals: boolean }
  | { type: "area"; in: ("rural" | "urban")[] }
  | { type: "left_list_within"; years: z.infer<typeof valueSourceSchema> }
  | { type: "deprivation"; indicator: string }
  | { type: "person_age"; operator: "<" | "<=" | ">" | ">="; value: z.infer<typeof valueSourceSchema> }
  | { type: "person_education"; in: (typeof EDUCATION_LEVELS)[number][] }
  | { type: "person_flag"; fact: (typeof PERSON_FLAGS)[number]; equals: boolean }
  | { type: "any"; conditions: ConditionData[] }
  | { type: "all"; conditions: ConditionData[] };

const educationEnum = z.enum(EDUCATION_LEVELS as unknown as readonly [string, ...string[]]);

/** Schema of {@link ConditionData}. */
export const conditionSchema: z.ZodType<ConditionData> = z.lazy(() =>
  z.discriminatedUnion(
    "type",
    [
      z.strictObject({ type: z.literal("category"), in: z.array(z.enum(CATEGORIES)).min(1) }),
      z.strictObject({
        type: z.literal("listed_status"),
        in: z.array(z.enum(["poor", "near_poor", "none", "unknown"])).min(1),
      }),
      z.strictObject({
        type: z.literal("household_flag"),
        fact: z.enum(HOUSEHOLD_FLAGS),
        equals: z.boolean(),
      }),
      z.strictObject({ type: z.literal("area"), in: z.array(z.enum(["rural", "urban"])).min(1) }),
      z.strictObject({ type: z.literal("left_list_within"), years: valueSourceSchema }),
      z.strictObject({ type: z.literal("deprivation"), indicator: snakeId }),
      z.strictObject({
        type: z.literal("person_age"),
        operator: z.enum(["<", "<=", ">", ">="]),
        value: valueSourceSchema,
      }),
      z.strictObject({ type: z.literal("person_education"), in: z.array(educationEnum).min(1) }),
      z.strictObject({ type: z.literal("person_flag"), fact: z.enum(PERSON_FLAGS), equals: z.boolean() }),
      z.strictObject({ type: z.enum(["any", "all"]), conditions: z.array(conditionSchema).min(2) }),
    ],
    {
      error:
        "unknown condition `type`; use one of category, listed_status, household_flag, area, left_list_within, deprivation, person_age, person_education, person_flag, any, all",
    },
  ),
) as z.ZodType<ConditionData>;

/** A condition of a poverty-standard category test (income and deprivations only). */
export type ClassConditionData =
  | { type: "income"; operator: "<=" | "<" | ">" | ">="; param: string }
  | { type: "deprivations"; operator: ">=" | "<"; param: string }
  | { type: "any"; conditions: ClassConditionData[] }
  | { type: "all"; conditions: ClassConditionData[] };

/** Schema of {@link ClassConditionData}. */
export const classConditionSchema: z.ZodType<ClassConditionData> = z.lazy(() =>
  z.discriminatedUnion(
    "type",
    [
      z.strictObject({
        type: z.literal("income"),
        operator: z.enum(["<=", "<", ">", ">="]),
        param: dottedId,
      }),
      z.strictObject({ type: z.literal("deprivations"), operator: z.enum([">=", "<"]), param: dottedId }),
      z.strictObject({ type: z.enum(["any", "all"]), conditions: z.array(classConditionSchema).min(2) }),
    ],
    { error: "unknown condition `type`; use one of income, deprivations, any, all" },
  ),
) as z.ZodType<ClassConditionData>;

// === Programmes

const statusMap = <T extends z.ZodType>(item: T) =>
  z.strictObject({
    eligible: z.array(item).optional(),
    possible: z.array(item).optional(),
    needs_info: z.array(item).optional(),
    not_eligible: z.array(item).optional(),
  });

/** What a case may grant, for one kind of support: its figures (numbers or parameters) and levels. */
export function thenSchema(figures: readonly { name: string; levels: readonly { id: string }[] | null }[]) {
  return z.strictObject(
    Object.fromEntries(
      figures.map((figure) => [
        figure.name,
        (figure.levels
          ? z.enum(figure.levels.map((level) => level.id) as [string, ...string[]])
          : valueSourceSchema
        ).optional(),
      ]),
    ),
  );
}

/** One case of a programme rule: when all conditions hold, the case grants `then` (or, with `denies`, explains a no). */
export function caseSchema(then: ReturnType<typeof thenSchema>) {
  return z
    .strictObject({
      id: snakeId,
      description: text,
      from: isoDate.optional(),
      to: isoDate.optional(),
      when: z.array(conditionSchema),
      then: then.optional(),
      denies: z.boolean().optional(),
      reason: text,
      confidence,
      ask: text.optional(),
      references: referencesSchema.optional(),
    })
    .superRefine((rule, ctx) => {
      if (rule.confidence !== "high" && !rule.ask) {
        ctx.addIssue({
          code: "custom",
          path: ["ask"],
          message: "a case that is not high-confidence needs `ask`: who the user should ask to confirm it",
        });
      }
      if (!rule.denies && rule.then === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["then"],
          message: "a granting case needs `then` (or set `denies: true`)",
        });
      }
      if (rule.denies && rule.then !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["then"],
          message: "a `denies: true` case grants nothing: remove `then`",
        });
      }
      if (rule.from && rule.to && rule.from > rule.to) {
        ctx.addIssue({
          code: "custom",
          path: ["to"],
          message: `ends (${rule.to}) before it starts (${rule.from})`,
        });
      }
    });
}

/** Parsed case data. */
export type CaseData = z.infer<ReturnType<typeof caseSchema>>;

// === Kinds of support

const camelId = z
  .string()
  .regex(/^[a-z][A-Za-z0-9]*$/, "must be a camelCase name (a-z, A-Z, 0-9; starts with a small letter)");

/** A figure a kind of support grants: a number (`units`) or one of ordered `levels`. */
export const kindFigureSchema = z
  .strictObject({
    /** How the figure is named in a rule-change notice ("mức vay tối đa"). */
    label: text,
    /** The units a parameter granting it may be in. */
    units: z.array(z.enum(UNITS)).min(1).optional(),
    /** How the value is said (default: the first of `units`). */
    say_as: z.enum(UNITS).optional(),
    /** How a rule-change notice says it (default: `say_as`). */
    notice_as: z.enum(UNITS).optional(),
    /** False: a change of this figure alone is not told. */
    notice: z.boolean().optional(),
    /** Said with the programme's `amount_unit` ("… mỗi hộ"). */
    per_amount_unit: z.boolean().optional(),
    /** Levels from lowest to highest, each with how a reason says it (`says`) and the chat (`chat`). */
    levels: z
      .array(z.strictObject({ id: z.string().min(1), says: text.optional(), chat: text.optional() }))
      .min(1)
      .optional(),
    /** Several cases granting it: the first case's (default), or the highest. */
    combine: z.enum(["first", "highest"]).optional(),
    /** The chat's one-line summary; `{}` is the figure said, `{number}` the bare number. */
    chat: z
      .strictObject({
        says: text.optional(),
        estimate: text.optional(),
        unconfirmed: text.optional(),
        full: text.optional(),
        person: text.optional(),
        person_estimate: text.optional(),
        person_unconfirmed: text.optional(),
        person_full: text.optional(),
      })
      .optional(),
  })
  .superRefine((figure, ctx) => {
    if ((figure.units === undefined) === (figure.levels === undefined))
      ctx.addIssue({ code: "custom", message: "a figure needs either `units` (a number) or `levels`" });
  });

/** Where a decision field's value comes from: `<figure>.value|estimate|number|confirmed|level` or `amount_unit`. */
const fieldSource = z
  .string()
  .regex(
    /^(amount_unit|[a-z][A-Za-z0-9]*\.(value|estimate|number|confirmed|level))$/,
    "must be `<figure>.value`, `.estimate`, `.number`, `.confirmed`, `.level`, or `amount_unit`",
  );

/** A field of a programme decision. */
export const decisionFieldSchema = z.union([
  fieldSource,
  z.strictObject({ value: fieldSource, not_eligible: z.number() }),
  z.strictObject({ when: camelId, fields: z.record(camelId, fieldSource) }),
]);

/** knowledge/kinds/<kind>.yaml: a kind of support, its figures and how they are said. */
export const kindSchema = z.strictObject({
  description: text,
  /** Figures are decided for each person only (the programme's own decision carries none). */
  per_person: z.boolean().optional(),
  /** Person facts repeated in each person's entry of a decision. */
  person_facts: z.array(z.enum(PERSON_FIELDS)).optional(),
  /** Units a programme's amount may be given per (`amount_unit`), with how a reason and the chat say them. */
  amount_units: z.record(snakeId, z.strictObject({ says: z.string(), chat: z.string() })).optional(),
  figures: z.record(camelId, kindFigureSchema),
  /** The reasons stating what is granted: each a list of clauses joined by "; ", `{figure}` said, `[...]` optional. */
  reasons: z.array(z.array(text).min(1)).optional(),
  /** The fields a decision carries, in order (default: each figure's value, then its estimate). */
  decision: z.record(camelId, decisionFieldSchema).optional(),
});

/** A programme rule file under knowledge/rules/ (its id is its path; its cases are checked against its kind). */
export const programSchema = z.strictObject({
  id: dottedId,
  kind: snakeId,
  title: text,
  /** How the chat names it, shorter (default: `title`). */
  short_title: text.optional(),
  /** Who to ask when a figure or rule is not confirmed (the chat's "hãy hỏi …"). */
  confirm_with: text.optional(),
  description: text,
  order: z.number().int(),
  scope: z.enum(["household", "person"]),
  covered_from: isoDate,
  covered_to: isoDate.optional(),
  amount_unit: snakeId.optional(),
  references: referencesSchema,
  next_steps: statusMap(snakeId),
  notes: statusMap(text).optional(),
  cases: z.array(z.unknown()).min(1),
});

// === Poverty standards

/** knowledge/rules/poverty_standard.yaml: the standards by period and how each classifies a household. */
export const standardsSchema = z.strictObject({
  description: text,
  standards: z
    .array(
      z.strictObject({
        id: snakeId,
        title: text,
        from: isoDate,
        to: isoDate,
        references: referencesSchema,
        indicators: z.strictObject({
          confidence,
          references: referencesSchema.optional(),
          note: text.optional(),
          list: z.array(z.strictObject({ id: snakeId, label: text })).min(1),
        }),
        lines: z.strictObject({
          poor: dottedId,
          near_poor: dottedId.optional(),
          average_living: dottedId.optional(),
        }),
        /** How the decree names the areas ("thành thị" until 2026, "đô thị" from 2027). */
        area_labels: z.strictObject({ rural: text, urban: text }),
        categories: z
          .array(
            z
              .strictObject({
                category: z.enum(["poor", "near_poor", "average_living"]),
                when: z.array(classConditionSchema).min(1),
                confidence,
                ask: text.optional(),
                references: referencesSchema.optional(),
                reason: text,
              })
              .refine((category) => category.confidence === "high" || category.ask !== undefined, {
                message:
                  "a category test that is not high-confidence needs `ask`: who the user should ask to confirm it",
                path: ["ask"],
              }),
          )
          .min(1),
        none_reason: text,
      }),
    )
    .min(1),
});

// === Guidance, references, provinces

/** knowledge/rules/guidance.yaml: next steps (where to apply, what to bring) and general notes. */
export const guidanceSchema = z.strictObject({
  description: text,
  next_steps: z.record(snakeId, z.strictObject({ text, references: referencesSchema.optional() })),
  notes: z.record(snakeId, z.strictObject({ text, references: referencesSchema.optional() })),
});

/** knowledge/rules/references.yaml: legal references named once, cited by id. */
export const referenceCatalogSchema = z.strictObject({
  description: text,
  references: z.record(
    snakeId,
    z.strictObject({
      instrument: text,
      article: text.optional(),
      date: isoDate.optional(),
      effective: isoDate.optional(),
      url: z
        .string()
        .regex(/^https:\/\/\S+$/, "must be an https:// URL")
        .optional(),
      document: z
        .string()
        .regex(/^[a-z0-9-]+$/)
        .optional(),
    }),
  ),
});

/** knowledge/rules/provinces/<id>.yaml: local cases added to national programmes (national figures are minimums). */
export const provinceSchema = z.strictObject({
  description: text,
  province: z.strictObject({
    id: snakeId,
    name: text,
    aliases: z.array(text).default([]),
    merged_into: text.optional(),
    merged_on: isoDate.optional(),
    note: text.optional(),
  }),
  programs: z
    .array(
      z.strictObject({
        program: dottedId,
        description: text,
        // Validated against the programme's own case schema once its kind is known.
        cases: z.array(z.unknown()).min(1),
      }),
    )
    .min(1),
});

// === Golden test cases

/** knowledge/tests/*.yaml: household in, expected (partial) decision out, one case per `it`. */
export const testFileSchema = z.strictObject({
  description: text,
  cases: z
    .array(
      z.strictObject({
        name: text,
        date: isoDate,
        input: z.record(z.string(), z.unknown()),
        output: z.strictObject({
          standard: z.record(z.string(), z.unknown()).nullable().optional(),
          classification: z.record(z.string(), z.unknown()).optional(),
          province: z.record(z.string(), z.unknown()).nullable().optional(),
          programs: z.record(dottedId, z.record(z.string(), z.unknown())).optional(),
          missingFacts: z.array(z.string()).optional(),
          missingFactsExclude: z.array(z.string()).optional(),
        }),
      }),
    )
    .min(1),
});

/** Parsed shapes, for the compiler. */
export type ParameterData = z.infer<typeof parameterSchema>;
export type ProgramData = z.infer<typeof programSchema>;
export type KindData = z.infer<typeof kindSchema>;
export type StandardsData = z.infer<typeof standardsSchema>;
export type GuidanceData = z.infer<typeof guidanceSchema>;
export type ReferenceCatalogData = z.infer<typeof referenceCatalogSchema>;
export type ProvinceData = z.infer<typeof provinceSchema>;
export type ReferenceData = z.infer<typeof referenceSchema>;
export type TestFileData = z.infer<typeof testFileSchema>;
