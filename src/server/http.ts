import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import type { ChannelName } from "../config.ts";
import type { Logger } from "../logging.ts";
import { createSecretCheck } from "./secret.ts";

/** What the HTTP server needs from a channel to accept its webhook deliveries. */
export interface WebhookTarget {
  /** Header carrying the secret: `X-Telegram-Bot-Api-Secret-Token` or `X-Bot-Api-Secret-Token`. */
  secretHeader: string;
  /** The secret registered with `hoichinhsach webhooks set`. */
  secret: string;
  /** Classifies a parsed JSON body: an update to handle, a body to acknowledge and ignore, or malformed. */
  accept(body: unknown): WebhookVerdict;
  /** False while the channel cannot handle updates yet (Telegram before getMe succeeded). */
  ready(): boolean;
  /** Updates being handled now, for back-pressure. */
  inFlight(): number;
}

/** See {@link WebhookTarget.accept}. `handle` resolves within the channel's acknowledgement bound. */
export type WebhookVerdict =
  | { type: "handle"; handle: () => Promise<void> }
  | { type: "ignore"; reason: string }
  | { type: "invalid"; problem: string };

/** Options of {@link createHttpApp}. */
export interface HttpAppOptions {
  logger: Logger;
  /** Channels receiving webhooks; a channel absent here answers 404 (it polls, or is not configured). */
  webhooks: Partial<Record<ChannelName, WebhookTarget>>;
  /** Largest accepted body, in bytes, checked before parsing (also for chunked bodies). Default 256 KiB. */
  maxBodyBytes?: number;
  /** Upper bound on acknowledging a delivery, in ms, whatever the channel does. Default 2,000. */
  ackTimeoutMs?: number;
  /** Above this many updates in flight, deliveries get 503 and the platform retries later. Default 2,000. */
  maxInFlight?: number;
}

/** Default body limit: 256 KiB. */
export const MAX_BODY_BYTES = 256 * 1024;

/** The request listener of `hoichinhsach serve`; see {@link createHttpApp}. */
export type HttpApp = (req: IncomingMessage, res: ServerResponse) => void;

type Status = 200 | 400 | 401 | 404 | 413 | 415 | 500 | 503;

/** Body of every acknowledged delivery, serialised once. */
const OK_BODY = JSON.stringify({ ok: true });

/**
 * Creates the one HTTP application of `hoichinhsach serve`: `POST /webhooks/telegram`, `POST /webhooks/zalo`
 * and `GET /healthz`. A webhook request goes through, in order: secret (401, before anything is read), content
 * type (415 unless JSON), size (413 over the limit, counted while reading when there is no Content-Length),
 * JSON syntax and shape (400), readiness and load (503), then handling, acknowledged within a bound.
 * `/healthz` answers from memory and never calls Telegram or Zalo.
 *
 * A plain node:http listener: every update goes through here, and building a fetch `Request`/`Response` pair
 * around each one (a web framework's adapter) cost more CPU than the routing of three paths is worth.
 *
 * ```ts
 * const app = createHttpApp({ logger, webhooks: { zalo: zaloTarget } });
 * const server = await startHttpServer(app, { port: 3000, host: "0.0.0.0" });
 * ```
 */
export function createHttpApp(options: HttpAppOptions): HttpApp {
  const { logger } = options;
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const ackTimeoutMs = options.ackTimeoutMs ?? 2000;
  const maxInFlight = options.maxInFlight ?? 2000;

  const send = (res: ServerResponse, status: Status, body: string, headers: Record<string, string> = {}) => {
    if (res.headersSent) return;
    res.writeHead(status, {
      "Content-Type": "application/json",
      "Content-Length": Buffer.byteLength(body),
      ...headers,
    });
    res.end(body);
  };
  const reject = (res: ServerResponse, channel: string, status: Status, reason: string): void => {
    logger.warn({ channel, status, reason }, "webhook delivery rejected");
    // The body may be left unread: close the connection rather than let the client reuse a poisoned one.
    send(res, status, JSON.stringify({ ok: false, error: reason }), {
      Connection: "close",
      ...(status === 503 ? { "Retry-After": "5" } : {}),
    });
  };

  const routes = new Map<string, (req: IncomingMessage, res: ServerResponse) => Promise<void> | void>();
  for (const channel of ["telegram", "zalo"] as const) {
    const target = options.webhooks[channel];
    routes.set(
      `/webhooks/${channel}`,
      target
        ? webhookRoute(channel, target)
        : (_req, res) => reject(res, channel, 404, "webhook_not_enabled"),
    );
  }

  function webhookRoute(channel: ChannelName, target: WebhookTarget) {
    const secretMatches = createSecretCheck(target.secret);
    const secretHeader = target.secretHeader.toLowerCase();
    return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
      const secret = req.headers[secretHeader];
      if (!secretMatches(typeof secret === "string" ? secret : undefined))
        return reject(res, channel, 401, "bad_secret");
      if (!/^application\/json\s*(;|$)/i.test(req.headers["content-type"] ?? ""))
        return reject(res, channel, 415, "not_json");
      const declared = req.headers["content-length"];
      if (declared !== undefined && Number(declared) > maxBodyBytes)
        return reject(res, channel, 413, "too_large");
      const text = await readBody(req, maxBodyBytes);
      if (text === undefined) return reject(res, channel, 413, "too_large");
      const started = performance.now();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return reject(res, channel, 400, "malformed_json");
      }
      const verdict = target.accept(body);
      if (verdict.type === "invalid") return reject(res, channel, 400, "malformed_update");
      if (verdict.type === "ignore") {
        logger.debug({ channel, reason: verdict.reason }, "webhook delivery ignored");
        return send(res, 200, OK_BODY);
      }
      if (!target.ready()) return reject(res, channel, 503, "not_ready");
      if (target.inFlight() >= maxInFlight) return reject(res, channel, 503, "overloaded");
      await boundedBy(verdict.handle(), ackTimeoutMs);
      logger.debug(
        { channel, duration_ms: Math.round(performance.now() - started) },
        "webhook delivery acknowledged",
      );
      send(res, 200, OK_BODY);
    };
  }

  const notFound = (res: ServerResponse): void =>
    send(res, 404, JSON.stringify({ ok: false, error: "not_found" }));

  return (req, res) => {
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    const path = query < 0 ? url : url.slice(0, query);
    let handled: Promise<void> | void;
    try {
      if (path === "/healthz" && (req.method === "GET" || req.method === "HEAD")) {
        handled = send(res, 200, JSON.stringify({ status: "ok" }));
      } else {
        const route = req.method === "POST" ? routes.get(path) : undefined;
        handled = route ? route(req, res) : notFound(res);
      }
    } catch (error) {
      handled = Promise.reject(error);
    }
    void Promise.resolve(handled).catch((error: unknown) => {
      logger.error({ err: error, path }, "HTTP handler failed");
      send(res, 500, JSON.stringify({ ok: false, error: "internal" }));
    });
  };
}

/**
 * Reads a request body as UTF-8 text, counting bytes as they arrive: undefined as soon as it exceeds `limit`
 * (the rest is left unread; the caller answers 413 and closes the connection). Also undefined when the client
 * goes away mid-body (the answer then goes nowhere).
 */
function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (text: string | undefined): void => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onError);
      resolve(text);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) done(undefined);
      else chunks.push(chunk);
    };
    const onEnd = (): void =>
      done(chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks, size).toString("utf8"));
    const onError = (): void => done(undefined);
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    // "close" before "end": the client went away mid-body.
    req.on("close", onError);
  });
}

/** Waits for `task` but no longer than `ms`; the task goes on if it is slower. Never rejects. */
async function boundedBy(task: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([task.catch(() => undefined), bound]);
  } finally {
    clearTimeout(timer);
  }
}

/** A listening HTTP server; see {@link startHttpServer}. */
export interface RunningHttpServer {
  /** The port actually bound (useful with port 0). */
  port: number;
  /** Stops accepting connections; idle keep-alive connections are closed at once, busy ones after `graceMs`. */
  close(graceMs?: number): Promise<void>;
}

/**
 * Serves `app` with node:http. Resolves once listening; rejects if the port cannot be bound. Request and
 * header timeouts are bounded so that a slow client cannot hold a connection open for minutes.
 */
export function startHttpServer(
  app: HttpApp,
  address: { port: number; host: string },
): Promise<RunningHttpServer> {
  return new Promise((resolve, reject) => {
    const server = createServer(
      { requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: 65_000 },
      app,
    );
    server.listen(address.port, address.host);
    server.once("error", reject);
    server.once("listening", () => {
      server.off("error", reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: (graceMs = 5000) =>
          new Promise<void>((done) => {
            const force = setTimeout(() => server.closeAllConnections(), graceMs);
            server.close(() => {
              clearTimeout(force);
              done();
            });
            server.closeIdleConnections();
          }),
      });
    });
  });
}
