import { HttpError, type Transformer } from "grammy";
import { performance } from "node:perf_hooks";
import type { Logger } from "../../logging.ts";
import { backoffDelay, sleep, type BackoffOptions } from "../backoff.ts";

/**
 * An API transformer that logs every failed Bot API call: method, error code, duration; never the payload (it
 * holds the message text) nor the URL (it holds the token). Installed innermost, so each retry is seen.
 */
export function logFailedCalls(logger: Logger): Transformer {
  return async (prev, method, payload, signal) => {
    const started = performance.now();
    try {
      const result = await prev(method, payload, signal);
      if (!result.ok) {
        logger.warn(
          {
            channel: "telegram",
            method,
            error_code: result.error_code,
            description: result.description,
            duration_ms: Math.round(performance.now() - started),
          },
          "Telegram API call failed",
        );
      }
      return result;
    } catch (error) {
      if (!signal?.aborted) {
        logger.warn(
          { channel: "telegram", method, err: error, duration_ms: Math.round(performance.now() - started) },
          "Telegram API unreachable",
        );
      }
      throw error;
    }
  };
}

/** How {@link retryFailedCalls} retries. */
export interface RetryOptions {
  /** Retries after the first attempt (so `retries + 1` attempts at most). */
  retries: number;
  /** Waits between attempts after a network failure or a 5xx (jittered, growing). */
  backoff: BackoffOptions;
  /** A 429 asking for a longer wait than this is not waited out: the error goes back to the caller. */
  maxRetryAfterMs: number;
}

/**
 * The one retry of Bot API calls (the outbox's sends, which follow their own policy, do not go through it):
 * a call is tried again, at most `retries` times, when the network failed (no answer), when Telegram answered
 * 5xx (after a jittered backoff), or 429 (after the `retry_after` it asked for, if not longer than
 * `maxRetryAfterMs`). Other errors are returned at once. getUpdates is left to the runner, which has its own
 * retry; an aborted call is never retried.
 */
export function retryFailedCalls(options: RetryOptions): Transformer {
  return async (prev, method, payload, signal) => {
    for (let attempt = 1; ; attempt++) {
      const last = attempt > options.retries || method === "getUpdates";
      let result: Awaited<ReturnType<typeof prev>>;
      try {
        result = await prev(method, payload, signal);
      } catch (error) {
        if (last || !(error instanceof HttpError) || signal?.aborted) throw error;
        await sleep(backoffDelay(attempt, options.backoff), signal as AbortSignal | undefined);
        continue;
      }
      if (result.ok || last) return result;
      const retryAfter = result.parameters?.retry_after;
      if (typeof retryAfter === "number") {
        if (retryAfter * 1000 > options.maxRetryAfterMs) return result;
        await sleep(retryAfter * 1000, signal as AbortSignal | undefined);
      } else if (result.error_code >= 500) {
        await sleep(backoffDelay(attempt, options.backoff), signal as AbortSignal | undefined);
      } else {
        return result;
      }
    }
  };
}
