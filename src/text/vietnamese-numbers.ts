/**
 * Numbers the way Vietnamese people write them in a chat: digits with dot or comma groups ("3.500.000"),
 * decimals with a comma ("3,5"), unit words and their short forms ("triệu", "tr", "củ", "nghìn", "k"),
 * number words ("ba triệu rưỡi", "hai mươi lăm"), and compact forms ("3tr5" = 3,5 triệu, "1tr2"). Pure
 * functions, no I/O.
 *
 * Words are matched on their accented form when the writer used accents, and on their unaccented form
 * otherwise, so that "tầm 3 triệu" (about 3 million) is not read as "tám" (eight) and "từ" (from) is not
 * read as "tư" (four). Unaccented forms that are also common words ("tam", "tu", "lam") only count as
 * numbers where nothing else makes sense.
 */

import { foldDiacritics, hasDiacritics, normalizeVietnamese } from "./vietnamese.ts";

/** One token of a number phrase, after classification. */
export type NumberToken =
  | { type: "number"; value: number; digits: number; word: boolean }
  | { type: "ten"; multiplies: boolean }
  | { type: "hundred" }
  | { type: "scale"; value: number }
  | { type: "half" }
  | { type: "filler" }
  | { type: "other"; text: string };

/** Digits written as words, accented. */
const ACCENTED_DIGITS: Record<string, number> = {
  không: 0,
  một: 1,
  mốt: 1,
  hai: 2,
  ba: 3,
  bốn: 4,
  tư: 4,
  năm: 5,
  lăm: 5,
  nhăm: 5,
  sáu: 6,
  bảy: 7,
  bẩy: 7,
  tám: 8,
  chín: 9,
};

/** One to ten written without accents, as people type them ("bon" or "tu" for four). */
export const FOLDED_NUMBER_WORDS: Readonly<Record<string, number>> = {
  mot: 1,
  hai: 2,
  ba: 3,
  bon: 4,
  tu: 4,
  nam: 5,
  sau: 6,
  bay: 7,
  tam: 8,
  chin: 9,
  muoi: 10,
};

/** {@link FOLDED_NUMBER_WORDS} as a regular expression group: "(?:mot|hai|…|muoi)". */
export const FOLDED_NUMBER_WORD = `(?:${Object.keys(FOLDED_NUMBER_WORDS).join("|")})`;

/** Digits written without accents ("lam": five after ten); "tu", "lam" and "tam" are ambiguous and handled in context. */
const FOLDED_DIGITS: Record<string, number> = Object.fromEntries([
  ...Object.entries(FOLDED_NUMBER_WORDS).filter(([word]) => word !== "muoi"),
  ["lam", 5],
]);

/** Unaccented words that are usually something else ("từ" from, "làm" do, "tầm" about). */
const AMBIGUOUS_FOLDED = new Set(["tu", "lam", "tam"]);

const SCALES: Record<string, number> = {
  nghin: 1_000,
  ngan: 1_000,
  ng: 1_000,
  k: 1_000,
  trieu: 1_000_000,
  tr: 1_000_000,
  cu: 1_000_000,
  m: 1_000_000,
  ty: 1_000_000_000,
  ti: 1_000_000_000,
};

/** A digit run: "3.500.000" and "3,500,000" are grouped thousands, "3,5" and "3.5" are decimals. */
const DIGIT_RUN = /^\d{1,3}(?:[.,]\d{3})+$|^\d+(?:[.,]\d+)?$/;

/**
 * Splits text into lower-case canonical tokens: digit runs (with their inner separators) and letter runs,
 * with "/" kept as its own token. A letter glued to digits is split off ("3tr5" → "3", "tr", "5").
 */
export function numberWords(text: string): string[] {
  const normalized = normalizeVietnamese(text).toLowerCase();
  // "3 500 000": join space-separated groups of three digits into one run first.
  const joined = normalized.replace(
    /\b(\d{1,3})((?: \d{3})+)\b/g,
    (_m, head: string, rest: string) => head + rest.replaceAll(" ", "."),
  );
  return joined.match(/\d+(?:[.,]\d+)*|\p{L}+|\//gu) ?? [];
}

/** Reads a digit run: grouped thousands or a decimal with comma or dot. Undefined when not a plain number. */
export function readDigitRun(run: string): { value: number; digits: number } | undefined {
  if (!DIGIT_RUN.test(run)) return undefined;
  if (/^\d{1,3}(?:[.,]\d{3})+$/.test(run)) {
    const plain = run.replace(/[.,]/g, "");
    return { value: Number(plain), digits: plain.length };
  }
  const value = Number(run.replace(",", "."));
  if (!Number.isFinite(value)) return undefined;
  return { value, digits: run.split(/[.,]/)[0]!.length };
}

/**
 * Classifies the tokens of a phrase for {@link readNumber}. Ambiguous unaccented words become numbers only
 * in a numeric context: "tu"/"lam" after "mươi", "tam" when a unit or "mươi"/"trăm" follows.
 */
export function classifyNumberTokens(words: string[]): NumberToken[] {
  const tokens: NumberToken[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const accented = hasDiacritics(word);
    const folded = foldDiacritics(word);
    const digitRun = readDigitRun(word);
    if (digitRun) {
      tokens.push({ type: "number", value: digitRun.value, digits: digitRun.digits, word: false });
      continue;
    }
    if (folded === "muoi" || folded === "chuc") {
      // "mười" is ten by itself; "mươi" and "chục" multiply the digit before them.
      tokens.push({ type: "ten", multiplies: word !== "mười" });
      continue;
    }
    if (folded === "tram") {
      if (!accented || word === "trăm") {
        tokens.push({ type: "hundred" });
        continue;
      }
    }
    if (folded === "ruoi") {
      if (!accented || word === "rưỡi") {
        tokens.push({ type: "half" });
        continue;
      }
    }
    if (folded === "linh" || folded === "le") {
      tokens.push({ type: "filler" });
      continue;
    }
    const scale = SCALES[folded];
    const accentedScale = ["nghìn", "ngàn", "triệu", "củ", "tỷ", "tỉ"].includes(word);
    if (scale !== undefined && (!accented || accentedScale)) {
      tokens.push({ type: "scale", value: scale });
      continue;
    }
    if (accented) {
      const digit = ACCENTED_DIGITS[word];
      // "không" is a digit only inside a number ("một trăm không năm"), never at the start.
      if (digit !== undefined && !(word === "không" && tokens.every((t) => t.type !== "hundred"))) {
        tokens.push({ type: "number", value: digit, digits: 1, word: true });
        continue;
      }
    } else {
      const digit = FOLDED_DIGITS[folded];
      if (digit !== undefined) {
        const previous = tokens.at(-1);
        const next = words[i + 1] ? foldDiacritics(words[i + 1]!) : "";
        const numericNext = next in SCALES || next === "muoi" || next === "tram" || next === "chuc";
        const afterTen = previous?.type === "ten";
        const ambiguous = AMBIGUOUS_FOLDED.has(folded);
        if (!ambiguous || (folded === "tam" ? numericNext : afterTen)) {
          tokens.push({ type: "number", value: digit, digits: 1, word: true });
          continue;
        }
      }
    }
    tokens.push({ type: "other", text: word });
  }
  return tokens;
}

/**
 * The value of a sequence of number tokens (no "other" tokens), or undefined when they do not form one
 * number. Handles "hai mươi lăm" = 25, "một trăm linh năm" = 105, "ba triệu rưỡi" = 3 500 000, and the
 * spoken shortcut where what follows a unit counts in tenths of it: "ba triệu hai" / "3tr2" = 3 200 000,
 * "3 triệu 250" = 3 250 000, "hai triệu năm trăm" = 2 500 000.
 */
export function readNumber(tokens: NumberToken[]): number | undefined {
  let total = 0;
  let chunk = 0;
  let pending: { value: number; digits: number; word: boolean } | undefined;
  let lastScale = 0;
  let lastUnit: "ten" | "hundred" | "scale" | undefined;
  let seen = false;
  for (const token of tokens) {
    switch (token.type) {
      case "number":
        // Two bare numbers in a row ("2 3") are two answers, not one number.
        if (pending) return undefined;
        pending = token;
        seen = true;
        break;
      case "ten":
        if (pending && !token.multiplies) return undefined;
        chunk += (token.multiplies ? (pending?.value ?? 1) : 1) * 10;
        pending = undefined;
        lastUnit = "ten";
        seen = true;
        break;
      case "hundred":
        chunk += (pending?.value ?? 1) * 100;
        pending = undefined;
        lastUnit = "hundred";
        seen = true;
        break;
      case "scale": {
        if (lastScale && token.value >= lastScale) return undefined;
        const amount = chunk + (pending?.value ?? 0);
        total += (amount === 0 && !pending ? 1 : amount) * token.value;
        chunk = 0;
        pending = undefined;
        lastScale = token.value;
        lastUnit = "scale";
        seen = true;
        break;
      }
      case "half":
        if (pending) return undefined;
        if (lastUnit === "scale" && chunk === 0) total += lastScale / 2;
        else if (lastUnit === "hundred") chunk += 50;
        else if (lastUnit === "ten") chunk += 5;
        else return undefined;
        lastUnit = undefined;
        break;
      case "filler":
        break;
      case "other":
        return undefined;
    }
  }
  if (!seen) return undefined;
  if (pending) {
    if (lastScale && chunk === 0) {
      const places = pending.word ? 1 : pending.digits;
      if (places > 3 || !Number.isInteger(pending.value)) return undefined;
      total += (pending.value * lastScale) / 10 ** places;
      return Math.round(total);
    }
    chunk += pending.value;
  }
  total += lastScale ? (chunk * lastScale) / 1000 : chunk;
  return Math.round(total * 1000) / 1000;
}
