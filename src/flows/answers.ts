/**
 * Reading answers the way residents type them on a phone: money as "3tr5", "3,5 triệu", "3.500.000đ",
 * "3500k", "3 triệu rưỡi", "ba triệu"; yes/no as "có/co/ừ/uh/vâng/dạ/ok" and "không/ko/k/hông/chưa";
 * "không biết"; counts in words ("bốn người"); choices by number or by word, with or without diacritics;
 * dates as "15/3/2024", "3/2024", "tháng 3 năm 2024". Pure: no I/O, no clock (today is passed in).
 */

import { err, ok, type Result } from "../shared/result.ts";
import { editDistance } from "../shared/did-you-mean.ts";
import { foldDiacritics, normalizeVietnamese } from "../text/vietnamese.ts";
import {
  classifyNumberTokens,
  FOLDED_NUMBER_WORDS,
  numberWords,
  readNumber,
  type NumberToken,
} from "../text/vietnamese-numbers.ts";
import type { AnswerSpec, ChoiceOption, Scalar } from "./schema.ts";
import { formatMoney } from "../domain/format.ts";

// === Values

/** A month of a year, "YYYY-MM", or a year alone, "YYYY", when the resident only knows the year. */
export type MonthYear = string;

/** What an answer holds once read: an option value, a list of them, a number, a yes/no, an ISO date or text. */
export type AnswerValue = Scalar | Scalar[];

/** A stored answer: a value, or "không biết" where the step allows it. */
export type Answer = { type: "value"; value: AnswerValue } | { type: "unknown" };

/** A successfully read answer, with what to echo back so the resident can catch a misreading. */
export interface ParsedAnswer {
  answer: Answer;
  /** Vietnamese confirmation, e.g. "60.000.000 đ mỗi năm, tức khoảng 5.000.000 đ mỗi tháng". */
  echo?: string;
}

/** Why an answer could not be used; the engine turns each into a short message and asks again. */
export type AnswerProblem =
  | { type: "unreadable" }
  | { type: "ambiguous" }
  | { type: "needs_unit" }
  | { type: "money_for_count" }
  | { type: "too_small"; min: number }
  | { type: "too_large"; max: number }
  | { type: "future_date" }
  | { type: "too_early"; minYear: number }
  | { type: "unknown_not_allowed" }
  | { type: "too_long"; maxLength: number };

/** What the parser needs besides the text: today's date (ISO) for "năm ngoái" and future-date checks. */
export interface ParseContext {
  today: string;
  allowUnknown: boolean;
}

// === Shared helpers

/** Lower-case, unaccented, punctuation as spaces, single spaces: the form words are compared in. */
export function foldForMatch(text: string): string {
  return foldDiacritics(normalizeVietnamese(text))
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** Polite particles and pronouns that carry no answer: "dạ có ạ", "không có anh ơi". */
const PARTICLES = new Set([
  "a",
  "ah",
  "nha",
  "nhe",
  "nhen",
  "oi",
  "thua",
  "em",
  "anh",
  "chi",
  "ban",
  "bac",
  "co",
  "chau",
  "toi",
  "minh",
  "tui",
  "con",
  "ha",
  "ne",
  "vay",
  "day",
]);

/** Words for "I don't know", after folding. */
const UNKNOWN_PATTERN =
  /^(?:(?:toi|minh|em|chau|con|tui|tao|da|thua)\s+)*(?:khong|ko|k|kg|khg|hong|hok|hem|chua|cha|chang|cung khong|cung ko)\s+(?:biet|bit|bik|ro|nho|chac|bt|hieu)\b/;

/**
 * True when the text says "I don't know" ("không biết", "ko rõ", "chưa rõ", "không nhớ", "chịu"), as a
 * short message of its own (a long sentence that merely contains the words is not an answer).
 */
export function isUnknownAnswer(text: string): boolean {
  const folded = foldForMatch(text);
  if (!folded || folded.split(" ").length > 8) return false;
  return (
    UNKNOWN_PATTERN.test(folded) || /^(?:kb|k bt|ko bt|chiu|chiu thoi|khong ro lam|ai biet)$/.test(folded)
  );
}

// === Yes / no

const YES = new Set([
  "co",
  "u",
  "uh",
  "uhm",
  "um",
  "uk",
  "uki",
  "vang",
  "da",
  "ok",
  "oke",
  "okay",
  "okie",
  "oki",
  "duoc",
  "dc",
  "dung",
  "phai",
  "yes",
  "y",
  "roi",
  "chac",
  "co chu",
]);
const NO = new Set([
  "khong",
  "ko",
  "k",
  "kg",
  "khg",
  "kh",
  "hong",
  "hok",
  "hem",
  "hk",
  "chua",
  "no",
  "n",
  "cha",
  "chang",
  "khong co",
  "deo",
]);
/** "dạ" and "vâng" open many answers ("dạ không"), so they only decide when nothing else does. */
const POLITE_YES = new Set(["da", "vang", "thua"]);

function parseYesNo(text: string): Result<ParsedAnswer, AnswerProblem> {
  const words = foldForMatch(text).split(" ").filter(Boolean);
  if (words.length === 0 || words.length > 8) return err({ type: "unreadable" });
  // "có hay không" asks back instead of answering.
  if (words.includes("hay") || words.includes("hoac")) return err({ type: "ambiguous" });
  let polite: boolean | undefined;
  for (const word of words) {
    if (NO.has(word)) return ok({ answer: { type: "value", value: false } });
    if (YES.has(word)) {
      if (POLITE_YES.has(word)) polite ??= true;
      else return ok({ answer: { type: "value", value: true } });
    }
  }
  if (polite) return ok({ answer: { type: "value", value: true } });
  return err({ type: "unreadable" });
}

// === Numbers

/** Splits classified tokens into runs of number tokens separated by other words. */
function numberGroups(tokens: NumberToken[]): NumberToken[][] {
  const groups: NumberToken[][] = [];
  let current: NumberToken[] = [];
  for (const token of tokens) {
    if (token.type === "other") {
      if (current.some((t) => t.type !== "filler")) groups.push(current);
      current = [];
    } else current.push(token);
  }
  if (current.some((t) => t.type !== "filler")) groups.push(current);
  return groups;
}

const NONE_PATTERN =
  /^(?:khong|ko|k|kg|hong|chua|0|khong co|ko co|k co|chua co|khong co ai|ko co ai|khong ai|khong co gi|ko co gi|khong co dau|khong co nguoi nao|cha co|chang co|het)$/;

function stripParticles(folded: string): string {
  const words = folded.split(" ");
  while (words.length > 1 && PARTICLES.has(words.at(-1)!)) words.pop();
  while (words.length > 1 && ["da", "vang", "thua"].includes(words[0]!)) words.shift();
  return words.join(" ");
}

/**
 * A money unit right after a digit, in folded text: "3tr5", "4 trieu", "500k", "800 nghin", "3 500 000d". A
 * digit must come first: "k" alone is chat shorthand for "không".
 */
const MONEY_UNIT = /\d ?(?:tr|trieu|ty|nghin|ngan|k|d|dong|vnd)(?=$|[\s\d])/;

function parseInteger(
  text: string,
  spec: { min?: number; max?: number },
): Result<ParsedAnswer, AnswerProblem> {
  const folded = stripParticles(foldForMatch(text));
  // "3tr5" typed where a count is asked: an amount of money in the wrong place, not a huge household.
  if (MONEY_UNIT.test(folded)) return err({ type: "money_for_count" });
  let value: number | undefined;
  if (NONE_PATTERN.test(folded)) value = 0;
  else {
    const groups = numberGroups(classifyNumberTokens(numberWords(text)));
    if (groups.length !== 1) return err({ type: groups.length > 1 ? "ambiguous" : "unreadable" });
    value = readNumber(groups[0]!);
  }
  if (value === undefined || !Number.isInteger(value)) return err({ type: "unreadable" });
  return checkBounds(value, spec, { answer: { type: "value", value } });
}

function checkBounds(
  value: number,
  spec: { min?: number; max?: number },
  parsed: ParsedAnswer,
): Result<ParsedAnswer, AnswerProblem> {
  if (spec.min !== undefined && value < spec.min) return err({ type: "too_small", min: spec.min });
  if (spec.max !== undefined && value > spec.max) return err({ type: "too_large", max: spec.max });
  return ok(parsed);
}

/** Words before "tháng"/"năm" that make it a period ("mỗi tháng", "1 năm", "/năm"), not a number. */
const PERIOD_PREFIX = new Set(["moi", "mot", "1", "/", "trong", "ca", "hang"]);

/**
 * Reads an amount of money. A bare small number ("3", "800", "3,5") has no unit and is not guessed: it may
 * mean millions or thousands. "... một năm", "/năm", "mỗi năm" mark a yearly amount, turned into a monthly
 * one (the step asks per month).
 */
function parseMoney(text: string, spec: { min?: number; max?: number }): Result<ParsedAnswer, AnswerProblem> {
  if (/[%‰]/.test(text)) return err({ type: "unreadable" });
  const folded = stripParticles(foldForMatch(text));
  if (NONE_PATTERN.test(folded) || /^(?:khong|ko|chua) co (?:thu nhap|tien|dong nao|xu nao)/.test(folded)) {
    return checkBounds(0, spec, { answer: { type: "value", value: 0 }, echo: `${formatMoney(0)} mỗi tháng` });
  }
  const words = numberWords(text);
  let perYear = false;
  const kept: string[] = [];
  for (const raw of words) {
    const word = foldDiacritics(raw);
    const previous = kept.at(-1);
    const afterPrefix = previous !== undefined && PERIOD_PREFIX.has(foldDiacritics(previous));
    // "tháng" is never a number; "năm" is five ("năm triệu") unless a period word comes before it.
    if (word === "thang" || (word === "nam" && afterPrefix)) {
      if (afterPrefix) kept.pop();
      if (word === "nam") perYear = true;
      continue;
    }
    kept.push(raw);
  }
  const groups = numberGroups(classifyNumberTokens(kept));
  if (groups.length !== 1) return err({ type: groups.length > 1 ? "ambiguous" : "unreadable" });
  const group = groups[0]!;
  const amount = readNumber(group);
  if (amount === undefined) return err({ type: "unreadable" });
  const hasUnit = group.some((t) => t.type === "scale");
  if (!hasUnit && amount < 1000) return err({ type: "needs_unit" });
  const monthly = Math.round(perYear ? amount / 12 : amount);
  const echo = perYear
    ? `${formatMoney(amount)} mỗi năm, tức khoảng ${formatMoney(monthly)} mỗi tháng`
    : `${formatMoney(monthly)} mỗi tháng`;
  return checkBounds(monthly, spec, { answer: { type: "value", value: monthly }, echo });
}

// === Choices

/** True when a negation ("không", "ko", "chưa", "không phải") stands right before position `at`. */
function negatedAt(words: string[], at: number): boolean {
  const before = words.slice(Math.max(0, at - 3), at);
  return before.some((w) => ["khong", "ko", "k", "chua", "chang", "cha", "hong"].includes(w));
}

/** Position of `phrase` (folded words) inside `words`, or -1. */
function indexOfPhrase(words: string[], phrase: string[]): number {
  outer: for (let i = 0; i + phrase.length <= words.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (words[i + j] !== phrase[j]) continue outer;
    return i;
  }
  return -1;
}

/**
 * The option a text names: by its number ("2", "số 2", "2."), by its label or a synonym anywhere in the
 * text (longest match wins, so "cận nghèo" beats "nghèo"; a match right after "không" does not count), or
 * by a close spelling of a whole label. Undefined when nothing or more than one option matches.
 */
export function matchOption(
  text: string,
  options: readonly ChoiceOption[],
): number | "ambiguous" | undefined {
  const folded = stripParticles(foldForMatch(text));
  const numbered = /^(?:so|chon|cau|muc|y|phuong an)?\s*(\d{1,2})$/.exec(folded);
  if (numbered) {
    const index = Number(numbered[1]) - 1;
    return index >= 0 && index < options.length ? index : undefined;
  }
  const words = folded.split(" ").filter(Boolean);
  if (words.length === 0) return undefined;
  let best: { index: number; length: number } | undefined;
  let tie = false;
  options.forEach((option, index) => {
    for (const phrase of [option.label, ...option.synonyms]) {
      const phraseWords = foldForMatch(phrase).split(" ").filter(Boolean);
      if (phraseWords.length === 0) continue;
      const at = indexOfPhrase(words, phraseWords);
      if (at < 0) continue;
      // A synonym that is itself a negation ("không có") is allowed to start with one.
      if (negatedAt(words, at) && !["khong", "ko", "chua"].includes(phraseWords[0]!)) continue;
      const length = phraseWords.join(" ").length;
      if (!best || length > best.length) {
        best = { index, length };
        tie = false;
      } else if (length === best.length && best.index !== index) tie = true;
    }
  });
  if (best) return tie ? "ambiguous" : best.index;
  // A typo in a whole label or synonym: "nong thong", "thanh pho" misspelt.
  if (folded.length >= 5) {
    const close = options.flatMap((option, index) =>
      [option.label, ...option.synonyms]
        .map((phrase) => foldForMatch(phrase))
        .filter(
          (phrase) => phrase.length >= 5 && editDistance(folded, phrase) <= (phrase.length >= 10 ? 2 : 1),
        )
        .map(() => index),
    );
    const distinct = [...new Set(close)];
    if (distinct.length === 1) return distinct[0];
    if (distinct.length > 1) return "ambiguous";
  }
  // A number written as a word: "một", "hai".
  const [only, ...rest] = classifyNumberTokens(numberWords(text));
  if (only?.type === "number" && rest.length === 0) {
    const index = only.value - 1;
    if (Number.isInteger(index) && index >= 0 && index < options.length) return index;
  }
  return undefined;
}

function parseChoice(text: string, options: readonly ChoiceOption[]): Result<ParsedAnswer, AnswerProblem> {
  const match = matchOption(text, options);
  if (match === undefined) return err({ type: "unreadable" });
  if (match === "ambiguous") return err({ type: "ambiguous" });
  return ok({ answer: { type: "value", value: options[match]!.value } });
}

/**
 * Several options at once: numbers separated by commas, spaces or "và" ("1, 4, 7", "1 4 7", "2 và 9"),
 * or option words separated by commas; "0", "không", "không có" for none of them.
 */
function parseMultiChoice(
  text: string,
  options: readonly ChoiceOption[],
): Result<ParsedAnswer, AnswerProblem> {
  const folded = stripParticles(foldForMatch(text));
  if (
    NONE_PATTERN.test(folded) ||
    /^(?:khong|ko|chua) (?:thieu|co) (?:gi|cai nao|dieu nao|muc nao)/.test(folded)
  ) {
    return ok({ answer: { type: "value", value: [] } });
  }
  const filler = new Set(["so", "va", "voi", "chon", "muc", "cau", "y", "thieu", "ca", "hai", "con"]);
  const words = folded.split(" ").filter(Boolean);
  const numbers = words.filter((w) => /^\d{1,2}$/.test(w)).map(Number);
  const others = words.filter((w) => !/^\d{1,2}$/.test(w) && !filler.has(w));
  let indexes: number[];
  if (numbers.length > 0 && others.length === 0) {
    if (numbers.some((n) => n < 1 || n > options.length)) return err({ type: "unreadable" });
    indexes = numbers.map((n) => n - 1);
  } else {
    const parts = normalizeVietnamese(text)
      .split(/[,;\n]|\bvà\b|\bva\b/u)
      .map((part) => part.trim())
      .filter(Boolean);
    indexes = [];
    for (const part of parts) {
      const match = matchOption(part, options);
      if (match === undefined || match === "ambiguous") return err({ type: "unreadable" });
      indexes.push(match);
    }
    if (indexes.length === 0) return err({ type: "unreadable" });
  }
  const chosen = [...new Set(indexes)].sort((a, b) => a - b);
  return ok({ answer: { type: "value", value: chosen.map((i) => options[i]!.value) } });
}

// === Dates

function fullYear(raw: string, today: string): number {
  const year = Number(raw);
  if (raw.length > 2) return year;
  const century = Math.floor(Number(today.slice(0, 4)) / 100) * 100;
  return century + year > Number(today.slice(0, 4)) ? century - 100 + year : century + year;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** Months named in words: "tháng giêng", "tháng chạp", "tháng mười một", or a number word. */
const MONTH_WORDS: Record<string, number> = {
  gieng: 1,
  ...FOLDED_NUMBER_WORDS,
  "muoi mot": 11,
  "muoi hai": 12,
  chap: 12,
};
/** {@link MONTH_WORDS} as a regular expression group, the longest words first. */
const MONTH_WORD = `(${Object.keys(MONTH_WORDS)
  .sort((a, b) => b.length - a.length)
  .join("|")})`;
const MONTH_IN_WORDS = new RegExp(`\\bthang ${MONTH_WORD} (?:nam )?(\\d{4}|\\d{2})\\b`);

interface DateParts {
  year: number;
  month?: number;
  day?: number;
}

/** Finds day/month/year in the ways people write them; undefined when there is no date at all. */
function findDate(text: string, today: string): DateParts | undefined {
  // Keep "/" (and "-" or "." between digits) as the date separator; other punctuation becomes space.
  const folded = foldForMatch(text);
  const compact = foldDiacritics(normalizeVietnamese(text))
    .replace(/(\d)\s*[-.]\s*(?=\d)/g, "$1/")
    .replace(/\s*\/\s*/g, "/")
    .replace(/[^\p{L}\p{N}/]+/gu, " ")
    .trim();
  const thisYear = Number(today.slice(0, 4));
  const thisMonth = Number(today.slice(5, 7));
  let m = /\b(\d{4})\/(\d{1,2})\/(\d{1,2})\b/.exec(compact);
  if (m) return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  m = /\b(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})\b/.exec(compact);
  if (m) return { day: Number(m[1]), month: Number(m[2]), year: fullYear(m[3]!, today) };
  m = /\bngay (\d{1,2}) thang (\d{1,2}) (?:nam )?(\d{2}|\d{4})\b/.exec(compact);
  if (m) return { day: Number(m[1]), month: Number(m[2]), year: fullYear(m[3]!, today) };
  m = /\b(?:thang |t)?(\d{1,2})\/(\d{4}|\d{2})\b/.exec(compact);
  if (m) return { month: Number(m[1]), year: fullYear(m[2]!, today) };
  m = /\b(?:thang|t) ?(\d{1,2}) (?:nam )?(\d{4}|\d{2})\b/.exec(compact);
  if (m) return { month: Number(m[1]), year: fullYear(m[2]!, today) };
  m = MONTH_IN_WORDS.exec(compact);
  if (m) return { month: MONTH_WORDS[m[1]!], year: fullYear(m[2]!, today) };
  if (/\b(?:thang truoc)\b/.test(folded)) {
    return thisMonth === 1 ? { year: thisYear - 1, month: 12 } : { year: thisYear, month: thisMonth - 1 };
  }
  if (/\bthang nay\b/.test(folded)) return { year: thisYear, month: thisMonth };
  const relative: Record<string, number> = {
    "nam nay": 0,
    "nam ngoai": 1,
    "nam truoc": 1,
    "nam roi": 1,
    "nam kia": 2,
  };
  for (const [phrase, back] of Object.entries(relative)) {
    if (new RegExp(`\\b${phrase}\\b`).test(folded)) return { year: thisYear - back };
  }
  m = /^(?:nam )?(\d{4})$/.exec(folded);
  if (m) return { year: Number(m[1]) };
  return undefined;
}

function checkDate(
  parts: DateParts,
  spec: { not_future: boolean; min_year: number },
  today: string,
  needDay: boolean,
): AnswerProblem | undefined {
  const { year, month, day } = parts;
  if (month !== undefined && (month < 1 || month > 12)) return { type: "unreadable" };
  if (needDay) {
    if (month === undefined || day === undefined) return { type: "unreadable" };
    const probe = new Date(Date.UTC(year, month - 1, day));
    if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return { type: "unreadable" };
  }
  if (year < spec.min_year) return { type: "too_early", minYear: spec.min_year };
  if (spec.not_future) {
    const iso = `${year}-${pad(month ?? 1)}-${pad(day ?? 1)}`;
    if (
      iso.slice(0, needDay ? 10 : month === undefined ? 4 : 7) >
      today.slice(0, needDay ? 10 : month === undefined ? 4 : 7)
    ) {
      return { type: "future_date" };
    }
  }
  return undefined;
}

function parseDate(
  text: string,
  spec: { not_future: boolean; min_year: number },
  today: string,
): Result<ParsedAnswer, AnswerProblem> {
  const parts = findDate(text, today);
  if (!parts) return err({ type: "unreadable" });
  const problem = checkDate(parts, spec, today, true);
  if (problem) return err(problem);
  const iso = `${parts.year}-${pad(parts.month!)}-${pad(parts.day!)}`;
  return ok({
    answer: { type: "value", value: iso },
    echo: `ngày ${parts.day}/${parts.month}/${parts.year}`,
  });
}

function parseMonthYear(
  text: string,
  spec: { not_future: boolean; min_year: number },
  today: string,
): Result<ParsedAnswer, AnswerProblem> {
  const parts = findDate(text, today);
  if (!parts) return err({ type: "unreadable" });
  const problem = checkDate(parts, spec, today, false);
  if (problem) return err(problem);
  const value = parts.month === undefined ? String(parts.year) : `${parts.year}-${pad(parts.month)}`;
  const echo = parts.month === undefined ? `năm ${parts.year}` : `tháng ${parts.month}/${parts.year}`;
  return ok({ answer: { type: "value", value }, echo });
}

// === Entry point

/**
 * Reads one answer to a question of the given answer type. "Không biết" is an answer where the step allows
 * it, and a clear problem where it does not. Never throws.
 *
 * ```ts
 * parseAnswer({ type: "money" }, "3tr5", { today: "2026-11-22", allowUnknown: true });
 * // { ok: true, value: { answer: { type: "value", value: 3500000 }, echo: "3.500.000 đ mỗi tháng" } }
 * ```
 */
export function parseAnswer(
  spec: AnswerSpec,
  text: string,
  context: ParseContext,
): Result<ParsedAnswer, AnswerProblem> {
  if (spec.type !== "text" && isUnknownAnswer(text)) {
    return context.allowUnknown ? ok({ answer: { type: "unknown" } }) : err({ type: "unknown_not_allowed" });
  }
  switch (spec.type) {
    case "yes_no":
      return parseYesNo(text);
    case "integer":
      return parseInteger(text, spec);
    case "money":
      return parseMoney(text, spec);
    case "choice":
      return parseChoice(text, spec.options);
    case "multi_choice":
      return parseMultiChoice(text, spec.options);
    case "date":
      return parseDate(text, spec, context.today);
    case "month_year":
      return parseMonthYear(text, spec, context.today);
    case "text": {
      const value = normalizeVietnamese(text).trim();
      if (!value) return err({ type: "unreadable" });
      if ([...value].length > spec.max_length) return err({ type: "too_long", maxLength: spec.max_length });
      return ok({ answer: { type: "value", value } });
    }
  }
}
