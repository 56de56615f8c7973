/**
 * Splitting long messages to fit a channel's limit (Telegram 4,096 characters, Zalo 2,000) at line
 * boundaries, so that a result is never cut in the middle of a programme's line when it can be avoided.
 * Pure. Lengths are counted in UTF-16 code units (JavaScript's `length`), which is what Telegram counts and
 * never less than the number of characters, so the limit holds on both channels.
 */

/** Telegram's limit on one text message. */
export const TELEGRAM_MESSAGE_LIMIT = 4096;
/** Zalo Bot Platform's limit on one text message. */
export const ZALO_MESSAGE_LIMIT = 2000;

/** Cuts a single over-long line at spaces, and inside a word only when a word alone is too long. */
function splitLine(line: string, limit: number): string[] {
  const parts: string[] = [];
  let rest = line;
  while (rest.length > limit) {
    let cut = rest.lastIndexOf(" ", limit);
    if (cut <= 0) {
      cut = limit;
      // Never cut a surrogate pair, nor a letter from its combining mark.
      while (cut > 1 && (/[\uDC00-\uDFFF]/.test(rest[cut]!) || /\p{M}/u.test(rest[cut]!))) cut--;
    }
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}

/**
 * Splits `text` into parts of at most `limit` characters. Parts end at a blank line when one is close to
 * the limit (keeps a programme's block together), otherwise at a line end; a line longer than the limit is
 * cut at spaces. Every part is non-empty; joining the parts with a newline gives back the text up to
 * whitespace at the cuts. A text within the limit comes back whole.
 *
 * ```ts
 * splitMessage(resultText, ZALO_MESSAGE_LIMIT); // ["📋 KẾT QUẢ ...", "❔ ..."]
 * ```
 */
export function splitMessage(text: string, limit: number): string[] {
  if (!Number.isInteger(limit) || limit < 2)
    throw new RangeError(`limit must be an integer of at least 2, got ${limit}`);
  const trimmed = text.replace(/\r\n?/g, "\n").trim();
  if (trimmed.length <= limit) return trimmed ? [trimmed] : [];
  const lines = trimmed
    .split("\n")
    .flatMap((line) => (line.length > limit ? splitLine(line, limit) : [line]));
  const parts: string[] = [];
  let current: string[] = [];
  const joinedLength = (lines: readonly string[]): number =>
    lines.reduce((sum, line, i) => sum + line.length + (i > 0 ? 1 : 0), 0);
  const flush = (upTo: number): void => {
    const part = current.slice(0, upTo).join("\n").trim();
    if (part) parts.push(part);
    current = current.slice(upTo);
  };
  for (const line of lines) {
    while (current.length > 0 && joinedLength([...current, line]) > limit) {
      // Prefer to end the part at the last blank line in its second half.
      const blank = current.lastIndexOf("");
      const atBlank = blank > 0 && joinedLength(current.slice(0, blank)) >= limit / 2;
      flush(atBlank ? blank : current.length);
    }
    current.push(line);
  }
  flush(current.length);
  return parts;
}
