/**
 * The runner: carries out the engine's effects for one turn. Replies are collected, a search becomes a
 * reply with the knowledge base's answer, a decision request calls the scorer and feeds its outcome back to
 * the engine as a `decided` event, persist/erase are reported to the caller (which owns storage). A failing
 * search or scorer becomes a polite reply; it never escapes.
 */

import { err, type Result } from "../shared/result.ts";
import { step, type EngineContext, type EngineEvent, type Snapshot } from "./engine.ts";
import { MESSAGES } from "./messages.ts";
import type {
  DecisionLike,
  EligibilityPort,
  HouseholdDraft,
  KnowledgePort,
  SearchOutcomeLike,
} from "./ports.ts";
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
  /** The interview's result, when this turn showed it. */
  result?: { household: HouseholdDraft; decision: DecisionLike };
  /** The questions answered from the knowledge base in this turn, with the search outcomes (absent on failure). */
  searches: { query: string; outcome?: SearchOutcomeLike }[];
}

/** Engine events in one turn at most: the message, then the scorer's answer. A guard, not a limit in use. */
const MAX_EVENTS_PER_TURN = 4;

/**
 * The knowledge base's answer to a question, as chat text, with the search outcome; an apology (and no
 * outcome) when the search fails.
 */
export async function answerQuestion(
  ports: RunnerPorts,
  query: string,
): Promise<{ text: string; outcome?: SearchOutcomeLike }> {
  try {
    const outcome = await ports.knowledge.search(query);
    const text = ports.knowledge.format ? ports.knowledge.format(outcome) : renderSearchOutcome(outcome);
    return { text: text.trim() || MESSAGES.searchEmpty, outcome };
  } catch (error) {
    ports.onError?.(error, "search");
    return { text: MESSAGES.searchFailed };
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
  let shown: TurnResult["result"];
  const searches: TurnResult["searches"] = [];
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
        case "search": {
          const answer = await answerQuestion(ports, effect.query);
          replies.push(createReply(answer.text));
          searches.push({ query: effect.query, ...(answer.outcome ? { outcome: answer.outcome } : {}) });
          break;
        }
        case "result":
          shown = { household: effect.household, decision: effect.decision };
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
  return { snapshot: current, replies, persist, erase, searches, ...(shown ? { result: shown } : {}) };
}
