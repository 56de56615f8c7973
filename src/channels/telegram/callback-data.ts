/**
 * The data carried by a Telegram inline button: which step it belongs to and which option it picks, so that a
 * press can be checked against the user's current step (a button from before a restart or a flow change is
 * answered with the current step by the core, not with an error).
 *
 * Format, version 1: `1|<stepId>|<value>`. The leading version lets a later format coexist with buttons still
 * on users' screens. Telegram allows 1–64 bytes of callback data.
 */

/** Telegram's limit on `callback_data`, in bytes (UTF-8). */
export const CALLBACK_DATA_MAX_BYTES = 64;

const VERSION = "1";
const SEPARATOR = "|";

/**
 * Encodes a step and a value as callback data, or returns undefined when they do not fit in 64 bytes or the
 * step id contains the separator (the caller then shows the choices as numbered lines instead).
 *
 * ```ts
 * encodeChoiceData("eligibility@3:ask_poor_list", "yes"); // "1|eligibility@3:ask_poor_list|yes"
 * ```
 */
export function encodeChoiceData(stepId: string, value: string): string | undefined {
  if (stepId.includes(SEPARATOR)) return undefined;
  const data = [VERSION, stepId, value].join(SEPARATOR);
  return Buffer.byteLength(data, "utf8") <= CALLBACK_DATA_MAX_BYTES ? data : undefined;
}

/**
 * Decodes callback data made by {@link encodeChoiceData}; undefined for anything else (another version, or data
 * not made by this bot). The value may itself contain the separator.
 */
export function decodeChoiceData(data: string): { stepId: string; value: string } | undefined {
  const first = data.indexOf(SEPARATOR);
  const second = data.indexOf(SEPARATOR, first + 1);
  if (first < 0 || second < 0 || data.slice(0, first) !== VERSION) return undefined;
  return { stepId: data.slice(first + 1, second), value: data.slice(second + 1) };
}
