/**
 * Checks, for the real-core phases of the channel benchmark, that every update got its replies once. The real
 * core's replies carry no marker, so three records are put side by side:
 *
 * - what the load generator sent: each update with its chat and the times it was sent and acknowledged (a user
 *   has at most one message in flight, so the next one is sent only after this one was acknowledged);
 * - when the fake Bot API received each message, by chat;
 * - the dispatcher's log line for each update (`update handled`: outcome and number of replies sent).
 *
 * A message belongs to the chat's latest update sent before it arrived; the webhook is acknowledged once the
 * update is handled (or after its one-second bound), so a message arriving after the acknowledgement is counted
 * as late. An update is lost when no message reached its chat, duplicated when the dispatcher handled it more
 * than once or more Telegram messages arrived than replies were logged (a Zalo reply may be split in parts).
 */
import type { TurnKind } from "./real-traffic.ts";

/** One update the load generator sent. */
export interface SentUpdate {
  /** `<channel>:<update id>`, as the dispatcher logs it (`telegram:17`, `zalo:m17`). */
  key: string;
  /** `<channel>:<chat id>`, as the fake API records it. */
  chat: string;
  kind: TurnKind;
  /** Sent as a Telegram button press. */
  button: boolean;
  /** `Date.now()` when written to the socket, and when acknowledged (0 if never). */
  sentAt: number;
  ackedAt: number;
  /** HTTP status of the acknowledgement (0 if none). */
  status: number;
  /** The user and channel, to give the user back to the load generator if the load ends before the answer. */
  user: number;
  channel: "telegram" | "zalo";
}

/** What became of a phase's updates. */
export interface Accounting {
  updates: number;
  /** Acknowledged with a 2xx; refused (any other status); still in flight when the load's time bound ended it. */
  acknowledged: number;
  refused: number;
  cutOff: number;
  /** Updates with at least one message in their chat. */
  answered: number;
  lost: number;
  duplicated: number;
  /** Updates with fewer messages than the replies the dispatcher logged. */
  incomplete: number;
  /** Acknowledged updates with a message after their acknowledgement. */
  late: number;
  /** Messages received, and messages that could not be attributed to an update of this phase. */
  messages: number;
  stray: number;
  /** Dispatcher outcomes (`replied`, `rate_limited`, `core_failed`…) of this phase's updates. */
  outcomes: Record<string, number>;
  /** Log lines at level error (the core or a delivery failed). */
  errors: number;
  /** Messages per answered update, on average. */
  messagesPerUpdate: number;
}

interface Logged {
  lines: number;
  outcome: string;
  replies: number;
}

/** Reads the dispatcher's `update handled` lines (and counts errors) from JSON log lines. */
function readLog(lines: string[]): { handled: Map<string, Logged>; errors: number } {
  const handled = new Map<string, Logged>();
  let errors = 0;
  for (const line of lines) {
    if (line.includes('"level":"error"')) errors++;
    if (!line.includes('"update handled"')) continue;
    const entry = JSON.parse(line) as {
      channel: string;
      update_id: string | number;
      outcome: string;
      replies?: number;
    };
    const key = `${entry.channel}:${entry.update_id}`;
    const seen = handled.get(key);
    if (seen) {
      seen.lines++;
      if (entry.outcome === "duplicate") seen.outcome = "duplicate";
    } else handled.set(key, { lines: 1, outcome: entry.outcome, replies: entry.replies ?? 0 });
  }
  return { handled, errors };
}

/** Puts the three records of a phase side by side; see the module comment. */
export function account(
  sent: readonly SentUpdate[],
  arrivals: Record<string, number[]>,
  logLines: string[],
): Accounting {
  const { handled, errors } = readLog(logLines);
  const byChat = new Map<string, SentUpdate[]>();
  for (const update of sent) {
    const list = byChat.get(update.chat);
    if (list) list.push(update);
    else byChat.set(update.chat, [update]);
  }
  const messages = new Map<SentUpdate, number>();
  const late = new Set<SentUpdate>();
  let total = 0;
  let stray = 0;
  for (const [chat, times] of Object.entries(arrivals)) {
    const updates = (byChat.get(chat) ?? []).sort((a, b) => a.sentAt - b.sentAt);
    let current = -1;
    for (const time of [...times].sort((a, b) => a - b)) {
      total++;
      while (current + 1 < updates.length && updates[current + 1]!.sentAt <= time) current++;
      const owner = updates[current];
      if (!owner) {
        stray++;
        continue;
      }
      messages.set(owner, (messages.get(owner) ?? 0) + 1);
      if (owner.ackedAt > 0 && time > owner.ackedAt) late.add(owner);
    }
  }
  const result: Accounting = {
    updates: sent.length,
    acknowledged: 0,
    refused: 0,
    cutOff: 0,
    answered: 0,
    lost: 0,
    duplicated: 0,
    incomplete: 0,
    late: late.size,
    messages: total,
    stray,
    outcomes: {},
    errors,
    messagesPerUpdate: 0,
  };
  for (const update of sent) {
    if (update.status >= 200 && update.status < 300) result.acknowledged++;
    else if (update.status === 0) result.cutOff++;
    else result.refused++;
    const count = messages.get(update) ?? 0;
    if (count > 0) result.answered++;
    else result.lost++;
    const logged = handled.get(update.key);
    const outcome = logged?.outcome ?? "not_logged";
    result.outcomes[outcome] = (result.outcomes[outcome] ?? 0) + 1;
    if (!logged) continue;
    const telegram = update.key.startsWith("telegram:");
    if (logged.lines > 1 || logged.outcome === "duplicate" || (telegram && count > logged.replies))
      result.duplicated++;
    else if (count > 0 && count < logged.replies) result.incomplete++;
  }
  result.messagesPerUpdate = result.answered > 0 ? (total - stray) / result.answered : 0;
  return result;
}
