/**
 * Reading parameters on a date: the value in force, with its confidence and references, for the household's
 * area. Pure.
 */
import { formatDateVi } from "./dates.ts";
import type { Area } from "./household.ts";
import type { AreaValues, Confidence, Parameter, ParameterValue, Reference, ValueSource } from "./policy.ts";

/** The value of a parameter in force on `date`, or undefined before its first value. */
export function valueOn(parameter: Parameter, date: string): ParameterValue | undefined {
  const values = parameter.values;
  for (let i = values.length - 1; i >= 0; i--) {
    if (values[i]!.from <= date) return values[i];
  }
  return undefined;
}

function forArea(value: number | AreaValues | null, area: Area): number | null {
  if (value === null || typeof value === "number") return value;
  return value[area];
}

/** A figure read for a decision, with everything needed to explain it. */
export interface ResolvedValue {
  /** The confirmed figure (null when not confirmed, not found, or not in the data for this date). */
  value: number | null;
  /** An unconfirmed figure to show labelled "chưa xác nhận". */
  estimate: number | null;
  confidence: Confidence;
  references: Reference[];
  /** Vietnamese explanation when not confirmed. */
  note: string | null;
  /** Vietnamese label of the figure (parameter label), when it comes from a parameter. */
  label: string | null;
  ask: string | null;
}

const LITERAL_REFERENCES: Reference[] = [];

/**
 * Resolved values by parameter, date and area. A batch (a commune's list) reads the same few parameters on
 * the same date thousands of times; sharing the resolved objects also lets callers compare them by identity.
 */
const paramCache = new WeakMap<Parameter, Map<string, Partial<Record<Area, ResolvedValue>>>>();
const literalCache = new WeakMap<ValueSource, Partial<Record<Confidence, ResolvedValue>>>();
const MAX_CACHED_DATES = 64;

/**
 * Resolves a rule figure on a date and area. A literal takes the confidence of the rule that states it; a
 * parameter takes its dated value's. A parameter with no value on that date resolves to null, low confidence,
 * with a note saying so (so the decision never invents a figure).
 */
export function resolveValue(
  source: ValueSource,
  date: string,
  area: Area,
  ruleConfidence: Confidence,
): ResolvedValue {
  if (source.kind === "literal") {
    let byConfidence = literalCache.get(source);
    if (!byConfidence) literalCache.set(source, (byConfidence = {}));
    return (byConfidence[ruleConfidence] ??= Object.freeze({
      value: source.value,
      estimate: null,
      confidence: ruleConfidence,
      references: LITERAL_REFERENCES,
      note: null,
      label: null,
      ask: null,
    }));
  }
  let byDate = paramCache.get(source.param);
  if (!byDate) paramCache.set(source.param, (byDate = new Map()));
  let byArea = byDate.get(date);
  if (!byArea) {
    if (byDate.size >= MAX_CACHED_DATES) byDate.clear();
    byDate.set(date, (byArea = {}));
  }
  return (byArea[area] ??= Object.freeze(resolveParameter(source.param, date, area)));
}

function resolveParameter(parameter: Parameter, date: string, area: Area): ResolvedValue {
  const entry = valueOn(parameter, date);
  if (!entry) {
    return {
      value: null,
      estimate: null,
      confidence: "low",
      references: [],
      note: `dữ liệu chưa có mức áp dụng cho ngày ${formatDateVi(date)}`,
      label: parameter.label,
      ask: parameter.ask,
    };
  }
  return {
    value: forArea(entry.value, area),
    estimate: forArea(entry.estimate, area),
    confidence: entry.confidence,
    references: entry.references,
    note: entry.note,
    label: parameter.label,
    ask: parameter.ask,
  };
}

/** The lower of two confidences. */
export function lowerConfidence(a: Confidence, b: Confidence): Confidence {
  return CONFIDENCE_RANK[a] <= CONFIDENCE_RANK[b] ? a : b;
}

const CONFIDENCE_RANK = { high: 2, medium: 1, low: 0 } as const;
