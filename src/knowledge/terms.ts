/**
 * Index terms: how text becomes the tokens stored in the full-text index and looked up by a query. Pure.
 *
 * Vietnamese words are mostly two syllables ("bảo hiểm", "cận nghèo"), so next to each syllable the index
 * holds each pair of neighbouring syllables joined by "_" ("bảo_hiểm"). A pair never spans the end of a
 * sentence or paragraph (a page-break artefact is joined back first, see {@link logicalParagraphs}), but it
 * does span a comma: people type "cây trồng vật nuôi" for "cây trồng, vật nuôi".
 *
 * Two spellings of every term are kept: folded ("bao_hiem", what an unaccented query matches) and accented
 * ("bảo_hiểm", canonical tone placement, which ranks an accented query's exact matches higher).
 */
import { foldDiacritics, normalizeVietnamese } from "../text/vietnamese.ts";
import { logicalParagraphs } from "./structure.ts";

/** Joins the two syllables of a two-syllable term. Also declared as a token character in the FTS5 tokenizer. */
export const BIGRAM_JOINER = "_";

const RAW_TOKEN = /[\p{L}\p{M}]+|\p{N}+(?:[.,]\p{N}+)*/gu;
const SENTENCE_END = /[.;:!?…]+(?=\s|$)/u;

/** Memo of syllable spellings: the corpus has a few thousand distinct syllables and millions of occurrences. */
const canonicalCache = new Map<string, Token>();
const CACHE_LIMIT = 200_000;

/**
 * Folded form of a canonical syllable. Besides removing diacritics, a final "y" after consonants becomes "i":
 * "lý/lí", "kỹ/kĩ", "tỷ/tỉ" are the same word in two accepted spellings ("y tế" and "quy" are untouched).
 */
export function foldSpelling(syllable: string): string {
  return foldDiacritics(syllable).replace(/^([bcdghklmnpqrstvx]+)y$/, "$1i");
}

/** One token in both spellings. Numbers lose their inner separators: "1.461" → "1461". Shared: never mutate. */
export interface Token {
  accented: string;
  folded: string;
  isNumber: boolean;
}

/**
 * A raw word or number in both spellings, lower-case: "Hoá" → { accented: "hóa", folded: "hoa" }.
 * Memoised, so calling it for every occurrence in a large corpus stays cheap.
 */
export function spellings(raw: string): Token {
  const cached = canonicalCache.get(raw);
  if (cached) return cached;
  const isNumber = /^\p{N}/u.test(raw);
  let value: Token;
  if (isNumber) {
    const digits = raw.replace(/[.,]/g, "");
    value = Object.freeze({ accented: digits, folded: digits, isNumber });
  } else {
    const accented = normalizeVietnamese(raw).toLowerCase();
    value = Object.freeze({ accented, folded: foldSpelling(accented), isNumber });
  }
  if (canonicalCache.size >= CACHE_LIMIT) canonicalCache.clear();
  canonicalCache.set(raw, value);
  return value;
}

/** Tokens of a short text in order (no run splitting). NFD input is accepted. */
export function tokens(text: string): Token[] {
  return (text.normalize("NFC").match(RAW_TOKEN) ?? []).map(spellings);
}

/**
 * Runs of tokens within which neighbouring syllables form two-syllable terms: one run per sentence of each
 * logical paragraph.
 */
export function tokenRuns(text: string): Token[][] {
  const runs: Token[][] = [];
  for (const paragraph of logicalParagraphs(text)) {
    for (const sentence of paragraph.split(SENTENCE_END)) {
      const run = tokens(sentence);
      if (run.length > 0) runs.push(run);
    }
  }
  return runs;
}

/** Index terms of runs in one spelling: every token, then every neighbouring pair. */
export function termsOf(runs: readonly (readonly Token[])[], spelling: "folded" | "accented"): string[] {
  const terms: string[] = [];
  for (const run of runs) {
    for (const token of run) terms.push(token[spelling]);
    for (let i = 1; i < run.length; i++) {
      terms.push(`${run[i - 1]![spelling]}${BIGRAM_JOINER}${run[i]![spelling]}`);
    }
  }
  return terms;
}

/** What one section contributes to the full-text index: space-separated terms per column. */
export interface SectionTerms {
  folded: string;
  accented: string;
  heading: string;
  /** Number of tokens of the section body, for statistics. */
  tokenCount: number;
}

/** Removes the numbering of a heading label ("1.2. Hỗ trợ về y tế" → "Hỗ trợ về y tế"). */
export function headingTitle(label: string): string {
  return label.replace(/^(?:[IVX]{1,5}|\d{1,2}(?:\.\d{1,2}){0,3}|[a-zđ])[.)]?\s+/u, "");
}

/**
 * The index terms of a section: its text in both spellings, and its heading path (titles without numbering)
 * folded, so that a question about "y tế" also finds the bullets under "1.2. Hỗ trợ về y tế".
 */
export function sectionTerms(text: string, path: readonly string[]): SectionTerms {
  const runs = tokenRuns(text);
  const headingRuns = path.map((label) => tokens(headingTitle(label))).filter((run) => run.length > 0);
  return {
    folded: termsOf(runs, "folded").join(" "),
    accented: termsOf(runs, "accented").join(" "),
    heading: termsOf(headingRuns, "folded").join(" "),
    tokenCount: runs.reduce((sum, run) => sum + run.length, 0),
  };
}
