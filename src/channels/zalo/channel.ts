import type { Logger } from "../../logging.ts";
import type { MaybePromise } from "../../shared/maybe-promise.ts";
import { backoffDelay, sleep, type BackoffOptions } from "../backoff.ts";
import { numberedChoices } from "../choices.ts";
import { createDeduplicator, DEFAULT_DEDUP, type DeduplicatorOptions } from "../dedup.ts";
import { createDispatcher, type Delivery, type Dispatcher, type DispatcherLimits } from "../dispatcher.ts";
import type { InboxHandler, TurnOutbox } from "../inbox.ts";
import { channelMessage } from "../messages.ts";
import type { OutboxTransport } from "../outbox-sender.ts";
import type { ConversationCore, Reply } from "../ports.ts";
import { classifyZaloFailure } from "../send-policy.ts";
import { splitMessage, ZALO_MESSAGE_LIMIT } from "../../shared/split-message.ts";
import type { ZaloClient } from "./client.ts";
import { ZaloApiError, ZaloHttpError } from "./errors.ts";
import { parseZaloBody } from "./parse.ts";
import type { ZaloUpdate } from "./types.ts";

/** Options of {@link createZaloChannel}. */
export interface ZaloChannelOptions {
  client: ZaloClient;
  core: ConversationCore;
  logger: Logger;
  limits?: DispatcherLimits;
  /** Remembering `event_name + message_id`, so that a repeated delivery is handled once. */
  dedup?: DeduplicatorOptions;
  /** Long-poll timeout in seconds (default 30). */
  pollTimeoutSeconds?: number;
  /** Backoff between failed getUpdates calls (default 1 s doubling to 60 s, jittered). */
  pollBackoff?: BackoffOptions;
  /** Attempts per message sent, including the first, on network errors, 429 and 5xx (default 3). */
  sendAttempts?: number;
  /** Backoff between send attempts (default 1 s doubling to 8 s, jittered). */
  sendBackoff?: BackoffOptions;
  /** Longest time a webhook delivery is held before it is acknowledged (ms); processing goes on. Default 1,000. */
  ackTimeoutMs?: number;
  /** Polling pauses while this many updates are in flight (default 256). */
  maxInFlight?: number;
  /**
   * Durable delivery: every polled update is handed to `receive` (the inbox) instead of being handled at once;
   * the inbox hands it back through {@link ZaloChannel.inbox}, and replies go to its outbox.
   */
  durable?: { receive(update: ZaloUpdate): MaybePromise<void> };
}

/** One stored outgoing Zalo message. */
export interface ZaloOutboxItem {
  text: string;
}

/** The Zalo channel: see {@link createZaloChannel}. */
export interface ZaloChannel {
  readonly dispatcher: Dispatcher;
  /** Handles one validated update (de-duplicated, then dispatched); resolves when done. Never rejects. */
  handleUpdate(update: ZaloUpdate): Promise<void>;
  /** Like {@link handleUpdate} but resolves after `ackTimeoutMs` at the latest (webhook acknowledgement). */
  handleWebhookUpdate(update: ZaloUpdate): Promise<void>;
  /**
   * Long polling until `signal` aborts: one loop (a second call while one runs is refused), a 408 answer is "no
   * update", failures back off exponentially with jitter up to a bound, and an abort ends the loop cleanly
   * (the pending long poll is cancelled). Never rejects.
   */
  runPolling(signal: AbortSignal): Promise<void>;
  /** Sends a plain message to a user outside a conversation turn (a rule-change notice). */
  sendText(chatId: string, text: string): Promise<void>;
  /** Handles stored updates for the durable inbox. */
  readonly inbox: InboxHandler;
  /** Sends stored replies for the durable outbox (no retries of its own: the outbox retries). */
  readonly outbox: OutboxTransport;
}

/** The user key the channel gives the core for an update ("zalo:<from.id>"); undefined without a message. */
export function zaloUserKey(update: ZaloUpdate): string | undefined {
  return update.message ? `zalo:${update.message.from.id}` : undefined;
}

/** The key of an update in the inbox, or undefined for one that is ignored anyway (no message). */
export function zaloUpdateKey(update: ZaloUpdate): string | undefined {
  return update.message ? `${update.event_name}:${update.message.message_id}` : undefined;
}

/**
 * Creates the Zalo channel over a {@link ZaloClient}. Zalo has no buttons: choices become numbered lines and
 * the core accepts the number or the word. Texts are split at 2,000 characters. Photos, stickers and voice notes
 * get a short "text only" answer, `message.unsupported.received` a short "could not read it"; other events are
 * ignored. Group chats (beta on Zalo) only get a pointer to a private chat, when addressed with a command.
 *
 * ```ts
 * const zalo = createZaloChannel({ client: createZaloClient({ token }), core, logger });
 * void zalo.runPolling(shutdown.signal);
 * ```
 */
export function createZaloChannel(options: ZaloChannelOptions): ZaloChannel {
  const { client, core, logger } = options;
  const dispatcher = createDispatcher({ channel: "zalo", core, logger, ...options.limits });
  const dedup = createDeduplicator(options.dedup ?? DEFAULT_DEDUP);
  const sendAttempts = options.sendAttempts ?? 3;
  const sendBackoff = options.sendBackoff ?? { initialMs: 1000, maxMs: 8000 };
  const ackTimeoutMs = options.ackTimeoutMs ?? 1000;
  const maxInFlight = options.maxInFlight ?? 256;
  let polling = false;

  async function withSendRetry<T>(send: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await send();
      } catch (error) {
        const retryable =
          error instanceof ZaloHttpError ||
          (error instanceof ZaloApiError && (error.error_code === 429 || (error.error_code ?? 0) >= 500));
        if (!retryable || attempt >= sendAttempts) throw error;
        const delay = backoffDelay(attempt, sendBackoff);
        logger.warn(
          { channel: "zalo", err: error, attempt, retry_in_ms: delay },
          "Zalo send failed; retrying",
        );
        await sleep(delay);
      }
    }
  }

  function deliveryTo(chatId: string): Delivery {
    return {
      async typing() {
        await client.sendChatAction({ chat_id: chatId, action: "typing" });
      },
      async send(reply) {
        for (const part of splitMessage(renderZaloText(reply), ZALO_MESSAGE_LIMIT)) {
          await withSendRetry(() => client.sendMessage({ chat_id: chatId, text: part }));
        }
      },
    };
  }

  /** Where a handler's replies go: the outbox when handling a stored update, else straight to the chat. */
  function deliveryFor(chatId: string, outbox: TurnOutbox | undefined): Delivery {
    if (!outbox) return deliveryTo(chatId);
    return {
      typing: () => client.sendChatAction({ chat_id: chatId, action: "typing" }),
      async send(reply) {
        outbox.add(chatId, zaloOutboxItems(reply));
      },
      begin: (userKey) => outbox.begin(userKey),
      settled: () => outbox.settle(),
    };
  }

  function ignore(update: ZaloUpdate, reason: string): void {
    logger.debug({ channel: "zalo", event: update.event_name, reason }, "update ignored");
  }

  async function handleUpdate(update: ZaloUpdate, outbox?: TurnOutbox): Promise<void> {
    const message = update.message;
    if (!message) return ignore(update, "no_message");
    if (message.from.is_bot) return ignore(update, "from_bot");
    // A stored update was de-duplicated by the inbox.
    if (!outbox && !dedup.firstSeen(`${update.event_name}:${message.message_id}`)) {
      logger.info({ channel: "zalo", update_id: message.message_id, outcome: "duplicate" }, "update handled");
      return;
    }
    const base = { updateId: message.message_id, userKey: `zalo:${message.from.id}` };
    const delivery = deliveryFor(message.chat.id, outbox);
    const group = message.chat.chat_type !== undefined && message.chat.chat_type !== "PRIVATE";
    const text = message.text ?? "";
    switch (update.event_name) {
      case "message.text.received":
        if (group) {
          if (text.startsWith("/")) await dispatcher.notify(base, "private_only", delivery);
          return;
        }
        if (text.trim() === "") {
          await dispatcher.notify(base, "not_text", delivery);
          return;
        }
        await dispatcher.dispatch({ ...base, input: { type: "text", text } }, delivery);
        return;
      case "message.unsupported.received":
        if (!group) await dispatcher.notify(base, "unsupported", delivery);
        return;
      case "message.image.received":
      case "message.sticker.received":
      case "message.voice.received":
        if (!group) await dispatcher.notify(base, "not_text", delivery);
        return;
      default:
        return ignore(update, "unknown_event");
    }
  }

  return {
    dispatcher,
    handleUpdate: (update) => handleUpdate(update),

    inbox: {
      ready: () => true,
      userKey: (update) => zaloUserKey(update as ZaloUpdate),
      process: (update, outbox) => handleUpdate(update as ZaloUpdate, outbox),
    },

    outbox: {
      classify: classifyZaloFailure,
      async send(target, payload, signal) {
        await client.sendMessage({ chat_id: target, text: (payload as ZaloOutboxItem).text }, signal);
      },
    },

    // A private chat's id is the user's id on Zalo, which is what the user key holds.
    sendText: (chatId, text) => deliveryTo(chatId).send({ text }),

    async handleWebhookUpdate(update) {
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ackTimeoutMs);
      });
      try {
        await Promise.race([handleUpdate(update), bound]);
      } finally {
        clearTimeout(timer);
      }
    },

    async runPolling(signal) {
      if (polling) {
        logger.error({ channel: "zalo" }, "Zalo polling is already running; a second loop was refused");
        return;
      }
      polling = true;
      logger.info({ channel: "zalo", mode: "polling" }, "Zalo polling started");
      try {
        await pollLoop(signal);
      } finally {
        polling = false;
        logger.info({ channel: "zalo" }, "Zalo polling stopped");
      }
    },
  };

  async function pollLoop(signal: AbortSignal): Promise<void> {
    const timeout = options.pollTimeoutSeconds ?? 30;
    const backoff = options.pollBackoff ?? { initialMs: 1000, maxMs: 60_000 };
    let failures = 0;
    while (!signal.aborted) {
      while (dispatcher.inFlight() >= maxInFlight && !signal.aborted) await sleep(50, signal);
      const started = Date.now();
      let bodies: unknown[];
      try {
        bodies = await client.getUpdates({ timeout }, signal);
        failures = 0;
      } catch (error) {
        if (signal.aborted) break;
        failures++;
        const delay = backoffDelay(failures, backoff);
        logger.warn(
          { channel: "zalo", err: error, attempt: failures, retry_in_ms: delay, hint: pollingHint(error) },
          "Zalo getUpdates failed; retrying",
        );
        await sleep(delay, signal);
        continue;
      }
      for (const body of bodies) {
        const verdict = parseZaloBody(body);
        if (verdict.type === "update" && options.durable && zaloUpdateKey(verdict.update)) {
          await options.durable.receive(verdict.update);
        } else if (verdict.type === "update") {
          handleUpdate(verdict.update).catch((error: unknown) =>
            logger.error({ channel: "zalo", err: error }, "update failed"),
          );
        } else logger.debug({ channel: "zalo", verdict: verdict.type }, "polled body not handled");
      }
      // A server that answers "no update" at once would otherwise be polled in a tight loop.
      const elapsed = Date.now() - started;
      if (bodies.length === 0 && elapsed < 1000) await sleep(1000 - elapsed, signal);
    }
  }
}

/** A reply as the Zalo messages that send it (split at 2,000 characters), to be stored in the outbox. */
export function zaloOutboxItems(reply: Reply): ZaloOutboxItem[] {
  return splitMessage(renderZaloText(reply), ZALO_MESSAGE_LIMIT).map((text) => ({ text }));
}

/** The text sent for a reply: with its choices as numbered lines and how to answer them. */
export function renderZaloText(reply: Reply): string {
  const text = reply.attachment ? `${reply.text}\n\n${channelMessage("no_files")}` : reply.text;
  if (!reply.choices || reply.choices.length === 0) return text;
  return `${text}\n\n${numberedChoices(reply.choices)}\n${channelMessage("choose_by_number")}`;
}

function pollingHint(error: unknown): string | undefined {
  if (error instanceof ZaloApiError && error.error_code === 401)
    return "Zalo rejected the token: check ZALO_BOT_TOKEN";
  if (error instanceof ZaloApiError) {
    return "If a webhook is set, getUpdates does not work: run `hoichinhsach webhooks delete` or set PUBLIC_URL";
  }
  return undefined;
}
