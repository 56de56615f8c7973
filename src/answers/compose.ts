/**
 * Stating an answer: its sentence with every placeholder filled from the dated data (parameters, steps,
 * notes, rule cases, the poverty standard in force), then since when and on what basis, what is not
 * confirmed and who to ask, and what changes next. Pure.
 */
import { addDays, formatDateVi } from "../domain/dates.ts";
import { citeReference, sayFigure, sayFigureFully } from "../domain/figures.ts";
import { valueOn } from "../domain/parameters.ts";
import type {
  AreaValues,
  Confidence,
  PolicyKnowledge,
  PovertyStandard,
  Reference,
  Unit,
} from "../domain/policy.ts";
import type { AskedDate } from "./dates.ts";
import type { AnswerData } from "./schema.ts";

/** A dated figure an answer used, as `ask --json` reports it. */
export interface AnswerFact {
  id: string;
  label: string;
  value: number | AreaValues | null;
  /** An unconfirmed figure, only ever shown labelled "chưa xác nhận". */
  estimate: number | AreaValues | null;
  unit: Unit;
  from: string;
  to: string | null;
  confidence: Confidence;
  references: Reference[];
}

/** A direct answer to a question of fact. */
export interface DirectAnswer {
  /** The answer's id in knowledge/answers/ (or "household" for a household's own facts). */
  id: string;
  /** The whole answer as chat text: the rule first, then its basis, cautions and what changes next. */
  text: string;
  /** The date the answer holds for, ISO. */
  asOf: string;
  /** Lowest confidence of what was used: anything but high is said as "chưa xác nhận". */
  confidence: Confidence;
  facts: AnswerFact[];
  references: Reference[];
}

const RANK: Record<Confidence, number> = { low: 0, medium: 1, high: 2 };
/**
 * `{p:id}`, `{p:id@rural}`, `{p:id*2}` (twice the figure: "both kinds of work, at most …"), `{ref:id}`, ….
 * `#2018-07-01` after any of them states it as of that day instead of the day asked (for comparisons).
 * Groups: kind, id, area, multiple, day.
 */
export const PLACEHOLDER_SOURCE = String.raw`\{(p|was|since|step|note|case|ref|standard|indicators|indicator_count)(?::([a-z0-9_.]+)(?:@(rural|urban))?(?:\*(\d+))?)?(?:#(\d{4}-\d{2}-\d{2}))?\}`;
const PLACEHOLDER = new RegExp(PLACEHOLDER_SOURCE, "g");

/** The poverty standard in force on a date (the last one started, when the date is after them all). */
export function standardOn(policy: PolicyKnowledge, date: string): PovertyStandard | undefined {
  return (
    policy.standards.find((standard) => standard.from <= date && date <= standard.to) ??
    policy.standards.filter((standard) => standard.from <= date).at(-1)
  );
}

/** What filling the placeholders gathered. */
interface Gathered {
  facts: AnswerFact[];
  references: Reference[];
  /** Start dates of what was stated: the answer holds since the latest. */
  since: string[];
  confidence: Confidence;
  /** "Label: note" lines for what is not confirmed. */
  unconfirmed: string[];
  asks: string[];
}

function emptyGathered(): Gathered {
  return { facts: [], references: [], since: [], confidence: "high", unconfirmed: [], asks: [] };
}

function addReferences(into: Reference[], list: readonly Reference[]): void {
  for (const reference of list) if (!into.includes(reference)) into.push(reference);
}

function lower(gathered: Gathered, confidence: Confidence): void {
  if (RANK[confidence] < RANK[gathered.confidence]) gathered.confidence = confidence;
}

function sayValue(value: number | null, estimate: number | null, unit: Unit, confidence: Confidence): string {
  if (value === null) {
    return estimate === null ? "chưa xác nhận" : `chưa xác nhận (có thể khoảng ${sayFigure(estimate, unit)})`;
  }
  return confidence === "high"
    ? sayFigureFully(value, unit)
    : `${sayFigureFully(value, unit)} (chưa xác nhận)`;
}

function areaLabels(policy: PolicyKnowledge, date: string): { rural: string; urban: string } {
  return standardOn(policy, date)?.areaLabels ?? { rural: "nông thôn", urban: "thành thị" };
}

function fillParameter(
  policy: PolicyKnowledge,
  id: string,
  area: "rural" | "urban" | undefined,
  date: string,
  gathered: Gathered,
  multiple = 1,
): string {
  const parameter = policy.parameters.get(id);
  if (!parameter) throw new Error(`unknown parameter ${id}`);
  const entry = valueOn(parameter, date);
  if (!entry) {
    lower(gathered, "low");
    return "(chưa có số liệu cho thời điểm này)";
  }
  if (!gathered.facts.some((fact) => fact.id === id && fact.from === entry.from)) {
    gathered.facts.push({
      id,
      label: parameter.label,
      value: entry.value,
      estimate: entry.estimate,
      unit: parameter.unit,
      from: entry.from,
      to: entry.to,
      confidence: entry.confidence,
      references: entry.references,
    });
    addReferences(gathered.references, entry.references);
    // The first recorded value of a figure not confirmed starts where the data starts, not on a known day.
    if (entry.confidence === "high" || entry !== parameter.values[0]) gathered.since.push(entry.from);
    lower(gathered, entry.confidence);
    if (entry.confidence !== "high") {
      gathered.unconfirmed.push(
        `${parameter.label}: ${entry.note ?? "mức này chưa được đối chiếu với văn bản"}`,
      );
      if (parameter.ask) gathered.asks.push(parameter.ask);
    }
  }
  const pick = (values: number | AreaValues | null, which: "rural" | "urban"): number | null => {
    const value = values === null || typeof values === "number" ? values : values[which];
    return value === null ? null : value * multiple;
  };
  if (entry.value !== null && typeof entry.value === "object" && !area) {
    const labels = areaLabels(policy, date);
    const say = (which: "rural" | "urban") =>
      `${sayValue(pick(entry.value, which), pick(entry.estimate, which), parameter.unit, entry.confidence)} ở ${labels[which]}`;
    return `${say("rural")} và ${say("urban")}`;
  }
  const which = area ?? "rural";
  return sayValue(pick(entry.value, which), pick(entry.estimate, which), parameter.unit, entry.confidence);
}

/** Stands for an earlier value the data does not have: its "(trước đó …)" aside is dropped. */
const NO_EARLIER_VALUE = "\uE000";

function fill(policy: PolicyKnowledge, template: string, date: string, gathered: Gathered): string {
  return fillPlaceholders(policy, template, date, gathered)
    .replace(/\s*\(trước đó \uE000[^)]*\)/g, "")
    .replace(/\uE000/g, "(chưa có số liệu)");
}

function fillPlaceholders(
  policy: PolicyKnowledge,
  template: string,
  askedOn: string,
  gathered: Gathered,
): string {
  return template.replace(
    PLACEHOLDER,
    (
      _whole,
      kind: string,
      id: string | undefined,
      area?: "rural" | "urban",
      multiple?: string,
      day?: string,
    ) => {
      const date = day ?? askedOn;
      switch (kind) {
        case "p":
          return fillParameter(policy, id!, area, date, gathered, multiple ? Number(multiple) : 1);
        case "was": {
          // The value in force the day before the one stated for the date asked began.
          // Said for comparison only: the answer's figures, dates and cautions are those of the current value.
          const parameter = policy.parameters.get(id!)!;
          const current = valueOn(parameter, date);
          if (!current) return NO_EARLIER_VALUE;
          // Walk back past re-statements of the same figure (a later instrument confirming it).
          let until = addDays(current.from, -1);
          for (let earlier = valueOn(parameter, until); earlier; earlier = valueOn(parameter, until)) {
            if (JSON.stringify(earlier.value) !== JSON.stringify(current.value)) break;
            until = addDays(earlier.from, -1);
          }
          if (!valueOn(parameter, until)) return NO_EARLIER_VALUE;
          return `${fillParameter(policy, id!, area, until, emptyGathered())}, đến hết ${formatDateVi(until)}`;
        }
        case "since": {
          const first = policy.parameters.get(id!)?.values[0];
          if (!first) throw new Error(`unknown parameter ${id}`);
          addReferences(gathered.references, first.references);
          return formatDateVi(first.from);
        }
        case "step": {
          const step = policy.steps.get(id!);
          if (!step) throw new Error(`unknown step ${id}`);
          addReferences(gathered.references, step.references);
          return step.text.replace(/\.$/, "");
        }
        case "note": {
          const note = policy.notes[id!];
          if (!note) throw new Error(`unknown note ${id}`);
          addReferences(gathered.references, note.references);
          return note.text.replace(/\.$/, "");
        }
        case "case": {
          const [programId, caseId] = splitCaseId(id!);
          const program = policy.programs.find((candidate) => candidate.id === programId);
          const found = program?.cases.find((candidate) => candidate.id === caseId);
          if (!program || !found) throw new Error(`unknown case ${id}`);
          addReferences(
            gathered.references,
            found.references.length > 0 ? found.references : program.references,
          );
          if (found.from) gathered.since.push(found.from);
          lower(gathered, found.confidence);
          if (found.confidence !== "high") {
            const instrument = (found.references[0] ?? program.references[0])?.instrument;
            gathered.unconfirmed.push(
              instrument
                ? `nội dung trên chưa được đối chiếu với toàn văn ${instrument}`
                : "nội dung trên chưa được đối chiếu với văn bản",
            );
            if (found.ask) gathered.asks.push(found.ask);
          }
          return found.reason.replace(/\.$/, "");
        }
        case "ref": {
          const reference = policy.references.get(id!);
          if (!reference) throw new Error(`unknown reference ${id}`);
          addReferences(gathered.references, [reference]);
          return reference.instrument;
        }
        case "standard": {
          const standard = standardOn(policy, date);
          if (!standard) return "chuẩn nghèo chưa có trong dữ liệu cho thời điểm này";
          addReferences(gathered.references, standard.references);
          gathered.since.push(standard.from);
          return standard.title;
        }
        case "indicator_count": {
          const standard = standardOn(policy, date);
          if (!standard) return "(chưa có số liệu)";
          addReferences(gathered.references, standard.indicators.references);
          lower(gathered, standard.indicators.confidence);
          const unsure = standard.indicators.confidence === "high" ? "" : " (chưa xác nhận)";
          return `${standard.indicators.list.length} chỉ số${unsure}`;
        }
        default: {
          const standard = standardOn(policy, date);
          if (!standard) return "";
          addReferences(gathered.references, standard.indicators.references);
          lower(gathered, standard.indicators.confidence);
          if (standard.indicators.confidence !== "high")
            gathered.unconfirmed.push(
              `Danh sách chỉ số của ${standard.title}: ${standard.indicators.note ?? "chưa đối chiếu với văn bản"}`,
            );
          const labels = standard.indicators.list.map((indicator) => indicator.label);
          const unsure = standard.indicators.confidence === "high" ? "" : " (danh sách chưa xác nhận)";
          return `${labels.length} chỉ số${unsure}: ${labels.join("; ")}`;
        }
      }
    },
  );
}

/** "credit.poor_household.poor_household" → ["credit.poor_household", "poor_household"]. */
function splitCaseId(id: string): [string, string] {
  const cut = id.lastIndexOf(".");
  return [id.slice(0, cut), id.slice(cut + 1)];
}

/** The wording in force on the date (a plain `say` holds always), with how sure its own words are. */
function sayingOn(answer: AnswerData, date: string): { text: string; confidence?: Confidence } | undefined {
  if (typeof answer.say === "string") return { text: answer.say };
  return answer.say.find((saying) => (saying.from ?? "") <= date && date <= (saying.to ?? "9999-12-31"));
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "Từ 01/01/2027, chuẩn nghèo … là …": the next value of each figure after the date, or today's for a past date. */
function changes(
  policy: PolicyKnowledge,
  facts: readonly AnswerFact[],
  date: string,
  today: string,
): string[] {
  const lines: string[] = [];
  for (const fact of facts) {
    const parameter = policy.parameters.get(fact.id)!;
    const laterOrToday =
      date >= today
        ? parameter.values.find((value) => value.from > date)
        : parameter.values.findLast((value) => value.from <= today);
    if (!laterOrToday || laterOrToday.from === fact.from) continue;
    if (JSON.stringify(laterOrToday.value) === JSON.stringify(fact.value)) continue;
    const stated = fillParameter(policy, fact.id, undefined, laterOrToday.from, emptyGathered());
    const basis = laterOrToday.references.map((reference) => reference.instrument);
    const when =
      date >= today
        ? `Sắp thay đổi: từ ${formatDateVi(laterOrToday.from)}`
        : `Hiện nay (từ ${formatDateVi(laterOrToday.from)})`;
    lines.push(
      `${when}, ${lowerFirst(parameter.label)} là ${stated}${basis.length > 0 ? ` (${[...new Set(basis)].join("; ")})` : ""}.`,
    );
    if (lines.length === 2) break;
  }
  return lines;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * States an answer for a date. Undefined when it has no wording for that date.
 *
 * ```ts
 * composeAnswer(policy, "credit_poor_rate", answer, { date: "2026-12-06", label: null }, "2026-12-06");
 * // text: "Hộ nghèo vay vốn … lãi suất 6,24%/năm (0,52%/tháng).\nÁp dụng từ 01/12/2025. Căn cứ: Quyết định 2553/QĐ-TTg (21/11/2025)."
 * ```
 */
export function composeAnswer(
  policy: PolicyKnowledge,
  id: string,
  answer: AnswerData,
  asked: AskedDate,
  today: string,
): DirectAnswer | undefined {
  const saying = sayingOn(answer, asked.date);
  if (saying === undefined) return undefined;
  const gathered = emptyGathered();
  const stated = fill(policy, saying.text.trim(), asked.date, gathered);
  if (answer.confidence) lower(gathered, answer.confidence);
  if (saying.confidence) lower(gathered, saying.confidence);
  const lines = [asked.label ? `${capitalise(asked.label)}: ${stated}` : stated];
  const since = gathered.since
    .filter((date) => date <= asked.date)
    .sort()
    .at(-1);
  const basis = gathered.references.map(citeReference).filter(Boolean);
  const basisLine = [
    since ? `Áp dụng từ ${formatDateVi(since)}.` : "",
    basis.length > 0 ? `Căn cứ: ${[...new Set(basis)].join("; ")}.` : "",
  ]
    .filter(Boolean)
    .join(" ");
  // A change coming soon (or what holds today, for a past date) matters more to a reader than the list of
  // instruments, so it comes first.
  lines.push(...changes(policy, gathered.facts, asked.date, today));
  if (basisLine) lines.push(basisLine);
  for (const line of gathered.unconfirmed) lines.push(`Chưa xác nhận: ${line.replace(/\.$/, "")}.`);
  const ask = answer.ask ?? gathered.asks[0];
  if (gathered.confidence !== "high" && ask) lines.push(`Để chắc chắn, hãy hỏi ${ask}.`);
  if (answer.minimum && policy.notes.national_minimum) lines.push(policy.notes.national_minimum.text);
  return {
    id,
    text: lines.map((line) => line.replace(/ {2,}/g, " ")).join("\n"),
    asOf: asked.date,
    confidence: gathered.confidence,
    facts: gathered.facts,
    references: gathered.references,
  };
}
