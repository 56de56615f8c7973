import { GrammyError, HttpError } from "grammy";
import { backoffDelay, type BackoffOptions } from "./backoff.ts";
import { ZaloApiError, ZaloHttpError } from "./zalo/errors.ts";

/**
 * What a failed send means for the message:
 * - `before`: it certainly did not arrive (the connection was refused, or the API answered with an error such
 *   as 429 or 5xx): send it again, as long as it takes;
 * - `ambiguous`: it may have arrived (the connection broke or timed out after the request was written, or the
 *   answer was not the API's: a proxy's 502 page);
 * - `permanent`: it never will (400 bad request, 403 the user blocked the bot).
 */
export type SendFailure =
  | { kind: "before"; reason: string; retryAfterMs?: number }
  | { kind: "ambiguous"; reason: string }
  | { kind: "permanent"; reason: string };

/** How failed sends are retried. */
export interface RetryPolicy {
  backoff: BackoffOptions;
  /**
   * Ambiguous failures after which a message is sent again; one more and it is taken as delivered. With 1, a
   * user gets at most one extra copy, and a message is lost only if two attempts in a row broke after being
   * written and neither arrived.
   */
  maxAmbiguousRetries: number;
}

/** 1 s doubling to 60 s; one retry after an ambiguous failure. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  backoff: { initialMs: 1000, maxMs: 60_000 },
  maxAmbiguousRetries: 1,
};

/** What to do with a message after a failed attempt. */
export type SendDecision =
  { type: "retry"; delayMs: number; ambiguous: number } | { type: "assume_delivered" } | { type: "give_up" };

/**
 * Decides after a failed attempt (`attempts` made so far, `ambiguous` of the earlier ones ambiguous). A
 * `retry_after` given by the API is honoured as it is; otherwise the backoff grows with the attempts.
 *
 * ```ts
 * const next = decideAfterFailure({ kind: "before", reason: "429", retryAfterMs: 3000 }, row, policy);
 * ```
 */
export function decideAfterFailure(
  failure: SendFailure,
  state: { attempts: number; ambiguous: number },
  policy: RetryPolicy,
  random: () => number = Math.random,
): SendDecision {
  if (failure.kind === "permanent") return { type: "give_up" };
  const ambiguous = state.ambiguous + (failure.kind === "ambiguous" ? 1 : 0);
  if (ambiguous > policy.maxAmbiguousRetries) return { type: "assume_delivered" };
  const delayMs =
    failure.kind === "before" && failure.retryAfterMs !== undefined
      ? failure.retryAfterMs
      : backoffDelay(state.attempts, policy.backoff, random);
  return { type: "retry", delayMs, ambiguous };
}

/**
 * A send abandoned before its request was written (its time ran out while it waited in an outgoing throttle):
 * it cannot have arrived.
 */
export class NotSentError extends Error {
  override readonly name = "NotSentError";
}

/** Network errors raised before anything was written: the request cannot have arrived. */
const NOT_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"]);

function connectionCode(error: unknown): string | undefined {
  for (let cause = error, depth = 0; cause && depth < 5; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string" && NOT_CONNECTED.has(code)) return code;
    cause = (cause as { error?: unknown; cause?: unknown }).error ?? (cause as { cause?: unknown }).cause;
  }
  return undefined;
}

function fromErrorCode(code: number | undefined, retryAfterSeconds?: number): SendFailure {
  if (code === 400 || code === 403) return { kind: "permanent", reason: `api_${code}` };
  return {
    kind: "before",
    reason: `api_${code ?? "error"}`,
    ...(retryAfterSeconds !== undefined ? { retryAfterMs: retryAfterSeconds * 1000 } : {}),
  };
}

/** Classifies a failed Telegram Bot API call; `timedOut` when the sender's own time limit aborted it. */
export function classifyTelegramFailure(error: unknown, timedOut: boolean): SendFailure {
  if (error instanceof NotSentError) return { kind: "before", reason: "not_sent" };
  if (timedOut) return { kind: "ambiguous", reason: "timeout" };
  if (error instanceof GrammyError) return fromErrorCode(error.error_code, error.parameters.retry_after);
  const code = connectionCode(error);
  if (code) return { kind: "before", reason: code };
  return { kind: "ambiguous", reason: error instanceof HttpError ? "no_api_answer" : "unknown" };
}

/** Classifies a failed Zalo Bot API call; `timedOut` when the sender's own time limit aborted it. */
export function classifyZaloFailure(error: unknown, timedOut: boolean): SendFailure {
  if (timedOut) return { kind: "ambiguous", reason: "timeout" };
  if (error instanceof ZaloApiError) return fromErrorCode(error.error_code);
  const code = connectionCode(error);
  if (code) return { kind: "before", reason: code };
  return {
    kind: "ambiguous",
    reason: error instanceof ZaloHttpError && error.status !== undefined ? "no_api_answer" : "network",
  };
}
