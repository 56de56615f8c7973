import type { ServerResponse } from "node:http";
import { FakeBotServer } from "./http-fake.ts";

export const FAKE_ZALO_TOKEN = "3141592653:ZaloFakeTokenForTestsOnly-xyz";

/** A Zalo update as the platform sends it (the `result` of the envelope). */
export interface ZaloUpdateBody {
  event_name: string;
  message: {
    message_id: string;
    date: number;
    from: { id: string; display_name: string; is_bot: boolean };
    chat: { id: string; chat_type: "PRIVATE" | "GROUP" };
    text?: string;
  };
}

/**
 * A fake Zalo Bot API on loopback, following `shared/reference/zalo-bot-api.md`: getUpdates long-polls and
 * answers one update at a time, or `{ ok: false, error_code: 408 }` when nothing came; sendMessage refuses texts
 * over 2,000 characters; every call is recorded; faults are injected on demand.
 */
export class FakeZaloApi extends FakeBotServer {
  private nextMessageId = 1;
  private readonly pending: ZaloUpdateBody[] = [];
  private pollers: Array<() => void> = [];
  /** Longest a getUpdates long poll is held, whatever timeout the client asked. */
  maxPollMs = 1000;
  /** HTTP status of the 408 "no update" answer (the envelope is the same either way). */
  noUpdateStatus = 200;
  webhook: { url: string; secret: string } | undefined;
  /** getUpdates calls being held right now, and the most ever held at once (one polling loop → 1). */
  activePolls = 0;
  maxConcurrentPolls = 0;

  constructor(token = FAKE_ZALO_TOKEN) {
    super(token, (method, payload, res) => this.answer(method, payload, res));
  }

  static async start(token?: string): Promise<FakeZaloApi> {
    const api = new FakeZaloApi(token);
    await api.listen();
    return api;
  }

  /** A text message from a user in a private chat (chat id = user id); queued for getUpdates and returned. */
  userSends(userId: string, text: string, options: { group?: boolean } = {}): ZaloUpdateBody {
    return this.enqueue(this.event("message.text.received", userId, { text }, options.group));
  }

  /** Any event from a user (sticker, image, unsupported, or an unknown future name). */
  event(eventName: string, userId: string, extra: { text?: string } = {}, group = false): ZaloUpdateBody {
    return {
      event_name: eventName,
      message: {
        message_id: `m${this.nextMessageId++}`,
        date: Date.now(),
        from: { id: userId, display_name: "Người dùng", is_bot: false },
        chat: { id: group ? `g-${userId}` : userId, chat_type: group ? "GROUP" : "PRIVATE" },
        ...extra,
      },
    };
  }

  /** Puts an update in the getUpdates queue. */
  enqueue(update: ZaloUpdateBody): ZaloUpdateBody {
    this.pending.push(update);
    const pollers = this.pollers;
    this.pollers = [];
    for (const wake of pollers) wake();
    return update;
  }

  /** Texts sent to a chat, in order. */
  sentTo(chatId: string): string[] {
    return this.callsTo("sendMessage")
      .filter((call) => call.payload.chat_id === chatId)
      .map((call) => String(call.payload.text));
  }

  private async answer(method: string, payload: Record<string, unknown>, res: ServerResponse): Promise<void> {
    const ok = (result: unknown): void => this.json(res, 200, { ok: true, result });
    switch (method) {
      case "getMe":
        return ok({
          id: "bot1",
          account_name: "hoichinhsach",
          account_type: "BASIC",
          can_join_groups: false,
        });
      case "getUpdates":
        return this.getUpdates(payload, res);
      case "sendMessage": {
        const text = typeof payload.text === "string" ? payload.text : "";
        if (text.length < 1 || text.length > 2000) {
          return this.json(res, 400, {
            ok: false,
            error_code: 400,
            description: "text must be 1-2000 characters",
          });
        }
        return ok({ message_id: `b${this.nextMessageId++}`, date: Date.now() });
      }
      case "sendChatAction":
        return ok(true);
      case "setWebhook":
        this.webhook = { url: String(payload.url), secret: String(payload.secret_token) };
        return ok({ url: this.webhook.url, updated_at: Date.now() });
      case "deleteWebhook":
        this.webhook = undefined;
        return ok({ url: "", updated_at: Date.now() });
      case "getWebhookInfo":
        return ok({ url: this.webhook?.url ?? "", updated_at: 1750316131602 });
      default:
        return this.json(res, 404, { ok: false, error_code: 404, description: "method not found" });
    }
  }

  private async getUpdates(payload: Record<string, unknown>, res: ServerResponse): Promise<void> {
    if (this.webhook) {
      return this.json(res, 200, {
        ok: false,
        error_code: 400,
        description: "webhook is set; getUpdates is disabled",
      });
    }
    this.activePolls++;
    this.maxConcurrentPolls = Math.max(this.maxConcurrentPolls, this.activePolls);
    try {
      await this.waitForUpdate(payload, res);
    } finally {
      this.activePolls--;
    }
    // A poll the client gave up on must not swallow an update.
    if (res.destroyed || res.writableEnded) return;
    const update = this.pending.shift();
    if (!update)
      return this.json(res, this.noUpdateStatus, {
        ok: false,
        error_code: 408,
        description: "Request timeout",
      });
    this.json(res, 200, { ok: true, result: update });
  }

  private async waitForUpdate(payload: Record<string, unknown>, res: ServerResponse): Promise<void> {
    if (this.pending.length === 0) {
      const waitMs = Math.min(Number(payload.timeout ?? 30) * 1000, this.maxPollMs);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        this.pollers.push(() => {
          clearTimeout(timer);
          resolve();
        });
        res.on("close", () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
