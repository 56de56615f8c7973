/**
 * A question that carries the household's own figures ("thu nhap moi nguoi 1tr8 o nong thon co phai ho can
 * ngheo ko", "nha 5 nguoi thu nhap 6 trieu o phuong thi sao"): read with the staff's one-line reader,
 * decided by the scorer, and answered with the category, the line it was measured against, what was
 * assumed, and the offer of a full check. Pure.
 */
import type { Decision } from "../domain/decision.ts";
import { formatDateVi } from "../domain/dates.ts";
import { citeReference, sayFigure } from "../domain/figures.ts";
import type { HouseholdInput } from "../domain/household.ts";
import { valueOn } from "../domain/parameters.ts";
import type { PolicyKnowledge } from "../domain/policy.ts";
import { CATEGORY_LABEL } from "../domain/wording.ts";
import { parseQuickHousehold, type QuickNote } from "./quick-household.ts";
import { foldDiacritics, normalizeVietnamese } from "../text/vietnamese.ts";
import type { DirectAnswer } from "./compose.ts";
import type { AskedDate } from "./dates.ts";

/** The id of the answer that decides a household's own figures. */
export const HOUSEHOLD_ANSWER_ID = "household";

/** What answering a household's own question needs. */
export interface HouseholdQuestionContext {
  policy: PolicyKnowledge;
  decide(household: HouseholdInput): Decision;
  /** Deprivation indicators of the standard in force on a date. */
  indicators(date: string): readonly { id: string; label: string }[];
}

/** An amount of money as people type it: "1tr8", "6 trieu", "1.800.000đ", "500k", "1,5 tr". */
const MONEY =
  /\d+(?:[.,]\d+)?\s*cu\b|\d+(?:[.,]\d+)*\s*(?:tr|trieu|k|nghin|ngan|d|dong|vnd)\b|\d{1,3}(?:\.\d{3}){2,}|\d+tr\d+/;
const INCOME =
  /\b(?:thu nhap|binh quan|luong|kiem|lam duoc|lam dc|lam ra|ban duoc|ban dc|duoc|dc|thu)\b|\/\s*thang\b|\b(?:moi|mot|1|hang) thang\b/;
const PER_PERSON = /\b(?:moi nguoi|binh quan|dau nguoi|1 nguoi|mot nguoi)\b|\/\s*nguoi/;
const HAS_COUNT =
  /\b\d+\s*(?:nguoi|nhan khau|nk|khau|thanh vien|mieng)\b|\b(?:1|mot) minh\b|\b(?:hai|ba|bon|nam|sau|bay|tam|chin|muoi)\s+(?:nguoi|khau|nhan khau)\b/;
/** The question itself ("… có phải hộ cận nghèo không"): what is asked, not what is declared. */
const ASKED_CATEGORY = /\b(?:ho\s+|dien\s+)?(?:can ngheo|ngheo|muc song trung binh|trung binh)\b/;

/** Text folded letter for letter (same length as its NFC form), so a cut found in one applies to the other. */
function foldSameLength(text: string): string {
  return foldDiacritics(text);
}

/**
 * Answers a question that gives the household's income, or undefined when it gives none (then it is a
 * question of fact, not about one household).
 */
export function answerHouseholdQuestion(
  question: string,
  asked: AskedDate,
  context: HouseholdQuestionContext,
): DirectAnswer | undefined {
  const original = normalizeVietnamese(question).normalize("NFC");
  const folded = foldSameLength(original);
  if (folded.length !== original.length || !MONEY.test(folded)) return undefined;
  if (!INCOME.test(folded) && !PER_PERSON.test(folded)) return undefined;
  // "từ 900k đến 1tr3", "từ 900k tới bao nhiêu": a band of the standard, not one household's income.
  if ((folded.match(new RegExp(MONEY.source, "g")) ?? []).length > 1) return undefined;
  if (/\b(?:tu|tren)\s+\S+\s+(?:toi|den)\s+(?:bn|bao nhieu|may)\b/.test(folded)) return undefined;
  // What comes after the figures and names a category is the question; before them, it is declared.
  const money = MONEY.exec(folded)!.index;
  const cut = ASKED_CATEGORY.exec(folded.slice(money));
  let line = cut ? original.slice(0, money + cut.index) : original;
  // "4 miệng ăn" is how many people live on the income; someone "sống 1 mình" is a household of one;
  // "6 triệu 1 tháng" is six million a month (not 6,1 million).
  line = line
    // "vợ chồng với 4 đứa con", "vợ chồng với 1 đứa nhỏ": the couple and their children.
    .replace(
      /(?:2\s+)?v[oợ] ch[oồ]ng\s+(?:v[oớ]i|v[aà]|c[oó])\s+(\d+)\s+(?:[dđ][uứ]a\s+)?(?:con|nh[oỏ]|b[eé]|ch[aá]u)(?=\s|,|$)/giu,
      (_all, children: string) => `${Number(children) + 2} người`,
    )
    // "2 bà cháu", "3 mẹ con": the people named are the household.
    .replace(/(\d+)\s+(?:b[aà] ch[aá]u|m[eẹ] con|b[oố] con|[oô]ng ch[aá]u|anh em|ch[iị] em)/giu, "$1 người")
    .replace(/s[aà]i g[oò]n|tp\.?\s*hcm|(?<=\b(?:o|ở)\s)ph[oố](?=\s|,|$)/giu, "phường")
    // "8 củ" is eight million in speech.
    .replace(/(\d+(?:[.,]\d+)?)\s*c[uủ](?=\s|,|$)/giu, "$1 triệu")
    .replace(/(tri[eệ]u|tr|ngh[iì]n|k)\s+(?:1|m[oộ]t)\s+th[aá]ng/giu, "$1/tháng")
    .replace(/(\d+)\s*mi[eệ]ng(?:\s*[aă]n)?/giu, "$1 người")
    .replace(/(?:s[oố]ng\s+)?(?:1|m[oộ]t)\s+m[iì]nh/giu, "1 người");
  const rewritten = foldDiacritics(line);
  const counted = HAS_COUNT.test(rewritten);
  // An income per person settles the category whatever the size of the household: one person stands in.
  // Without a number of people, the amount can only be compared with the line as an income per person.
  const perPersonAssumed = !counted && !PER_PERSON.test(folded) && !/\bvo chong\b/.test(folded);
  if (!counted && (PER_PERSON.test(folded) || perPersonAssumed)) line = `${line}, 1 người`;
  else if (!counted && /\bvo chong\b/.test(folded)) line = `${line}, 2 người`;
  let read = parseQuickHousehold(line, { today: asked.date, indicators: (date) => context.indicators(date) });
  // "nhà 4 người làm ruộng": the reader takes it for four working members; the count is the household's.
  const count = /\b(\d+)\s*(?:nguoi|nhan khau|nk|khau|thanh vien)\b/.exec(rewritten)?.[1];
  if (!read.ok && count)
    read = parseQuickHousehold(`${line}, ${count} người`, {
      today: asked.date,
      indicators: (date) => context.indicators(date),
    });
  if (!read.ok) return undefined;
  const household = read.value.household;
  if (household.monthlyIncome === undefined && household.incomePerPerson === undefined) {
    // The amount was not called an income ("tháng thu chung 7tr6"): it is the only amount, so it is.
    const retried = parseQuickHousehold(
      line.replace(/(\d+(?:[.,]\d+)*\s*(?:tr|tri[eệ]u|k|ngh[iì]n)\S*)/iu, "thu nhập $1"),
      {
        today: asked.date,
        indicators: (date) => context.indicators(date),
      },
    );
    if (!retried.ok) return undefined;
    Object.assign(household, retried.value.household);
    if (household.monthlyIncome === undefined && household.incomePerPerson === undefined) return undefined;
  }
  // "cả năm kiếm được 60tr": an income for the year is twelve months' worth.
  const yearly = /\b(?:ca|mot|1|moi|hang) nam\b|\/\s*nam\b/.test(folded);
  if (yearly) {
    if (household.monthlyIncome !== undefined)
      household.monthlyIncome = Math.round(household.monthlyIncome / 12);
    if (household.incomePerPerson !== undefined)
      household.incomePerPerson = Math.round(household.incomePerPerson / 12);
  }
  const decision = context.decide(household);
  const c = decision.classification;
  if (c.incomePerPerson === null || c.incomeLine === null) return undefined;
  const areaWord = household.area === "urban" ? "thành thị" : "nông thôn";
  const income = `${sayFigure(Math.round(c.incomePerPerson), "VND")}/người/tháng`;
  const lines = [
    `Thu nhập bình quân ${income} ở ${areaWord}: ${verdict(decision, threshold(context.policy, asked.date))}`,
  ];
  // The scorer's own words for what is not confirmed (a category rule, a line): said, not hidden.
  if (!c.confirmed) lines.push(...c.reasons.filter((reason) => /chưa được xác nhận/.test(reason)));
  const standard = decision.standard;
  lines.push(
    `Chuẩn nghèo ở ${areaWord}${asked.label ? ` (${asked.label})` : ""}: ${sayFigure(c.incomeLine, "VND")}/người/tháng` +
      (c.lines.averageLiving !== null
        ? `; mức sống trung bình đến ${sayFigure(c.lines.averageLiving, "VND")}/người/tháng`
        : "") +
      (standard ? ` (${standard.title}, từ ${formatDateVi(standard.from)}).` : "."),
  );
  const basis = [...new Set(c.references.map(citeReference))];
  if (basis.length > 0) lines.push(`Căn cứ: ${basis.join("; ")}.`);
  const assumed = read.value.notes.filter((note: QuickNote) => note.kind === "assumed");
  if (yearly) lines.push("Đã giả định: số tiền nêu là thu nhập cả năm, chia cho 12 tháng.");
  if (perPersonAssumed)
    lines.push(
      `Đã giả định: ${sayFigure(c.incomePerPerson, "VND")} là thu nhập bình quân mỗi người mỗi tháng; nếu là của cả hộ, hãy chia cho số người.`,
    );
  for (const note of assumed) lines.push(`Đã giả định: ${note.text}`);
  const review = context.policy.notes.review_process;
  lines.push(
    `Đây là ước tính theo số bạn nêu, chưa phải kết quả rà soát. ${review ? review.text.split(". ")[0]!.replace(/\.$/, "") + "." : ""}`.trim(),
  );
  lines.push("Gõ /kiemtra để kiểm tra đầy đủ: vay vốn, bảo hiểm y tế, học phí.");
  return {
    id: HOUSEHOLD_ANSWER_ID,
    text: lines.join("\n"),
    asOf: asked.date,
    confidence: c.confirmed ? "high" : "medium",
    facts: [],
    references: c.references,
  };
}

/** How many deprivations make a household poor on a date (the standard's parameter). */
function threshold(policy: PolicyKnowledge, date: string): number | null {
  const parameter = policy.parameters.get("poverty.deprivation_threshold");
  const entry = parameter ? valueOn(parameter, date) : undefined;
  return typeof entry?.value === "number" ? entry.value : null;
}

function verdict(decision: Decision, deprivations: number | null): string {
  const c = decision.classification;
  if (c.category === "unknown" && c.lines.averageLiving === null && !c.candidates.includes("poor"))
    return "thu nhập cao hơn chuẩn nghèo, nên hộ không phải hộ nghèo hay hộ cận nghèo; mức sống trung bình của chuẩn này chưa xác nhận.";
  if (c.category === "average_living" || c.category === "none")
    return `thu nhập cao hơn chuẩn nghèo, nên hộ không phải hộ nghèo hay hộ cận nghèo${c.category === "average_living" ? `; hộ thuộc diện ${CATEGORY_LABEL.average_living}` : ""}.`;
  if (c.category !== "unknown") return `hộ thuộc diện ${CATEGORY_LABEL[c.category]}.`;
  if (c.candidates.includes("poor") && c.candidates.includes("near_poor"))
    return deprivations === null
      ? "thu nhập không cao hơn chuẩn nghèo, nên hộ là hộ nghèo hoặc hộ cận nghèo, tùy số chỉ số thiếu hụt."
      : `thu nhập không cao hơn chuẩn nghèo, nên hộ là hộ nghèo hoặc hộ cận nghèo: thiếu hụt từ ${deprivations} chỉ số dịch vụ xã hội cơ bản trở lên là hộ nghèo, dưới ${deprivations} chỉ số là hộ cận nghèo.`;
  return `chưa đủ thông tin để xếp diện (có thể là: ${c.candidates.map((category) => CATEGORY_LABEL[category]).join("; ")}).`;
}
