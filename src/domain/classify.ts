/**
 * Which poverty category a household falls in under the standard in force on the assessment date: from the
 * commune's list when the household is on it, otherwise estimated from its own figures. When figures are
 * missing (or the data lacks a line), every category still possible is kept, and the facts that would narrow
 * them are named. Pure.
 */
import { formatDateVi } from "./dates.ts";
import { formatVnd } from "./format.ts";
import type { Classification } from "./decision.ts";
import type { HouseholdInput } from "./household.ts";
import { lowerConfidence, resolveValue } from "./parameters.ts";
import type {
  Category,
  ClassCondition,
  Confidence,
  Parameter,
  PolicyKnowledge,
  PovertyStandard,
  Reference,
} from "./policy.ts";
import { categoriesText, CATEGORY_LABEL } from "./wording.ts";

/** The classification plus what the rest of the scorer needs to explain it. */
export interface ClassificationResult {
  classification: Classification;
  /** Household facts that would narrow the candidates (never listedStatus; the caller adds it). */
  missing: string[];
  /** Vietnamese sentences about figures the data lacks, when they keep the category open. */
  gaps: string[];
  confidence: Confidence;
  /** Index of the standard applied in the policy's list (-1 when none covers the date). */
  standardIndex: number;
}

/** The standard in force on a date, if the data has one. */
export function standardOn(policy: PolicyKnowledge, date: string): PovertyStandard | undefined {
  return policy.standards.find((standard) => standard.from <= date && date <= standard.to);
}

type Three = true | false | undefined;

/** Per-call view of the standard's parameters on the date and area. */
interface LineReader {
  value(parameter: Parameter): number | null;
}

function evaluate(
  condition: ClassCondition,
  income: number,
  deprivations: number,
  lines: LineReader,
  branched: Set<Parameter>,
): Three {
  switch (condition.type) {
    case "all": {
      let result: Three = true;
      for (const child of condition.conditions) {
        const value = evaluate(child, income, deprivations, lines, branched);
        if (value === false) return false;
        if (value === undefined) result = undefined;
      }
      return result;
    }
    case "any": {
      let result: Three = false;
      for (const child of condition.conditions) {
        const value = evaluate(child, income, deprivations, lines, branched);
        if (value === true) return true;
        if (value === undefined) result = undefined;
      }
      return result;
    }
    default: {
      const line = lines.value(condition.param);
      if (line === null) {
        branched.add(condition.param);
        return undefined;
      }
      const left = condition.type === "income" ? income : deprivations;
      switch (condition.operator) {
        case "<=":
          return left <= line;
        case "<":
          return left < line;
        case ">":
          return left > line;
        case ">=":
          return left >= line;
      }
    }
  }
}

const combined = new WeakMap<ClassCondition[], ClassCondition>();

/** The conditions of a test as one condition (built once per test). */
function allOf(conditions: ClassCondition[]): ClassCondition {
  let condition = combined.get(conditions);
  if (!condition) {
    condition = conditions.length === 1 ? conditions[0]! : { type: "all", conditions };
    combined.set(conditions, condition);
  }
  return condition;
}

/** The categories possible for one (income, deprivations) world; an unknown line keeps both branches. */
function categoriesIn(
  standard: PovertyStandard,
  income: number,
  deprivations: number,
  lines: LineReader,
  branched: Set<Parameter>,
): Category[] {
  const result: Category[] = [];
  for (const test of standard.categories) {
    const value = evaluate(allOf(test.when), income, deprivations, lines, branched);
    if (value === true) {
      result.push(test.category);
      return result;
    }
    if (value === undefined) result.push(test.category);
  }
  result.push("none");
  return result;
}

function paramsOf(condition: ClassCondition, into: Set<Parameter>): Set<Parameter> {
  if (condition.type === "any" || condition.type === "all")
    condition.conditions.forEach((child) => paramsOf(child, into));
  else into.add(condition.param);
  return into;
}

function readsDeprivations(condition: ClassCondition): boolean {
  if (condition.type === "any" || condition.type === "all")
    return condition.conditions.some(readsDeprivations);
  return condition.type === "deprivations";
}

/** Income per person as used: the explicit figure, or household income divided by members. */
export function incomePerPersonOf(input: HouseholdInput): number | undefined {
  if (input.incomePerPerson !== undefined) return input.incomePerPerson;
  if (input.monthlyIncome !== undefined) return input.monthlyIncome / input.members;
  return undefined;
}

function addReferences(into: Reference[], list: readonly Reference[]): void {
  for (const reference of list) if (!into.includes(reference)) into.push(reference);
}

/**
 * Estimates the category from the household's figures under a standard, keeping every category that some
 * value of the unknown figures (or of a line missing from the data) would give.
 */
function estimate(
  standard: PovertyStandard,
  input: HouseholdInput,
  date: string,
  income: number | undefined,
  deprivations: number | undefined,
) {
  const cache = new Map<
    Parameter,
    {
      value: number | null;
      confidence: Confidence;
      references: Reference[];
      note: string | null;
      label: string | null;
    }
  >();
  const read = (parameter: Parameter) => {
    let entry = cache.get(parameter);
    if (!entry) {
      const resolved = resolveValue({ kind: "param", param: parameter }, date, input.area, "high");
      entry = resolved;
      cache.set(parameter, entry);
    }
    return entry;
  };
  const lines: LineReader = { value: (parameter) => read(parameter).value };
  const branched = new Set<Parameter>();
  const order: Category[] = ["poor", "near_poor", "average_living", "none"];
  if (income !== undefined && deprivations !== undefined) {
    // Both figures given: one world to evaluate (the common case when screening a list).
    const found = new Set(categoriesIn(standard, income, deprivations, lines, branched));
    return {
      candidates: order.filter((category) => found.has(category)),
      missing: [] as string[],
      branched,
      read,
    };
  }

  const incomeParams = new Set<Parameter>();
  for (const test of standard.categories)
    for (const condition of test.when) paramsOf(condition, incomeParams);
  const thresholds = [...incomeParams]
    .filter((p) => p.unit === "VND_per_month")
    .map((p) => lines.value(p))
    .filter((v): v is number => v !== null);
  const incomeWorlds =
    income !== undefined ? [income] : [...new Set([0, ...thresholds, ...thresholds.map((t) => t + 0.5)])];
  const maxDeprivations = standard.indicators.list.length;
  const deprivationWorlds =
    deprivations !== undefined ? [deprivations] : Array.from({ length: maxDeprivations + 1 }, (_, i) => i);

  const keys: string[][] = [];
  const candidates = new Set<Category>();
  for (const incomeWorld of incomeWorlds) {
    const row: string[] = [];
    for (const deprivationWorld of deprivationWorlds) {
      const found = categoriesIn(standard, incomeWorld, deprivationWorld, lines, branched);
      found.forEach((category) => candidates.add(category));
      row.push(found.join(","));
    }
    keys.push(row);
  }
  const incomeMatters = deprivationWorlds.some((_, j) => new Set(keys.map((row) => row[j])).size > 1);
  const deprivationsMatter = keys.some((row) => new Set(row).size > 1);
  return {
    candidates: order.filter((category) => candidates.has(category)),
    missing: [
      ...(income === undefined && incomeMatters ? ["monthlyIncome"] : []),
      ...(deprivations === undefined && deprivationsMatter ? ["deprivations"] : []),
    ],
    branched,
    read,
  };
}

/**
 * Classifies a household under the standard in force on `date` (see the module comment). The returned
 * classification never states that the household "is" poor: listed categories are reported as what the
 * commune's list says, estimated ones as "có thể thuộc diện".
 */
export function classify(
  input: HouseholdInput,
  policy: PolicyKnowledge,
  date: string,
  listed: HouseholdInput["listedStatus"],
): ClassificationResult {
  const standard = standardOn(policy, date);
  const income = incomePerPersonOf(input);
  const reasons: string[] = [];
  const references: Reference[] = [];

  if (!standard) {
    const first = policy.standards[0];
    const last = policy.standards[policy.standards.length - 1];
    reasons.push(
      `Dữ liệu chưa có chuẩn nghèo áp dụng cho ngày ${formatDateVi(date)}${first && last ? ` (dữ liệu có từ ${formatDateVi(first.from)} đến ${formatDateVi(last.to)})` : ""}.`,
    );
    const isListed = listed === "poor" || listed === "near_poor";
    return {
      classification: {
        category: isListed ? listed : "unknown",
        basis: isListed ? "listed" : "estimated",
        incomePerPerson: income ?? null,
        incomeLine: null,
        lines: { poor: null, nearPoor: null, averageLiving: null },
        deprivationCount: input.deprivations?.length ?? input.deprivationCount ?? null,
        candidates: isListed ? [listed] : ["poor", "near_poor", "average_living", "none"],
        estimatedCategory: null,
        confirmed: false,
        reasons,
        references,
      },
      missing: [],
      gaps: [reasons[0]!],
      confidence: "low",
      standardIndex: -1,
    };
  }

  addReferences(references, standard.references);
  reasons.push(
    `Ngày đánh giá ${formatDateVi(date)}: áp dụng ${standard.title} (từ ${formatDateVi(standard.from)} đến ${formatDateVi(standard.to)}).`,
  );

  // Deprivations: only the standard's own indicators count.
  let deprivations: number | undefined;
  const ignored: string[] = [];
  if (input.deprivations) {
    const counted = input.deprivations.filter((id) => standard.indicators.ids.has(id));
    ignored.push(...input.deprivations.filter((id) => !standard.indicators.ids.has(id)));
    deprivations = counted.length;
  } else if (input.deprivationCount !== undefined) {
    deprivations = Math.min(input.deprivationCount, standard.indicators.list.length);
  }

  const found = estimate(standard, input, date, income, deprivations);
  const lineValue = (parameter: Parameter | null) => (parameter ? found.read(parameter).value : null);
  const lines = {
    poor: lineValue(standard.lines.poor),
    nearPoor: lineValue(standard.lines.nearPoor),
    averageLiving: lineValue(standard.lines.averageLiving),
  };
  const areaLabel = standard.areaLabels[input.area];

  if (income !== undefined) {
    const derived = input.incomePerPerson === undefined && input.monthlyIncome !== undefined;
    reasons.push(
      `Thu nhập bình quân: ${formatVnd(income)}/người/tháng${derived ? ` (${formatVnd(input.monthlyIncome!)} chia cho ${input.members} người)` : ""}.`,
    );
  }
  const lineTexts = [
    lines.poor !== null ? `chuẩn nghèo ${formatVnd(lines.poor)}` : null,
    lines.nearPoor !== null && lines.nearPoor !== lines.poor
      ? `chuẩn cận nghèo ${formatVnd(lines.nearPoor)}`
      : null,
    lines.averageLiving !== null ? `mức sống trung bình đến ${formatVnd(lines.averageLiving)}` : null,
  ].filter(Boolean);
  if (lineTexts.length > 0)
    reasons.push(`Khu vực ${areaLabel}: ${lineTexts.join("; ")} (mỗi người mỗi tháng).`);
  if (deprivations !== undefined) {
    const labels = input.deprivations
      ?.filter((id) => standard.indicators.ids.has(id))
      .map((id) => standard.indicators.list.find((indicator) => indicator.id === id)!.label);
    reasons.push(
      `Số chỉ số thiếu hụt được tính: ${deprivations}${labels && labels.length > 0 ? ` (${labels.join(", ")})` : ""}.`,
    );
    if (ignored.length > 0) {
      reasons.push(
        `Chỉ số ${ignored.map((id) => `"${id}"`).join(", ")} không thuộc bộ chỉ số của chuẩn này nên không được tính.`,
      );
    }
  }

  const gaps = [...found.branched].map((parameter) => {
    const entry = found.read(parameter);
    return `${parameter.label}: ${entry.note ?? "chưa có số liệu"}.`;
  });

  // Confidence and references of the estimate: the test that decided it and the lines it read.
  let confidence: Confidence = "high";
  const estimatedCategory: Category | "unknown" =
    found.candidates.length === 1 ? found.candidates[0]! : "unknown";
  const estimateReasons: string[] = [];
  const estimateReferences: Reference[] = [];
  if (estimatedCategory !== "unknown") {
    const test = standard.categories.find((candidate) => candidate.category === estimatedCategory);
    const params = new Set<Parameter>();
    const tests = test ? [test] : standard.categories;
    for (const t of tests) for (const condition of t.when) paramsOf(condition, params);
    if (test) {
      confidence = lowerConfidence(confidence, test.confidence);
      addReferences(estimateReferences, test.references);
      estimateReasons.push(test.reason);
      if (test.confidence !== "high")
        estimateReasons.push(`Quy định phân loại này chưa được xác nhận; hãy hỏi ${test.ask}.`);
      if (test.when.some(readsDeprivations) && standard.indicators.confidence !== "high") {
        confidence = lowerConfidence(confidence, standard.indicators.confidence);
        if (standard.indicators.note) estimateReasons.push(standard.indicators.note);
      }
    } else {
      estimateReasons.push(standard.noneReason);
    }
    for (const parameter of params) {
      const entry = found.read(parameter);
      confidence = lowerConfidence(confidence, entry.confidence);
      addReferences(estimateReferences, entry.references);
      if (entry.confidence !== "high" && entry.value !== null) {
        estimateReasons.push(
          `${parameter.label}: mức này chưa được xác nhận${entry.note ? ` (${entry.note})` : ""}; hãy hỏi ${parameter.ask}.`,
        );
      }
    }
  } else {
    confidence = "low";
    const needs =
      found.missing.length > 0
        ? ` Cần thêm: ${found.missing.map((fact) => (fact === "monthlyIncome" ? "thu nhập của hộ" : "số chỉ số thiếu hụt")).join(", ")}.`
        : "";
    estimateReasons.push(
      `Chưa đủ thông tin để ước tính hộ thuộc diện nào (có thể là: ${found.candidates.map((c) => CATEGORY_LABEL[c]).join("; ")}).${needs}`,
    );
    estimateReasons.push(...gaps);
  }

  const isListed = listed === "poor" || listed === "near_poor";
  const hasFigures = income !== undefined || deprivations !== undefined;
  if (isListed) {
    reasons.push(
      `Theo bạn cho biết, hộ có tên trong danh sách ${CATEGORY_LABEL[listed]} của xã; danh sách do UBND cấp xã công nhận là căn cứ để hưởng chính sách.`,
    );
    if (hasFigures && estimatedCategory !== "unknown" && estimatedCategory !== listed) {
      // Worse off than the list says: the household may ask for a review; better off: the next review may change it.
      const worse = estimatedCategory === "poor" && listed === "near_poor";
      reasons.push(
        worse
          ? `Theo số liệu bạn cung cấp, hộ có thể thuộc diện ${categoriesText([estimatedCategory])}; nếu hoàn cảnh của hộ đã thay đổi, hộ có thể đề nghị UBND xã rà soát lại.`
          : `Theo số liệu bạn cung cấp, hộ có thể thuộc diện ${categoriesText([estimatedCategory])}; ở lần rà soát tới, UBND xã có thể xếp lại diện của hộ.`,
      );
    }
  } else {
    if (listed === "none")
      reasons.push("Theo bạn cho biết, hộ hiện không có tên trong danh sách hộ nghèo, hộ cận nghèo của xã.");
    reasons.push(...estimateReasons);
    addReferences(references, estimateReferences);
  }

  return {
    classification: {
      category: isListed ? listed : estimatedCategory,
      basis: isListed ? "listed" : "estimated",
      incomePerPerson: income ?? null,
      incomeLine: lines.poor,
      lines,
      deprivationCount: deprivations ?? null,
      candidates: isListed ? [listed] : found.candidates,
      estimatedCategory: isListed && hasFigures ? estimatedCategory : null,
      confirmed: isListed ? true : confidence === "high",
      reasons,
      references,
    },
    missing: isListed ? [] : found.missing,
    gaps: isListed ? [] : gaps,
    confidence: isListed ? "high" : confidence,
    standardIndex: policy.standards.indexOf(standard),
  };
}
