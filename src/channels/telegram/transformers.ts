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

/**
 * An API transformer that retries a call a few times when the network failed (no answer at all), with a bounded
 * jittered backoff. Rate limits (429) and server errors (5xx) are left to @grammyjs/auto-retry, and getUpdates to
 * the runner, which has its own retry.
 */
export function retryNetworkErrors(attempts: number, backoff: BackoffOptions): Transformer {
  return async (prev, method, payload, signal) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await prev(method, payload, signal);
      } catch (error) {
        const retryable = error instanceof HttpError && method !== "getUpdates" && !signal?.aborted;
        if (!retryable || attempt >= attempts) throw error;
        await sleep(backoffDelay(attempt, backoff), signal as AbortSignal | undefined);
      }
    }
  };
}
