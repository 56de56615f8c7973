import { serve } from "@hono/node-server";
import { Hono, type Context } from "hono";
import type { Server } from "node:http";
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

/**
 * See {@link WebhookTarget.accept}. `handle` resolves within the channel's acknowledgement bound. `store` records
 * the update durably (answered once it is committed); when it fails, the delivery is answered 500 so that the
 * platform sends it again.
 */
export type WebhookVerdict =
  | { type: "store"; store: () => "accepted" | "duplicate" | Promise<"accepted" | "duplicate"> }
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
  /** Whether storage can be read and written now, for `/readyz`; without it `/readyz` answers like `/healthz`. */
  readiness?: () => { ok: true } | { ok: false; cause: string };
  /** Further applications served under a path prefix (the staff console under `/console`). */
  mounts?: { prefix: string; fetch: (request: Request, env: unknown) => Response | Promise<Response> }[];
}

/** Default body limit: 256 KiB. */
export const MAX_BODY_BYTES = 256 * 1024;

/**
 * Creates the one HTTP application of `hoichinhsach serve`: `POST /webhooks/telegram`, `POST /webhooks/zalo`
 * `GET /healthz` (liveness) and `GET /readyz` (storage can be read and written now, else 503 with the cause). A webhook request goes through, in order: secret (401, before anything is read), content
 * type (415 unless JSON), size (413 over the limit, counted while reading when there is no Content-Length),
 * JSON syntax and shape (400), readiness and load (503), then handling, acknowledged within a bound.
 * Neither health route calls Telegram or Zalo.
 *
 * ```ts
 * const app = createHttpApp({ logger, webhooks: { zalo: zaloTarget } });
 * const server = await startHttpServer(app, { port: 3000, host: "0.0.0.0" });
 * ```
 */
export function createHttpApp(options: HttpAppOptions): Hono {
  const { logger } = options;
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const ackTimeoutMs = options.ackTimeoutMs ?? 2000;
  const maxInFlight = options.maxInFlight ?? 2000;
  const app = new Hono();

  const reject = (c: Context, channel: string, status: 400 | 401 | 404 | 413 | 415 | 503, reason: string) => {
    logger.warn({ channel, status, reason }, "webhook delivery rejected");
    if (status === 503) c.header("Retry-After", "5");
    // The body may be left unread: close the connection rather than let the client reuse a poisoned one.
    c.header("Connection", "close");
    return c.json({ ok: false, error: reason }, status);
  };

  // Liveness: the process answers. Readiness: messages can be handled now (storage reads and writes).
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", (c) => {
    const status = options.readiness?.() ?? { ok: true };
    return status.ok
      ? c.json({ status: "ready" })
      : c.json({ status: "unavailable", cause: status.cause }, 503);
  });

  for (const channel of ["telegram", "zalo"] as const) {
    const target = options.webhooks[channel];
    const path = `/webhooks/${channel}`;
    if (!target) {
      app.post(path, (c) => reject(c, channel, 404, "webhook_not_enabled"));
      continue;
    }
    const secretMatches = createSecretCheck(target.secret);
    app.post(
      path,
      async (c, next) => {
        if (!secretMatches(c.req.header(target.secretHeader))) return reject(c, channel, 401, "bad_secret");
        const type = c.req.header("content-type") ?? "";
        if (!/^application\/json\s*(;|$)/i.test(type)) return reject(c, channel, 415, "not_json");
        await next();
      },
      async (c) => {
        const started = performance.now();
        let body: unknown;
        try {
          const text = await bodyText(c, maxBodyBytes);
          if (text === null) return reject(c, channel, 413, "too_large");
          body = JSON.parse(text);
        } catch {
          // Not JSON, or the client went away while sending it.
          return reject(c, channel, 400, "malformed_json");
        }
        const verdict = target.accept(body);
        if (verdict.type === "invalid") return reject(c, channel, 400, "malformed_update");
        if (verdict.type === "ignore") {
          logger.debug({ channel, reason: verdict.reason }, "webhook delivery ignored");
          return c.json({ ok: true });
        }
        if (!target.ready()) return reject(c, channel, 503, "not_ready");
        if (target.inFlight() >= maxInFlight) return reject(c, channel, 503, "overloaded");
        if (verdict.type === "store") {
          let stored;
          try {
            stored = await verdict.store();
          } catch (error) {
            logger.error({ channel, err: error }, "webhook delivery not stored");
            c.header("Connection", "close");
            return c.json({ ok: false, error: "not_stored" }, 500);
          }
          logger.debug(
            { channel, stored, duration_ms: Math.round(performance.now() - started) },
            "webhook delivery acknowledged",
          );
          return c.json({ ok: true });
        }
        await boundedBy(verdict.handle(), ackTimeoutMs);
        logger.debug(
          { channel, duration_ms: Math.round(performance.now() - started) },
          "webhook delivery acknowledged",
        );
        return c.json({ ok: true });
      },
    );
  }

  for (const mount of options.mounts ?? []) {
    const handle = (c: Context) => mount.fetch(c.req.raw, c.env);
    app.all(mount.prefix, handle);
    app.all(`${mount.prefix}/*`, handle);
  }

  app.notFound((c) => c.json({ ok: false, error: "not_found" }, 404));
  app.onError((error, c) => {
    logger.error({ err: error, path: c.req.path }, "HTTP handler failed");
    return c.json({ ok: false, error: "internal" }, 500);
  });
  return app;
}

/**
 * The request body as text, or null when it is over `maxBytes`: a declared Content-Length is checked before
 * anything is read, a body without one is counted as it is read. Hono's bodyLimit middleware does the same,
 * but it asks for the web `Request` body, which makes the Node adapter build a whole `Request` and a web
 * stream for every delivery; reading through `c.req.text()` takes the body straight from Node's request.
 */
async function bodyText(c: Context, maxBytes: number): Promise<string | null> {
  const declared = c.req.header("content-length");
  if (declared !== undefined && c.req.header("transfer-encoding") === undefined) {
    // Node's parser has checked the header is a number and holds the body to it.
    return Number(declared) > maxBytes ? null : c.req.text();
  }
  const stream = c.req.raw.body;
  if (!stream) return "";
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
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
 * Serves `app` with @hono/node-server. Resolves once listening; rejects if the port cannot be bound. Request
 * and header timeouts are bounded so that a slow client cannot hold a connection open for minutes.
 */
export function startHttpServer(
  app: Hono,
  address: { port: number; host: string },
): Promise<RunningHttpServer> {
  return new Promise((resolve, reject) => {
    const server = serve({
      fetch: app.fetch,
      port: address.port,
      hostname: address.host,
      serverOptions: { requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: 65_000 },
    }) as Server;
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
