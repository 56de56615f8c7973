/**
 * The load generator of the channel benchmark, on loopback: a closed loop with autocannon (each of 40 connections,
 * Telegram's default `max_connections` for a webhook, sends its next request when the previous one is answered),
 * or an offered load of evenly spaced requests. Bounded in count and in time.
 */
import autocannon, { type Result } from "autocannon";
import { Agent, request as httpRequest } from "node:http";
import { performance } from "node:perf_hooks";

/** Connections of a load. */
export const CONNECTIONS = 40;
const MAX_SECONDS = 120;

/** What a load measured. */
export interface Phase {
  /** Latency of each answered request, in ms. */
  latencies: number[];
  /** From the first request to the last answer. */
  seconds: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Offered load (requests per second) of a paced phase; absent for a closed loop. */
  rate?: number;
  /** A paced phase stopped early because the app fell more than a second behind the offered load. */
  overloadedAfter?: number;
}

/** One request of a load: where it goes and what it carries. */
export interface Outgoing {
  /** Instead of the load URL's path (one load may serve both webhooks). */
  path?: string;
  /** Instead of the load's headers. */
  headers?: Record<string, string>;
  body: string;
}

/** A load: where, how many, and how each request is built. */
export interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  count: number;
  /** Builds each request; `context` is autocannon's, kept from this request to its response. */
  next: (context: Record<string, unknown>) => Outgoing;
  /** Told about each response, with the request's context. */
  done?: (context: Record<string, unknown>, status: number) => void;
  /** Requests per second, evenly spaced (open loop, see {@link paced}), instead of a closed loop. */
  rate?: number;
  /** Time bound of the phase, whatever the count (default 120 s). */
  maxSeconds?: number;
}

/**
 * A closed loop (autocannon: each connection sends its next request when the previous one is answered), or an
 * offered load when `rate` is given.
 */
export async function load(options: LoadOptions): Promise<Phase> {
  if (options.rate) return paced({ ...options, rate: options.rate });
  const latencies: number[] = [];
  // autocannon ends a run on its one-second tick: time the run by its own first request and last response.
  const started = performance.now();
  let lastResponse = started;
  const instance = autocannon({
    url: options.url,
    method: "POST",
    headers: { "content-type": "application/json", ...options.headers },
    connections: CONNECTIONS,
    amount: options.count,
    timeout: 10,
    requests: [
      {
        setupRequest: (request, context) => {
          const outgoing = options.next(context);
          return {
            ...request,
            ...(outgoing.path ? { path: outgoing.path } : {}),
            ...(outgoing.headers ? { headers: outgoing.headers } : {}),
            body: outgoing.body,
          };
        },
        ...(options.done ? { onResponse: (status, _body, context) => options.done!(context, status) } : {}),
      },
    ],
  });
  instance.on("response", (_client, _status, _bytes, ms) => {
    latencies.push(ms);
    lastResponse = performance.now();
  });
  const guard = setTimeout(() => instance.stop(), (options.maxSeconds ?? MAX_SECONDS) * 1000);
  const result: Result = await instance;
  clearTimeout(guard);
  const seconds = (lastResponse - started) / 1000;
  return {
    latencies,
    seconds,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/**
 * An offered load: request i is due at start + i / rate, whatever the app's answers (autocannon's own rate
 * limit sends each second's quota in a burst at the start of the second, which measures the burst, not the
 * rate). At most CONNECTIONS requests are on the wire; the rest wait their turn, and latency is counted from
 * when a request was due, so waiting behind a slow app counts. If the app falls more than a second behind, the
 * phase stops: the rate is beyond what it can carry.
 */
async function paced(options: LoadOptions & { rate: number }): Promise<Phase> {
  const target = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const latencies: number[] = [];
  const phase = { non2xx: 0, errors: 0, timeouts: 0 };
  const started = performance.now();
  const deadline = started + (options.maxSeconds ?? MAX_SECONDS) * 1000;
  let lastResponse = started;
  let scheduled = 0;
  let pending = 0;
  let overloadedAfter: number | undefined;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      if (pending > options.rate + CONNECTIONS && overloadedAfter === undefined)
        overloadedAfter = (now - started) / 1000;
      const stopped = overloadedAfter !== undefined || now >= deadline;
      for (; !stopped && scheduled < options.count; scheduled++) {
        const due = started + (scheduled * 1000) / options.rate;
        if (due > now) break;
        const context: Record<string, unknown> = {};
        const outgoing = options.next(context);
        pending++;
        const settle = (status: number): void => {
          pending--;
          if (status > 0) {
            lastResponse = performance.now();
            latencies.push(lastResponse - due);
            if (status < 200 || status >= 300) phase.non2xx++;
          }
          options.done?.(context, status);
        };
        const request = httpRequest(
          {
            agent,
            host: target.hostname,
            port: target.port,
            method: "POST",
            path: outgoing.path ?? target.pathname,
            headers: outgoing.headers ?? { "content-type": "application/json", ...options.headers },
            timeout: 10_000,
          },
          (response) => {
            response.resume();
            response.on("end", () => settle(response.statusCode ?? 0));
          },
        );
        request.on("timeout", () => {
          phase.timeouts++;
          request.destroy(new Error("timeout"));
        });
        request.on("error", (error) => {
          if (error.message !== "timeout") phase.errors++;
          settle(0);
        });
        request.end(outgoing.body);
      }
      if ((stopped || scheduled >= options.count) && pending === 0) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
  agent.destroy();
  return {
    latencies,
    seconds: (lastResponse - started) / 1000,
    ...phase,
    rate: options.rate,
    ...(overloadedAfter !== undefined ? { overloadedAfter } : {}),
  };
}

/** The p-th percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** One line: requests, rate, latency percentiles, failures. */
export function summary(name: string, phase: Phase): { rate: number; p99: number; line: string } {
  const sorted = [...phase.latencies].sort((a, b) => a - b);
  const rate = phase.latencies.length / phase.seconds;
  const line =
    `${name.padEnd(22)} ${phase.latencies.length} requests in ${phase.seconds.toFixed(2)} s = ${rate.toFixed(0)}/s; ` +
    `latency ms p50 ${percentile(sorted, 50).toFixed(1)}, p95 ${percentile(sorted, 95).toFixed(1)}, p99 ${percentile(sorted, 99).toFixed(1)}, max ${(sorted.at(-1) ?? 0).toFixed(1)}; ` +
    `non-2xx ${phase.non2xx}, errors ${phase.errors}, timeouts ${phase.timeouts}` +
    (phase.overloadedAfter !== undefined
      ? `; STOPPED after ${phase.overloadedAfter.toFixed(1)} s: more than 1 s behind the offered ${phase.rate}/s`
      : "");
  return { rate, p99: percentile(sorted, 99), line };
}
