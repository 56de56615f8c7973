/**
 * Reading a question into concepts ("lãi suất", "hộ cận nghèo", "tối đa") the way residents type it: no
 * diacritics, chat shorthand, abbreviations, a typo. Pure.
 *
 * The question is folded (no diacritics, lower case), shorthand and abbreviations are expanded with the
 * search's own lexicon, then concept phrases are found longest first, left to right: "hộ cận nghèo" is
 * read as near-poor and its "nghèo" is not read again as poor.
 */
import { foldDiacritics, normalizeVietnamese } from "../text/vietnamese.ts";
import type { LexiconData } from "../knowledge/load.ts";
import { editDistance, lexiconKey } from "../knowledge/query.ts";

/** Concepts compiled for reading questions. */
export interface ConceptIndex {
  /** Phrases by first word, longest first: each phrase's words and the concepts it names. */
  byFirstWord: Map<string, { words: string[]; concepts: string[] }[]>;
  /** Shorthand and abbreviations, folded: "dc" → ["duoc"], "bhyt" → ["bao", "hiem", "y", "te"]. */
  expansions: Map<string, string[]>;
  /** Words of the concept phrases of six letters or more, for correcting a typo by one letter. */
  longWords: string[];
  known: Set<string>;
  /** The concept a typed interest rate names ("9%", "0,65%/tháng"), if any. */
  typedRate?: string;
}

/** Folded words of a text: "Lãi suất 6,24%/năm" → ["lai", "suat", "6,24", "nam"]. */
export function foldedWords(text: string): string[] {
  return (
    foldDiacritics(normalizeVietnamese(text))
      .replace(/[\u200b-\u200f\u2060\ufeff]/g, "")
      .match(/[a-z]+|\d+(?:[.,]\d+)*/g) ?? []
  );
}

/** Compiles the concept phrases and the search lexicon's shorthand. */
export function compileConcepts(
  concepts: Record<string, string[]>,
  lexicon: LexiconData,
  options: { typedRate?: string } = {},
): ConceptIndex {
  const byFirstWord: ConceptIndex["byFirstWord"] = new Map();
  const byPhrase = new Map<string, { words: string[]; concepts: string[] }>();
  for (const [concept, phrases] of Object.entries(concepts)) {
    for (const phrase of phrases) {
      const words = foldedWords(phrase);
      if (words.length === 0) continue;
      const key = words.join(" ");
      let entry = byPhrase.get(key);
      if (!entry) {
        entry = { words, concepts: [] };
        byPhrase.set(key, entry);
        const list = byFirstWord.get(words[0]!) ?? [];
        list.push(entry);
        byFirstWord.set(words[0]!, list);
      }
      if (!entry.concepts.includes(concept)) entry.concepts.push(concept);
    }
  }
  for (const list of byFirstWord.values()) list.sort((a, b) => b.words.length - a.words.length);
  const expansions = new Map<string, string[]>();
  for (const [short, meaning] of Object.entries(lexicon.chat))
    expansions.set(lexiconKey(short), foldedWords(meaning));
  for (const [short, meaning] of Object.entries(lexicon.abbreviations))
    expansions.set(lexiconKey(short), foldedWords(meaning));
  const known = new Set([...byPhrase.values()].flatMap((entry) => entry.words));
  return {
    byFirstWord,
    expansions,
    known,
    longWords: [...known].filter((word) => word.length >= 6),
    typedRate: options.typedRate,
  };
}

/** A question read into concepts, with its folded words. */
export interface ReadQuestion {
  words: string[];
  concepts: Set<string>;
}

/**
 * Expands shorthand ("dc", "ko", "bhyt"), mends a one-letter typo in a word of six letters or more when
 * exactly one concept word is that close, then finds the concepts, longest phrase first.
 */
export function readConcepts(question: string, index: ConceptIndex): ReadQuestion {
  const words: string[] = [];
  for (const word of foldedWords(withoutParticles(question))) {
    const expansion = index.expansions.get(word);
    if (expansion && !index.known.has(word)) words.push(...expansion);
    else words.push(mendTypo(word, index));
  }
  const concepts = new Set<string>();
  for (let at = 0; at < words.length;) {
    const found = index.byFirstWord
      .get(words[at]!)
      ?.find((entry) => entry.words.every((word, offset) => words[at + offset] === word));
    if (found) {
      for (const concept of found.concepts) concepts.add(concept);
      at += found.words.length;
    } else at += 1;
  }
  if (index.typedRate && typesRate(question)) concepts.add(index.typedRate);
  return { words, concepts };
}

/**
 * "chịu 9%", "6,6%/năm", "0,65% một tháng": a percentage per month or year, or one small enough to be a
 * loan's rate (shares of a card or a fee are 30% and up).
 */
function typesRate(question: string): boolean {
  for (const found of foldDiacritics(question).matchAll(
    /(?<![\d.,])(\d{1,3}(?:[.,]\d+)?)\s*%\s*(\/\s*|mot |1 |moi )?(thang|nam)?/g,
  )) {
    if (found[3] || Number(found[1]!.replace(",", ".")) < 20) return true;
  }
  return false;
}

/**
 * "vậy" folds to "vay" (to borrow): drop it where it can only be the particle, typed with its accent, or
 * unaccented at the very end of a sentence ("… được hỗ trợ bao nhiêu vậy"). Likewise the "mới" of "thì mới".
 */
function withoutParticles(question: string): string {
  return (
    question
      .normalize("NFC")
      .replace(/(^|[^\p{L}])v[ậâ]y(?=$|[^\p{L}])/giu, "$1")
      .replace(/(^|\s)(?:nhu|như) vay(?=$|[^\p{L}])/giu, "$1")
      // "nhà ở quê", "nha o ruong": where the house is, not housing ("nhà ở").
      .replace(
        /(^|\s)(nha|nhà) (?:o|ở) (?=(?:ruong|ruộng|que|quê|xa|xã|tren|trên|duoi|dưới|gan|gần|ngoai|ngoài|trong|thon|thôn|ap|ấp|ban|bản|mien|miền|vung|vùng|pho|phố|tinh|tỉnh|huyen|huyện|nong thon|nông thôn|thanh pho|thành phố|tp)(?:$|[^\p{L}]))/giu,
        "$1$2 tại ",
      )
      // "thì mới được xét": "only then", not "new".
      .replace(/(^|\s)(thi|thì) (?:moi|mới)(?=$|[^\p{L}])/giu, "$1$2")
      .replace(/(^|\s)vay(?=\s+(?:co dung|có đúng|thi sao|thì sao|ha|hả|ta|nhi|nhỉ)(?:$|[^\p{L}]))/giu, "$1")
      // "… 4 chỉ số. Vậy nhà em có phải hộ nghèo không?": "vậy" opening a sentence, before who or what it asks.
      .replace(
        /(^|[.?!]\s+)vay(?=\s+(?:nha|ngay|trung uong|trung ương|e|em|minh|mình|toi|tôi|chi|chị|anh|xa|xã|la|là|thi|thì|con|còn|neu|nếu|khi|sao|ai|gio|giờ|bay gio|bây giờ)(?:$|[^\p{L}]))/giu,
        "$1",
      )
      // "vậy thẻ bhyt …": no loan is a card.
      .replace(/(^|\s)vay(?=\s+(?:the|thẻ)\s+(?:bhyt|bảo hiểm|bao hiem))/giu, "$1")
      // ", vay đủ điều kiện chưa", ", vay xếp loại gì": after a comma, "vay" opening a question is "vậy".
      .replace(
        /(,\s*)vay(?=\s+(?:du|đủ|xep|xếp|la|là|thi|thì|thuoc|thuộc|chua|chưa|tre|trễ|hong|hông|toi|tới|den|đến|co phai|có phải|co tre|có trễ|trung uong|trung ương)\b)/giu,
        "$1",
      )
      .replace(/(^|\s)vay(?:\s+(?:a|ạ|ta|nhi|nhỉ|nha|nhe|nhé))?\s*(?=[?.!]*\s*$)/giu, "$1")
  );
}

function mendTypo(word: string, index: ConceptIndex): string {
  if (word.length < 6 || index.known.has(word) || /\d/.test(word)) return word;
  let mended: string | undefined;
  for (const candidate of index.longWords) {
    if (candidate[0] !== word[0] || editDistance(word, candidate, 1) > 1) continue;
    if (mended !== undefined) return word;
    mended = candidate;
  }
  return mended ?? word;
}
