import type { ServerResponse } from "node:http";
import type { Update } from "grammy/types";
import { FakeBotServer } from "./http-fake.ts";

/** A message the bot sent, as the fake Telegram API recorded it. */
export interface TelegramSent {
  chatId: number;
  text: string;
  /** Inline buttons, row by row flattened: label and callback data. */
  buttons: Array<{ text: string; data: string }>;
  messageId: number;
}

export const FAKE_TELEGRAM_TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijk";

/** The bot identity the fake answers getMe with (also usable as `botInfo`). */
export const FAKE_TELEGRAM_BOT = {
  id: 123456789,
  is_bot: true as const,
  first_name: "Hỏi Chính Sách (test)",
  username: "hoichinhsach_test_bot",
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
};

/**
 * A fake Telegram Bot API on loopback: records every call, serves getUpdates with real offset semantics and long
 * polling, answers sendMessage like Telegram, and injects faults (429 with retry_after, 5xx, hangs, dropped
 * connections, a whole outage) on demand.
 */
export class FakeTelegramApi extends FakeBotServer {
  private nextUpdateId = 1000;
  private nextMessageId = 1;
  private readonly pending: Update[] = [];
  private pollers: Array<() => void> = [];
  /** Longest a getUpdates long poll is held, whatever timeout the client asked (keeps tests quick). */
  maxPollMs = 1000;
  webhook: { url: string; secret?: string } | undefined;

  constructor(token = FAKE_TELEGRAM_TOKEN) {
    super(token, (method, payload, res) => this.answer(method, payload, res));
  }

  static async start(token?: string): Promise<FakeTelegramApi> {
    const api = new FakeTelegramApi(token);
    await api.listen();
    return api;
  }

  /** A text message from a user in a private chat; queued for getUpdates and returned (for webhook posts). */
  userSends(userId: number, text: string, chat: { id?: number; type?: "private" | "group" } = {}): Update {
    const message = {
      message_id: this.nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      from: { id: userId, is_bot: false, first_name: "Người dùng" },
      chat:
        chat.type === "group"
          ? { id: chat.id ?? -100, type: "group" as const, title: "Nhóm" }
          : { id: userId, type: "private" as const, first_name: "Người dùng" },
      text,
      ...(text.startsWith("/")
        ? {
            entities: [{ type: "bot_command" as const, offset: 0, length: text.split(/\s/)[0]?.length ?? 1 }],
          }
        : {}),
    };
    return this.enqueue({ update_id: this.nextUpdateId++, message } as Update);
  }

  /** A sticker from a user (not text). */
  userSendsSticker(userId: number): Update {
    return this.enqueue({
      update_id: this.nextUpdateId++,
      message: {
        message_id: this.nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        from: { id: userId, is_bot: false, first_name: "Người dùng" },
        chat: { id: userId, type: "private", first_name: "Người dùng" },
        sticker: {
          file_id: "s1",
          file_unique_id: "s1",
          type: "regular",
          width: 512,
          height: 512,
          is_animated: false,
          is_video: false,
        },
      },
    } as Update);
  }

  /** A press on an inline button under one of the bot's messages. */
  userPresses(userId: number, data: string, messageId = 1): Update {
    return this.enqueue({
      update_id: this.nextUpdateId++,
      callback_query: {
        id: `cq${this.nextUpdateId}`,
        from: { id: userId, is_bot: false, first_name: "Người dùng" },
        chat_instance: "ci",
        data,
        message: {
          message_id: messageId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: userId, type: "private", first_name: "Người dùng" },
          text: "…",
        },
      },
    } as Update);
  }

  /** Puts an update in the getUpdates queue. */
  enqueue(update: Update): Update {
    this.pending.push(update);
    const pollers = this.pollers;
    this.pollers = [];
    for (const wake of pollers) wake();
    return update;
  }

  /** Everything the bot sent to a chat, in order. */
  sentTo(chatId: number): TelegramSent[] {
    return this.callsTo("sendMessage")
      .filter((call) => call.payload.chat_id === chatId)
      .map((call) => ({
        chatId,
        text: String(call.payload.text),
        buttons: buttonsOf(call.payload.reply_markup),
        messageId: Number((call.payload as { __message_id?: number }).__message_id ?? 0),
      }));
  }

  private async answer(method: string, payload: Record<string, unknown>, res: ServerResponse): Promise<void> {
    const ok = (result: unknown): void => this.json(res, 200, { ok: true, result });
    switch (method) {
      case "getMe":
        return ok(FAKE_TELEGRAM_BOT);
      case "getUpdates":
        return this.getUpdates(payload, res);
      case "sendMessage": {
        const messageId = this.nextMessageId++;
        payload.__message_id = messageId;
        return ok({
          message_id: messageId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: payload.chat_id, type: "private" },
          text: payload.text,
        });
      }
      case "sendDocument":
        return ok({
          message_id: this.nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          chat: { id: Number(payload.chat_id), type: "private" },
          document: { file_id: "fake-file", file_unique_id: "fake", file_name: "document" },
        });
      case "sendChatAction":
      case "answerCallbackQuery":
      case "setMyCommands":
        return ok(true);
      case "setWebhook":
        this.webhook = {
          url: String(payload.url),
          ...(payload.secret_token ? { secret: String(payload.secret_token) } : {}),
        };
        return ok(true);
      case "deleteWebhook":
        this.webhook = undefined;
        return ok(true);
      case "getWebhookInfo":
        return ok({
          url: this.webhook?.url ?? "",
          has_custom_certificate: false,
          pending_update_count: this.pending.length,
        });
      default:
        return this.json(res, 404, {
          ok: false,
          error_code: 404,
          description: "Not Found: method not found",
        });
    }
  }

  private async getUpdates(payload: Record<string, unknown>, res: ServerResponse): Promise<void> {
    if (this.webhook) {
      return this.json(res, 409, {
        ok: false,
        error_code: 409,
        description:
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      });
    }
    const offset = Number(payload.offset ?? 0);
    const limit = Number(payload.limit ?? 100);
    // Confirmed updates are forgotten, as on Telegram.
    while (this.pending.length > 0 && (this.pending[0]?.update_id ?? 0) < offset) this.pending.shift();
    if (this.pending.length === 0) {
      const waitMs = Math.min(Number(payload.timeout ?? 0) * 1000, this.maxPollMs);
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
    this.json(res, 200, { ok: true, result: this.pending.slice(0, limit) });
  }
}

function buttonsOf(markup: unknown): Array<{ text: string; data: string }> {
  const rows = (
    markup as { inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>> } | undefined
  )?.inline_keyboard;
  return (rows ?? []).flat().map((button) => ({ text: button.text, data: button.callback_data ?? "" }));
}
