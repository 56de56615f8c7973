import type { Logger } from "../logging.ts";
import type { ClaimedMessage, DeliveryStore } from "../storage/repositories/delivery.ts";
import { sleep } from "./backoff.ts";
import {
  decideAfterFailure,
  DEFAULT_RETRY_POLICY,
  type RetryPolicy,
  type SendFailure,
} from "./send-policy.ts";

/** How one platform sends a stored message. */
export interface OutboxTransport {
  /** Sends one rendered message (the outbox payload, parsed) to `target`; must stop when `signal` aborts. */
  send(target: string, payload: unknown, signal: AbortSignal): Promise<void>;
  /** What a failure of `send` means; `timedOut` when the sender's time limit aborted it. */
  classify(error: unknown, timedOut: boolean): SendFailure;
}

/** What became of the messages handled so far, for the logs, tests and benchmarks. */
export interface OutboxCounts {
  sent: number;
  /** Attempts that failed before delivery and were retried. */
  retriedBefore: number;
  /** Attempts that failed ambiguously and were retried: each may have made a copy. */
  retriedAmbiguous: number;
  /** Messages taken as delivered after too many ambiguous failures. */
  assumedDelivered: number;
  /** Messages the platform refused for good (400, 403). */
  undeliverable: number;
}

/** Options of {@link createOutboxSender}. */
export interface OutboxSenderOptions {
  store: DeliveryStore;
  transports: Partial<Record<string, OutboxTransport>>;
  /** This process's name in leases. */
  owner: string;
  logger: Logger;
  /** Longest single send, in ms (default 10,000): a hung call is abandoned and counted ambiguous. */
  sendTimeoutMs?: number;
  /** How often due retries and messages left by a previous run are looked for, in ms (default 500). */
  pollMs?: number;
  /** Chats sent to at the same time (default 256); a chat's own messages always go one at a time, in order. */
  maxChats?: number;
  policy?: RetryPolicy;
  now?: () => number;
}

/** A chat worker's state. */
interface WorkerState {
  /** From the start of a send until its outcome is recorded. */
  sending: boolean;
  /** Messages of the chat may wait in the store, not handed over: claim them before leaving. */
  kicked: boolean;
}

/** Sends the outbox; see {@link createOutboxSender}. */
export interface OutboxSender {
  /** New messages were queued for this chat: send them now. */
  kick(platform: string, target: string): void;
  /** Messages queued already claimed by this sender (see DeliveryStore.complete): sends them now. */
  handOver(messages: readonly ClaimedMessage[]): void;
  /** How long a claim by this sender lasts, in ms. */
  readonly leaseMs: number;
  /** Polls for due retries until `signal` aborts. */
  run(signal: AbortSignal): Promise<void>;
  /** Waits for the sends in progress (bounded); true when none is left. */
  drain(timeoutMs: number): Promise<boolean>;
  counts(): OutboxCounts;
}

/**
 * Creates the sender of the outbox. Each chat has at most one worker, which claims the chat's oldest message,
 * sends it under a time limit, and deletes it once sent; a failure puts it back with a later due time (see
 * send-policy.ts), which also holds back that chat's later messages so they keep their order. Other chats are
 * not held up: a hung call costs its own chat at most `sendTimeoutMs`.
 *
 * ```ts
 * const sender = createOutboxSender({ store, transports: { zalo }, owner, logger });
 * void sender.run(shutdown.signal);
 * sender.kick("zalo", chatId);
 * ```
 */
export function createOutboxSender(options: OutboxSenderOptions): OutboxSender {
  const { store, owner, logger } = options;
  const sendTimeoutMs = options.sendTimeoutMs ?? 10_000;
  const pollMs = options.pollMs ?? 500;
  const maxChats = options.maxChats ?? 256;
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const now = options.now ?? Date.now;
  // The lease outlives the call it covers, so a live sender's message is never taken over.
  const leaseMs = sendTimeoutMs + 5000;
  const counts: OutboxCounts = {
    sent: 0,
    retriedBefore: 0,
    retriedAmbiguous: 0,
    assumedDelivered: 0,
    undeliverable: 0,
  };
  /** Chats with a worker (and its state), and the workers' promises (for drain). */
  const active = new Map<string, WorkerState>();
  const tasks = new Set<Promise<void>>();
  /** Messages claimed when they were queued, waiting for their chat's worker. */
  const handed = new Map<string, ClaimedMessage[]>();
  const waiting = new Map<string, { platform: string; target: string }>();
  let stopped = false;

  async function attempt(
    transport: OutboxTransport,
    message: ClaimedMessage,
  ): Promise<SendFailure | undefined> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, sendTimeoutMs);
    try {
      await transport.send(message.target, JSON.parse(message.payload), controller.signal);
      return undefined;
    } catch (error) {
      return transport.classify(error, timedOut);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * One chat's worker: sends the messages handed over, and claims the chat's next ones from the store while there
   * may be some (`state.kicked`: a message was queued, not handed over, since the last claim that found none).
   */
  async function work(key: string, platform: string, target: string, state: WorkerState): Promise<void> {
    const transport = options.transports[platform];
    for (;;) {
      let message = handed.get(key)?.shift();
      if (!message && !stopped && transport && state.kicked) {
        state.kicked = false;
        const at = now();
        // The chat stays in `active` meanwhile: no other worker claims it.
        message = await store.claimNext(platform, target, owner, at, at + leaseMs);
        // One found, more may follow it.
        if (message) state.kicked = true;
        // A message handed over while the claim was awaited is this worker's: leaving would strand it.
        else message = handed.get(key)?.shift();
      }
      if (!message || !transport) {
        // Leaves in the same turn as it found nothing, so a message handed over later starts a new worker.
        active.delete(key);
        handed.delete(key);
        startWaiting();
        return;
      }
      if (stopped) {
        // Claimed and never tried: given back as it was.
        await store.retryLater(message.id, owner, now(), message.ambiguous);
        continue;
      }
      if (message.ambiguous > policy.maxAmbiguousRetries) {
        // Its sender died mid-call once too often: it most likely arrived.
        await store.finish(message.id, owner);
        counts.assumedDelivered++;
        logger.warn({ channel: platform, attempts: message.attempts }, "message taken as delivered");
        continue;
      }
      state.sending = true;
      const failure = await attempt(transport, message);
      if (!failure) {
        await store.finish(message.id, owner);
        state.sending = false;
        counts.sent++;
        continue;
      }
      const decision = decideAfterFailure(failure, message, policy);
      if (decision.type === "retry") {
        await store.retryLater(message.id, owner, now() + decision.delayMs, decision.ambiguous);
        state.sending = false;
        if (failure.kind === "ambiguous") counts.retriedAmbiguous++;
        else counts.retriedBefore++;
        logger.warn(
          {
            channel: platform,
            failure: failure.kind,
            reason: failure.reason,
            attempts: message.attempts,
            retry_in_ms: decision.delayMs,
          },
          "send failed; retrying",
        );
        // The chat's later messages wait for this one: the poll takes the chat up again when it is due.
        // Shifted one by one: a message handed over while a put-back is awaited is put back too.
        for (let later = handed.get(key)?.shift(); later; later = handed.get(key)?.shift()) {
          await store.retryLater(later.id, owner, now(), later.ambiguous);
        }
        continue;
      }
      await store.finish(message.id, owner);
      state.sending = false;
      if (decision.type === "assume_delivered") counts.assumedDelivered++;
      else counts.undeliverable++;
      logger.warn(
        { channel: platform, reason: failure.reason, attempts: message.attempts, outcome: decision.type },
        "send failed; not retried",
      );
    }
  }

  function startWorker(key: string, platform: string, target: string, kicked: boolean): void {
    const state: WorkerState = { sending: false, kicked };
    active.set(key, state);
    const task = work(key, platform, target, state).catch(async (error: unknown) => {
      logger.error({ channel: platform, err: error }, "outbox sender failed");
      // The storage failed (a claim whose answer was lost, a put-back): what this worker holds was not sent, and
      // is given back as it was, before its lease runs out and it counts as possibly delivered. A message whose
      // call had started stays claimed: taken up again when the lease runs out, as possibly delivered.
      if (!state.sending) await giveBack(platform, target);
      active.delete(key);
      handed.delete(key);
    });
    tasks.add(task);
    void task.finally(() => tasks.delete(task));
  }

  /** Releases the chat's messages this sender holds, trying again while the storage is away (within the lease). */
  async function giveBack(platform: string, target: string): Promise<void> {
    const deadline = now() + leaseMs - 1000;
    for (let pause = 100; now() < deadline; pause = Math.min(pause * 2, 1000)) {
      try {
        await store.releaseChat(platform, target, owner);
        return;
      } catch {
        await sleep(pause);
      }
    }
  }

  function startWaiting(): void {
    while (active.size < maxChats && waiting.size > 0) {
      const [key, chat] = waiting.entries().next().value as [string, { platform: string; target: string }];
      waiting.delete(key);
      if (!active.has(key)) startWorker(key, chat.platform, chat.target, true);
    }
  }

  function kick(platform: string, target: string): void {
    const key = `${platform}:${target}`;
    if (stopped) return;
    const worker = active.get(key);
    if (worker) {
      worker.kicked = true;
      return;
    }
    if (active.size >= maxChats) {
      waiting.set(key, { platform, target });
      return;
    }
    startWorker(key, platform, target, true);
  }

  function handOver(messages: readonly ClaimedMessage[]): void {
    for (const message of messages) {
      const key = `${message.platform}:${message.target}`;
      const queue = handed.get(key);
      if (queue) queue.push(message);
      else handed.set(key, [message]);
      // Already claimed under a lease: started at once, whatever the bound on chats.
      if (!active.has(key)) startWorker(key, message.platform, message.target, false);
    }
  }

  return {
    kick,
    handOver,
    leaseMs,
    async run(signal) {
      while (!signal.aborted) {
        try {
          const room = maxChats - active.size;
          if (room > 0)
            for (const chat of await store.dueChats(now(), room)) kick(chat.platform, chat.target);
        } catch (error) {
          logger.error({ err: error }, "outbox poll failed");
        }
        await sleep(pollMs, signal);
      }
      // New messages are still sent until drain(): replies of the updates that finish during the stop.
    },
    async drain(timeoutMs) {
      stopped = true;
      const deadline = Date.now() + timeoutMs;
      while (tasks.size > 0 && Date.now() < deadline) {
        await Promise.race([Promise.allSettled([...tasks]), sleep(deadline - Date.now())]);
      }
      await store.flush();
      return tasks.size === 0;
    },
    counts: () => ({ ...counts }),
  };
}
