import { performance } from "node:perf_hooks";
import type { ChannelName } from "../config.ts";
import type { MaybePromise } from "../shared/maybe-promise.ts";
import { pseudonym, serializeError, type Logger } from "../logging.ts";
import { createKeyedQueue } from "./keyed-queue.ts";
import { channelMessage, type ChannelMessageCode } from "./messages.ts";
import type { ConversationCore, Inbound, Reply } from "./ports.ts";
import { createRateLimiter, DEFAULT_RATE_LIMIT, type RateLimitOptions } from "./rate-limit.ts";

/** How a channel talks back to the user of one update: provided by the channel adapter, per update. */
export interface Delivery {
  /** Shows "typing…" (Telegram and Zalo both keep it for about five seconds). */
  typing(): Promise<void>;
  /** Sends one reply, split at the channel's limit and with its choices rendered the channel's way. */
  send(reply: Reply): Promise<void>;
  /** The user's turn starts: called in the user's queue, before the core is asked. */
  begin?(userKey: string): void;
  /**
   * Every reply of the update was given: called and awaited in the user's queue, before the user's next message
   * is handled (the durable outbox commits the turn here). Must not throw or reject.
   */
  settled?(): MaybePromise<void>;
}

/** One user message, as a channel adapter hands it over. */
export interface InboundMessage {
  /** The platform's id of the update or message, for the logs. */
  updateId: string | number;
  /** `"<channel>:<user id>"`. */
  userKey: string;
  input: Inbound;
}

/** What became of one update; logged with the update id and duration. */
export type DispatchOutcome =
  "replied" | "rate_limited" | "dropped" | "too_long" | "notice" | "core_failed" | "delivery_failed";

/** Limits and timings of a {@link Dispatcher}; every field has a default. */
export interface DispatcherLimits {
  rateLimit?: RateLimitOptions;
  /** Longest text passed to the core; longer messages get a short "too long" answer. Default 2,000. */
  maxInboundChars?: number;
  /** Show "typing…" only if the core has not answered after this long (ms); negative disables it. Default 250. */
  typingDelayMs?: number;
  /** Repeat "typing…" at this interval while the core works (ms). Default 4,500. */
  typingIntervalMs?: number;
  /** A core answer taking longer than this (ms) is abandoned and the user gets an apology. Default 20,000. */
  coreTimeoutMs?: number;
}

/** Options of {@link createDispatcher}. */
export interface DispatcherOptions extends DispatcherLimits {
  channel: ChannelName;
  core: ConversationCore;
  logger: Logger;
}

/** The channel-independent part of handling a message; see {@link createDispatcher}. */
export interface Dispatcher {
  /** Handles one user message end to end. Never rejects. */
  dispatch(message: InboundMessage, delivery: Delivery): Promise<DispatchOutcome>;
  /** Sends a channel notice (e.g. "text only, please") in the user's order and under the same rate limit. */
  notify(
    message: Omit<InboundMessage, "input">,
    code: ChannelMessageCode,
    delivery: Delivery,
  ): Promise<DispatchOutcome>;
  /** Updates being handled right now (for back-pressure on webhooks). */
  inFlight(): number;
  /** Waits until every update in flight is done, or `timeoutMs` passed; true when all finished. */
  drain(timeoutMs: number): Promise<boolean>;
}

/**
 * Creates the dispatcher shared by the channel adapters: per-user rate limit, per-message size cap, per-user
 * ordering with different users served concurrently, "typing…" while the core works, a time bound on the core,
 * and failure isolation (whatever happens to one update is logged and answered politely, and never reaches
 * another). Logs one line per update: channel, update id, user pseudonym, outcome, duration; never the text.
 *
 * ```ts
 * const dispatcher = createDispatcher({ channel: "zalo", core, logger });
 * await dispatcher.dispatch({ updateId, userKey: "zalo:abc", input: { type: "text", text } }, delivery);
 * ```
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { channel, core, logger } = options;
  const limiter = createRateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT);
  const queue = createKeyedQueue();
  const maxInboundChars = options.maxInboundChars ?? 2000;
  const typingDelayMs = options.typingDelayMs ?? 250;
  const typingIntervalMs = options.typingIntervalMs ?? 4500;
  const coreTimeoutMs = options.coreTimeoutMs ?? 20_000;
  const inFlight = new Set<Promise<unknown>>();

  function track<T>(task: Promise<T>): Promise<T> {
    inFlight.add(task);
    const forget = (): void => void inFlight.delete(task);
    task.then(forget, forget);
    return task;
  }

  function logOutcome(
    message: Omit<InboundMessage, "input">,
    kind: string,
    outcome: DispatchOutcome,
    started: number,
    replies = 0,
    cause?: string,
  ): void {
    logger.info(
      {
        channel,
        update_id: message.updateId,
        user: pseudonym(message.userKey),
        input: kind,
        outcome,
        ...(cause ? { cause } : {}),
        replies,
        duration_ms: Math.round(performance.now() - started),
      },
      "update handled",
    );
  }

  /** Sends a catalog message; a delivery failure is logged, never thrown. */
  async function sendNotice(
    message: Omit<InboundMessage, "input">,
    text: string,
    delivery: Delivery,
  ): Promise<boolean> {
    try {
      await delivery.send({ text });
      return true;
    } catch (error) {
      logger.warn({ channel, update_id: message.updateId, err: error }, "delivery failed");
      return false;
    }
  }

  async function converse(
    message: InboundMessage,
    delivery: Delivery,
    started: number,
  ): Promise<DispatchOutcome> {
    delivery.begin?.(message.userKey);
    const typing = startTyping(delivery, message);
    let replies: Reply[];
    let outcome: DispatchOutcome = "replied";
    let cause: string | undefined;
    try {
      replies = await withTimeout(core.handle(message.userKey, message.input), coreTimeoutMs);
      if (!Array.isArray(replies))
        throw new TypeError("The conversation core returned something other than a list of replies");
      // The core answers a message it could not handle with an apology, marked with the cause.
      cause = replies.find((reply) => reply.failure)?.failure;
      if (cause) outcome = "core_failed";
    } catch (error) {
      logger.error(
        { channel, update_id: message.updateId, failure: serializeError(error, { withMessage: false }) },
        "conversation core failed",
      );
      replies = [{ text: channelMessage("internal") }];
      outcome = "core_failed";
    } finally {
      typing.stop();
    }
    let sent = 0;
    try {
      for (const reply of replies) {
        await delivery.send(reply);
        sent++;
      }
    } catch (error) {
      logger.warn({ channel, update_id: message.updateId, err: error }, "delivery failed");
      outcome = "delivery_failed";
    }
    await delivery.settled?.();
    logOutcome(message, message.input.type, outcome, started, sent, cause);
    return outcome;
  }

  function startTyping(delivery: Delivery, message: InboundMessage): { stop(): void } {
    if (typingDelayMs < 0) return { stop: () => undefined };
    let interval: NodeJS.Timeout | undefined;
    const show = (): void => {
      delivery.typing().catch((error: unknown) => {
        logger.debug({ channel, update_id: message.updateId, err: error }, "typing indicator failed");
      });
    };
    const first = setTimeout(() => {
      show();
      interval = setInterval(show, typingIntervalMs);
    }, typingDelayMs);
    return {
      stop() {
        clearTimeout(first);
        if (interval) clearInterval(interval);
      },
    };
  }

  function admit(
    message: Omit<InboundMessage, "input">,
    kind: string,
    delivery: Delivery,
    started: number,
  ): DispatchOutcome | Promise<DispatchOutcome> | undefined {
    const decision = limiter.check(message.userKey);
    if (decision === "allow") return undefined;
    if (decision === "drop") {
      logOutcome(message, kind, "dropped", started);
      return "dropped";
    }
    return track(
      queue.run(message.userKey, async () => {
        const sent = await sendNotice(message, channelMessage("rate_limited"), delivery);
        await delivery.settled?.();
        logOutcome(message, kind, sent ? "rate_limited" : "delivery_failed", started, sent ? 1 : 0);
        return "rate_limited" as const;
      }),
    );
  }

  return {
    async dispatch(message, delivery) {
      const started = performance.now();
      const refused = admit(message, message.input.type, delivery, started);
      if (refused !== undefined) return refused;
      if (message.input.type === "text" && message.input.text.length > maxInboundChars) {
        return track(
          queue.run(message.userKey, async () => {
            const sent = await sendNotice(
              message,
              channelMessage("too_long", { max: maxInboundChars }),
              delivery,
            );
            await delivery.settled?.();
            logOutcome(message, "text", sent ? "too_long" : "delivery_failed", started, sent ? 1 : 0);
            return "too_long" as const;
          }),
        );
      }
      return track(queue.run(message.userKey, () => converse(message, delivery, started)));
    },

    async notify(message, code, delivery) {
      const started = performance.now();
      const refused = admit(message, code, delivery, started);
      if (refused !== undefined) return refused;
      return track(
        queue.run(message.userKey, async () => {
          const sent = await sendNotice(message, channelMessage(code), delivery);
          await delivery.settled?.();
          logOutcome(message, code, sent ? "notice" : "delivery_failed", started, sent ? 1 : 0);
          return "notice" as const;
        }),
      );
    },

    inFlight: () => inFlight.size,

    async drain(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const finished = (async () => {
        while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
        return true as const;
      })();
      try {
        return await Promise.race([finished, timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Rejects with a TimeoutError if `task` has not settled after `ms`. */
function withTimeout<T>(task: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error(`No answer after ${ms} ms`), { name: "TimeoutError" })),
      ms,
    );
  });
  return Promise.race([task, timeout]).finally(() => clearTimeout(timer));
}
