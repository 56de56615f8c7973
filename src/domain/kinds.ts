/**
 * Kinds of support as data (knowledge/kinds/<kind>.yaml): the figures a programme of a kind grants, and how
 * each is said in a decision's reasons, in the chat's one-line summary and in a rule-change notice, and the
 * fields a decision carries. Everything here reads a compiled {@link SupportKind}; nothing names a kind.
 * Pure.
 */
import { formatNumberVi } from "./format.ts";
import { sayFigure } from "./figures.ts";
import type { ResolvedValue } from "./parameters.ts";
import type { ProgramDecision } from "./decision.ts";
import type { PolicyKnowledge, Program, ProgramStatus, Unit } from "./policy.ts";
import { sentence } from "./wording.ts";

/** One level of a level figure (a tuition exemption: none, 50, 70, full). */
export interface KindLevel {
  id: string;
  /** How a reason says it ("Được miễn học phí"); null says nothing. */
  says: string | null;
  /** How the chat says it ("miễn học phí"). */
  chat: string | null;
}

/** The chat's phrases for a figure: `{}` is the figure said, `{number}` the bare number. */
export interface FigureChat {
  says?: string;
  estimate?: string;
  unconfirmed?: string;
  /** Said instead of `says` at 100 or more (a share paid in full). */
  full?: string;
  person?: string;
  person_estimate?: string;
  person_unconfirmed?: string;
  person_full?: string;
}

/** A figure a kind of support grants. */
export interface KindFigure {
  name: string;
  /** How a rule-change notice names it. */
  label: string;
  /** Units a parameter granting it may be in; null for a level figure. */
  units: readonly Unit[] | null;
  /** How its value is said (null for a level figure). */
  sayAs: Unit | null;
  /** How a rule-change notice says it. */
  noticeAs: Unit | null;
  /** False: a change of this figure alone is not told. */
  notice: boolean;
  /** Said with the programme's amount unit ("… mỗi hộ"). */
  perAmountUnit: boolean;
  /** Levels, lowest first; null for a number. */
  levels: readonly KindLevel[] | null;
  /** Several granting cases: the highest value wins (else the first case's). */
  highest: boolean;
  chat: FigureChat;
}

/** Where a decision field's value comes from. */
export type FieldSource =
  | { figure: string; part: "value" | "estimate" | "number" | "confirmed" | "level" }
  | { figure: null; part: "amount_unit" };

/** A field of a programme decision, computed from the granted figures. */
export type DecisionField =
  | { name: string; type: "value"; source: FieldSource; notEligible: number | null }
  | { name: string; type: "group"; when: string; fields: { name: string; source: FieldSource }[] };

/** A piece of a reason's clause: words, a figure said (`bare`: the number alone), or an optional part. */
export type ClausePart =
  | { text: string }
  | { figure: string; bare: boolean }
  | { optional: readonly ({ text: string } | { figure: string; bare: boolean })[] };

/** Splits a clause template ("Mức hỗ trợ: {amountPerMonth}[ (… {kwhPerMonth.number} kWh …)]") into parts. */
export function clauseParts(template: string): ClausePart[] {
  const simple = (text: string) =>
    text
      .split(/(\{[a-z][A-Za-z0-9]*(?:\.number)?\})/)
      .filter(Boolean)
      .map((piece) => {
        const match = /^\{([a-z][A-Za-z0-9]*)(\.number)?\}$/.exec(piece);
        return match ? { figure: match[1]!, bare: match[2] !== undefined } : { text: piece };
      });
  return template
    .split(/(\[[^\]]*\])/)
    .filter(Boolean)
    .flatMap((piece): ClausePart[] =>
      piece.startsWith("[") && piece.endsWith("]")
        ? [{ optional: simple(piece.slice(1, -1)) }]
        : simple(piece),
    );
}

/** A kind of support, compiled. Plain data (it is copied to worker threads). */
export interface SupportKind {
  id: string;
  description: string;
  /** Figures are decided for each person only: the programme's own decision carries none. */
  perPerson: boolean;
  /** Person facts repeated in each person's entry. */
  personFacts: readonly string[];
  /** Amount units a programme of this kind names, with how a reason and the chat say them. */
  amountUnits: Readonly<Record<string, { says: string; chat: string }>> | null;
  figures: readonly KindFigure[];
  /** Figures by name. */
  figureByName: Readonly<Record<string, KindFigure>>;
  /** The reasons stating what is granted: sentences of clauses, each clause in parts. */
  reasons: readonly (readonly (readonly ClausePart[])[])[];
  decision: readonly DecisionField[];
}

/** The figures granted to a unit, by name, resolved on the date (or a level's id). */
export type GrantedFields = Record<string, ResolvedValue | string>;

function figureOf(kind: SupportKind, name: string): KindFigure | undefined {
  return kind.figureByName[name];
}

/** A figure's rank for "the highest wins": a level's position, or the number (estimate if unconfirmed). */
export function figureRank(
  kind: SupportKind,
  name: string,
  value: ResolvedValue | string | undefined,
): number {
  if (value === undefined) return -1;
  if (typeof value === "string") return figureOf(kind, name)?.levels?.findIndex((l) => l.id === value) ?? -1;
  return value.value ?? value.estimate ?? -1;
}

/** True when several granting cases give `name` its highest value rather than the first case's. */
export function takesHighest(kind: SupportKind, name: string): boolean {
  return figureOf(kind, name)?.highest ?? false;
}

function numberOf(value: ResolvedValue | string | undefined): number | null {
  return value === undefined || typeof value === "string" ? null : (value.value ?? value.estimate);
}

/** A figure in words, with the programme's amount unit where it has one. */
function sayWith(figure: KindFigure, value: number, amountUnit: string | null, kind: SupportKind): string {
  const unit = figure.perAmountUnit && amountUnit ? (kind.amountUnits?.[amountUnit]?.says ?? "") : "";
  return `${sayFigure(value, figure.sayAs ?? "count")}${unit}`;
}

/** A granted figure in a reason: the figure, or that it is not confirmed (with an estimate when there is one). */
function figureText(figure: KindFigure, value: ResolvedValue, amountUnit: string | null, kind: SupportKind) {
  if (value.value !== null) return sayWith(figure, value.value, amountUnit, kind);
  if (value.estimate !== null)
    return `chưa được xác nhận (ước tính ${sayWith(figure, value.estimate, amountUnit, kind)}, chưa xác nhận)`;
  return "chưa được xác nhận";
}

/** One clause of a reason, or null when a figure it states is not granted. */
function clauseText(
  kind: SupportKind,
  parts: readonly ClausePart[],
  fields: GrantedFields,
  amountUnit: string | null,
): string | null {
  let text = "";
  for (const part of parts) {
    if ("text" in part) {
      text += part.text;
    } else if ("optional" in part) {
      // An optional part needs every figure it names as a number.
      let optional = "";
      for (const inner of part.optional) {
        if ("text" in inner) {
          optional += inner.text;
          continue;
        }
        const value = numberOf(fields[inner.figure]);
        if (value === null) {
          optional = "";
          break;
        }
        optional += formatNumberVi(value);
      }
      text += optional;
    } else {
      const value = fields[part.figure];
      const figure = figureOf(kind, part.figure);
      if (value === undefined || !figure) return null;
      if (typeof value === "string") {
        const says = figure.levels?.find((level) => level.id === value)?.says ?? null;
        if (says === null) return null;
        text += says;
      } else if (part.bare) {
        const number = numberOf(value);
        text += number === null ? "" : formatNumberVi(number);
      } else {
        text += figureText(figure, value, amountUnit, kind);
      }
    }
  }
  return text;
}

/** The sentences stating what a unit gets: "Mức vay tối đa: 100.000.000 đ mỗi hộ; lãi suất: 6,6%/năm; …". */
export function figureSentences(
  kind: SupportKind,
  fields: GrantedFields,
  amountUnit: string | null,
): string[] {
  const out: string[] = [];
  for (const clauses of kind.reasons) {
    let joined = "";
    for (const clause of clauses) {
      const text = clauseText(kind, clause, fields, amountUnit);
      if (text !== null) joined = joined ? `${joined}; ${text}` : text;
    }
    if (joined) out.push(sentence(joined));
  }
  return out;
}

/** The opening words of every sentence that states figures (a chat summary that says them leaves these out). */
export function figureSentencePrefixes(kinds: Iterable<SupportKind>): string[] {
  const prefixes = new Set<string>();
  for (const kind of kinds) {
    for (const clauses of kind.reasons) {
      const first = clauses[0]![0];
      if (first && "text" in first && first.text.trim()) {
        prefixes.add(first.text.trim());
        continue;
      }
      const name = first && "figure" in first ? first.figure : undefined;
      for (const level of (name ? figureOf(kind, name)?.levels : undefined) ?? [])
        if (level.says) prefixes.add(sentence(level.says));
    }
  }
  return [...prefixes];
}

function sourceValue(
  source: FieldSource,
  kind: SupportKind,
  fields: GrantedFields,
  amountUnit: string | null,
): unknown {
  if (source.figure === null) return amountUnit;
  const value = fields[source.figure];
  switch (source.part) {
    case "level":
      return typeof value === "string" ? value : (figureOf(kind, source.figure)?.levels?.[0]?.id ?? null);
    case "value":
      return value === undefined || typeof value === "string" ? null : value.value;
    case "estimate":
      return value === undefined || typeof value === "string" ? null : value.estimate;
    case "number":
      return numberOf(value);
    case "confirmed":
      return (
        value !== undefined &&
        typeof value !== "string" &&
        value.confidence === "high" &&
        value.value !== null
      );
  }
}

/** The details of a unit as a decision carries them (`maxAmount`, `supportPercent`, …), in the kind's order. */
export function decisionDetails(
  kind: SupportKind,
  fields: GrantedFields,
  amountUnit: string | null,
  status: ProgramStatus,
): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  for (const field of kind.decision) {
    if (field.type === "group") {
      const granted = fields[field.when];
      details[field.name] =
        granted === undefined || typeof granted === "string"
          ? null
          : Object.fromEntries(
              field.fields.map((part) => [part.name, sourceValue(part.source, kind, fields, amountUnit)]),
            );
    } else {
      details[field.name] =
        field.notEligible !== null && status === "not_eligible"
          ? field.notEligible
          : sourceValue(field.source, kind, fields, amountUnit);
    }
  }
  return details;
}

/** The decision fields where a figure's value and estimate are found (a path: a group's name first). */
function fieldPaths(kind: SupportKind, figure: string): { value?: string[]; estimate?: string[] } {
  const paths: { value?: string[]; estimate?: string[] } = {};
  for (const field of kind.decision) {
    const entries =
      field.type === "group"
        ? field.fields.map((part) => ({ path: [field.name, part.name], source: part.source }))
        : [{ path: [field.name], source: field.source }];
    for (const { path, source } of entries) {
      if (source.figure !== figure) continue;
      if (source.part === "value" || source.part === "level") paths.value ??= path;
      if (source.part === "estimate") paths.estimate ??= path;
    }
  }
  return paths;
}

function read(object: Readonly<Record<string, unknown>>, path: string[] | undefined): unknown {
  let value: unknown = object;
  for (const key of path ?? []) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return path ? value : undefined;
}

/** One figure as the chat says it, for the programme (`person` false) or one member. */
function chatPhrase(
  kind: SupportKind,
  figure: KindFigure,
  entry: Readonly<Record<string, unknown>>,
  amountUnit: string | null,
  person: boolean,
): string | undefined {
  const paths = fieldPaths(kind, figure.name);
  const value = read(entry, paths.value);
  if (figure.levels) {
    const level = figure.levels.find((candidate) => candidate.id === value) ?? figure.levels[0]!;
    return value === undefined && !person ? undefined : (level.chat ?? undefined);
  }
  const chat = figure.chat;
  const says = person ? chat.person : chat.says;
  const full = person ? chat.person_full : chat.full;
  const estimate = person ? chat.person_estimate : chat.estimate;
  const unconfirmed = person ? chat.person_unconfirmed : chat.unconfirmed;
  if (says === undefined) return undefined;
  const fill = (template: string, number: number) =>
    template.replace("{number}", formatNumberVi(number)).replace("{}", () => {
      const unit = figure.perAmountUnit && amountUnit ? (kind.amountUnits?.[amountUnit]?.chat ?? "") : "";
      return `${sayFigure(number, figure.sayAs ?? "count")}${unit}`;
    });
  if (typeof value === "number" && value > 0) return fill(full && value >= 100 ? full : says, value);
  const estimated = read(entry, paths.estimate);
  if (typeof estimated === "number" && estimated > 0 && estimate) return fill(estimate, estimated);
  return value === null && unconfirmed ? unconfirmed : undefined;
}

/**
 * What a programme gives, in one line for the chat: its figures ("vay tối đa 100.000.000 đ mỗi hộ · lãi suất
 * 6,24%/năm"), then what members get, members with the same outcome together ("người đi học thứ 1, 2: miễn
 * học phí"). An unconfirmed figure is said as an estimate, or as not confirmed. Undefined when there is
 * nothing to say.
 */
export function benefitLine(
  kind: SupportKind,
  program: Readonly<Record<string, unknown>> & { persons?: readonly unknown[] },
  amountUnit: string | null,
): string | undefined {
  const parts: string[] = [];
  if (!kind.perPerson) {
    for (const figure of kind.figures) {
      const phrase = chatPhrase(kind, figure, program, amountUnit, false);
      if (phrase) parts.push(phrase);
    }
  }
  const byPhrase = new Map<string, number[]>();
  for (const raw of program.persons ?? []) {
    const person = raw as Readonly<Record<string, unknown>> & { personIndex: number };
    const phrases = kind.figures
      .map((figure) => chatPhrase(kind, figure, person, amountUnit, true))
      .filter((phrase): phrase is string => Boolean(phrase));
    if (phrases.length === 0) continue;
    const phrase = phrases.join(", ");
    byPhrase.set(phrase, [...(byPhrase.get(phrase) ?? []), person.personIndex + 1]);
  }
  for (const [phrase, numbers] of byPhrase) parts.push(`người đi học thứ ${numbers.join(", ")}: ${phrase}`);
  return parts.length ? parts.join(" · ") : undefined;
}

/** The figures a rule-change notice tells about, with how to say each. */
export function noticeFigures(
  kind: SupportKind,
): { name: string; label: string; say(value: number): string }[] {
  return kind.figures
    .filter((figure) => figure.notice && figure.units !== null)
    .map((figure) => ({
      name: figure.name,
      label: figure.label,
      say: (value: number) => sayFigure(value, figure.noticeAs ?? figure.sayAs ?? "count"),
    }));
}

/** How the chat shows a programme of a decision (see the conversation's `ProgrammeDisplay`). */
export interface ProgrammeDisplay {
  title: string;
  confirmWith: string | null;
  benefit: string | undefined;
  figurePrefixes: readonly string[];
}

/** Per policy: the programmes by id, and the opening words of the sentences stating figures. */
const chatData = new WeakMap<
  PolicyKnowledge,
  { programs: ReadonlyMap<string, Program>; figurePrefixes: readonly string[] }
>();

/**
 * The programmes of a decision with how the chat shows each (short title, whom to ask, and, for those the
 * household may get, the one-line summary of its figures), from the policy data. A programme the policy does
 * not know is left as it is.
 */
export function withDisplay<D extends { programs: readonly ProgramDecision[] }>(
  decision: D,
  policy: PolicyKnowledge,
): D & { programs: (ProgramDecision & { display?: ProgrammeDisplay })[] } {
  let data = chatData.get(policy);
  if (!data) {
    data = {
      programs: new Map(policy.programs.map((program) => [program.id, program])),
      figurePrefixes: Object.freeze(figureSentencePrefixes(policy.kinds.values())),
    };
    chatData.set(policy, data);
  }
  const { programs: byId, figurePrefixes } = data;
  const programs = decision.programs.map((outcome) => {
    const program = byId.get(outcome.id);
    if (!program) return outcome;
    const granted = outcome.status === "eligible" || outcome.status === "possible";
    const display: ProgrammeDisplay = {
      title: program.shortTitle,
      confirmWith: program.confirmWith,
      benefit: granted ? benefitLine(program.support, outcome, program.amountUnit) : undefined,
      figurePrefixes,
    };
    return { ...outcome, display };
  });
  return { ...decision, programs };
}
