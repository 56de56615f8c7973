/**
 * The second way to find an answer, for a question worded in a way no concept phrase foresaw: the answer
 * whose phrasings and concept words share the most of the question's rarer words. Used only when no
 * answer's concept groups are all named, and only when one answer stands clearly ahead. Pure.
 */

/** An answer's words, for comparing with a question. */
export interface SimilarEntry {
  id: string;
  /** Folded words and two-word pairs of its phrasings and concept phrases. */
  terms: ReadonlySet<string>;
}

/** Answers indexed for {@link closestAnswer}. */
export interface SimilarIndex {
  entries: SimilarEntry[];
  /** Inverse document frequency of each term over the answers. */
  weight: ReadonlyMap<string, number>;
  /** The weight of a term found in a single answer. */
  rare: number;
}

/** How much of the question's weight the best answer must share, and by how much it must lead. */
export const SIMILAR = { minShare: 0.6, minLead: 0.15 } as const;

/** Words and neighbouring pairs of folded words: "lai suat vay" → lai, suat, vay, lai suat, suat vay. */
export function termsOf(words: readonly string[]): string[] {
  const terms = [...words];
  for (let i = 1; i < words.length; i++) terms.push(`${words[i - 1]} ${words[i]}`);
  return terms;
}

/** Indexes the answers' words. */
export function indexSimilar(entries: { id: string; words: string[][] }[]): SimilarIndex {
  const built = entries.map(({ id, words }) => ({
    id,
    terms: new Set(words.flatMap((phrase) => termsOf(phrase))),
  }));
  const counts = new Map<string, number>();
  for (const entry of built) for (const term of entry.terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  const weight = new Map<string, number>();
  for (const [term, count] of counts) weight.set(term, Math.log(1 + built.length / count));
  return { entries: built, weight, rare: Math.log(1 + built.length) };
}

/**
 * The answer sharing the most weight with the question, when it shares at least {@link SIMILAR}.minShare
 * of the question's weight and leads the next by {@link SIMILAR}.minLead; undefined otherwise. A word no
 * answer uses counts in the question's weight as much as a rare one: a question mostly about something
 * the answers do not know ("giá vàng hôm nay") is not answered this way. Pairs no answer uses are left out.
 */
export function closestAnswer(
  words: readonly string[],
  index: SimilarIndex,
  allowed: (id: string) => boolean,
): string | undefined {
  const distinct = [...new Set(words)];
  const terms = [...new Set(termsOf(words))].filter((term) => index.weight.has(term));
  if (terms.filter((term) => !term.includes(" ")).length < 2) return undefined;
  const unknown = distinct.filter((word) => !index.weight.has(word)).length;
  const total = terms.reduce((sum, term) => sum + index.weight.get(term)!, unknown * index.rare);
  let best: { id: string; share: number } | undefined;
  let second = 0;
  for (const entry of index.entries) {
    if (!allowed(entry.id)) continue;
    let shared = 0;
    for (const term of terms) if (entry.terms.has(term)) shared += index.weight.get(term)!;
    const share = shared / total;
    if (!best || share > best.share) {
      second = best?.share ?? 0;
      best = { id: entry.id, share };
    } else if (share > second) second = share;
  }
  if (!best || best.share < SIMILAR.minShare || best.share - second < SIMILAR.minLead) return undefined;
  return best.id;
}
