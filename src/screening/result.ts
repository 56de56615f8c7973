/**
 * The result of screening a list, one row per household: where it was in the file, the columns kept to
 * match it back (id, head of household), the category, each programme's status, the main reason, what is
 * missing, what was assumed, and for a row that could not be read, why. Also the legal bases cited, for the
 * second sheet. Pure.
 */
import type { Decision, Reference } from "../domain/decision.ts";
import { factLabel } from "../domain/facts.ts";
import type { PolicyKnowledge } from "../domain/policy.ts";
import { CATEGORY_LABEL, estimatedCategoryLabel } from "../domain/wording.ts";
import { STATUS_LABEL, onRecord } from "../staff/case-summary.ts";
import { ruleCitation } from "../staff/citations.ts";
import { columnOf } from "./columns.ts";
import type { CellProblem } from "./row.ts";

/** What the result rows hold beyond the fixed columns: the kept columns present, the programmes. */
export interface ResultLayout {
  kept: string[];
  programs: { id: string; title: string }[];
}

/** The layout for a list whose header has the given kept columns. */
export function resultLayout(policy: PolicyKnowledge, kept: readonly string[]): ResultLayout {
  const programs = [...policy.programs]
    .sort((a, b) => a.order - b.order)
    .map((program) => ({ id: program.id, title: program.title }));
  return { kept: [...kept], programs };
}

/** The result file's header row. */
export function resultHeadings(layout: ResultLayout): string[] {
  return [
    "Dòng",
    ...layout.kept.map((key) => columnOf(key).heading),
    "Diện hộ",
    ...layout.programs.map((program) => program.title),
    "Lý do chính",
    "Còn thiếu thông tin",
    "Ghi chú",
    "Lỗi dữ liệu",
  ];
}

/** One cell of a result row. */
export type ResultCell = string | number;

/** "hộ cận nghèo (theo danh sách của xã)", "có thể thuộc diện hộ nghèo (ước tính theo số liệu đã khai)". */
export function categoryText(decision: Decision): string {
  const { category, basis } = decision.classification;
  if (category === "unknown") return estimatedCategoryLabel(category);
  if (basis === "listed") return `${CATEGORY_LABEL[category]} (theo danh sách của xã)`;
  return `${estimatedCategoryLabel(category)} (ước tính theo số liệu đã khai)`;
}

/** The sentence that settles the category: the last of the classification's reasons, as declared. */
export function mainReason(decision: Decision): string {
  const reasons = decision.classification.reasons;
  return reasons.length > 0 ? onRecord(reasons[reasons.length - 1]!) : "";
}

/** A decided household's row. */
export function decidedRow(
  layout: ResultLayout,
  rowNumber: number,
  kept: Readonly<Record<string, string>>,
  decision: Decision,
  notes: readonly string[],
): ResultCell[] {
  const status = new Map(decision.programs.map((program) => [program.id, program.status]));
  return [
    rowNumber,
    ...layout.kept.map((key) => kept[key] ?? ""),
    categoryText(decision),
    ...layout.programs.map((program) => {
      const value = status.get(program.id);
      return value ? STATUS_LABEL[value] : "";
    }),
    mainReason(decision),
    decision.missingFacts.map((fact) => factLabel(fact.fact)).join("; "),
    notes.join(" "),
    "",
  ];
}

/** The problems of a row as one cell: “Cột “Số người”: …; Cột …”. */
export function problemsText(problems: readonly CellProblem[]): string {
  return problems
    .map((problem) => (problem.column ? `Cột “${problem.column}”: ${problem.message}` : problem.message))
    .join("; ");
}

/** The row of a household that could not be read: no decision, the problems instead. */
export function unreadableRow(
  layout: ResultLayout,
  rowNumber: number,
  kept: Readonly<Record<string, string>>,
  problems: readonly CellProblem[],
): ResultCell[] {
  return [
    rowNumber,
    ...layout.kept.map((key) => kept[key] ?? ""),
    "không xét được (lỗi dữ liệu)",
    ...layout.programs.map(() => ""),
    "",
    "",
    "",
    problemsText(problems),
  ];
}

/** A legal basis cited by some decision of the list: what it is cited for, and the citation. */
export interface CitedReference {
  /** "Phân loại hộ (chuẩn nghèo)" or a programme's title. */
  section: string;
  citation: string;
}

/** Collects the legal bases the decisions of a list cite, each once per section. */
export class ReferenceCollector {
  private readonly seen = new Set<string>();
  /** Per section, the reference objects already seen there (the compiled data shares them). */
  private readonly seenObjects = new Map<string, WeakSet<Reference>>();
  private fresh: [string, CitedReference][] = [];

  /** Adds the references of a decision (cheap for references already seen: the data shares their objects). */
  add(decision: Decision): void {
    this.addAll("Phân loại hộ (chuẩn nghèo)", decision.classification.references);
    for (const program of decision.programs) this.addAll(program.title, program.references);
  }

  /** The references seen since the last call, keyed. */
  takeFresh(): [string, CitedReference][] {
    const fresh = this.fresh;
    this.fresh = [];
    return fresh;
  }

  private addAll(section: string, references: readonly Reference[]): void {
    let objects = this.seenObjects.get(section);
    if (!objects) this.seenObjects.set(section, (objects = new WeakSet()));
    for (const reference of references) {
      if (objects.has(reference)) continue;
      objects.add(reference);
      const key = `${section}\u0000${reference.instrument}\u0000${reference.article ?? ""}\u0000${reference.date ?? ""}\u0000${reference.document ?? ""}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      this.fresh.push([key, { section, citation: ruleCitation(reference) }]);
    }
  }
}
