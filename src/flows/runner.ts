/**
 * The runner: carries out the engine's effects for one turn. Replies are collected, a search becomes a
 * reply with the knowledge base's answer, a decision request calls the scorer and feeds its outcome back to
 * the engine as a `decided` event, persist/erase are reported to the caller (which owns storage). A failing
 * search or scorer becomes a polite reply; it never escapes.
 */

import { err, type Result } from "../shared/result.ts";
import { step, type EngineContext, type EngineEvent, type Snapshot } from "./engine.ts";
import { MESSAGES } from "./messages.ts";
import type { DecisionLike, EligibilityPort, HouseholdDraft, KnowledgePort } from "./ports.ts";
import { renderSearchOutcome } from "./render.ts";
import { createReply, type Reply } from "./reply.ts";

/** The outside world a turn may use. */
export interface RunnerPorts {
  knowledge: KnowledgePort;
  eligibility: EligibilityPort;
  /** Told about failures of the ports (for a channel's logger); never given message text. */
  onError?: (error: unknown, stage: "search" | "decide") => void;
}

/** What one turn produced. */
export interface TurnResult {
  snapshot: Snapshot;
  replies: Reply[];
  /** The snapshot changed and should be stored. */
  persist: boolean;
  /** Everything stored about the user must be deleted (before storing anything new). */
  erase: boolean;
}

/** Engine events in one turn at most: the message, then the scorer's answer. A guard, not a limit in use. */
const MAX_EVENTS_PER_TURN = 4;

/** The knowledge base's answer to a question, as chat text; an apology when the search fails. */
export async function answerQuestion(ports: RunnerPorts, query: string): Promise<string> {
  try {
    const outcome = await ports.knowledge.search(query);
    const text = ports.knowledge.format ? ports.knowledge.format(outcome) : renderSearchOutcome(outcome);
    return text.trim() || MESSAGES.searchEmpty;
  } catch (error) {
    ports.onError?.(error, "search");
    return MESSAGES.searchFailed;
  }
}

async function decide(
  ports: RunnerPorts,
  household: HouseholdDraft,
): Promise<Result<DecisionLike, string[]>> {
  try {
    return await ports.eligibility.decide(household);
  } catch (error) {
    ports.onError?.(error, "decide");
    return err([]);
  }
}

/**
 * Runs one event through the engine and executes the effects, feeding the scorer's outcome back in.
 *
 * ```ts
 * const turn = await runTurn(context, snapshot, { type: "message", text: "3tr5", today }, ports);
 * // turn.replies: [{ text: "Đã ghi: 3.500.000 đ mỗi tháng." }, { text: "Hộ bạn đang thiếu ..." }]
 * ```
 */
export async function runTurn(
  context: EngineContext,
  snapshot: Snapshot,
  event: EngineEvent,
  ports: RunnerPorts,
): Promise<TurnResult> {
  const replies: Reply[] = [];
  let persist = false;
  let erase = false;
  let current = snapshot;
  const queue: EngineEvent[] = [event];
  for (let handled = 0; queue.length > 0 && handled < MAX_EVENTS_PER_TURN; handled++) {
    const next = queue.shift()!;
    const result = step(context, current, next);
    current = result.snapshot;
    for (const effect of result.effects) {
      switch (effect.type) {
        case "reply":
          replies.push(effect.reply);
          break;
        case "search":
          replies.push(createReply(await answerQuestion(ports, effect.query)));
          break;
        case "decide":
          queue.push({ type: "decided", outcome: await decide(ports, effect.household), today: next.today });
          break;
        case "persist":
          persist = true;
          break;
        case "erase":
          erase = true;
          persist = false;
          break;
      }
    }
  }
  return { snapshot: current, replies, persist, erase };
}
