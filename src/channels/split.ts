/** Telegram's limit on one message's text, in UTF-16 code units. */
export const TELEGRAM_TEXT_LIMIT = 4096;

/** The Zalo Bot Platform's limit on one message's text (`sendMessage` accepts 1–2,000 characters). */
export const ZALO_TEXT_LIMIT = 2000;

/**
 * Splits a message into parts of at most `limit` characters (UTF-16 code units, as both platforms count),
 * cutting between lines so that a list item or a citation is never broken in two. Only a single line longer
 * than `limit` is cut inside, at a space when there is one in the second half of the part, and never inside a
 * surrogate pair (an emoji). Blank parts are dropped; the result is empty for a blank text.
 *
 * ```ts
 * splitMessage(resultText, ZALO_TEXT_LIMIT).forEach((part) => send(part));
 * ```
 *
 * @param text The whole message; `\r\n` line ends are treated as `\n`.
 * @param limit The largest part allowed, at least 2.
 */
export function splitMessage(text: string, limit: number): string[] {
  if (!Number.isInteger(limit) || limit < 2)
    throw new RangeError(`splitMessage: limit must be an integer ≥ 2, got ${limit}`);
  const normalized = text.replace(/\r\n?/g, "\n");
  const parts: string[] = [];
  const flush = (part: string): void => {
    const trimmed = part.replace(/^\n+|\n+$/g, "");
    if (trimmed.trim() !== "") parts.push(trimmed);
  };
  if (normalized.length <= limit) {
    flush(normalized);
    return parts;
  }

  let current = "";
  for (const line of normalized.split("\n")) {
    if (line.length > limit) {
      flush(current);
      const pieces = hardSplit(line, limit);
      // The last piece of an over-long line may still share a part with the lines after it.
      current = pieces.pop() ?? "";
      pieces.forEach(flush);
      continue;
    }
    const candidate = current === "" ? line : `${current}\n${line}`;
    if (candidate.length <= limit) {
      current = candidate;
    } else {
      flush(current);
      current = line;
    }
  }
  flush(current);
  return parts;
}

/** Cuts one over-long line into pieces of at most `limit`, preferring a space, never splitting a surrogate pair. */
function hardSplit(line: string, limit: number): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > limit) {
    const space = rest.lastIndexOf(" ", limit);
    if (space > limit / 2) {
      pieces.push(rest.slice(0, space));
      rest = rest.slice(space + 1);
      continue;
    }
    let cut = limit;
    if (isHighSurrogate(rest.charCodeAt(cut - 1))) cut -= 1;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  pieces.push(rest);
  return pieces;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
