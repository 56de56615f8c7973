import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { z } from "zod";
import { createRedactor } from "../../logging.ts";
import { ZaloApiError, ZaloHttpError } from "./errors.ts";
import { ZaloBotInfo, ZaloEnvelope, ZaloSentMessage, ZaloWebhookInfo } from "./types.ts";

/**
 * A small typed client of the Zalo Bot Platform API (`https://bot-api.zaloplatforms.com/bot<token>/<method>`,
 * POST with a JSON body, answers in a `{ ok, result, error_code, description }` envelope). Facts and their
 * confidence: `shared/reference/zalo-bot-api.md`, gathered from the platform's documentation
 * (https://bot.zaloplatforms.com/docs) as mirrored by public clients; not checked against the live service here.
 */
export interface ZaloClient {
  /** `getMe`: the bot's own account. */
  getMe(signal?: AbortSignal): Promise<z.infer<typeof ZaloBotInfo>>;
  /**
   * `getUpdates`: long poll for up to `timeout` seconds. Returns the raw update objects (the platform answers
   * with one update, not an array, and has no offset cursor; an array is accepted too), to be validated like a
   * webhook body. The 408 answer given when nothing arrived is "no update": an empty list, not an error.
   */
  getUpdates(params: { timeout: number }, signal?: AbortSignal): Promise<unknown[]>;
  /** `sendMessage`: 1–2,000 characters of text to a chat (split longer texts first). */
  sendMessage(
    params: { chat_id: string; text: string; parse_mode?: "markdown" | "html" },
    signal?: AbortSignal,
  ): Promise<z.infer<typeof ZaloSentMessage>>;
  /** `sendChatAction`: shows "typing…" in the chat. */
  sendChatAction(params: { chat_id: string; action: "typing" }, signal?: AbortSignal): Promise<void>;
  /** `setWebhook`: HTTPS url and a secret of 8–256 characters, echoed in `X-Bot-Api-Secret-Token`. */
  setWebhook(params: { url: string; secret_token: string }, signal?: AbortSignal): Promise<void>;
  /** `deleteWebhook`: back to getUpdates. */
  deleteWebhook(signal?: AbortSignal): Promise<void>;
  /** `getWebhookInfo`: the registered url and when it was set. */
  getWebhookInfo(signal?: AbortSignal): Promise<z.infer<typeof ZaloWebhookInfo>>;
}

/** Options of {@link createZaloClient}. */
export interface ZaloClientOptions {
  token: string;
  /** Default `https://bot-api.zaloplatforms.com`; tests point it at a local fake. */
  apiRoot?: string;
  /** Time allowed to an ordinary call, in ms (default 10,000); getUpdates gets its poll timeout on top. */
  requestTimeoutMs?: number;
  /** How a request is carried; default {@link createHttpTransport}. Tests inject answers the fake cannot give. */
  transport?: ZaloTransport;
}

/** Carries one POST with a JSON body and returns the status and the body text; rejects on network failure. */
export type ZaloTransport = (
  url: string,
  body: string,
  signal: AbortSignal,
) => Promise<{ status: number; body: string }>;

/** Largest answer read from the API; anything bigger is not a Bot API envelope. */
const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * The default transport: node:http / node:https with keep-alive connections. Chosen over the global fetch because
 * it costs a fraction of the CPU per call on Node 20 (see the channel benchmark), which matters at hundreds of
 * messages a second.
 */
export function createHttpTransport(): ZaloTransport {
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  return (url, body, signal) =>
    new Promise((resolve, reject) => {
      const secure = url.startsWith("https:");
      const send = secure ? httpsRequest : httpRequest;
      const req = send(
        url,
        {
          method: "POST",
          agent: secure ? agents.https : agents.http,
          signal,
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_ANSWER_BYTES)
              res.destroy(new Error(`answer larger than ${MAX_ANSWER_BYTES} bytes`));
            else chunks.push(chunk);
          });
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
          );
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
}

/** A sendMessage result (possibly absent). Built once: a zod schema costs far more to build than to use. */
const SENT_MESSAGE = ZaloSentMessage.optional().transform((r) => r ?? {});

/** The answer given by getUpdates when the long poll ended with nothing to deliver. */
const NO_UPDATE = 408;

/**
 * Creates a {@link ZaloClient}. Errors are {@link ZaloApiError} (the platform said no) or {@link ZaloHttpError}
 * (no usable answer); neither ever contains the token, which is part of every request URL.
 *
 * ```ts
 * const zalo = createZaloClient({ token: config.zalo.token, apiRoot: config.zalo.apiRoot });
 * await zalo.sendMessage({ chat_id: chatId, text: "Xin chào!" });
 * ```
 */
export function createZaloClient(options: ZaloClientOptions): ZaloClient {
  const apiRoot = (options.apiRoot ?? "https://bot-api.zaloplatforms.com").replace(/\/+$/, "");
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const transport = options.transport ?? createHttpTransport();
  const redact = createRedactor([options.token]);

  /** Performs one call and returns the envelope's `result`; throws ZaloApiError / ZaloHttpError. */
  async function call(
    method: string,
    params: object,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<unknown> {
    // One controller for both the caller's signal and the time limit (cheaper than AbortSignal.any + timeout).
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const forward = (): void => controller.abort();
    signal?.addEventListener("abort", forward, { once: true });
    if (signal?.aborted) controller.abort();
    let answer: { status: number; body: string };
    try {
      answer = await transport(
        `${apiRoot}/bot${options.token}/${method}`,
        JSON.stringify(params),
        controller.signal,
      );
    } catch (error) {
      const reason = timedOut
        ? `no answer after ${timeoutMs} ms`
        : signal?.aborted
          ? "aborted"
          : "network error";
      throw new ZaloHttpError(method, reason, { cause: sanitize(error, redact) });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", forward);
    }
    let body: unknown;
    try {
      body = JSON.parse(answer.body);
    } catch (error) {
      throw new ZaloHttpError(method, `HTTP ${answer.status}, the body is not JSON`, {
        status: answer.status,
        cause: sanitize(error, redact),
      });
    }
    const envelope = ZaloEnvelope.safeParse(body);
    if (!envelope.success) {
      throw new ZaloHttpError(method, `HTTP ${answer.status}, not a Bot API envelope`, {
        status: answer.status,
      });
    }
    if (!envelope.data.ok) {
      const ok = answer.status >= 200 && answer.status < 300;
      const code = envelope.data.error_code ?? (ok ? undefined : answer.status);
      throw new ZaloApiError(method, code, envelope.data.description && redact(envelope.data.description));
    }
    return envelope.data.result;
  }

  async function typed<S extends z.ZodType>(
    method: string,
    schema: S,
    params: object,
    signal?: AbortSignal,
  ): Promise<z.infer<S>> {
    const result = schema.safeParse(await call(method, params, requestTimeoutMs, signal));
    if (!result.success) throw new ZaloHttpError(method, "the result does not have the documented shape");
    return result.data;
  }

  return {
    getMe: (signal) => typed("getMe", ZaloBotInfo, {}, signal),

    async getUpdates(params, signal) {
      try {
        // Documented as a string of seconds; the long poll needs the HTTP timeout to exceed it.
        const result = await call(
          "getUpdates",
          { timeout: String(params.timeout) },
          params.timeout * 1000 + requestTimeoutMs,
          signal,
        );
        if (result === undefined || result === null) return [];
        return Array.isArray(result) ? result : [result];
      } catch (error) {
        if (error instanceof ZaloApiError && error.error_code === NO_UPDATE) return [];
        throw error;
      }
    },

    sendMessage: (params, signal) => typed("sendMessage", SENT_MESSAGE, params, signal),

    async sendChatAction(params, signal) {
      await call("sendChatAction", params, requestTimeoutMs, signal);
    },

    async setWebhook(params, signal) {
      await call("setWebhook", params, requestTimeoutMs, signal);
    },

    async deleteWebhook(signal) {
      await call("deleteWebhook", {}, requestTimeoutMs, signal);
    },

    getWebhookInfo: (signal) => typed("getWebhookInfo", ZaloWebhookInfo, {}, signal),
  };
}

/** A copy of an error (and its causes) with the token removed from every message, safe to keep and log. */
function sanitize(error: unknown, redact: (text: string) => string, depth = 0): Error {
  if (!(error instanceof Error)) return new Error(redact(String(error)));
  const cause = error.cause !== undefined && depth < 3 ? sanitize(error.cause, redact, depth + 1) : undefined;
  const copy = new Error(redact(error.message), cause ? { cause } : undefined);
  copy.name = error.name;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" || typeof code === "number") Object.assign(copy, { code });
  copy.stack = `${copy.name}: ${copy.message}`;
  return copy;
}
