/**
 * Edit distance and "did you mean" suggestions for error messages about data files and commands. Pure.
 */

/**
 * Levenshtein distance between two strings (insertions, deletions, substitutions each cost 1), counted in
 * code points so that accented letters count once.
 */
export function editDistance(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  let previous = Array.from({ length: right.length + 1 }, (_, j) => j);
  for (let i = 1; i <= left.length; i++) {
    const current = [i];
    for (let j = 1; j <= right.length; j++) {
      const cost = left[i - 1] === right[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[right.length]!;
}

/**
 * The candidate closest to `input`, when it is close enough to be a plausible typo (at most a third of the
 * longer string, and at most 3 edits); undefined otherwise.
 *
 * ```ts
 * suggest("ask_incom", ["ask_income", "ask_area"]); // "ask_income"
 * ```
 */
export function suggest(input: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(input.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.min(3, Math.max(1, Math.floor(Math.max([...input].length, [...best].length) / 3)));
  return bestDistance <= limit ? best : undefined;
}

/** `Did you mean "x"?` for a message, or the list of valid values when nothing is close. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const close = suggest(input, candidates);
  if (close) return `Did you mean "${close}"?`;
  const shown = candidates.slice(0, 12).map((c) => `"${c}"`);
  return `Valid values: ${shown.join(", ")}${candidates.length > 12 ? ", ..." : ""}.`;
}
