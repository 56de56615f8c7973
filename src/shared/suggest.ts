/**
 * "Did you mean ...?" for a mistyped name: the closest known name by edit distance, when it is close enough
 * to be a plausible typo. Used by data-file errors and by household input messages.
 */

/** Levenshtein edit distance between two strings (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The known name closest to `name`: one it shortens, or the nearest by edit distance when within a third of
 * its length (at least 2 edits); undefined otherwise, so that unrelated names are not suggested.
 *
 * ```ts
 * closestName("memebers", ["members", "area"]) // "members"
 * ```
 */
export function closestName(name: string, known: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  const candidates = [...known];
  // A shortened name ("ethnic" for "ethnicMinority") is a likely slip too.
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
