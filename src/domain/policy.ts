/**
 * The policy knowledge the scorer runs on, compiled from the YAML files under knowledge/: parameters with
 * dated values, poverty standards, programme rules, province overrides and guidance texts, every figure and
 * rule with its legal references and confidence. {@link compilePolicy} turns parsed files into this model
 * and reports every problem with the file and the path inside it. Pure: the loader does the reading.
 */
import type { z } from "zod";
import { addDays } from "./dates.ts";
import type { EducationLevel, ListedStatus, Area } from "./household.ts";
import type { HouseholdFlag, PersonFlag } from "./facts.ts";
import { closestName } from "../shared/did-you-mean.ts";
import { foldDiacritics } from "../text/vietnamese.ts";
import { readsPerson } from "./condition-types.ts";
import {
  clauseParts,
  type DecisionField,
  type FieldSource,
  type KindFigure,
  type SupportKind,
} from "./kinds.ts";
import {
  caseSchema,
  kindSchema,
  thenSchema,
  guidanceSchema,
  parameterNodeSchema,
  parameterSchema,
  programSchema,
  provinceSchema,
  referenceCatalogSchema,
  standardsSchema,
  type CaseData,
  type ClassConditionData,
  type ConditionData,
  type KindData,
  type ParameterData,
  type ReferenceData,
  type CATEGORIES,
  type STATUSES,
  type UNITS,
} from "./policy-schema.ts";

// === Model

/** How sure the data is: high = seen in an official or mainstream source; medium/low = not confirmed. */
export type Confidence = "high" | "medium" | "low";
/** A household category under a poverty standard. */
export type Category = (typeof CATEGORIES)[number];
/** A kind of support's id (knowledge/kinds/<id>.yaml; fixes the details of its decisions). */
export type ProgramKind = string;
/** A programme decision status. */
export type ProgramStatus = (typeof STATUSES)[number];
/** A parameter unit. */
export type Unit = (typeof UNITS)[number];

/** A legal reference as shown in decisions. */
export interface Reference {
  /** The legal text, e.g. "Nghị định 07/2021/NĐ-CP". */
  instrument: string;
  /** Article, clause, point, e.g. "Điều 3 khoản 1 điểm a". */
  article?: string;
  /** Date of the instrument, "YYYY-MM-DD", when known. */
  date?: string;
  /** The day the instrument took effect, when known. */
  effective?: string;
  /** Where it was read (https), when there is one. */
  url?: string;
  /** A plan under knowledge/plans/ (file name without .md), for local plans. */
  document?: string;
}

/** A figure that differs by area. */
export interface AreaValues {
  rural: number;
  urban: number;
}

/** One value of a parameter over a period. */
export interface ParameterValue {
  from: string;
  /** Last day of the period (the day before the next value), or null when open-ended. */
  to: string | null;
  /** The figure; null when no confirmed figure is in force (see `note`). */
  value: number | AreaValues | null;
  /** An unconfirmed figure (derived or remembered), shown only labelled "chưa xác nhận". */
  estimate: number | AreaValues | null;
  confidence: Confidence;
  references: Reference[];
  /** Vietnamese note shown to the user when the value is not confirmed. */
  note: string | null;
}

/** A parameter: a named figure with dated values. */
export interface Parameter {
  id: string;
  label: string;
  unit: Unit;
  /** Who to ask to confirm an unconfirmed value (Vietnamese). */
  ask: string | null;
  description: string;
  values: ParameterValue[];
}

/** A figure in a rule: a literal or a parameter read on the assessment date. */
export type ValueSource = { kind: "literal"; value: number } | { kind: "param"; param: Parameter };

/** A compiled programme condition. */
export type Condition =
  | { type: "category"; in: Category[] }
  | { type: "listed_status"; in: ListedStatus[] }
  | { type: "household_flag"; fact: HouseholdFlag; equals: boolean }
  | { type: "area"; in: Area[] }
  | { type: "left_list_within"; years: ValueSource }
  /** The household lacks a deprivation indicator (`label`: how the latest standard listing it names it). */
  | { type: "deprivation"; indicator: string; label: string }
  | { type: "person_age"; operator: "<" | "<=" | ">" | ">="; value: ValueSource }
  | { type: "person_education"; in: EducationLevel[] }
  | { type: "person_flag"; fact: PersonFlag; equals: boolean }
  | { type: "any"; conditions: Condition[] }
  | { type: "all"; conditions: Condition[] };

/** A compiled poverty-standard condition. */
export type ClassCondition =
  | { type: "income"; operator: "<=" | "<" | ">" | ">="; param: Parameter }
  | { type: "deprivations"; operator: ">=" | "<"; param: Parameter }
  | { type: "any"; conditions: ClassCondition[] }
  | { type: "all"; conditions: ClassCondition[] };

/** A multidimensional poverty standard in force over a period. */
export interface PovertyStandard {
  id: string;
  title: string;
  from: string;
  to: string;
  references: Reference[];
  indicators: {
    confidence: Confidence;
    references: Reference[];
    note: string | null;
    list: { id: string; label: string }[];
    ids: ReadonlySet<string>;
  };
  lines: { poor: Parameter; nearPoor: Parameter | null; averageLiving: Parameter | null };
  areaLabels: { rural: string; urban: string };
  categories: {
    category: Exclude<Category, "none">;
    when: ClassCondition[];
    confidence: Confidence;
    ask: string | null;
    references: Reference[];
    reason: string;
  }[];
  noneReason: string;
}

/** Where a province case comes from. */
export interface ProvinceInfo {
  id: string;
  name: string;
  mergedInto: string | null;
  mergedOn: string | null;
  note: string | null;
}

/** One case of a programme rule. */
export interface RuleCase {
  id: string;
  description: string;
  from: string | null;
  to: string | null;
  when: Condition[];
  /** Granted figures (numbers via {@link ValueSource}; a level figure as its level's id). */
  then: Record<string, ValueSource | string>;
  denies: boolean;
  reason: string;
  confidence: Confidence;
  /** Who to ask when the case is not confirmed (Vietnamese). */
  ask: string | null;
  references: Reference[];
  /** Set for province override cases. */
  province: ProvinceInfo | null;
  /** True when a condition reads a person's facts (evaluated per person). */
  usesPerson: boolean;
}

/** A next step shown with a decision (where to apply, what to bring). */
export interface Step {
  id: string;
  text: string;
  references: Reference[];
}

/** A programme: its rule cases and what to tell the user. */
export interface Program {
  id: string;
  kind: ProgramKind;
  /** The kind of support: its figures and how they are said. */
  support: SupportKind;
  title: string;
  /** How the chat names it (the title when the data gives no shorter one). */
  shortTitle: string;
  /** Who to ask when a figure or rule of it is not confirmed. */
  confirmWith: string | null;
  description: string;
  order: number;
  scope: "household" | "person";
  /** The period over which the national cases are complete enough to conclude "not eligible". */
  coveredFrom: string;
  coveredTo: string | null;
  amountUnit: string | null;
  references: Reference[];
  cases: RuleCase[];
  nextSteps: Record<ProgramStatus, Step[]>;
  notes: Record<ProgramStatus, string[]>;
  file: string;
}

/** A province's local cases, added to national programmes. */
export interface ProvinceOverride {
  info: ProvinceInfo;
  /** Names that select this province, folded (no diacritics, lower case, no "tỉnh"/"thành phố"). */
  keys: string[];
  cases: ReadonlyMap<string, RuleCase[]>;
  file: string;
}

/** A general note (Vietnamese) with its references. */
export interface Note {
  text: string;
  references: Reference[];
}

/** Everything the scorer needs, compiled and cross-checked. */
export interface PolicyKnowledge {
  parameters: ReadonlyMap<string, Parameter>;
  /** The kinds of support (knowledge/kinds/), by id. */
  kinds: ReadonlyMap<string, SupportKind>;
  standards: PovertyStandard[];
  programs: Program[];
  provinces: ProvinceOverride[];
  notes: Readonly<Record<string, Note>>;
  /** Every deprivation indicator id of every standard (for input validation). */
  indicatorIds: ReadonlySet<string>;
  /** The legal references of rules/references.yaml, by id (direct answers cite them by id). */
  references: ReadonlyMap<string, Reference>;
  /** The next steps of guidance.yaml, by id. */
  steps: ReadonlyMap<string, Step>;
}

/** Notes the scorer itself uses; guidance.yaml must define them. */
export const REQUIRED_NOTES = [
  "national_minimum",
  "review_process",
  "income_definition",
  "deprivation_survey",
] as const;

/** A problem found in a data file: the file (relative to knowledge/), the path inside it, the message with the fix. */
export interface FileProblem {
  file: string;
  path: (string | number)[];
  message: string;
}

/** A parsed data file: its path relative to the knowledge folder (posix separators) and its content. */
export interface PolicySource {
  path: string;
  data: unknown;
}

// === Compilation

/** Folds a province name for matching: no diacritics, lower case, no administrative prefix, single spaces. */
export function provinceKey(name: string): string {
  return foldDiacritics(name)
    .replace(/[_\-.,]/g, " ")
    .replace(/^\s*(tinh|thanh pho|tp)\s+/, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** Units a condition accepts from a parameter (a granted figure's are its kind's `units`). */
const EXPECTED_UNITS: Record<string, Unit[]> = {
  years: ["years"],
  age: ["age"],
  income: ["VND_per_month"],
  deprivations: ["count"],
};

class Compiler {
  readonly problems: FileProblem[] = [];
  readonly catalog = new Map<string, Reference>();
  /** One object per distinct reference, so decisions share them (and their serialisation). */
  private readonly interned = new Map<string, Reference>();
  readonly parameters = new Map<string, Parameter>();
  /** Deprivation indicators by id, with the label of the latest standard that lists them. */
  readonly indicatorLabels = new Map<string, string>();

  problem(file: string, path: (string | number)[], message: string): void {
    this.problems.push({ file, path, message });
  }

  /** Validates with zod; reports every issue under the file, returns undefined on failure. */
  parse<T extends z.ZodType>(
    schema: T,
    data: unknown,
    file: string,
    base: (string | number)[] = [],
  ): z.infer<T> | undefined {
    const result = schema.safeParse(data);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      let message = issue.message;
      if (issue.code === "unrecognized_keys")
        message = `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(", ")}: remove or fix the spelling`;
      else if (issue.code === "invalid_type" && issue.input === undefined)
        message = `missing required field (${issue.message})`;
      this.problem(file, [...base, ...(issue.path as (string | number)[])], message);
    }
    return undefined;
  }

  intern(reference: Reference): Reference {
    const key = JSON.stringify([
      reference.instrument,
      reference.article,
      reference.date,
      reference.url,
      reference.document,
    ]);
    let shared = this.interned.get(key);
    if (!shared) {
      shared = Object.freeze(
        Object.fromEntries(Object.entries(reference).filter(([, value]) => value !== undefined)),
      ) as unknown as Reference;
      this.interned.set(key, shared);
    }
    return shared;
  }

  references(list: ReferenceData[] | undefined, file: string, path: (string | number)[]): Reference[] {
    return (list ?? []).flatMap((item, index) => {
      if (item.ref !== undefined) {
        const found = this.catalog.get(item.ref);
        if (!found) {
          const guess = closestName(item.ref, this.catalog.keys());
          this.problem(
            file,
            [...path, index, "ref"],
            `unknown reference id "${item.ref}"${guess ? `; did you mean "${guess}"?` : ""} (ids are defined in rules/references.yaml)`,
          );
          return [];
        }
        return [found];
      }
      const { ref: _ref, ...inline } = item;
      return [this.intern(inline as Reference)];
    });
  }

  /** Ids (or id prefixes) of files that failed to parse: references into them are not reported again. */
  readonly broken = new Set<string>();

  isBroken(id: string): boolean {
    for (const prefix of this.broken) if (id === prefix || id.startsWith(`${prefix}.`)) return true;
    return false;
  }

  param(id: string, file: string, path: (string | number)[], expected?: Unit[]): Parameter | undefined {
    const parameter = this.parameters.get(id);
    if (!parameter) {
      if (this.isBroken(id)) return undefined;
      const guess = closestName(id, this.parameters.keys());
      this.problem(
        file,
        path,
        `unknown parameter "${id}"${guess ? `; did you mean "${guess}"?` : ""} (a parameter's id is its path under knowledge/parameters)`,
      );
      return undefined;
    }
    if (expected && !expected.includes(parameter.unit)) {
      this.problem(
        file,
        path,
        `parameter "${id}" is in ${parameter.unit}, but this place needs ${expected.join(" or ")}`,
      );
    }
    return parameter;
  }

  valueSource(
    source: number | { param: string },
    file: string,
    path: (string | number)[],
    expected: Unit[] | undefined,
  ): ValueSource | undefined {
    if (typeof source === "number") return { kind: "literal", value: source };
    const parameter = this.param(source.param, file, [...path, "param"], expected);
    return parameter ? { kind: "param", param: parameter } : undefined;
  }

  addParameter(id: string, data: ParameterData, file: string, path: (string | number)[]): void {
    if (this.parameters.has(id)) {
      this.problem(file, path, `parameter id "${id}" is defined twice; rename one`);
      return;
    }
    const dates = Object.keys(data.values).sort();
    const defaults = this.references(data.reference, file, [...path, "reference"]);
    const values: ParameterValue[] = dates.map((from, index) => {
      const entry = data.values[from]!;
      const next = dates[index + 1];
      return {
        from,
        to: next ? addDays(next, -1) : null,
        value: entry.value,
        estimate: entry.estimate ?? null,
        confidence: entry.confidence,
        references: entry.reference
          ? this.references(entry.reference, file, [...path, "values", from, "reference"])
          : defaults,
        note: entry.note ?? null,
      };
    });
    this.parameters.set(id, {
      id,
      label: data.label,
      unit: data.unit,
      ask: data.ask ?? null,
      description: data.description,
      values,
    });
  }

  condition(data: ConditionData, file: string, path: (string | number)[]): Condition | undefined {
    switch (data.type) {
      case "any":
      case "all": {
        const conditions = data.conditions.map((child, i) =>
          this.condition(child, file, [...path, "conditions", i]),
        );
        return conditions.every(Boolean)
          ? { type: data.type, conditions: conditions as Condition[] }
          : undefined;
      }
      case "left_list_within": {
        const years = this.valueSource(data.years, file, [...path, "years"], EXPECTED_UNITS.years);
        return years ? { type: data.type, years } : undefined;
      }
      case "person_age": {
        const value = this.valueSource(data.value, file, [...path, "value"], EXPECTED_UNITS.age);
        return value ? { type: data.type, operator: data.operator, value } : undefined;
      }
      case "person_education":
        return { type: data.type, in: data.in as EducationLevel[] };
      case "deprivation": {
        const label = this.indicatorLabels.get(data.indicator);
        if (label === undefined) {
          const guess = closestName(data.indicator, this.indicatorLabels.keys());
          this.problem(
            file,
            [...path, "indicator"],
            `unknown deprivation indicator "${data.indicator}"${guess ? `; did you mean "${guess}"?` : ""} (indicators are listed in rules/poverty_standard.yaml)`,
          );
          return undefined;
        }
        return { type: data.type, indicator: data.indicator, label };
      }
      default:
        return data as Condition;
    }
  }

  classCondition(
    data: ClassConditionData,
    file: string,
    path: (string | number)[],
  ): ClassCondition | undefined {
    if (data.type === "any" || data.type === "all") {
      const conditions = data.conditions.map((child, i) =>
        this.classCondition(child, file, [...path, "conditions", i]),
      );
      return conditions.every(Boolean)
        ? { type: data.type, conditions: conditions as ClassCondition[] }
        : undefined;
    }
    const param = this.param(data.param, file, [...path, "param"], EXPECTED_UNITS[data.type]);
    if (!param) return undefined;
    return data.type === "income"
      ? { type: "income", operator: data.operator, param }
      : { type: "deprivations", operator: data.operator, param };
  }

  ruleCase(
    data: CaseData,
    kind: SupportKind,
    file: string,
    path: (string | number)[],
    province: ProvinceInfo | null,
  ): RuleCase | undefined {
    const when = data.when.map((condition, i) => this.condition(condition, file, [...path, "when", i]));
    const then: Record<string, ValueSource | string> = {};
    let complete = when.every(Boolean);
    for (const [field, source] of Object.entries(data.then ?? {})) {
      if (source === undefined) continue;
      if (typeof source === "string") {
        then[field] = source;
        continue;
      }
      const units = kind.figures.find((figure) => figure.name === field)?.units ?? undefined;
      const value = this.valueSource(
        source as number | { param: string },
        file,
        [...path, "then", field],
        units ? [...units] : undefined,
      );
      if (value) then[field] = value;
      else complete = false;
    }
    if (!complete) return undefined;
    const conditions = when as Condition[];
    return {
      id: data.id,
      description: data.description,
      from: data.from ?? null,
      to: data.to ?? null,
      when: conditions,
      then,
      denies: data.denies ?? false,
      reason: data.reason,
      confidence: data.confidence,
      ask: data.ask ?? null,
      references: this.references(data.references, file, [...path, "references"]),
      province,
      usesPerson: conditions.some(readsPerson),
    };
  }
}

function statusRecord<T>(
  map: Partial<Record<ProgramStatus, T[]>> | undefined,
  convert: (item: T, status: ProgramStatus, index: number) => unknown,
) {
  const statuses: ProgramStatus[] = ["eligible", "possible", "needs_info", "not_eligible"];
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      (map?.[status] ?? []).map((item, i) => convert(item, status, i)).filter((x) => x !== undefined),
    ]),
  );
}

/** Compiles a kind of support; problems are reported under its file. */
function compileKind(compiler: Compiler, id: string, data: KindData, file: string): SupportKind {
  const figures: KindFigure[] = Object.entries(data.figures).map(([name, figure]) => ({
    name,
    label: figure.label,
    units: figure.units ?? null,
    sayAs: figure.levels ? null : (figure.say_as ?? figure.units![0]!),
    noticeAs: figure.levels ? null : (figure.notice_as ?? figure.say_as ?? figure.units![0]!),
    notice: figure.notice ?? true,
    perAmountUnit: figure.per_amount_unit ?? false,
    levels:
      figure.levels?.map((level) => ({ id: level.id, says: level.says ?? null, chat: level.chat ?? null })) ??
      null,
    highest: figure.combine === "highest",
    chat: figure.chat ?? {},
  }));
  const names = new Set(figures.map((figure) => figure.name));
  const source = (text: string, path: (string | number)[]): FieldSource => {
    if (text === "amount_unit") {
      if (!data.amount_units) compiler.problem(file, path, "`amount_unit` needs the kind's `amount_units`");
      return { figure: null, part: "amount_unit" };
    }
    const [figure, part] = text.split(".") as [string, Exclude<FieldSource["part"], "amount_unit">];
    if (!names.has(figure)) {
      const guess = closestName(figure, names);
      compiler.problem(file, path, `unknown figure "${figure}"${guess ? `; did you mean "${guess}"?` : ""}`);
    }
    return { figure, part };
  };
  for (const [i, clauses] of (data.reasons ?? []).entries()) {
    for (const [j, clause] of clauses.entries()) {
      for (const match of clause.matchAll(/\{([^}]*)\}/g)) {
        const name = match[1]!.replace(/\.number$/, "");
        if (!names.has(name))
          compiler.problem(file, ["reasons", i, j], `"{${match[1]}}" names no figure of this kind`);
      }
    }
  }
  const decision: DecisionField[] = data.decision
    ? Object.entries(data.decision).map(([name, field]): DecisionField => {
        const path = ["decision", name];
        if (typeof field === "string")
          return { name, type: "value", source: source(field, path), notEligible: null };
        if ("when" in field) {
          if (!names.has(field.when))
            compiler.problem(file, [...path, "when"], `unknown figure "${field.when}"`);
          return {
            name,
            type: "group",
            when: field.when,
            fields: Object.entries(field.fields).map(([part, text]) => ({
              name: part,
              source: source(text, [...path, "fields", part]),
            })),
          };
        }
        return {
          name,
          type: "value",
          source: source(field.value, [...path, "value"]),
          notEligible: field.not_eligible,
        };
      })
    : figures.flatMap((figure): DecisionField[] =>
        figure.levels
          ? [
              {
                name: figure.name,
                type: "value",
                source: { figure: figure.name, part: "level" },
                notEligible: null,
              },
            ]
          : [
              {
                name: figure.name,
                type: "value",
                source: { figure: figure.name, part: "value" },
                notEligible: null,
              },
              {
                name: `estimated${figure.name[0]!.toUpperCase()}${figure.name.slice(1)}`,
                type: "value",
                source: { figure: figure.name, part: "estimate" },
                notEligible: null,
              },
            ],
      );
  return {
    id,
    description: data.description,
    perPerson: data.per_person ?? false,
    personFacts: data.person_facts ?? [],
    amountUnits: data.amount_units ?? null,
    figures,
    figureByName: Object.fromEntries(figures.map((figure) => [figure.name, figure])),
    reasons: (data.reasons ?? []).map((clauses) => clauses.map(clauseParts)),
    decision,
  };
}

/** Which kind of file a path under knowledge/ is. */
export function policyFileKind(
  path: string,
): "parameter" | "kind" | "references" | "guidance" | "standards" | "province" | "program" | "ignored" {
  if (path.startsWith("parameters/")) return "parameter";
  if (path.startsWith("kinds/")) return "kind";
  if (path === "rules/references.yaml") return "references";
  if (path === "rules/guidance.yaml") return "guidance";
  if (path === "rules/poverty_standard.yaml") return "standards";
  if (path.startsWith("rules/provinces/")) return "province";
  if (path.startsWith("rules/")) return "program";
  return "ignored";
}

/** "rules/credit/poor_household.yaml" → "credit.poor_household" (also for parameters). */
function idFromPath(path: string, folder: string): string {
  return path
    .slice(folder.length + 1)
    .replace(/\.ya?ml$/, "")
    .split("/")
    .join(".");
}

/**
 * Compiles parsed data files (rules/*, parameters/*; paths relative to the knowledge folder) into a
 * {@link PolicyKnowledge}, or returns every problem found, each naming the file, the path inside it and the fix.
 * Pure: no file system access.
 */
export function compilePolicy(
  sources: PolicySource[],
): { ok: true; value: PolicyKnowledge } | { ok: false; error: FileProblem[] } {
  const compiler = new Compiler();
  const byKind = (kind: ReturnType<typeof policyFileKind>) =>
    sources.filter((source) => policyFileKind(source.path) === kind);

  // References first: everything else cites them.
  const catalogs = byKind("references");
  if (catalogs.length === 0)
    compiler.problem(
      "rules/references.yaml",
      [],
      "file is missing: it defines the legal references cited by id",
    );
  for (const source of catalogs) {
    const data = compiler.parse(referenceCatalogSchema, source.data, source.path);
    for (const [id, reference] of Object.entries(data?.references ?? {}))
      compiler.catalog.set(id, compiler.intern(reference as Reference));
  }

  for (const source of byKind("parameter")) {
    const baseId = idFromPath(source.path, "parameters");
    const isLeaf = typeof source.data === "object" && source.data !== null && "values" in source.data;
    if (isLeaf) {
      const data = compiler.parse(parameterSchema, source.data, source.path);
      if (data) compiler.addParameter(baseId, data, source.path, []);
      else compiler.broken.add(baseId);
    } else {
      const data = compiler.parse(parameterNodeSchema, source.data, source.path);
      if (!data) compiler.broken.add(baseId);
      for (const [key, parameter] of Object.entries(data?.parameters ?? {})) {
        compiler.addParameter(`${baseId}.${key}`, parameter, source.path, ["parameters", key]);
      }
    }
  }

  const kinds = new Map<string, SupportKind>();
  /** Each kind's case schema (zod; kept out of the compiled policy, which is plain data). */
  const caseSchemas = new Map<string, ReturnType<typeof caseSchema>>();
  for (const source of byKind("kind")) {
    const id = idFromPath(source.path, "kinds");
    const data = compiler.parse(kindSchema, source.data, source.path);
    if (!data) {
      compiler.broken.add(`kind:${id}`);
      continue;
    }
    const kind = compileKind(compiler, id, data, source.path);
    kinds.set(id, kind);
    caseSchemas.set(id, caseSchema(thenSchema(kind.figures)));
  }

  const steps = new Map<string, Step>();
  const notes: Record<string, Note> = {};
  const guidance = byKind("guidance");
  if (guidance.length === 0)
    compiler.problem("rules/guidance.yaml", [], "file is missing: it defines next steps and notes");
  for (const source of guidance) {
    const data = compiler.parse(guidanceSchema, source.data, source.path);
    if (!data) continue;
    for (const [id, step] of Object.entries(data.next_steps)) {
      steps.set(id, {
        id,
        text: step.text,
        references: compiler.references(step.references, source.path, ["next_steps", id, "references"]),
      });
    }
    for (const [id, note] of Object.entries(data.notes)) {
      notes[id] = {
        text: note.text,
        references: compiler.references(note.references, source.path, ["notes", id, "references"]),
      };
    }
    for (const id of REQUIRED_NOTES) {
      if (!notes[id])
        compiler.problem(
          source.path,
          ["notes"],
          `note "${id}" is missing; the scorer shows it with decisions`,
        );
    }
  }

  const standards: PovertyStandard[] = [];
  const standardFiles = byKind("standards");
  if (standardFiles.length === 0)
    compiler.problem("rules/poverty_standard.yaml", [], "file is missing: it defines the poverty standards");
  for (const source of standardFiles) {
    const data = compiler.parse(standardsSchema, source.data, source.path);
    data?.standards.forEach((standard, index) => {
      const path = ["standards", index];
      const poor = compiler.param(
        standard.lines.poor,
        source.path,
        [...path, "lines", "poor"],
        EXPECTED_UNITS.income,
      );
      const nearPoor = standard.lines.near_poor
        ? compiler.param(
            standard.lines.near_poor,
            source.path,
            [...path, "lines", "near_poor"],
            EXPECTED_UNITS.income,
          )
        : null;
      const averageLiving = standard.lines.average_living
        ? compiler.param(
            standard.lines.average_living,
            source.path,
            [...path, "lines", "average_living"],
            EXPECTED_UNITS.income,
          )
        : null;
      const categories = standard.categories.map((category, i) => {
        const when = category.when.map((condition, j) =>
          compiler.classCondition(condition, source.path, [...path, "categories", i, "when", j]),
        );
        return {
          category: category.category,
          when: when.filter(Boolean) as ClassCondition[],
          confidence: category.confidence,
          ask: category.ask ?? null,
          references: compiler.references(category.references, source.path, [
            ...path,
            "categories",
            i,
            "references",
          ]),
          reason: category.reason,
        };
      });
      if (standard.from > standard.to)
        compiler.problem(
          source.path,
          [...path, "to"],
          `ends (${standard.to}) before it starts (${standard.from})`,
        );
      const previous = standards[standards.length - 1];
      if (previous && standard.from <= previous.to) {
        compiler.problem(
          source.path,
          [...path, "from"],
          `overlaps the previous standard "${previous.id}" (which ends ${previous.to}); list standards in date order without overlap`,
        );
      }
      if (!poor || nearPoor === undefined || averageLiving === undefined) return;
      standards.push({
        id: standard.id,
        title: standard.title,
        from: standard.from,
        to: standard.to,
        references: compiler.references(standard.references, source.path, [...path, "references"]),
        indicators: {
          confidence: standard.indicators.confidence,
          references: compiler.references(standard.indicators.references, source.path, [
            ...path,
            "indicators",
            "references",
          ]),
          note: standard.indicators.note ?? null,
          list: standard.indicators.list,
          ids: new Set(standard.indicators.list.map((indicator) => indicator.id)),
        },
        lines: { poor, nearPoor, averageLiving },
        areaLabels: standard.area_labels,
        categories,
        noneReason: standard.none_reason,
      });
      for (const indicator of standard.indicators.list)
        compiler.indicatorLabels.set(indicator.id, indicator.label);
    });
  }

  const programs: Program[] = [];
  for (const source of byKind("program")) {
    const data = compiler.parse(programSchema, source.data, source.path);
    if (!data) {
      compiler.broken.add(idFromPath(source.path, "rules"));
      continue;
    }
    const expectedId = idFromPath(source.path, "rules");
    if (data.id !== expectedId)
      compiler.problem(
        source.path,
        ["id"],
        `id "${data.id}" must match the file path: use "${expectedId}" or move the file`,
      );
    const kind = kinds.get(data.kind);
    if (!kind) {
      if (!compiler.isBroken(`kind:${data.kind}`)) {
        const guess = closestName(data.kind, kinds.keys());
        compiler.problem(
          source.path,
          ["kind"],
          `unknown kind "${data.kind}"${guess ? `; did you mean "${guess}"?` : ""} (kinds are defined in kinds/<kind>.yaml)`,
        );
      }
      compiler.broken.add(data.id);
      continue;
    }
    if (kind.amountUnits && (data.amount_unit === undefined || !(data.amount_unit in kind.amountUnits)))
      compiler.problem(
        source.path,
        ["amount_unit"],
        `a ${kind.id} programme needs \`amount_unit\`: one of ${Object.keys(kind.amountUnits).join(", ")}`,
      );
    if (!kind.amountUnits && data.amount_unit !== undefined)
      compiler.problem(
        source.path,
        ["amount_unit"],
        `kind ${kind.id} has no amount units: remove \`amount_unit\``,
      );
    const caseIds = new Set<string>();
    const cases = data.cases.map((raw, i) => {
      const rule = compiler.parse(caseSchemas.get(kind.id)!, raw, source.path, ["cases", i]);
      if (!rule) return undefined;
      if (caseIds.has(rule.id))
        compiler.problem(
          source.path,
          ["cases", i, "id"],
          `case id "${rule.id}" is used twice in this programme`,
        );
      caseIds.add(rule.id);
      return compiler.ruleCase(rule, kind, source.path, ["cases", i], null);
    });
    const nextSteps = statusRecord(data.next_steps, (id, status, i) => {
      const step = steps.get(id);
      if (!step) {
        const guess = closestName(id, steps.keys());
        compiler.problem(
          source.path,
          ["next_steps", status, i],
          `unknown step "${id}"${guess ? `; did you mean "${guess}"?` : ""} (steps are defined in rules/guidance.yaml)`,
        );
      }
      return step;
    }) as Record<ProgramStatus, Step[]>;
    programs.push({
      id: data.id,
      kind: data.kind,
      support: kind,
      title: data.title,
      shortTitle: data.short_title ?? data.title,
      confirmWith: data.confirm_with ?? null,
      description: data.description,
      order: data.order,
      scope: data.scope,
      coveredFrom: data.covered_from,
      coveredTo: data.covered_to ?? null,
      amountUnit: data.amount_unit ?? null,
      references: compiler.references(data.references, source.path, ["references"]),
      cases: cases.filter(Boolean) as RuleCase[],
      nextSteps,
      notes: statusRecord(data.notes, (note) => note) as Record<ProgramStatus, string[]>,
      file: source.path,
    });
  }
  const seenPrograms = new Set<string>();
  for (const program of programs) {
    if (seenPrograms.has(program.id))
      compiler.problem(program.file, ["id"], `programme id "${program.id}" is defined twice`);
    seenPrograms.add(program.id);
    program.cases.forEach((rule, i) => {
      if (program.scope === "household" && rule.usesPerson) {
        compiler.problem(
          program.file,
          ["cases", i, "when"],
          "reads a person's facts, but the programme has `scope: household`; use `scope: person`",
        );
      }
    });
  }
  programs.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));

  const provinces: ProvinceOverride[] = [];
  for (const source of byKind("province")) {
    const data = compiler.parse(provinceSchema, source.data, source.path);
    if (!data) continue;
    const info: ProvinceInfo = {
      id: data.province.id,
      name: data.province.name,
      mergedInto: data.province.merged_into ?? null,
      mergedOn: data.province.merged_on ?? null,
      note: data.province.note ?? null,
    };
    const cases = new Map<string, RuleCase[]>();
    data.programs.forEach((entry, i) => {
      const program = programs.find((candidate) => candidate.id === entry.program);
      if (!program) {
        if (compiler.isBroken(entry.program)) return;
        const guess = closestName(
          entry.program,
          programs.map((p) => p.id),
        );
        compiler.problem(
          source.path,
          ["programs", i, "program"],
          `unknown programme "${entry.program}"${guess ? `; did you mean "${guess}"?` : ""}`,
        );
        return;
      }
      const list = entry.cases.flatMap((raw, j) => {
        const path = ["programs", i, "cases", j];
        const parsed = compiler.parse(caseSchemas.get(program.kind)!, raw, source.path, path);
        const compiled = parsed
          ? compiler.ruleCase(parsed, program.support, source.path, path, info)
          : undefined;
        if (compiled && program.scope === "household" && compiled.usesPerson) {
          compiler.problem(
            source.path,
            [...path, "when"],
            `reads a person's facts, but "${program.id}" is a household programme`,
          );
          return [];
        }
        return compiled ? [compiled] : [];
      });
      cases.set(program.id, [...(cases.get(program.id) ?? []), ...list]);
    });
    provinces.push({
      info,
      keys: [...new Set([data.province.name, data.province.id, ...data.province.aliases].map(provinceKey))],
      cases,
      file: source.path,
    });
  }

  if (compiler.problems.length > 0) return { ok: false, error: compiler.problems };
  const indicatorIds = new Set(standards.flatMap((standard) => [...standard.indicators.ids]));
  return {
    ok: true,
    value: {
      parameters: compiler.parameters,
      kinds,
      standards,
      programs,
      provinces,
      notes,
      indicatorIds,
      references: compiler.catalog,
      steps,
    },
  };
}
