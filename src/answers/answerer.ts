/**
 * Direct answers to questions of fact: a question is read into concepts, the answerable fact whose
 * concepts it names best is chosen, and that fact is stated for the date asked from the same dated data the
 * scorer uses. A fact answers when every one of its concept groups is named and none of its `unless`
 * concepts; failing that, the fact sharing most of the question's rarer words, when it leads clearly. A
 * household's own figures go to the scorer; an instrument's dates, the loan a typed rate belongs to and the
 * interest on a loan amount typed are worked out from the data. Pure.
 */
import { addDays, formatDateVi } from "../domain/dates.ts";
import { citeReference, sayFigure, sayFigureFully } from "../domain/figures.ts";
import { valueOn } from "../domain/parameters.ts";
import type { PolicyKnowledge, Reference } from "../domain/policy.ts";
import { foldDiacritics } from "../text/vietnamese.ts";
import type { LexiconData } from "../knowledge/load.ts";
import { composeAnswer, type DirectAnswer } from "./compose.ts";
import {
  compileConcepts,
  foldedWords,
  readConcepts,
  type ConceptIndex,
  type ReadQuestion,
} from "./concepts.ts";
import { askedDate, askedDates, type AskedDate } from "./dates.ts";
import { answerHouseholdQuestion, type HouseholdQuestionContext } from "./household.ts";
import type { AnswerData } from "./schema.ts";
import { closestAnswer, indexSimilar } from "./similar.ts";

/** The answer data as loaded: concepts and answers by id, in file order. */
export interface AnswerKnowledge {
  concepts: Record<string, string[]>;
  /** Concepts whose absence from an answer does not rank it lower ("bao nhiêu", "ở đâu"). */
  neutral: string[];
  answers: [string, AnswerData][];
}

/** Which fact a question was matched to, and how well. */
export interface AnswerMatch {
  id: string;
  answer: AnswerData;
  /** Concept groups satisfied, less half a point for each of the question's concepts the fact does not use. */
  score: number;
  /** "concepts": every concept group named; "words": found by its words alone. */
  by: "concepts" | "words";
}

/** Answers questions; built once per policy. */
export interface Answerer {
  /** The matched fact for a question, if a confident one exists (for tests and tools). */
  match(question: string, options?: { fallbacks?: boolean }): AnswerMatch | undefined;
  /**
   * The direct answer to a question on the date it asks about (today when none), or undefined. A fallback
   * (who can answer) is given only when `fallbacks` is set: the caller sets it when no passage answers.
   */
  answer(question: string, today: string, options?: { fallbacks?: boolean }): DirectAnswer | undefined;
}

/** Every concept an answer can use. */
function conceptsOf(answer: AnswerData): Set<string> {
  return new Set([...answer.match.flat(), ...(answer.also ?? [])]);
}

function scoreOf(
  answer: AnswerData,
  used: Set<string>,
  read: ReadQuestion,
  neutral: ReadonlySet<string>,
): number | undefined {
  if (answer.unless?.some((concept) => read.concepts.has(concept))) return undefined;
  for (const group of answer.match)
    if (!group.some((concept) => read.concepts.has(concept))) return undefined;
  let unused = 0;
  for (const concept of read.concepts) if (!used.has(concept) && !neutral.has(concept)) unused += 1;
  return answer.match.length - unused / 2;
}

/**
 * Builds the answerer.
 *
 * ```ts
 * const answerer = createAnswerer(policy, loadAnswerKnowledge(), loadLexiconData());
 * answerer.answer("lai suat vay ho ngheo bao nhieu", "2026-12-06")?.text;
 * // "Hộ nghèo vay vốn Ngân hàng Chính sách xã hội với lãi suất 6,24%/năm (0,52%/tháng). …"
 * ```
 */
export function createAnswerer(
  policy: PolicyKnowledge,
  knowledge: AnswerKnowledge,
  lexicon: LexiconData,
  household?: HouseholdQuestionContext,
): Answerer {
  const index: ConceptIndex = compileConcepts(knowledge.concepts, lexicon, { typedRate: RATE });
  const neutral = new Set(knowledge.neutral);
  const entries = knowledge.answers.map(([id, answer]) => ({ id, answer, used: conceptsOf(answer) }));

  const byId = new Map(entries.map((entry) => [entry.id, entry]));
  const similar = indexSimilar(
    entries.map(({ id, answer, used }) => ({
      id,
      words: [
        ...answer.questions.map((phrasing) => readConcepts(phrasing, index).words),
        ...[...used].flatMap((concept) => (knowledge.concepts[concept] ?? []).map(foldedWords)),
      ],
    })),
  );

  function match(question: string, options: { fallbacks?: boolean } = {}): AnswerMatch | undefined {
    const read = readConcepts(question, index);
    let best: AnswerMatch | undefined;
    for (const entry of entries) {
      if (entry.answer.fallback && !options.fallbacks) continue;
      const score = scoreOf(entry.answer, entry.used, read, neutral);
      if (score === undefined) continue;
      if (!best || score > best.score) best = { id: entry.id, answer: entry.answer, score, by: "concepts" };
    }
    if (best) return best;
    const closest = closestAnswer(read.words, similar, (id) => {
      const answer = byId.get(id)!.answer;
      return !answer.fallback && !answer.unless?.some((concept) => read.concepts.has(concept));
    });
    return closest ? { id: closest, answer: byId.get(closest)!.answer, score: 0, by: "words" } : undefined;
  }

  const instruments = instrumentIndex(policy.references);
  const applied = appliedFrom(policy, true);
  const inForce = appliedFrom(policy, false);

  /**
   * "trước đây NĐ 146 hỗ trợ bao nhiêu": a question naming one instrument whose figures no longer apply, and
   * no date, is asked as of that instrument's last day.
   */
  function askedOf(question: string, read: ReadQuestion, today: string): AskedDate {
    const asked = askedDate(question, today);
    if (asked.label !== null || asked.saysNow) return asked;
    const folded = foldDiacritics(question);
    // "trước khi QĐ 2553 có hiệu lực", "sau khi NĐ 338 áp dụng": before, or from, the day its figures apply.
    const relative = BEFORE_OR_AFTER_INSTRUMENT.exec(folded);
    if (relative) {
      const [first] = namedInstruments(relative[2]!, instruments);
      const from = first ? (first.effective ?? applied.get(first.instrument)?.from) : undefined;
      if (first && from) {
        const before = relative[1] === "truoc";
        return before
          ? { date: addDays(from, -1), label: `trước ${first.instrument} (trước ${formatDateVi(from)})` }
          : { date: from, label: `từ ${first.instrument} (từ ${formatDateVi(from)})` };
      }
    }
    if (ABOUT_FORCE.some((concept) => read.concepts.has(concept))) return asked;
    const named = namedInstruments(folded, instruments);
    const ends = new Set(named.map((reference) => inForce.get(reference.instrument)?.to ?? "in force"));
    const to = [...ends][0];
    if (ends.size !== 1 || to === undefined || to === "in force" || to >= today) return asked;
    const instrument = named[0]!.instrument;
    return { date: to, label: `theo ${instrument} (áp dụng đến hết ${formatDateVi(to)})` };
  }

  return {
    match,
    answer(question, today, options = {}) {
      const read = readConcepts(question, index);
      // "chuẩn nghèo năm 2018, năm 2024, năm 2028": the same answer stated for each date named.
      const dates = askedDates(question, today);
      if (dates) {
        const each = dates.map((asked) => answerOn(question, read, asked, today, options));
        const first = each[0];
        if (first && each.every((part) => part?.id === first.id))
          return combineDated(each as DirectAnswer[], dates);
      }
      return answerOn(question, read, askedOf(question, read, today), today, options);
    },
  };

  function answerOn(
    question: string,
    read: ReadQuestion,
    asked: AskedDate,
    today: string,
    options: { fallbacks?: boolean },
  ): DirectAnswer | undefined {
    const folded = foldDiacritics(question);
    // A loan amount per person ("vay 100tr/người") or a support amount ("150k/tháng") is not a
    // household's income.
    const aboutIncome =
      read.concepts.has(INCOME) || !OTHER_AMOUNTS.some((concept) => read.concepts.has(concept));
    // "lương 2tr8, NĐ 30/2025 tính là thu nhập thấp, tiêu chí ra sao" asks about the instrument.
    const aboutInstrument = NAMED_INSTRUMENT.test(folded);
    const own =
      household && aboutIncome && !aboutInstrument
        ? answerHouseholdQuestion(question, asked, household)
        : undefined;
    if (own) return own;
    const byRate = rateAnswer(question, policy, asked.date);
    if (byRate) return byRate;
    // "nghị định mới thay NĐ 81 có hiệu lực ngày nào" asks about the new one, "NĐ 81 còn hiệu lực không"
    // whether it still applies; "lịch rà soát theo QĐ 24 bắt đầu từ ngày nào" asks about the review: none
    // asks for the decision's own dates.
    const asksDates = read.concepts.has(ISSUED) || /\bhieu luc\b/.test(folded);
    const asOfInstrument = BEFORE_OR_AFTER_INSTRUMENT.test(folded);
    if (asksDates && !asOfInstrument && !ABOUT_FORCE.some((concept) => read.concepts.has(concept))) {
      const dated = instrumentAnswer(question, instruments, applied, asked.date, {
        undated: read.concepts.has(ISSUED),
      });
      if (dated) return dated;
    }
    const found = match(question, options);
    const composed = found ? composeAnswer(policy, found.id, found.answer, asked, today) : undefined;
    return composed ? withInterestExample(composed, question, policy) : undefined;
  }
}

/** Lines of an answer that state it, as opposed to its basis, cautions and what changes next. */
const TRAILING_LINE =
  /^(?:Áp dụng từ|Căn cứ:|Sắp thay đổi|Hiện nay|Chưa xác nhận|Để chắc chắn|Đã giả định|Đây là|Gõ \/|Ví dụ:)/;

/** A statement's first sentence: up to a full stop outside brackets, before a capital letter. */
function firstSentence(line: string): string {
  let depth = 0;
  for (let at = 0; at < line.length; at++) {
    const char = line[at]!;
    if (char === "(") depth += 1;
    else if (char === ")") depth = Math.max(0, depth - 1);
    else if (char === "." && depth === 0 && /^\s+\p{Lu}/u.test(line.slice(at + 1, at + 3)))
      return line.slice(0, at + 1);
  }
  return line;
}

/**
 * One answer stated for several dates: each date's statement under its label, then the cautions and the
 * references of them all once.
 */
function combineDated(parts: DirectAnswer[], dates: AskedDate[]): DirectAnswer {
  const statements: string[] = [];
  const cautions = new Set<string>();
  const references: Reference[] = [];
  parts.forEach((part, at) => {
    const lines = part.text.split("\n");
    const cut = lines.findIndex((line, index) => index > 0 && TRAILING_LINE.test(line));
    // Side by side, each date's first sentence: the figures; the rest is the same for every date.
    const stated = lines.slice(0, cut === -1 ? lines.length : cut).map(firstSentence);
    const label = dates[at]!.label!;
    const head = stated[0]!;
    stated[0] = head.toLowerCase().startsWith(`${label.toLowerCase()}:`)
      ? head
      : `${label.charAt(0).toUpperCase()}${label.slice(1)}: ${head}`;
    statements.push(...stated);
    for (const line of lines) if (/^(?:Chưa xác nhận|Để chắc chắn)/.test(line)) cautions.add(line);
    for (const reference of part.references) if (!references.includes(reference)) references.push(reference);
  });
  const basis = [...new Set(references.map(citeReference).filter(Boolean))];
  const rank = { low: 0, medium: 1, high: 2 } as const;
  return {
    id: parts[0]!.id,
    text: [...statements, ...(basis.length > 0 ? [`Căn cứ: ${basis.join("; ")}.`] : []), ...cautions].join(
      "\n",
    ),
    asOf: dates[0]!.date,
    confidence: parts.map((part) => part.confidence).sort((a, b) => rank[a] - rank[b])[0]!,
    facts: parts.flatMap((part) => part.facts),
    references,
  };
}

/** Concepts the code itself reads (knowledge/answers/concepts.yaml must define them; the loader checks). */
const ISSUED = "issued";
const WHEN = "when";
const INCOME = "income";
const REPLACEMENT = "replacement";
const RATE = "rate";
/** Concepts of a question about whether an instrument still applies ("thay", "bãi bỏ", "còn hiệu lực"). */
const ABOUT_FORCE = [REPLACEMENT, "removed", "validity"];
/** Concepts whose amounts are loans, support or fees, not a household's income. */
const OTHER_AMOUNTS = [
  "credit",
  "outstanding",
  RATE,
  "learning_cost",
  "tuition",
  "bhyt",
  "electricity",
  "housing",
  "clean_water",
];
export const CONCEPTS_READ_BY_CODE = [ISSUED, WHEN, INCOME, ...ABOUT_FORCE, ...OTHER_AMOUNTS];

/**
 * An instrument as a question names it: "QĐ 2553", "nghị định 81 năm 2021", "238/2025" (a number after an
 * instrument word, or a number with its year after a slash; "6,24%" is neither).
 */
const NUMBER_YEAR =
  /(?:\b(qd|nd|nq|tt|quyet dinh|nghi dinh|nghi quyet|thong tu)\s*(?:so\s*)?0*(\d{1,4})(?:\s*\/\s*((?:19|20)\d{2})|\s+nam\s+((?:19|20)\d{2}))?|(?<![\d,.])0*(\d{1,4})\s*\/\s*((?:19|20)\d{2}))(?!\d)/g;

/** "trước khi QĐ 2553 …", "sau khi có NĐ 338 …": the side, and the instrument named. */
const BEFORE_OR_AFTER_INSTRUMENT =
  /\b(truoc|sau)(?: khi)?(?: co)? ((?:qd|nd|nq|tt|quyet dinh|nghi dinh|nghi quyet|thong tu)\s*(?:so\s*)?\d+(?:\s*\/\s*\d{4})?)/;

/** An instrument named with its kind: "NĐ 30/2025", "quyết định 24". */
const NAMED_INSTRUMENT = /\b(?:qd|nd|nq|tt|quyet dinh|nghi dinh|nghi quyet|thong tu)\s*(?:so\s*)?\d/;

/** Who issues an instrument, by the suffix of its number. */
const ISSUERS: Record<string, string> = {
  "QĐ-TTg": "Thủ tướng Chính phủ",
  "NĐ-CP": "Chính phủ",
  "/QH": "Quốc hội",
  "TT-BLĐTBXH": "Bộ Lao động – Thương binh và Xã hội",
  "QĐ-BNNMT": "Bộ Nông nghiệp và Môi trường",
};

/** How an instrument's kind is typed, and how its number is written ("Nghị định 74/2019/NĐ-CP"). */
const KIND: Record<string, string> = {
  qd: "QĐ",
  "quyet dinh": "QĐ",
  nd: "NĐ",
  "nghi dinh": "NĐ",
  nq: "NQ",
  "nghi quyet": "NQ",
  tt: "TT",
  "thong tu": "TT",
};

/**
 * Instruments by number, each once, with its date where known and, when the catalogue cites it for one thing
 * only, what it is about.
 */
function instrumentIndex(references: ReadonlyMap<string, Reference>): Map<string, Reference[]> {
  const cited = new Map<string, Reference[]>();
  for (const reference of references.values()) {
    cited.set(reference.instrument, [...(cited.get(reference.instrument) ?? []), reference]);
  }
  const byNumber = new Map<string, Reference[]>();
  for (const [instrument, list] of cited) {
    const { article: _article, ...bare } = list.find((reference) => reference.date) ?? list[0]!;
    // "Nghị định 61/2015/NĐ-CP, sửa đổi bởi Nghị định 74/2019/NĐ-CP" is found by either number.
    for (const found of instrument.matchAll(/(\d+)\/((?:19|20)\d{2}|[A-ZĐ])/g)) {
      const number = String(Number(found[1]));
      byNumber.set(number, [...(byNumber.get(number) ?? []), list.length === 1 ? list[0]! : bare]);
    }
  }
  return byNumber;
}

/** A loan amount typed in a question: "100tr", "50 triệu", "100.000.000đ". */
const LOAN_AMOUNT = /(\d+(?:[.,]\d+)?)\s*(tr|trieu|ty)\b|(\d{1,3}(?:\.\d{3}){2,})\s*(?:d|dong|vnd)?\b/;

/**
 * "đang nợ 100tr, mỗi tháng lãi bao nhiêu": the month's interest on the amount typed at the rate the answer
 * states (and at the rate before it, when there was one), as a worked example.
 */
function withInterestExample(answer: DirectAnswer, question: string, policy: PolicyKnowledge): DirectAnswer {
  const rate = answer.facts.find(
    (fact) => fact.unit === "percent_per_year" && typeof fact.value === "number",
  );
  const found = LOAN_AMOUNT.exec(foldDiacritics(question));
  if (!rate || !found) return answer;
  const amount = found[1]
    ? Number(found[1].replace(",", ".")) * (found[2] === "ty" ? 1e9 : 1e6)
    : Number(found[3]!.replace(/\./g, ""));
  if (!Number.isFinite(amount) || amount <= 0 || amount > 1e11) return answer;
  const monthly = (value: number) => Math.round((amount * value) / 100 / 12);
  const now = monthly(rate.value as number);
  const parameter = policy.parameters.get(rate.id)!;
  const before = valueOn(parameter, addDays(rate.from, -1));
  const then = typeof before?.value === "number" ? monthly(before.value) : null;
  const example =
    `Ví dụ: vay ${sayFigure(amount, "VND")} thì tiền lãi khoảng ${sayFigure(now, "VND")} mỗi tháng` +
    (then !== null && then !== now
      ? ` (trước ${formatDateVi(rate.from)}: ${sayFigure(then, "VND")}, ${then > now ? "bớt" : "thêm"} ${sayFigure(Math.abs(then - now), "VND")})`
      : "") +
    ".";
  const [first, ...rest] = answer.text.split("\n");
  return { ...answer, text: [first, example, ...rest].join("\n") };
}

/** "0,7%/tháng", "8,4%": a rate typed in a question, per year. */
const TYPED_RATE = /(\d+(?:[.,]\d+)?)\s*%\s*(?:\/\s*|mot |1 |moi )?(thang|nam)?/g;

/**
 * "sổ vay ghi lãi 0,7%/tháng, là vay gì?": the loans whose rate in force on the date is the one typed (per
 * month or per year). Undefined when the question types no rate, or one no loan has.
 */
function rateAnswer(question: string, policy: PolicyKnowledge, date: string): DirectAnswer | undefined {
  const folded = foldDiacritics(question);
  const typed = [...folded.matchAll(TYPED_RATE)].map((found) => {
    const value = Number(found[1]!.replace(",", "."));
    return found[2] === "thang" ? value * 12 : value;
  });
  if (
    typed.length !== 1 ||
    !/\b(?:vay gi|vay j|la gi|la j|la vay|chuong trinh|loai vay|cho ai|ap dung cho|danh cho)\b/.test(folded)
  )
    return undefined;
  const rate = typed[0]!;
  const loans = [...policy.parameters.values()].filter((parameter) => {
    if (parameter.unit !== "percent_per_year") return false;
    const value = valueOn(parameter, date)?.value;
    return typeof value === "number" && Math.abs(value - rate) < 0.005;
  });
  if (loans.length === 0) return undefined;
  const value = valueOn(loans[0]!, date)!;
  const references = [...new Set(loans.flatMap((parameter) => valueOn(parameter, date)!.references))];
  return {
    id: "rate",
    text:
      `Lãi suất ${sayFigureFully(rate, "percent_per_year")} hiện là: ${loans.map((parameter) => lowerFirst(parameter.label)).join("; ")}` +
      ` (áp dụng từ ${formatDateVi(value.from)}).\nCăn cứ: ${[...new Set(references.map(citeReference))].join("; ")}.`,
    asOf: date,
    confidence: "high",
    facts: [],
    references,
  };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * Over the dated values of every parameter (only the confirmed ones, or all): the first day each
 * instrument's figures apply, and the last.
 */
function appliedFrom(
  policy: PolicyKnowledge,
  confirmedOnly: boolean,
): Map<string, { from: string; to: string | null }> {
  const span = new Map<string, { from: string; to: string | null }>();
  for (const parameter of policy.parameters.values()) {
    for (const [at, value] of parameter.values.entries()) {
      if (confirmedOnly && value.confidence !== "high") continue;
      // A value restating the one before (an instrument confirming the figure in force) applies nothing new.
      const before = parameter.values[at - 1];
      if (before && JSON.stringify(before.value) === JSON.stringify(value.value)) continue;
      for (const reference of value.references) {
        const known = span.get(reference.instrument);
        if (!known) span.set(reference.instrument, { from: value.from, to: value.to });
        else {
          if (value.from < known.from) known.from = value.from;
          if (known.to !== null && (value.to === null || value.to > known.to)) known.to = value.to;
        }
      }
    }
  }
  return span;
}

/** The catalogue's instruments a (folded) question names by number: "NĐ 146", "QĐ 28 năm 2015", "238/2025". */
function namedInstruments(folded: string, instruments: Map<string, Reference[]>): Reference[] {
  const named: Reference[] = [];
  for (const found of folded.matchAll(NUMBER_YEAR)) {
    const kind = found[1] ? KIND[found[1]] : undefined;
    const number = found[2] ?? found[5]!;
    const year = found[3] ?? found[4] ?? found[6];
    for (const reference of instruments.get(String(Number(number))) ?? []) {
      if (year && !reference.instrument.includes(year) && reference.date?.slice(0, 4) !== year) continue;
      if (
        kind &&
        !new RegExp(`${Number(number)}\\/(?:\\d{4}\\/)?${kind}`).test(
          reference.instrument.replace(/0(\d\/)/, "$1"),
        )
      )
        continue;
      if (!named.includes(reference)) named.push(reference);
    }
  }
  return named;
}

/**
 * "QĐ 2553 ký ngày nào?", "Nghị định 74/2019 có hiệu lực từ ngày nào?": the date of the instrument the
 * question names, from the reference catalogue, and the first day its figures apply in the data.
 * Undefined when it names none the catalogue knows.
 */
function instrumentAnswer(
  question: string,
  instruments: Map<string, Reference[]>,
  applied: Map<string, { from: string; to: string | null }>,
  asOf: string,
  options: { undated: boolean },
): DirectAnswer | undefined {
  const folded = foldDiacritics(question);
  // An instrument whose date the catalogue lacks is told only to a question about who issued it or when
  // ("QĐ 967 do bộ nào ban hành", "NĐ 30/2025 ban hành ngày nào"): its issuer, and that the date is not known.
  const named = namedInstruments(folded, instruments).filter(
    (reference) => reference.date || options.undated,
  );
  if (named.length === 0 || named.length > 2) return undefined;
  // The catalogue gives the day an instrument was signed, and the day it took effect where known.
  const effectiveUnknown =
    /\bhieu luc\b/.test(folded) && named.some((reference) => !reference.effective)
      ? "\nNgày chính văn bản có hiệu lực: chưa xác nhận trong dữ liệu của trợ lý."
      : "";
  const lines = named.map((reference) => {
    const span = applied.get(reference.instrument);
    const until = span?.to ? ` đến hết ${formatDateVi(span.to)}` : "";
    const issuer = Object.entries(ISSUERS).find(([suffix]) => reference.instrument.includes(suffix))?.[1];
    return (
      `${reference.instrument}${issuer ? ` (của ${issuer})` : ""}` +
      (reference.date
        ? ` được ban hành ngày ${formatDateVi(reference.date)}`
        : ": ngày ban hành chưa xác nhận trong dữ liệu của trợ lý") +
      (reference.effective ? `, có hiệu lực từ ngày ${formatDateVi(reference.effective)}` : "") +
      (reference.article ? ` (${reference.article})` : "") +
      (span ? `; các mức của văn bản này áp dụng từ ${formatDateVi(span.from)}${until}.` : ".")
    );
  });
  return {
    id: "instrument",
    text: lines.join("\n") + effectiveUnknown,
    asOf,
    confidence: "high",
    facts: [],
    references: named,
  };
}
