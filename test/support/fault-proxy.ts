import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * What the proxy does to one call. Before forwarding (the API never sees the call): `error_500`, `rate_429`.
 * After forwarding (the API received it and acted on it, the client cannot know): `bad_gateway_502` (an HTML
 * page, not the API's answer), `reset` (the connection is destroyed), `hang` (no answer, ever).
 */
export type ProxyFault = "pass" | "error_500" | "rate_429" | "bad_gateway_502" | "reset" | "hang";

/** Faults that happen before the call reaches the API. */
export const BEFORE_DELIVERY: readonly ProxyFault[] = ["error_500", "rate_429"];

/** One call that went through the proxy. */
export interface ProxiedCall {
  method: string;
  /** The chat the call was for (`chat_id`, as a string), when the body has one. */
  chat: string | undefined;
  fault: ProxyFault;
  /** When the proxy received it (epoch ms). */
  at: number;
}

/** Options of {@link FaultProxy.start}. */
export interface FaultProxyOptions {
  /** The API behind the proxy, e.g. `http://127.0.0.1:4567`. */
  upstream: string;
  /** Methods that get faults; every other call passes (getMe, getUpdates). */
  methods: readonly string[];
  /** Chance of each fault per call; the rest pass. */
  rates: Partial<Record<Exclude<ProxyFault, "pass">, number>>;
  /** retry_after of the 429 answers, in seconds. */
  retryAfterSeconds?: number;
  /** Seed of the fault draw, so that a run can be repeated. */
  seed?: number;
  /** Delay before a call is forwarded, in ms (a real API is not instant). Default 0. */
  latencyMs?: number;
}

/** A small deterministic generator (mulberry32): the same seed gives the same faults. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A fault-injecting HTTP proxy in front of a fake Bot API (Telegram or Zalo: both are `POST /bot<token>/<method>`
 * with a JSON body), on 127.0.0.1. Each call of a chosen method draws a fault; every call is recorded with what
 * was done to it, so a test can tell the copies caused by faults after delivery from the others.
 *
 * ```ts
 * const proxy = await FaultProxy.start({ upstream: api.apiRoot, methods: ["sendMessage"], rates: { reset: 0.1 } });
 * // give proxy.apiRoot to the app instead of api.apiRoot
 * ```
 */
export class FaultProxy {
  readonly calls: ProxiedCall[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly random: () => number;
  private server: Server | undefined;
  port = 0;

  private readonly options: FaultProxyOptions;

  private constructor(options: FaultProxyOptions) {
    this.options = options;
    this.random = seeded(options.seed ?? 1);
  }

  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const proxy = new FaultProxy(options);
    proxy.server = createServer((req, res) => void proxy.route(req, res));
    proxy.server.on("connection", (socket) => {
      proxy.sockets.add(socket);
      socket.on("close", () => proxy.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => proxy.server?.listen(0, "127.0.0.1", resolve));
    proxy.port = (proxy.server.address() as AddressInfo).port;
    return proxy;
  }

  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** How many calls got each fault. */
  counts(): Record<ProxyFault, number> {
    const counts: Record<ProxyFault, number> = {
      pass: 0,
      error_500: 0,
      rate_429: 0,
      bad_gateway_502: 0,
      reset: 0,
      hang: 0,
    };
    for (const call of this.calls) counts[call.fault]++;
    return counts;
  }

  private draw(method: string): ProxyFault {
    if (!this.options.methods.includes(method)) return "pass";
    let roll = this.random();
    for (const [fault, rate] of Object.entries(this.options.rates) as Array<[ProxyFault, number]>) {
      if (roll < rate) return fault;
      roll -= rate;
    }
    return "pass";
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const method = /\/([A-Za-z]+)$/.exec(req.url ?? "")?.[1] ?? "";
    let chat: string | undefined;
    if ((req.headers["content-type"] ?? "").startsWith("application/json")) {
      try {
        const id = (JSON.parse(body.toString("utf8")) as { chat_id?: unknown }).chat_id;
        if (id !== undefined) chat = String(id);
      } catch {
        // Not JSON: forwarded as it is.
      }
    }
    const fault = this.draw(method);
    this.calls.push({ method, chat, fault, at: Date.now() });
    if (fault === "error_500") {
      json(res, 500, { ok: false, error_code: 500, description: "Internal Server Error" });
      return;
    }
    if (fault === "rate_429") {
      json(res, 429, {
        ok: false,
        error_code: 429,
        description: "Too Many Requests: retry later",
        parameters: { retry_after: this.options.retryAfterSeconds ?? 1 },
      });
      return;
    }
    if (this.options.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    let answer: { status: number; headers: IncomingMessage["headers"]; body: Buffer };
    try {
      answer = await this.forward(req, body);
    } catch {
      req.socket.destroy();
      return;
    }
    if (fault === "reset") req.socket.destroy();
    else if (fault === "hang") return;
    else if (fault === "bad_gateway_502") {
      res.writeHead(502, { "content-type": "text/html" });
      res.end("<html><body><h1>502 Bad Gateway</h1></body></html>");
    } else {
      res.writeHead(answer.status, { "content-type": answer.headers["content-type"] ?? "application/json" });
      res.end(answer.body);
    }
  }

  private forward(
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: IncomingMessage["headers"]; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const upstream = request(
        `${this.options.upstream}${req.url ?? "/"}`,
        {
          method: req.method,
          headers: { ...req.headers, host: new URL(this.options.upstream).host, connection: "close" },
        },
        (res) => {
          const parts: Buffer[] = [];
          res.on("data", (chunk: Buffer) => parts.push(chunk));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(parts) }),
          );
          res.on("error", reject);
        },
      );
      upstream.on("error", reject);
      upstream.end(body);
    });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
