import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** A fault the fake Bot APIs can inject into the next calls of a method. */
export type Fault =
  | { type: "status"; status: number; retryAfter?: number; description?: string }
  | { type: "hang" }
  | { type: "drop" };

/** One call received by a fake Bot API. */
export interface RecordedCall {
  method: string;
  payload: Record<string, unknown>;
}

type Handler = (
  method: string,
  payload: Record<string, unknown>,
  res: ServerResponse,
) => void | Promise<void>;

/** Shared machinery of the fake Bot API servers: routing by token and method, faults, outage, waiting. */
export class FakeBotServer {
  readonly calls: RecordedCall[] = [];
  private readonly faults = new Map<string, Fault[]>();
  private readonly sockets = new Set<Socket>();
  private readonly hanging = new Set<ServerResponse>();
  private down = false;
  private server: Server | undefined;
  private waiters: Array<() => void> = [];
  /** Every method called, including the attempts answered with an injected fault. */
  readonly attempts: string[] = [];
  port = 0;
  readonly token: string;
  private readonly handler: Handler;

  constructor(token: string, handler: Handler) {
    this.token = token;
    this.handler = handler;
  }

  async listen(): Promise<void> {
    this.server = createServer((req, res) => void this.route(req, res));
    this.server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Base URL to give as the API root. */
  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Injects `fault` into the next `times` calls of `method`. */
  failNext(method: string, fault: Fault, times = 1): void {
    const list = this.faults.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push(fault);
    this.faults.set(method, list);
  }

  /** While down, every request has its connection destroyed: the API is unreachable. */
  setDown(down: boolean): void {
    this.down = down;
    if (down) for (const socket of this.sockets) socket.destroy();
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Resolves when `predicate` holds, checking after every call; rejects after `timeoutMs`. */
  async waitFor(predicate: () => boolean, timeoutMs = 10_000, what = "condition"): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 100));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  protected notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  json(res: ServerResponse, status: number, body: unknown): void {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.down) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? "");
    if (!match || match[1] !== this.token) {
      this.json(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
      return;
    }
    const method = match[2] ?? "";
    let payload: Record<string, unknown> = {};
    const body = Buffer.concat(chunks);
    const raw = body.toString("utf8");
    const contentType = req.headers["content-type"] ?? "";
    if (contentType.startsWith("multipart/form-data")) {
      payload = parseMultipart(raw, contentType);
    } else if (raw) {
      try {
        payload = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        this.json(res, 400, { ok: false, error_code: 400, description: "Bad Request: body is not JSON" });
        return;
      }
    }
    this.attempts.push(method);
    const fault = this.faults.get(method)?.shift();
    if (fault?.type === "drop") {
      req.socket.destroy();
      return;
    }
    if (fault?.type === "hang") {
      this.hanging.add(res);
      res.on("close", () => this.hanging.delete(res));
      return;
    }
    if (fault?.type === "status") {
      this.json(res, fault.status, {
        ok: false,
        error_code: fault.status,
        description:
          fault.description ??
          (fault.status === 429 ? "Too Many Requests: retry later" : "Internal Server Error"),
        ...(fault.retryAfter !== undefined ? { parameters: { retry_after: fault.retryAfter } } : {}),
      });
      return;
    }
    this.calls.push({ method, payload });
    this.notify();
    await this.handler(method, payload, res);
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/**
 * A small multipart/form-data reader for file uploads (sendDocument): fields as strings, files as
 * `{ filename, content }` (UTF-8 text: the only files the bot sends are HTML pages).
 */
function parseMultipart(raw: string, contentType: string): Record<string, unknown> {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  const fields: Record<string, unknown> = {};
  if (!boundary) return fields;
  for (const part of raw.split(`--${boundary}`)) {
    const split = part.indexOf("\r\n\r\n");
    if (split < 0) continue;
    const head = part.slice(0, split);
    const content = part.slice(split + 4).replace(/\r\n$/, "");
    const name = /name="([^"]*)"/i.exec(head)?.[1];
    if (!name) continue;
    const filename = /filename="?([^";\r\n]*)"?/i.exec(head)?.[1];
    fields[name] = filename === undefined ? content : { filename, content };
  }
  // grammY sends a file as its own part and the field as "attach://<part name>".
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === "string" && value.startsWith("attach://")) {
      const part = value.slice("attach://".length);
      fields[name] = fields[part];
      delete fields[part];
    }
  }
  return fields;
}
