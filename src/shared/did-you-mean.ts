/**
 * Edit distance and "did you mean" suggestions for error messages about data files, commands and household
 * input fields. Pure.
 */

/**
 * Edit distance between two strings: insertions, deletions, substitutions and swaps of two neighbouring
 * letters each cost 1 (optimal string alignment, so "shrot" is one edit from "short"), counted in code
 * points so that accented letters count once.
 */
export function editDistance(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  const rows: number[][] = [Array.from({ length: right.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= left.length; i++) {
    const row = [i];
    for (let j = 1; j <= right.length; j++) {
      const cost = left[i - 1] === right[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && left[i - 1] === right[j - 2] && left[i - 2] === right[j - 1])
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      row[j] = best;
    }
    rows.push(row);
  }
  return rows[left.length]![right.length]!;
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

/**
 * The known name closest to `name`, for a mistyped field name: one it shortens ("ethnic" for
 * "ethnicMinority"), or the nearest by edit distance when within a third of its length (at least 2 edits);
 * undefined otherwise, so that unrelated names are not suggested.
 *
 * ```ts
 * closestName("memebers", ["members", "area"]) // "members"
 * ```
 */
export function closestName(name: string, known: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  const candidates = [...known];
  if (lower.length >= 4) {
    const extended = candidates.find((candidate) => candidate.toLowerCase().startsWith(lower));
    if (extended) return extended;
  }
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
