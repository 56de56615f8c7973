/**
 * Citations ready to paste into a letter or a file, in the form Vietnamese legal texts use:
 * "Theo điểm b khoản 1.1 Mục IV Kế hoạch số 02/KH-UBND ngày 05/01/2017 của UBND tỉnh Thái Bình" for a plan
 * passage, "Nghị định 07/2021/NĐ-CP, Điều 3, khoản 1, điểm a (ban hành ngày 27/01/2021; áp dụng từ
 * mức, điều kiện này áp dụng từ 01/01/2022 đến 31/12/2026)" for a scorer rule. Honest about gaps: a number or date left blank in the
 * document is shown blank, never invented. Pure.
 */
import { provinceLabel, warningsFor } from "../knowledge/citation.ts";
import type { AreaChanges, PlanMetadata } from "../knowledge/load.ts";
import type { Decision } from "../domain/decision.ts";
import type { PolicyKnowledge, Reference } from "../domain/policy.ts";
import { sectionNumber } from "./plan-outline.ts";

// === Plans

/** "Ủy ban nhân dân tỉnh Thái Bình" → "UBND tỉnh Thái Bình". */
function shortIssuer(issuer: string): string {
  return issuer.replace(/^(?:Ủy|Uỷ) ban nhân dân\b/i, "UBND");
}

function dayMonthYear(iso: string): string {
  const [year, month, day] = iso.split("-");
  return `${day}/${month}/${year}`;
}

/** The number as the document has it: "số 02/KH-UBND", "số .../KH-UBND (số để trống trong văn bản)". */
function numberPart(metadata: PlanMetadata): string | null {
  if (metadata.number) return `số ${metadata.number}`;
  if (metadata.numberAsPrinted) {
    const printed = metadata.numberAsPrinted.startsWith("/")
      ? `...${metadata.numberAsPrinted}`
      : metadata.numberAsPrinted;
    return `số ${printed} (số để trống trong văn bản)`;
  }
  return null;
}

/** The date as the document has it: "ngày 05/01/2017", "ngày ... tháng 3 năm 2020 (ngày để trống …)". */
function datePart(issuedOn: string | null): string | null {
  if (!issuedOn) return null;
  const [year, month, day] = issuedOn.split("-");
  if (day) return `ngày ${day}/${month}/${year}`;
  if (month) return `ngày ... tháng ${Number(month)} năm ${year} (ngày để trống trong văn bản)`;
  return `năm ${year} (ngày, tháng để trống trong văn bản)`;
}

/**
 * The document as legal texts name it: kind, number, date, issuer. A plan printed without number or date
 * says so, and is identified by its subject (trích yếu) instead.
 *
 * ```ts
 * documentReference(thaiBinh) // "Kế hoạch số 02/KH-UBND ngày 05/01/2017 của UBND tỉnh Thái Bình"
 * ```
 */
export function documentReference(metadata: PlanMetadata): string {
  const number = numberPart(metadata);
  const date = datePart(metadata.issuedOn);
  const missing = [number ? null : "số", date ? null : "ngày ban hành"].filter(Boolean);
  const issuer =
    metadata.level === "province"
      ? shortIssuer(metadata.issuer)
      : `${shortIssuer(metadata.issuer)}, ${provinceLabel(metadata.province)}`;
  const parts = [metadata.kind, number, date];
  if (missing.length > 0) parts.push(`(văn bản không ghi ${missing.join(" và ")})`);
  parts.push(`của ${issuer}`);
  // Without a number the subject is what identifies the plan.
  if (!number) parts.push(metadata.title.replace(new RegExp(`^${metadata.kind}\\s+`, "i"), ""));
  return parts.filter(Boolean).join(" ");
}

/** "điểm b khoản 1.1 Mục IV" for a heading path; "phần mở đầu" for the text before the first heading. */
export function pinpoint(sectionPath: readonly string[]): string {
  const number = sectionNumber(sectionPath);
  const parts = [
    number.letter ? `điểm ${number.letter}` : null,
    number.arabic ? `khoản ${number.arabic}` : null,
    number.roman ? `Mục ${number.roman}` : null,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(" ") : "phần mở đầu";
}

/**
 * The citation of a plan passage, ready to paste.
 *
 * ```ts
 * planCitation(thaiBinh, ["IV. CÁC GIẢI PHÁP…", "1. Nhóm giải pháp…", "1.1. Chính sách…", "b. Hỗ trợ hộ nghèo về giáo dục"])
 * // "Theo điểm b khoản 1.1 Mục IV Kế hoạch số 02/KH-UBND ngày 05/01/2017 của UBND tỉnh Thái Bình"
 * ```
 */
export function planCitation(metadata: PlanMetadata, sectionPath: readonly string[]): string {
  return `Theo ${pinpoint(sectionPath)} ${documentReference(metadata)}`;
}

/**
 * Whether a plan can still be relied on, on a date: its period (running or over) and the changes of its
 * area since (merged province, abolished district level). One sentence each.
 */
export function planStatus(metadata: PlanMetadata, areas: AreaChanges, onDate: string): string[] {
  const year = Number(onDate.slice(0, 4));
  const period =
    metadata.period.from === metadata.period.to
      ? `năm ${metadata.period.from}`
      : `giai đoạn ${metadata.period.from}–${metadata.period.to}`;
  const lines: string[] = [];
  if (year < metadata.period.from) lines.push(`Kế hoạch áp dụng cho ${period}, chưa đến thời hạn.`);
  else if (year <= metadata.period.to) lines.push(`Kế hoạch áp dụng cho ${period}, còn trong thời hạn.`);
  // The "period is over" and area sentences are the knowledge base's own, so both say the same.
  return [...lines, ...warningsFor(metadata, areas, onDate)];
}

// === Scorer rules

/** "Điều 3 khoản 1 điểm a (hộ nghèo)" → "Điều 3, khoản 1, điểm a (hộ nghèo)"; null when not an article. */
function formatArticle(article: string): string | null {
  const match = /^(Điều\s+\d+[a-zđ]?)(?:,?\s+(khoản\s+\d+))?(?:,?\s+(điểm\s+[a-zđ]))?(.*)$/iu.exec(
    article.trim(),
  );
  if (!match) return /^(?:Phần|Mục|Phụ lục|Chương)\b/i.test(article.trim()) ? article.trim() : null;
  const rest = match[4]!.trim();
  return [match[1], match[2], match[3]].filter(Boolean).join(", ") + (rest ? ` ${rest}` : "");
}

/** A period a rule or figure applies over; `to` null means open-ended. */
export interface InForce {
  from: string | null;
  to: string | null;
}

function inForceText(period: InForce): string | null {
  // The period is the rule's or the figure's in the data, not the instrument's: said so.
  if (period.from && period.to)
    return `mức, điều kiện này áp dụng từ ${dayMonthYear(period.from)} đến ${dayMonthYear(period.to)}`;
  if (period.from) return `mức, điều kiện này áp dụng từ ${dayMonthYear(period.from)}`;
  if (period.to) return `mức, điều kiện này áp dụng đến ${dayMonthYear(period.to)}`;
  return null;
}

/**
 * The citation of one legal reference of the scorer's data, with its date of issue and, when known, the
 * period the rule applies over. A reference without an article says so rather than guessing one.
 *
 * ```ts
 * ruleCitation({ instrument: "Nghị định 07/2021/NĐ-CP", article: "Điều 3 khoản 1 điểm a", date: "2021-01-27" },
 *   { inForce: { from: "2022-01-01", to: "2026-12-31" } })
 * // "Nghị định 07/2021/NĐ-CP, Điều 3, khoản 1, điểm a (ban hành ngày 27/01/2021; mức, điều kiện này áp dụng từ 01/01/2022 đến 31/12/2026)"
 * ```
 */
export function ruleCitation(
  reference: Reference,
  options: { inForce?: InForce; plans?: ReadonlyMap<string, PlanMetadata> } = {},
): string {
  const plan = reference.document ? options.plans?.get(reference.document) : undefined;
  let head: string;
  if (plan) {
    head = `${documentReference(plan)}${reference.article ? `, ${reference.article}` : ""}`;
  } else {
    const article = reference.article ? formatArticle(reference.article) : null;
    head = article
      ? `${reference.instrument}, ${article}`
      : reference.article
        ? `${reference.instrument} (về: ${reference.article}; chưa xác định điều, khoản)`
        : `${reference.instrument} (chưa xác định điều, khoản)`;
  }
  const notes = [
    plan
      ? null
      : reference.date
        ? `ban hành ngày ${dayMonthYear(reference.date)}`
        : "chưa có ngày ban hành trong dữ liệu",
    options.inForce ? inForceText(options.inForce) : null,
  ].filter(Boolean);
  return notes.length > 0 ? `${head} (${notes.join("; ")})` : head;
}

/** The key two references are compared by (the compiled data shares reference objects, copies do not). */
function referenceKey(reference: Reference): string {
  return [reference.instrument, reference.article ?? "", reference.date ?? "", reference.document ?? ""].join(
    "|",
  );
}

/** Looks up the periods each reference is cited over in the policy data: standards, cases, figures. */
export interface CitationIndex {
  /** The period, covering `date`, of the most recent item citing the reference; null when none covers it. */
  inForceOn(reference: Reference, date: string): InForce | null;
}

/**
 * Indexes the policy data by reference: a standard cites its references over its period, a rule case over
 * its dates, a figure over the period of its value, a programme over the period its rules cover.
 */
export function createCitationIndex(policy: PolicyKnowledge): CitationIndex {
  const periods = new Map<string, InForce[]>();
  const add = (references: readonly Reference[], period: InForce): void => {
    for (const reference of references) {
      const key = referenceKey(reference);
      const list = periods.get(key) ?? [];
      list.push(period);
      periods.set(key, list);
    }
  };
  for (const standard of policy.standards) {
    const period = { from: standard.from, to: standard.to };
    add(standard.references, period);
    add(standard.indicators.references, period);
    for (const category of standard.categories) add(category.references, period);
  }
  for (const program of policy.programs) {
    add(program.references, { from: program.coveredFrom, to: program.coveredTo });
    for (const ruleCase of program.cases) add(ruleCase.references, { from: ruleCase.from, to: ruleCase.to });
  }
  for (const province of policy.provinces) {
    for (const cases of province.cases.values())
      for (const ruleCase of cases) add(ruleCase.references, { from: ruleCase.from, to: ruleCase.to });
  }
  for (const parameter of policy.parameters.values()) {
    for (const value of parameter.values) add(value.references, { from: value.from, to: value.to });
  }
  const covers = (period: InForce, date: string): boolean =>
    (period.from === null || period.from <= date) && (period.to === null || date <= period.to);
  return {
    inForceOn(reference, date) {
      const covering = (periods.get(referenceKey(reference)) ?? []).filter((period) => covers(period, date));
      if (covering.length === 0) return null;
      // The latest start is the most specific: the figure or case that changed most recently.
      return covering.reduce((best, period) => ((period.from ?? "") > (best.from ?? "") ? period : best));
    },
  };
}

/** The citations of one part of a decision: the poverty standard, or one programme. */
export interface CitationGroup {
  /** "standard", or the programme's id. */
  id: string;
  /** "Chuẩn nghèo" or the programme's title. */
  scope: string;
  lines: string[];
}

/**
 * Every legal basis of a decision as paste-ready lines, grouped: the poverty standard first, then each
 * programme, each reference with the period it applies over on the assessment date.
 */
export function decisionCitations(
  decision: Decision,
  index: CitationIndex,
  plans?: ReadonlyMap<string, PlanMetadata>,
): CitationGroup[] {
  const date = decision.assessedOn;
  const lines = (references: readonly Reference[]): string[] => [
    ...new Set(
      references.map((reference) => {
        const inForce = index.inForceOn(reference, date);
        return ruleCitation(reference, { ...(inForce ? { inForce } : {}), ...(plans ? { plans } : {}) });
      }),
    ),
  ];
  const groups: CitationGroup[] = [];
  const standardReferences = [
    ...(decision.standard?.references ?? []),
    ...decision.classification.references,
  ];
  if (standardReferences.length > 0)
    groups.push({ id: "standard", scope: "Chuẩn nghèo", lines: lines(standardReferences) });
  for (const program of decision.programs)
    groups.push({ id: program.id, scope: program.title, lines: lines(program.references) });
  return groups;
}
