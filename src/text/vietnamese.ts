/**
 * Vietnamese text handling shared by search, the flows and the answer parsers. Pure functions, no I/O.
 *
 * Vietnamese writes one syllable per word-like token, with up to two diacritics on a vowel: a vowel mark
 * (circumflex, breve, horn: â ă ê ô ơ ư) that changes the letter, and a tone mark (grave, acute, tilde,
 * hook, dot below) that changes the tone. Phones and old keyboards produce text that differs in three ways
 * this module evens out:
 * - Unicode form: the same "ộ" arrives precomposed (NFC) or as "o" + marks (NFD);
 * - tone placement: "hoá" and "hóa", "thuỷ" and "thủy" are the same syllable in two spelling styles;
 * - no diacritics at all: "ho can ngheo" for "hộ cận nghèo".
 */

const TONE_MARKS = new Set(["\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]);
const VOWELS = new Set([..."aăâeêioôơuưy"]);
const MARKED_VOWELS = new Set([..."ăâêôơư"]);
/** Open two-vowel clusters that take the tone on their second vowel in the modern style (hoà, khoẻ, thuỷ). */
const SECOND_VOWEL_TONE = new Set(["oa", "oe", "uy"]);
const LETTER_RUN = /\p{L}+/gu;
const COMBINING_MARK = /\p{M}/gu;

/**
 * Index of the letter that carries the tone in a syllable written without tone mark, by the modern
 * ("kiểu mới") rule; -1 when the syllable has no vowel. Only consistency matters here: both spelling styles
 * map to the same canonical form.
 */
function tonePosition(syllable: string): number {
  const lower = syllable.toLowerCase();
  let start = 0;
  // "qu" and "gi" before another vowel are consonants: quả, già.
  if ((lower.startsWith("qu") || lower.startsWith("gi")) && lower.length > 2 && VOWELS.has(lower[2]!))
    start = 2;
  while (start < lower.length && !VOWELS.has(lower[start]!)) start++;
  if (start >= lower.length) return -1;
  let end = start;
  while (end < lower.length && VOWELS.has(lower[end]!)) end++;
  const cluster = lower.slice(start, end);
  const horned = cluster.indexOf("ươ");
  if (horned >= 0) return start + horned + 1;
  for (let i = cluster.length - 1; i >= 0; i--) {
    if (MARKED_VOWELS.has(cluster[i]!)) return start + i;
  }
  const closed = end < lower.length;
  if (cluster.length === 1) return start;
  if (closed) return end - 1;
  if (cluster.length === 2) return SECOND_VOWEL_TONE.has(cluster) ? start + 1 : start;
  return start + 1;
}

/** Printable ASCII and line breaks: no diacritics, nothing that Unicode normalization would change. */
const ASCII = /^[\t\n\r -~]*$/;

/**
 * Canonical forms already computed. Every message goes through here several times (the flows, the commands,
 * the search) and Vietnamese has only a few thousand syllables, so nearly every lookup hits; the bound keeps
 * odd input (long foreign words, junk) from growing it without end.
 */
const canonicalCache = new Map<string, string>();
const CANONICAL_CACHE_LIMIT = 20_000;

/** One syllable in NFC with its tone mark on the canonical vowel. */
function canonicalSyllable(syllable: string): string {
  if (ASCII.test(syllable)) return syllable;
  let canonical = canonicalCache.get(syllable);
  if (canonical === undefined) {
    canonical = computeCanonicalSyllable(syllable);
    if (canonicalCache.size >= CANONICAL_CACHE_LIMIT) canonicalCache.clear();
    canonicalCache.set(syllable, canonical);
  }
  return canonical;
}

function computeCanonicalSyllable(syllable: string): string {
  let tone = "";
  let base = "";
  for (const ch of syllable.normalize("NFD")) {
    if (TONE_MARKS.has(ch)) tone = ch;
    else base += ch;
  }
  base = base.normalize("NFC");
  if (!tone) return base;
  const at = tonePosition(base);
  if (at < 0) return syllable.normalize("NFC");
  return (base.slice(0, at) + (base[at]! + tone).normalize("NFC") + base.slice(at + 1)).normalize("NFC");
}

/**
 * Invisible characters that split a word without showing: zero-width space and joiners, the byte-order mark,
 * the soft hyphen, and the bidirectional marks, embeddings and isolates a paste or a keyboard may slip in.
 */
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/**
 * The text without invisible characters ({@link INVISIBLE}), so "ngh\u200Bèo" reads as "nghèo".
 *
 * ```ts
 * stripInvisible("h\u200Bộ ngh\u200Fèo") === "hộ nghèo"; // true
 * ```
 */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, "");
}

/**
 * Text in NFC with every syllable's tone mark in one canonical place, so that "Hoá", "Hóa" and an NFD "Hóa"
 * compare equal. Everything that is not a letter is kept as it is.
 *
 * ```ts
 * normalizeVietnamese("thuý") === normalizeVietnamese("thúy"); // true
 * ```
 */
export function normalizeVietnamese(text: string): string {
  if (ASCII.test(text)) return text;
  return text.normalize("NFC").replace(LETTER_RUN, canonicalSyllable);
}

/**
 * Text with every diacritic removed and đ folded to d, lower-cased: "Hộ cận nghèo" → "ho can ngheo".
 * This is how residents often type, and how an unaccented query is matched against accented text.
 */
export function foldDiacritics(text: string): string {
  if (ASCII.test(text)) return text.toLowerCase();
  return text.normalize("NFD").replace(COMBINING_MARK, "").replace(/[đĐ]/g, "d").toLowerCase();
}

/** True when the text carries at least one Vietnamese diacritic (or đ): the writer types with accents. */
export function hasDiacritics(text: string): boolean {
  return foldDiacritics(text) !== text.normalize("NFC").toLowerCase();
}

/**
 * Lower-cased canonical syllables and numbers of a text, in order. Punctuation separates tokens; a number
 * keeps its inner dots and commas ("1.461", "3,5") so figures can be matched as written.
 *
 * ```ts
 * tokenize("Hộ nghèo: 1.500.000 đ/tháng") // ["hộ", "nghèo", "1.500.000", "đ", "tháng"]
 * ```
 */
export function tokenize(text: string): string[] {
  const normalized = normalizeVietnamese(text).toLowerCase();
  return normalized.match(/\p{N}+(?:[.,]\p{N}+)*|\p{L}+/gu) ?? [];
}
