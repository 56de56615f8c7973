/**
 * Query analysis: turns a question as people type it ("ho can ngheo co dc ho tro BHYT k", "bảo hểm y tế")
 * into index terms. Pure: the index vocabulary is passed in.
 *
 * Steps, in order:
 * 1. Unicode NFC and canonical tone placement (hoá = hóa), lower case;
 * 2. chat shorthand replaced (dc → được, ko → không) when the shorthand is not itself an indexed word;
 * 3. abbreviations expanded (BHYT → bảo hiểm y tế), the abbreviation kept as a term too;
 * 4. typo correction against the index vocabulary: an unknown syllable is replaced by a near one (edit
 *    distance 1, or 2 for long syllables), preferring one that forms a known two-syllable word with a
 *    neighbour ("bảo hểm" → "hiem", because "bao_hiem" is indexed); a known syllable that forms no known
 *    word with either neighbour gets such a near syllable as an alternative ("đại phương" → also "dia");
 * 5. synonym phrases add their equivalents ("vay vốn" also searches "tín dụng", "cho vay").
 */
import { foldDiacritics, hasDiacritics, normalizeVietnamese, stripInvisible } from "../text/vietnamese.ts";
import type { LexiconData } from "./load.ts";
import { BIGRAM_JOINER, tokenRuns, tokens, type Token } from "./terms.ts";

/** The query-side lexicon, compiled for lookups by folded key. */
export interface Lexicon {
  abbreviations: Map<string, Token[]>;
  chat: Map<string, Token[]>;
  /** Synonym groups: each a list of phrases, each phrase a list of tokens. */
  synonyms: Token[][][];
  /**
   * Question words and phrases, each with the spelling it is matched in: a one-word entry exactly as typed
   * (accented, or its safe unaccented form), a phrase ("bao nhiêu") also without diacritics.
   */
  questionWords: { phrase: Token[]; spelling: "accented" | "folded" }[];
}

/** Lookup key of a lexicon entry: folded, letters and digits only ("LĐ-TBXH" → "ldtbxh"). */
export function lexiconKey(text: string): string {
  return foldDiacritics(text).replace(/[^a-z0-9]/g, "");
}

/** Compiles knowledge/synonyms.yaml for fast lookups. */
export function compileLexicon(data: LexiconData): Lexicon {
  const toMap = (record: Record<string, string>): Map<string, Token[]> =>
    new Map(Object.entries(record).map(([key, value]) => [lexiconKey(key), tokens(value)]));
  return {
    abbreviations: toMap(data.abbreviations),
    chat: toMap(data.chat),
    synonyms: data.synonyms.map((group) => group.map((phrase) => tokens(phrase))),
    questionWords: [
      ...data.questionWords.map((text) => {
        const phrase = tokens(text);
        return { phrase, spelling: phrase.length > 1 ? ("folded" as const) : ("accented" as const) };
      }),
      ...data.questionWordsPlain.map((text) => ({ phrase: tokens(text), spelling: "accented" as const })),
    ],
  };
}

/**
 * Marks the question words of a run. A one-word entry matches the token exactly as typed (with diacritics, or
 * its safe unaccented form); a phrase ("bao nhiêu") also matches unaccented.
 */
function markQuestionWords(run: QueryToken[], lexicon: Lexicon): void {
  const matchAt = (at: number, phrase: readonly Token[], spelling: "accented" | "folded"): boolean =>
    at + phrase.length <= run.length &&
    phrase.every((token, offset) => run[at + offset]![spelling] === token[spelling]);
  for (let at = 0; at < run.length; at++) {
    for (const { phrase, spelling } of lexicon.questionWords) {
      if (!matchAt(at, phrase, spelling)) continue;
      for (let offset = 0; offset < phrase.length; offset++) run[at + offset]!.question = true;
    }
  }
}

/** What the analyser needs to know about the index. */
export interface Vocabulary {
  /** Number of indexed sections containing the folded term (a syllable or "a_b"); 0 when unknown. */
  df(foldedTerm: string): number;
  /** Known folded syllables within `maxDistance` edits of `word` (itself excluded), with their distance. */
  near(word: string, maxDistance: number): { word: string; distance: number }[];
  /** Number of indexed sections. */
  sectionCount: number;
}

/** A token of the analysed query, with where it came from. */
export interface QueryToken extends Token {
  source: "typed" | "chat" | "abbreviation" | "corrected";
  /** Near known syllables offered as alternatives for a possibly mistyped known syllable. */
  alternatives: string[];
  /** A question word ("bao nhiêu", "không"): part of two-syllable terms, but not of the subject. */
  question: boolean;
  /** A correction no neighbouring word confirmed: a guess, which counts half when judging an answer. */
  guess?: boolean;
}

/** A question ready for the index. */
export interface AnalyzedQuery {
  /** True when the question was typed with diacritics: accented terms then count for ranking. */
  withDiacritics: boolean;
  /** Query tokens in runs (a run ends at sentence punctuation). */
  runs: QueryToken[][];
  /** Folded terms (syllables and two-syllable words) for the folded and heading columns, without duplicates. */
  foldedTerms: string[];
  /** Accented terms, only when typed with diacritics. */
  accentedTerms: string[];
  /**
   * Words that carry the question's subject (not question words), folded, each with equivalent word sets and
   * how much it counts when judging whether a passage answers (1, or 0.5 for an unconfirmed correction).
   */
  contentWords: { word: string; equivalents: string[][]; weight: number }[];
  /** Typo corrections made, for display ("bảo hểm" → "hiem"). */
  corrections: { from: string; to: string }[];
}

/** Optimal string alignment distance (Damerau–Levenshtein with adjacent transpositions), capped. */
export function editDistance(a: string, b: string, cap = 3): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    let rowMin = Infinity;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        d[(i - 1) * cols + j]! + 1,
        d[i * cols + j - 1]! + 1,
        d[(i - 1) * cols + j - 1]! + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, d[(i - 2) * cols + j - 2]! + 1);
      }
      d[i * cols + j] = value;
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > cap) return cap + 1;
  }
  return d[rows * cols - 1]!;
}

function deletes(word: string, depth: number, into: Set<string>): void {
  if (depth === 0 || word.length <= 1) return;
  for (let i = 0; i < word.length; i++) {
    const shorter = word.slice(0, i) + word.slice(i + 1);
    if (!into.has(shorter)) {
      into.add(shorter);
      deletes(shorter, depth - 1, into);
    }
  }
}

/**
 * Finds known syllables near a typed one quickly (symmetric-delete lookup: two words within distance k share
 * a string obtained by at most k deletions from each), then checks the true distance.
 */
export class SpellIndex {
  private readonly byDeletion = new Map<string, string[]>();
  private readonly maxDistance: number;

  constructor(words: Iterable<string>, maxDistance = 2) {
    this.maxDistance = maxDistance;
    for (const word of words) {
      const variants = new Set<string>([word]);
      deletes(word, maxDistance, variants);
      for (const variant of variants) {
        const list = this.byDeletion.get(variant);
        if (list) list.push(word);
        else this.byDeletion.set(variant, [word]);
      }
    }
  }

  /** Known words within `maxDistance` edits of `word`, itself excluded, closest first. */
  near(word: string, maxDistance: number): { word: string; distance: number }[] {
    const limit = Math.min(maxDistance, this.maxDistance);
    const variants = new Set<string>([word]);
    deletes(word, limit, variants);
    const found = new Map<string, number>();
    for (const variant of variants) {
      for (const candidate of this.byDeletion.get(variant) ?? []) {
        if (candidate === word || found.has(candidate)) continue;
        const distance = editDistance(word, candidate, limit);
        if (distance <= limit) found.set(candidate, distance);
      }
    }
    return [...found]
      .map(([candidate, distance]) => ({ word: candidate, distance }))
      .sort((a, b) => a.distance - b.distance);
  }
}

function typed(token: Token, source: QueryToken["source"] = "typed"): QueryToken {
  return { ...token, source, alternatives: [], question: false };
}

function bigram(a: string, b: string): string {
  return `${a}${BIGRAM_JOINER}${b}`;
}

/** Edit distance allowed for correcting a syllable of this length: short syllables are too ambiguous. */
function allowedDistance(length: number): number {
  if (length <= 2) return 0;
  if (length <= 5) return 1;
  return 2;
}

function isWord(token: Token): boolean {
  return !token.isNumber && /^[a-z]+$/.test(token.folded);
}

/** A neighbour that can confirm a correction: a known content syllable ("bao nhiêu" confirms nothing). */
function confirmingNeighbour(token: QueryToken | undefined, vocabulary: Vocabulary): string | undefined {
  return token && !token.question && vocabulary.df(token.folded) > 0 ? token.folded : undefined;
}

function correctUnknown(
  run: QueryToken[],
  index: number,
  vocabulary: Vocabulary,
): { word: string; confirmed: boolean } | null {
  const token = run[index]!;
  const maxDistance = allowedDistance(token.folded.length);
  if (maxDistance === 0) return null;
  const previous = confirmingNeighbour(run[index - 1], vocabulary);
  const next = confirmingNeighbour(run[index + 1], vocabulary);
  let best: { word: string; support: number; distance: number; df: number } | null = null;
  for (const candidate of vocabulary.near(token.folded, maxDistance)) {
    const support =
      (previous ? Math.min(vocabulary.df(bigram(previous, candidate.word)), 1) : 0) +
      (next ? Math.min(vocabulary.df(bigram(candidate.word, next)), 1) : 0);
    const df = vocabulary.df(candidate.word);
    const better =
      !best ||
      support > best.support ||
      (support === best.support && candidate.distance < best.distance) ||
      (support === best.support && candidate.distance === best.distance && df > best.df);
    if (better) best = { word: candidate.word, support, distance: candidate.distance, df };
  }
  if (!best) return null;
  // Without a neighbouring word to confirm it, only a one-letter slip in a long syllable is trusted:
  // "vang" (vàng) is one letter from "hang", "vung", "vong"…, "nghieep" is one letter from "nghiep" alone.
  if (best.support === 0 && (best.distance > 1 || token.folded.length < 5)) return null;
  return { word: best.word, confirmed: best.support > 0 };
}

function realWordAlternatives(run: QueryToken[], index: number, vocabulary: Vocabulary): string[] {
  const token = run[index]!;
  const previous = confirmingNeighbour(run[index - 1], vocabulary);
  const next = confirmingNeighbour(run[index + 1], vocabulary);
  if (!previous && !next) return [];
  const fits = (word: string): number =>
    (previous ? vocabulary.df(bigram(previous, word)) : 0) + (next ? vocabulary.df(bigram(word, next)) : 0);
  if (fits(token.folded) > 0 || token.folded.length < 2) return [];
  let best: { word: string; fit: number } | null = null;
  for (const candidate of vocabulary.near(token.folded, 1)) {
    const fit = fits(candidate.word);
    if (fit >= 2 && (!best || fit > best.fit)) best = { word: candidate.word, fit };
  }
  return best ? [best.word] : [];
}

function phraseAt(run: readonly QueryToken[], at: number, phrase: readonly Token[]): boolean {
  if (at + phrase.length > run.length) return false;
  return phrase.every((token, offset) => run[at + offset]!.folded === token.folded);
}

/**
 * Analyses a question for the index. Returns null when nothing searchable is left (emoji, punctuation only).
 *
 * ```ts
 * const q = analyzeQuery("ho can ngheo co dc ho tro BHYT k", lexicon, vocabulary);
 * q.foldedTerms // [..., "bao_hiem", "y_te", "bhyt", ...]
 * ```
 */
export function analyzeQuery(
  question: string,
  lexicon: Lexicon,
  vocabulary: Vocabulary,
): AnalyzedQuery | null {
  const normalized = normalizeVietnamese(stripInvisible(question).normalize("NFC"));
  const withDiacritics = hasDiacritics(normalized);
  const corrections: { from: string; to: string }[] = [];
  const extraTerms: string[] = [];

  const runs: QueryToken[][] = tokenRuns(normalized)
    .map((run) => {
      const expanded: QueryToken[] = [];
      for (const token of run) {
        const key = token.folded;
        const chat = lexicon.chat.get(key);
        const abbreviation = lexicon.abbreviations.get(key);
        if (abbreviation) {
          extraTerms.push(key);
          expanded.push(...abbreviation.map((part) => typed(part, "abbreviation")));
        } else if (chat && vocabulary.df(key) === 0) {
          expanded.push(...chat.map((part) => typed(part, "chat")));
        } else {
          expanded.push(typed(token));
        }
      }
      return expanded;
    })
    .filter((run) => run.length > 0);
  if (runs.length === 0) return null;

  for (const run of runs) {
    markQuestionWords(run, lexicon);
    for (let i = 0; i < run.length; i++) {
      const token = run[i]!;
      if (!isWord(token) || token.question || vocabulary.df(token.folded) > 0) continue;
      const corrected = correctUnknown(run, i, vocabulary);
      if (corrected) {
        corrections.push({ from: token.accented, to: corrected.word });
        run[i] = {
          accented: corrected.word,
          folded: corrected.word,
          isNumber: false,
          source: "corrected",
          alternatives: [],
          question: false,
          guess: !corrected.confirmed,
        };
      }
    }
    for (let i = 0; i < run.length; i++) {
      const token = run[i]!;
      if (token.source !== "typed" || !isWord(token) || token.question) continue;
      token.alternatives = realWordAlternatives(run, i, vocabulary);
    }
  }

  const folded = new Set<string>();
  const accented = new Set<string>();
  const addRun = (run: readonly QueryToken[]): void => {
    for (const token of run) {
      if (!token.question) folded.add(token.folded);
      for (const alternative of token.alternatives) folded.add(alternative);
      if (withDiacritics && token.source !== "corrected") accented.add(token.accented);
    }
    for (let i = 1; i < run.length; i++) {
      const left = run[i - 1]!;
      const right = run[i]!;
      folded.add(bigram(left.folded, right.folded));
      for (const alternative of right.alternatives) folded.add(bigram(left.folded, alternative));
      for (const alternative of left.alternatives) folded.add(bigram(alternative, right.folded));
      if (withDiacritics && left.source !== "corrected" && right.source !== "corrected") {
        accented.add(bigram(left.accented, right.accented));
      }
    }
  };
  for (const run of runs) addRun(run);
  for (const term of extraTerms) folded.add(term);

  // Synonyms: each phrase found in the question adds the other phrases of its group.
  const equivalents = new Map<QueryToken, string[][]>();
  for (const group of lexicon.synonyms) {
    for (const run of runs) {
      for (let at = 0; at < run.length; at++) {
        const phrase = group.find((candidate) => phraseAt(run, at, candidate));
        if (!phrase) continue;
        const others = group.filter((candidate) => candidate !== phrase);
        for (const other of others) addRun(other.map((token) => typed(token, "typed")));
        for (let offset = 0; offset < phrase.length; offset++) {
          const token = run[at + offset]!;
          equivalents.set(token, [
            ...(equivalents.get(token) ?? []),
            ...others.map((other) => other.map((t) => t.folded)),
          ]);
        }
      }
    }
  }

  const contentWords: AnalyzedQuery["contentWords"] = [];
  const seen = new Set<string>();
  for (const run of runs) {
    for (const token of run) {
      if (token.question || seen.has(token.folded)) continue;
      seen.add(token.folded);
      contentWords.push({
        word: token.folded,
        equivalents: [
          ...token.alternatives.map((alternative) => [alternative]),
          ...(equivalents.get(token) ?? []),
        ],
        weight: token.guess ? 0.5 : 1,
      });
    }
  }

  return {
    withDiacritics,
    runs,
    foldedTerms: [...folded],
    accentedTerms: [...accented],
    contentWords,
    corrections,
  };
}
