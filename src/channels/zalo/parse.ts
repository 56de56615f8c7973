import { ZALO_MESSAGE_EVENTS, ZaloUpdate } from "./types.ts";

/**
 * What to do with a body received from Zalo (a webhook delivery or a getUpdates result): handle the update,
 * acknowledge and ignore it (an event the bot does not act on, or an envelope with `ok: false`), or reject it as
 * malformed.
 */
export type ZaloBodyVerdict =
  | { type: "update"; update: ZaloUpdate }
  | { type: "ignore"; reason: string }
  | { type: "invalid"; problem: string };

const KNOWN_EVENTS: ReadonlySet<string> = new Set(ZALO_MESSAGE_EVENTS);

/**
 * Classifies a parsed JSON body from Zalo. Both shapes seen in the wild are accepted: the envelope
 * `{ ok: true, result: { event_name, message } }` and the bare `{ event_name, message }`. Unknown event names
 * (the platform may add some) are ignored safely; a known message event must carry a well-formed message.
 *
 * ```ts
 * const verdict = parseZaloBody(JSON.parse(body));
 * if (verdict.type === "invalid") return c.json({ ok: false }, 400);
 * ```
 */
export function parseZaloBody(body: unknown): ZaloBodyVerdict {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { type: "invalid", problem: "the body is not a JSON object" };
  }
  let candidate: unknown = body;
  if (!("event_name" in body) && "ok" in body) {
    if (body.ok !== true) return { type: "ignore", reason: "envelope_not_ok" };
    candidate = "result" in body ? body.result : undefined;
  }
  if (typeof candidate !== "object" || candidate === null || !("event_name" in candidate)) {
    return { type: "invalid", problem: "no event_name" };
  }
  if (typeof candidate.event_name !== "string" || candidate.event_name === "") {
    return { type: "invalid", problem: "event_name is not a string" };
  }
  if (!KNOWN_EVENTS.has(candidate.event_name)) return { type: "ignore", reason: "unknown_event" };
  const parsed = ZaloUpdate.safeParse(candidate);
  if (!parsed.success || !parsed.data.message)
    return { type: "invalid", problem: "the message is not well formed" };
  return { type: "update", update: parsed.data };
}
