import { run } from "@grammyjs/runner";
import { apiThrottler, type APIThrottlerOptions } from "@grammyjs/transformer-throttler";
import { Api, Bot, GrammyError, InputFile, webhookCallback, type Context, type RawApi } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import type { Logger } from "../../logging.ts";
import type { MaybePromise } from "../../shared/maybe-promise.ts";
import { backoffDelay, DEFAULT_BACKOFF, sleep } from "../backoff.ts";
import { createDeduplicator, DEFAULT_DEDUP, type DeduplicatorOptions } from "../dedup.ts";
import { createDispatcher, type Delivery, type Dispatcher, type DispatcherLimits } from "../dispatcher.ts";
import type { InboxHandler, TurnOutbox } from "../inbox.ts";
import type { OutboxTransport } from "../outbox-sender.ts";
import type { ConversationCore, Reply } from "../ports.ts";
import { classifyTelegramFailure, NotSentError } from "../send-policy.ts";
import { decodeChoiceData } from "./callback-data.ts";
import { stripBotMention, TELEGRAM_COMMANDS, TELEGRAM_STAFF_COMMANDS } from "./commands.ts";
import { telegramErrorBoundary } from "./error-boundary.ts";
import { renderTelegramReply, type TelegramMessage } from "./render.ts";
import { logFailedCalls, retryFailedCalls } from "./transformers.ts";

/** The update types the bot handles; everything else is not even fetched. */
export const TELEGRAM_ALLOWED_UPDATES = ["message", "callback_query"] as const;

/**
 * Outgoing limits following Telegram's published guidance: about 30 messages a second overall and, per chat,
 * short bursts but roughly one message a second (here: one at a time, at least 250 ms apart, so that a reply
 * split in three arrives in well under a second). A 429 that still happens is waited out (see retryFailedCalls).
 */
export const TELEGRAM_THROTTLE: APIThrottlerOptions = {
  global: { reservoir: 30, reservoirRefreshAmount: 30, reservoirRefreshInterval: 1000 },
  group: {
    maxConcurrent: 1,
    minTime: 1000,
    reservoir: 20,
    reservoirRefreshAmount: 20,
    reservoirRefreshInterval: 60_000,
  },
  out: { maxConcurrent: 1, minTime: 250 },
};

/** Options of {@link createTelegramBot}. */
export interface TelegramBotOptions {
  token: string;
  /** Bot API server; default the official one. Tests point it at a local fake. */
  apiRoot?: string;
  core: ConversationCore;
  logger: Logger;
  /** Rate limit, size cap, typing and core timeout; see {@link DispatcherLimits}. */
  limits?: DispatcherLimits;
  /** Outgoing throttle; default {@link TELEGRAM_THROTTLE}. `false` only against a fake API (benchmarks). */
  throttle?: APIThrottlerOptions | false;
  /** The bot's identity when already known: skips getMe at start-up (tests, benchmarks). */
  botInfo?: UserFromGetMe;
  /** Long-polling timeout in seconds (default 30). */
  pollTimeoutSeconds?: number;
  /** Longest time a webhook delivery is held before it is acknowledged (ms); processing goes on. Default 1,000. */
  ackTimeoutMs?: number;
  /** Remembering update ids, so that a re-delivered update is handled once. */
  dedup?: DeduplicatorOptions;
  /** Retries of a call that failed on the network, with 429 or with 5xx (see retryFailedCalls). Default 3. */
  maxRetryAttempts?: number;
  /** Private chats of staff and volunteers (their user ids), which get the staff command menu. */
  staffChatIds?: readonly number[];
  /**
   * Durable delivery: every update received by polling is handed to `receive` (the inbox) instead of being
   * handled at once; the inbox hands it back through {@link TelegramChannel.inbox}, and replies go to its outbox.
   */
  durable?: { receive(update: Update): MaybePromise<void> };
}

/** One stored outgoing Telegram call: a text message or the case-summary document. */
export type TelegramOutboxItem =
  | { text: string; replyMarkup?: TelegramMessage["replyMarkup"] }
  | { document: { filename: string; content: string } };

/** A running Telegram channel: polling or webhook, see {@link createTelegramBot}. */
export interface TelegramChannel {
  readonly bot: Bot;
  readonly dispatcher: Dispatcher;
  /** True once the bot knows its identity (getMe succeeded or was given). */
  isReady(): boolean;
  /** Gets the bot's identity, retrying with a bounded backoff while the API is unreachable; false if aborted. */
  init(signal: AbortSignal): Promise<boolean>;
  /**
   * Long polling with @grammyjs/runner (updates of different users concurrently, one user's in order) until
   * `signal` aborts. Survives the Bot API going down: the runner retries fetching, and a runner that gives up
   * (401, 409) is restarted after a bounded backoff with an operator hint in the log. Never rejects.
   */
  runPolling(signal: AbortSignal): Promise<void>;
  /**
   * Handles one authenticated, parsed webhook update through grammY's webhook adapter; resolves when it is
   * handled or after `ackTimeoutMs`, whichever comes first (handling goes on in the background).
   */
  handleWebhookUpdate(update: Update): Promise<void>;
  /** Registers the Vietnamese command menu (setMyCommands); staff chats get the staff commands too. */
  setCommands(): Promise<void>;
  /** Sends a plain message to a user outside a conversation turn (a rule-change notice). */
  sendText(chatId: number, text: string): Promise<void>;
  /** Handles stored updates for the durable inbox. */
  readonly inbox: InboxHandler;
  /** Sends stored replies for the durable outbox (no retries of its own: the outbox retries). */
  readonly outbox: OutboxTransport;
}

/**
 * Creates the Telegram channel with grammY. Replies are plain text (no parse mode, so nothing a user or a
 * document says can be mistaken for markup), link previews off, choices as inline buttons whose data carries
 * the step and the value. Outgoing calls go through: failed-call logging, the throttler, and one retry of
 * network failures, 429 and 5xx (retryFailedCalls).
 *
 * ```ts
 * const telegram = createTelegramBot({ token, apiRoot, core, logger });
 * void telegram.runPolling(shutdown.signal);
 * ```
 */
export function createTelegramBot(options: TelegramBotOptions): TelegramChannel {
  const { core, logger } = options;
  const bot = new Bot(options.token, {
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
    client: { ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}) },
  });
  installTransformers(bot.api, options);

  const dispatcher = createDispatcher({ channel: "telegram", core, logger, ...options.limits });
  const dedup = createDeduplicator(options.dedup ?? DEFAULT_DEDUP);

  // Stored updates being handled (by object: a repeat of the same id received meanwhile is not one of them).
  const turns = new WeakMap<Update, TurnOutbox>();
  bot.use((ctx, next) => {
    if (turns.has(ctx.update)) return next();
    if (options.durable) return options.durable.receive(ctx.update);
    if (dedup.firstSeen(String(ctx.update.update_id))) return next();
    logger.info(
      { channel: "telegram", update_id: ctx.update.update_id, outcome: "duplicate" },
      "update handled",
    );
  });
  const guarded = bot.errorBoundary(telegramErrorBoundary(logger));

  guarded.on("message:text", (ctx) => {
    const userKey = `telegram:${ctx.from?.id ?? ctx.chat.id}`;
    const base = { updateId: ctx.update.update_id, userKey };
    const delivery = deliveryFor(ctx, ctx.chat.id);
    const text = stripBotMention(ctx.message.text);
    if (ctx.chat.type !== "private") {
      // In a group the assistant only points to a private chat, and only when addressed with a command.
      return text.startsWith("/") ? dispatcher.notify(base, "private_only", delivery) : undefined;
    }
    return dispatcher.dispatch({ ...base, input: { type: "text", text } }, delivery);
  });

  guarded.on("callback_query:data", async (ctx) => {
    // Stop the button's spinner at once, whatever the core takes.
    const answered = ctx.answerCallbackQuery().catch(() => undefined);
    const choice = decodeChoiceData(ctx.callbackQuery.data) ?? { stepId: "", value: "" };
    const chatId = ctx.callbackQuery.message?.chat.id ?? ctx.from.id;
    await dispatcher.dispatch(
      {
        updateId: ctx.update.update_id,
        userKey: `telegram:${ctx.from.id}`,
        input: { type: "choice", ...choice },
      },
      deliveryFor(ctx, chatId),
    );
    await answered;
  });

  guarded.on("message", (ctx) => {
    if (ctx.chat.type !== "private") return;
    const base = { updateId: ctx.update.update_id, userKey: `telegram:${ctx.from?.id ?? ctx.chat.id}` };
    return dispatcher.notify(base, "not_text", deliveryFor(ctx, ctx.chat.id));
  });

  // Last resort for anything outside the boundary (the de-duplication step) while polling.
  bot.catch((error) => {
    logger.error(
      { channel: "telegram", update_id: error.ctx.update.update_id, err: error.error },
      "update failed",
    );
  });

  /** Where a handler's replies go: the outbox when handling a stored update, else straight to the chat. */
  function deliveryFor(ctx: Context, chatId: number): Delivery {
    const turn = turns.get(ctx.update);
    if (!turn) return deliveryTo(ctx.api, chatId);
    return {
      typing: () => ctx.api.sendChatAction(chatId, "typing").then(() => undefined),
      async send(reply) {
        turn.add(String(chatId), telegramOutboxItems(reply));
      },
      begin: (userKey) => turn.begin(userKey),
      settled: () => turn.settle(),
    };
  }

  // Outbox sends skip the retrying transformers: a retry inside a call would escape the outbox's policy.
  const sendApi = new Api(options.token, options.apiRoot ? { apiRoot: options.apiRoot } : undefined);
  // Closest to the network: a call whose time ran out while it waited in the throttler is not sent at all.
  sendApi.config.use(async (prev, method, payload, signal) => {
    if (signal?.aborted) throw new NotSentError(`${method} not sent: its time ran out before it left`);
    return prev(method, payload, signal);
  });
  sendApi.config.use(logFailedCalls(logger));
  if (options.throttle !== false) sendApi.config.use(apiThrottler(options.throttle ?? TELEGRAM_THROTTLE));

  const pollTimeoutSeconds = options.pollTimeoutSeconds ?? 30;
  const ackTimeoutMs = options.ackTimeoutMs ?? 1000;
  let webhook: ((update: Update) => Promise<void>) | undefined;

  let initializing: Promise<boolean> | undefined;
  async function initOnce(signal: AbortSignal): Promise<boolean> {
    for (let attempt = 1; !bot.isInited(); attempt++) {
      if (signal.aborted) return false;
      try {
        bot.botInfo = await bot.api.getMe(signal as Parameters<Api["getMe"]>[0]);
        logger.info({ channel: "telegram" }, "Telegram bot ready");
      } catch (error) {
        if (signal.aborted) return false;
        const delay = backoffDelay(attempt, DEFAULT_BACKOFF);
        logger.warn(
          { channel: "telegram", err: error, retry_in_ms: delay, hint: operatorHint(error) },
          "Telegram getMe failed; retrying",
        );
        await sleep(delay, signal);
      }
    }
    return true;
  }
  // Concurrent callers (start-up, the polling loop) share one getMe loop.
  const init = (signal: AbortSignal): Promise<boolean> => {
    if (bot.isInited()) return Promise.resolve(true);
    initializing ??= initOnce(signal).finally(() => {
      initializing = undefined;
    });
    return initializing;
  };

  return {
    bot,
    dispatcher,
    isReady: () => bot.isInited(),
    init,

    async runPolling(signal) {
      for (let failures = 0; !signal.aborted;) {
        if (!(await init(signal))) return;
        const runner = run(bot, {
          runner: {
            fetch: { timeout: pollTimeoutSeconds, allowed_updates: [...TELEGRAM_ALLOWED_UPDATES] },
            // A constant interval keeps retries bounded (the runner's "exponential" has no ceiling).
            retryInterval: 2000,
            maxRetryTime: Number.POSITIVE_INFINITY,
            silent: true,
          },
          sink: { concurrency: 256 },
        });
        logger.info({ channel: "telegram", mode: "polling" }, "Telegram polling started");
        const stop = (): void => void runner.stop();
        signal.addEventListener("abort", stop, { once: true });
        try {
          await runner.task();
          failures = 0;
        } catch (error) {
          failures++;
          const delay = backoffDelay(failures, { initialMs: 2000, maxMs: 60_000 });
          logger.error(
            { channel: "telegram", err: error, retry_in_ms: delay, hint: operatorHint(error) },
            "Telegram polling stopped; restarting",
          );
          await sleep(delay, signal);
        } finally {
          signal.removeEventListener("abort", stop);
          if (runner.isRunning()) await runner.stop();
        }
      }
      logger.info({ channel: "telegram" }, "Telegram polling stopped");
    },

    handleWebhookUpdate(update) {
      // Created on first use only: grammY's adapter disables polling on the bot it wraps.
      webhook ??= createWebhookHandler(bot, ackTimeoutMs);
      return webhook(update);
    },

    async setCommands() {
      await bot.api.setMyCommands([...TELEGRAM_COMMANDS]);
      for (const chatId of options.staffChatIds ?? []) {
        await bot.api.setMyCommands([...TELEGRAM_STAFF_COMMANDS], {
          scope: { type: "chat", chat_id: chatId },
        });
      }
    },

    async sendText(chatId, text) {
      await deliveryTo(bot.api, chatId).send({ text });
    },

    inbox: {
      ready: () => bot.isInited(),
      userKey: (update) => telegramUserKey(update as Update),
      async process(update, outbox) {
        const stored = update as Update;
        turns.set(stored, outbox);
        try {
          await bot.handleUpdate(stored);
        } finally {
          turns.delete(stored);
        }
      },
    },

    outbox: {
      classify: classifyTelegramFailure,
      async send(target, payload, signal) {
        const item = payload as TelegramOutboxItem;
        const chatId = Number(target);
        // grammY types its signal with a polyfill's class; Node's is what it gets at run time.
        const abort = signal as Parameters<Api["getMe"]>[0];
        if ("document" in item) {
          const file = new InputFile(Buffer.from(item.document.content, "utf8"), item.document.filename);
          await sendApi.sendDocument(chatId, file, undefined, abort);
          return;
        }
        await sendApi.sendMessage(
          chatId,
          item.text,
          {
            link_preview_options: { is_disabled: true },
            ...(item.replyMarkup ? { reply_markup: item.replyMarkup } : {}),
          },
          abort,
        );
      },
    },
  };
}

/**
 * The user key the handlers give the core for an update ("telegram:<from.id>", the chat's id for a message
 * without a sender); undefined for an update of no one.
 */
export function telegramUserKey(update: Update): string | undefined {
  if (update.callback_query) return `telegram:${update.callback_query.from.id}`;
  for (const kind of MESSAGE_KINDS) {
    const message = update[kind];
    if (message) return `telegram:${message.from?.id ?? message.chat.id}`;
  }
  return undefined;
}

/** A reply as the Telegram calls that send it, to be stored in the outbox. */
export function telegramOutboxItems(reply: Reply): TelegramOutboxItem[] {
  const items: TelegramOutboxItem[] = renderTelegramReply(reply).map((message) => ({
    text: message.text,
    ...(message.replyMarkup ? { replyMarkup: message.replyMarkup } : {}),
  }));
  if (reply.attachment) {
    items.push({ document: { filename: reply.attachment.filename, content: reply.attachment.content } });
  }
  return items;
}

function installTransformers(api: Api<RawApi>, options: TelegramBotOptions): void {
  // Order matters: the first installed runs closest to the network, so every attempt is logged and retried.
  api.config.use(logFailedCalls(options.logger));
  if (options.throttle !== false) api.config.use(apiThrottler(options.throttle ?? TELEGRAM_THROTTLE));
  // Outside the throttler: a retry waits its turn again, like any call.
  api.config.use(
    retryFailedCalls({
      retries: options.maxRetryAttempts ?? 3,
      backoff: { initialMs: 500, maxMs: 4000 },
      maxRetryAfterMs: 60_000,
    }),
  );
}

/** grammY's webhook adapter in its framework-neutral form; the HTTP server has already checked the secret. */
function createWebhookHandler(bot: Bot, ackTimeoutMs: number): (update: Update) => Promise<void> {
  const handle = webhookCallback(bot, "callback", { timeoutMilliseconds: ackTimeoutMs, onTimeout: "return" });
  return async (update) => {
    await handle(update, () => undefined);
  };
}

/** Sends to one chat through the update's API object (which carries the transformers). */
function deliveryTo(api: Context["api"], chatId: number): Delivery {
  return {
    async typing() {
      await api.sendChatAction(chatId, "typing");
    },
    async send(reply) {
      for (const message of renderTelegramReply(reply)) {
        await api.sendMessage(chatId, message.text, {
          link_preview_options: { is_disabled: true },
          ...(message.replyMarkup ? { reply_markup: message.replyMarkup } : {}),
        });
      }
      if (reply.attachment) {
        const { content, filename } = reply.attachment;
        await api.sendDocument(chatId, new InputFile(Buffer.from(content, "utf8"), filename));
      }
    },
  };
}

/** A hint for the operator for the two errors that need a person: a bad token and a conflicting webhook. */
function operatorHint(error: unknown): string | undefined {
  if (!(error instanceof GrammyError)) return undefined;
  if (error.error_code === 401) return "Telegram rejected the token: check TELEGRAM_BOT_TOKEN";
  if (error.error_code === 409)
    return "Another instance is polling or a webhook is set: run `hoichinhsach webhooks delete` or set PUBLIC_URL";
  return undefined;
}

/**
 * Checks that a webhook body is a Telegram update (an object with a numeric `update_id`, a safe non-negative
 * integer) and that the parts the handlers read have the types they expect: a message's chat (id and type),
 * sender and text, a button press's sender, data and message chat. Anything else, unknown fields and update
 * types included, passes through untouched. A plain check rather than a schema: it runs on every delivery.
 */
export function parseTelegramUpdate(body: unknown): Update | undefined {
  if (!isObject(body)) return undefined;
  const update = body;
  const id = update.update_id;
  if (!(typeof id === "number" && Number.isSafeInteger(id) && id >= 0)) return undefined;
  for (const kind of MESSAGE_KINDS) if (kind in update && !isMessage(update[kind])) return undefined;
  if ("callback_query" in update && !isCallbackQuery(update.callback_query)) return undefined;
  return body as unknown as Update;
}

/** Update kinds carrying a message, which grammY's `ctx.chat`, `ctx.from` and `ctx.message` read. */
const MESSAGE_KINDS = [
  "message",
  "edited_message",
  "channel_post",
  "edited_channel_post",
  "business_message",
  "edited_business_message",
] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const isId = (value: unknown): boolean => typeof value === "number" && Number.isSafeInteger(value);
const isUser = (value: unknown): boolean => isObject(value) && isId(value.id);
const isChat = (value: unknown): boolean =>
  isObject(value) && isId(value.id) && typeof value.type === "string";

function isMessage(value: unknown): boolean {
  return (
    isObject(value) &&
    isChat(value.chat) &&
    (value.from === undefined || isUser(value.from)) &&
    (value.text === undefined || typeof value.text === "string")
  );
}

function isCallbackQuery(value: unknown): boolean {
  return (
    isObject(value) &&
    isUser(value.from) &&
    (value.data === undefined || typeof value.data === "string") &&
    (value.message === undefined || (isObject(value.message) && isChat(value.message.chat)))
  );
}
