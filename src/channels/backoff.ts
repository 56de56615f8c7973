/** Bounds of an exponential backoff, in milliseconds. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

/** Default backoff for reconnecting to a Bot API: 1 s doubling up to 30 s. */
export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 30_000 };

/**
 * The delay before retry number `attempt` (1 for the first retry): exponential from `initialMs`, capped at
 * `maxMs`, with "equal jitter" (between half and all of it) so that many clients recovering from the same
 * outage do not retry in step.
 *
 * ```ts
 * await sleep(backoffDelay(failures, DEFAULT_BACKOFF), signal);
 * ```
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const base = Math.min(options.maxMs, options.initialMs * 2 ** exponent);
  return Math.round(base / 2 + random() * (base / 2));
}

/** Waits `ms`, or less if `signal` aborts first; never rejects. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
