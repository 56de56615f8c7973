import type { Logger } from "../logging.ts";
import type { DeferredWrites, WriteBatch } from "../storage/deferred-writes.ts";
import type {
  ClaimedMessage,
  CompleteRequest,
  DeliveryStore,
  InboxItem,
  Outcome,
  OutgoingMessage,
  ReceiveRequest,
} from "../storage/repositories/delivery.ts";
import type { MaybePromise } from "../shared/maybe-promise.ts";
import { sleep } from "./backoff.ts";
import type { OutboxSender } from "./outbox-sender.ts";

/** Collects the messages a stored update's handling sends; they are queued when the update is marked handled. */
export interface TurnOutbox {
  /** The stored update's row in the inbox (its place in the order of arrival). */
  readonly inboxId: number;
  /** Queues channel-rendered messages (one per API call) for a chat, in order. */
  add(target: string, payloads: readonly unknown[]): void;
  /** The turn of `userKey` starts (in the user's queue): its deferred writes are held for {@link settle}. */
  begin(userKey: string): void;
  /**
   * The update's replies are all given: commits them with the turn's deferred writes, at once. Called in the
   * user's queue, so the user's next message sees the session this turn left. Done anyway when the handling ends.
   * With a group commit it only queues the commit (a user's next turn makes it first); otherwise it resolves once
   * committed.
   */
  settle(): MaybePromise<void>;
}

/** How one platform handles a stored update. */
export interface InboxHandler {
  /** Handles the update (as received, parsed); everything it sends goes to `outbox`. */
  process(update: unknown, outbox: TurnOutbox): Promise<void>;
  /** False while updates cannot be handled yet (Telegram before getMe). */
  ready(): boolean;
  /**
   * The user key of the update's sender ("telegram:42"), as the handler will pass it to the core; undefined when
   * the update has none. The store keeps only its keyed digest, so that /xoa reaches the update and its replies.
   */
  userKey?(update: unknown): string | undefined;
}

/** Options of {@link createInbox}. */
export interface InboxOptions {
  store: DeliveryStore;
  handlers: Partial<Record<string, InboxHandler>>;
  sender: OutboxSender;
  /** This process's name in leases. */
  owner: string;
  logger: Logger;
  /**
   * How long a claimed update is reserved for its handler, in ms (default 60,000: well above the core's time
   * limit). An update whose handler died is taken up again after it.
   */
  leaseMs?: number;
  /** How often waiting updates are looked for, in ms (default 1,000). */
  pollMs?: number;
  /** Updates handled at the same time from the backlog (default 256). */
  maxInFlight?: number;
  /** How long the key of a handled update is kept to recognise a repeat, in ms (default 24 hours). */
  dedupWindowMs?: number;
  /** Claims after which an update that never completes is set aside (default 5). */
  maxAttempts?: number;
  /**
   * The conversation core's deferred writes (on the same database connection as the store): a turn's session
   * change is then committed in the transaction that queues its replies and marks the update handled.
   */
  writes?: DeferredWrites;
  now?: () => number;
}

/** The durable inbox; see {@link createInbox}. */
export interface Inbox {
  /**
   * Records a received update and starts handling it. Resolves once the update is committed ("duplicate" when
   * it was already known); rejects when it could not be recorded: the delivery must then not be acknowledged.
   */
  accept(platform: string, updateId: string, update: unknown): Promise<"accepted" | "duplicate">;
  /** Takes up waiting updates (left by a previous run, or whose handler died) until `signal` aborts. */
  run(signal: AbortSignal): Promise<void>;
  /** Updates being handled now. */
  inFlight(): number;
  /** Waits for the updates being handled (bounded); true when none is left. */
  drain(timeoutMs: number): Promise<boolean>;
}

const HOUR_MS = 60 * 60 * 1000;

function countByTarget(messages: ReadonlyArray<{ target: string }>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { target } of messages) counts.set(target, (counts.get(target) ?? 0) + 1);
  return counts;
}

/**
 * Creates the inbox: an update is written before it is acknowledged, handled from the stored copy, and marked
 * handled in the same transaction that queues its replies for the {@link OutboxSender}. Writes are group
 * commits: the updates received and the turns completed during one turn of the event loop are committed
 * together at its end (one commit, the pages they share written once); an update is acknowledged, and a turn's
 * replies sent, only once committed. Whatever was stored and not handled when the process died is handled after
 * the restart (the same owner takes its own claims back at once; another process waits for the lease).
 *
 * ```ts
 * const inbox = createInbox({ store, handlers: { zalo }, sender, owner, logger });
 * void inbox.run(shutdown.signal);
 * await inbox.accept("zalo", "message.text.received:m1", update);
 * ```
 */
export function createInbox(options: InboxOptions): Inbox {
  const { store, owner, logger, sender } = options;
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 1000;
  const maxInFlight = options.maxInFlight ?? 256;
  const dedupWindowMs = options.dedupWindowMs ?? 24 * HOUR_MS;
  const maxAttempts = options.maxAttempts ?? 5;
  const now = options.now ?? Date.now;
  const inFlight = new Set<Promise<void>>();

  // The group commit: requests waiting for the end of this turn of the event loop.
  let receives: Array<{ request: ReceiveRequest; done: (outcome: Outcome<InboxItem | undefined>) => void }> =
    [];
  let completes: Array<{
    request: CompleteRequest;
    done: (outcome: Outcome<ClaimedMessage[] | undefined>) => void;
  }> = [];
  /** Users whose completed turn waits for the commit: their next turn commits it first (it reads the session). */
  const waitingUsers = new Set<string>();
  let commitScheduled = false;
  const MAX_BATCH = 256;
  // A store without group commits (over the network) is called once per request, each awaited.
  const groupCommit = store.commitBatch !== undefined;

  function commit(): void {
    if ((receives.length === 0 && completes.length === 0) || !store.commitBatch) return;
    const r = receives;
    const c = completes;
    receives = [];
    completes = [];
    waitingUsers.clear();
    let result: ReturnType<NonNullable<DeliveryStore["commitBatch"]>>;
    try {
      result = store.commitBatch(
        r.map((entry) => entry.request),
        c.map((entry) => entry.request),
      );
    } catch (error) {
      for (const entry of r) entry.done({ ok: false, error });
      for (const entry of c) entry.done({ ok: false, error });
      return;
    }
    const tell = <T>(done: (outcome: Outcome<T>) => void, outcome: Outcome<T>): void => {
      try {
        done(outcome);
      } catch (error) {
        // Committed all the same: a reply not handed to the sender is sent by its poll once the lease runs out.
        logger.error({ err: error }, "inbox commit follow-up failed");
      }
    };
    result.received.forEach((outcome, i) => tell(r[i]!.done, outcome));
    result.completed.forEach((outcome, i) => tell(c[i]!.done, outcome));
  }

  function scheduleCommit(): void {
    if (receives.length + completes.length >= MAX_BATCH) return commit();
    if (commitScheduled) return;
    commitScheduled = true;
    setImmediate(() => {
      commitScheduled = false;
      commit();
    });
  }

  /** `update` is the received object when the item was just accepted (no need to parse it back). */
  async function handle(item: InboxItem, update?: unknown): Promise<void> {
    const handler = options.handlers[item.platform];
    const messages: OutgoingMessage[] = [];
    const batches: WriteBatch[] = [];
    const discard = (): void => {
      for (const batch of batches) batch.discard();
    };
    let settled = false;
    let userKey: string | undefined;
    let completion: Promise<void> | undefined;
    /** What the commit's outcome brings: the replies handed to the sender, or nothing and the writes dropped. */
    const finish = (outcome: Outcome<ClaimedMessage[] | undefined>): void => {
      if (!outcome.ok) {
        // Rolled back: taken up again when the lease runs out.
        discard();
        logger.error({ channel: item.platform, err: outcome.error }, "stored update not completed");
        return;
      }
      if (!outcome.value) {
        discard();
        logger.warn({ channel: item.platform }, "stored update was taken over; its replies are dropped");
        return;
      }
      sender.handOver(outcome.value);
      // A chat with replies queued behind the one handed over is kicked: its worker claims them in turn.
      const handed = countByTarget(outcome.value);
      for (const [target, count] of countByTarget(messages))
        if ((handed.get(target) ?? 0) < count) sender.kick(item.platform, target);
    };
    const settle = (): MaybePromise<void> => {
      if (settled) return completion;
      settled = true;
      const at = now();
      const request: CompleteRequest = {
        inboxId: item.id,
        owner,
        messages,
        now: at,
        leaseUntil: at + sender.leaseMs,
        within: () => {
          for (const batch of batches) batch.apply();
        },
      };
      if (!groupCommit) {
        // Its own transaction, or the turn's when one is open (then see withSharedTurns): awaited in the user's
        // queue.
        completion = (async () =>
          store.complete(
            request.inboxId,
            owner,
            messages,
            request.now,
            request.leaseUntil,
            request.within,
          ))().then(
          (value) => finish({ ok: true, value }),
          (error: unknown) => finish({ ok: false, error }),
        );
        return completion;
      }
      completion = new Promise<void>((resolve) => {
        completes.push({
          request,
          done: (outcome) => {
            resolve();
            finish(outcome);
          },
        });
        if (userKey !== undefined) waitingUsers.add(userKey);
        scheduleCommit();
      });
      return undefined;
    };
    if (handler && item.attempts <= maxAttempts) {
      const outbox: TurnOutbox = {
        inboxId: item.id,
        add(target, payloads) {
          for (const payload of payloads) {
            messages.push({ platform: item.platform, target, payload: JSON.stringify(payload) });
          }
        },
        begin(key) {
          // The user's previous turn, if still waiting for its commit, is committed first: this one reads it.
          if (waitingUsers.has(key)) commit();
          userKey = key;
          if (options.writes && !settled) batches.push(options.writes.hold(key));
        },
        settle,
      };
      try {
        await handler.process(update ?? JSON.parse(item.payload), outbox);
      } catch (error) {
        // Left claimed: taken up again when the lease runs out, and set aside after maxAttempts.
        if (!settled) discard();
        logger.error({ channel: item.platform, err: error }, "stored update failed");
        await completion;
        return;
      }
    } else {
      logger.error({ channel: item.platform, attempts: item.attempts }, "stored update set aside");
    }
    await settle();
    await completion;
  }

  function start(item: InboxItem, update?: unknown): void {
    const task = handle(item, update).catch((error: unknown) => {
      logger.error({ channel: item.platform, err: error }, "stored update not completed");
    });
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  }

  async function takeUp(): Promise<void> {
    for (const [platform, handler] of Object.entries(options.handlers)) {
      const room = maxInFlight - inFlight.size;
      if (room <= 0 || !handler?.ready()) continue;
      const at = now();
      for (const item of await store.claimInbox(platform, owner, at, at + leaseMs, room)) start(item);
    }
  }

  return {
    async accept(platform, updateId, update) {
      const at = now();
      const userKey = options.handlers[platform]?.userKey?.(update);
      const request: ReceiveRequest = {
        update: {
          platform,
          updateId,
          payload: JSON.stringify(update),
          ...(userKey === undefined ? {} : { userKey }),
        },
        owner,
        now: at,
        leaseUntil: at + leaseMs,
      };
      const item = groupCommit
        ? await new Promise<InboxItem | undefined>((resolve, reject) => {
            receives.push({ request, done: (o) => (o.ok ? resolve(o.value) : reject(o.error)) });
            scheduleCommit();
          })
        : await store.receive(request.update, owner, request.now, request.leaseUntil);
      if (!item) return "duplicate";
      start(item, update);
      return "accepted";
    },

    async run(signal) {
      const released = await store.releaseOwn(owner);
      if (released.updates > 0 || released.messages > 0) {
        logger.info(
          { updates: released.updates, messages: released.messages },
          "taking up where the last run stopped",
        );
      }
      let lastPurge = 0;
      while (!signal.aborted) {
        try {
          await takeUp();
          if (now() - lastPurge > HOUR_MS) {
            lastPurge = now();
            await store.purgeHandled(lastPurge - dedupWindowMs);
          }
        } catch (error) {
          logger.error({ err: error }, "inbox poll failed");
        }
        await sleep(pollMs, signal);
      }
    },

    inFlight: () => inFlight.size,

    async drain(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (inFlight.size > 0 && Date.now() < deadline) {
        await Promise.race([Promise.allSettled([...inFlight]), sleep(deadline - Date.now())]);
      }
      return inFlight.size === 0;
    },
  };
}
