/**
 * How each unit of a figure is said in Vietnamese: the one place a parameter's value becomes words, shared
 * by direct answers, rule-change notices and decisions. Pure.
 */
import { formatDateVi } from "./dates.ts";
import { formatNumberVi, formatPercent, formatVnd } from "./format.ts";
import { valueOn } from "./parameters.ts";
import type { Parameter, Unit } from "./policy.ts";

/** Per unit: the figure in words, and a short gloss that helps a slow reader (or nothing). */
const UNIT_WORDS: Record<Unit, { say: (value: number) => string; gloss?: (value: number) => string }> = {
  VND: { say: formatVnd, gloss: millions },
  VND_per_month: { say: (value) => `${formatVnd(value)}/tháng`, gloss: millions },
  percent: { say: formatPercent },
  percent_per_year: {
    say: (value) => `${formatPercent(value)}/năm`,
    gloss: (value) => `${formatPercent(Math.round((value / 12) * 100) / 100)}/tháng`,
  },
  months: {
    say: (value) => `${formatNumberVi(value)} tháng`,
    gloss: (value) => (value >= 12 && value % 12 === 0 ? `${value / 12} năm` : ""),
  },
  years: { say: (value) => `${formatNumberVi(value)} năm` },
  count: { say: formatNumberVi },
  kwh_per_month: { say: (value) => `${formatNumberVi(value)} kWh/tháng` },
  age: { say: (value) => `${formatNumberVi(value)} tuổi` },
};

/**
 * "1,5 triệu", "100 triệu" for round amounts of a million or more, "2 tỷ", "10 tỷ" from a billion; nothing
 * otherwise.
 */
function millions(value: number): string {
  if (value >= 1_000_000_000 && value % 10_000_000 === 0)
    return `${formatNumberVi(value / 1_000_000_000)} tỷ đồng`;
  if (value < 1_000_000 || value % 10_000 !== 0) return "";
  return `${formatNumberVi(value / 1_000_000)} triệu đồng`;
}

/** A figure in words: 6.24 percent_per_year → "6,24%/năm"; 100000000 VND → "100.000.000 đ". */
export function sayFigure(value: number, unit: Unit): string {
  return UNIT_WORDS[unit].say(value);
}

/**
 * A figure in words with its gloss when it has one: "6,24%/năm (0,52%/tháng)", "100.000.000 đ (100 triệu
 * đồng)", "120 tháng (10 năm)".
 */
export function sayFigureFully(value: number, unit: Unit): string {
  const gloss = UNIT_WORDS[unit].gloss?.(value);
  return gloss ? `${sayFigure(value, unit)} (${gloss})` : sayFigure(value, unit);
}

/**
 * A parameter's figure in force on a date, in words ("3 năm"); undefined when it has no confirmed value
 * then, or one that differs by area.
 */
export function sayParameterOn(parameter: Parameter | undefined, date: string): string | undefined {
  const value = parameter ? valueOn(parameter, date)?.value : undefined;
  return typeof value === "number" ? sayFigure(value, parameter!.unit) : undefined;
}

/** What a legal reference is cited by (a decision's reference, a rule's, a parameter's). */
export interface CitableReference {
  instrument?: string;
  title?: string;
  article?: string;
  clause?: string;
  date?: string;
}

/** One legal reference in a line: "Quyết định 2553/QĐ-TTg, Điều 1 (21/11/2025)". */
export function citeReference(reference: CitableReference): string {
  const name = reference.title ?? reference.instrument ?? "";
  const where = [reference.article, reference.clause].filter(Boolean).join(", ");
  const date = reference.date ? ` (${formatDateVi(reference.date)})` : "";
  return [name, where].filter(Boolean).join(", ") + date;
}
