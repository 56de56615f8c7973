import { sleep } from "./backoff.ts";
import type { InboxHandler, TurnOutbox } from "./inbox.ts";
import { createKeyedQueue } from "./keyed-queue.ts";

/**
 * Runs one user's turns one at a time across every instance sharing the database, in the order their updates
 * arrived: see {@link createSharedTurns}.
 */
export interface SharedTurns {
  /** Runs `turn` for update `inboxId` of `userKey`; undefined when the update is no longer this instance's. */
  run<T>(userKey: string, inboxId: number, turn: () => Promise<T>): Promise<T | undefined>;
}

/** Where an update stands as its turn starts. */
export interface TurnStanding {
  /** This instance still holds the update (claimed, not handled; its row locked to the commit). */
  holds: boolean;
  /** An update of the same user received before it is still to be handled. */
  earlierWaiting: boolean;
}

/** What {@link createSharedTurns} needs of the database. */
export interface SharedTurnStorage {
  userKeys: { digest(userKey: string): string };
  /**
   * Runs `fn` in a transaction that first takes the user's lock across instances (bounded wait; throws after it)
   * and then finds where update `inboxId` stands.
   */
  inTurn<T>(inboxId: number, digest: string, fn: (standing: TurnStanding) => Promise<T>): Promise<T>;
}

/** Options of {@link createSharedTurns}; every field has a default. */
export interface SharedTurnsOptions {
  /**
   * How long a turn waits for an earlier update of its user to be handled (default 65 s): longer than an
   * update's lease, after which another instance takes up the update of an instance that died.
   */
  orderWaitMs?: number;
  /**
   * How long a turn that could not start (the database went away, the user's lock wait ran out) is tried again
   * in this process (default 45 s, within the update's lease). A turn that failed once started is the inbox's to
   * take up again (when its lease runs out), since its replies may have been handed on.
   */
  retryForMs?: number;
  /** Turns running at once (each holds a connection); the others wait here, without a timeout. */
  concurrency?: number;
  /** Told when a turn could not start and will be tried again (once per turn, not per attempt). */
  onRetry?: (error: unknown) => void;
}

const ORDER_PAUSE_MS = { first: 10, most: 500 };
const RETRY_PAUSE_MS = { first: 100, most: 2000 };

/**
 * One user's turns, for instances sharing a PostgreSQL database. In this process a user's turns queue here, and
 * at most `concurrency` run at once, so that a waiting turn holds no connection; across instances the turn runs
 * in a transaction holding the user's advisory lock, so the session it reads is the one the previous turn left,
 * and its writes commit with its replies or not at all. Inside it, the update is checked to be still this instance's (a turn tried again after
 * its commit's answer was lost finds it handled, and does nothing). A turn whose user still has an earlier update
 * waiting (received by another instance a moment before, or left by one that died, until its lease runs out)
 * gives the lock back and waits for it, up to `orderWaitMs`.
 */
export function createSharedTurns(storage: SharedTurnStorage, options: SharedTurnsOptions = {}): SharedTurns {
  const local = createKeyedQueue();
  const orderWaitMs = options.orderWaitMs ?? 65_000;
  const retryForMs = options.retryForMs ?? 45_000;
  const gate = createGate(options.concurrency ?? 8);
  const notYet = Symbol("not yet");
  const gone = Symbol("gone");
  return {
    async run(userKey, inboxId, turn) {
      const digest = storage.userKeys.digest(userKey);
      let started = false;
      const attempt = () =>
        storage.inTurn(inboxId, digest, async ({ holds, earlierWaiting }) => {
          if (!holds) return gone;
          if (earlierWaiting && Date.now() < orderDeadline) return notYet;
          started = true;
          return { value: await turn() };
        });
      const orderDeadline = Date.now() + orderWaitMs;
      const retryDeadline = Date.now() + retryForMs;
      let orderPause = ORDER_PAUSE_MS.first;
      let retryPause = RETRY_PAUSE_MS.first;
      // Nothing is held while waiting: neither the user's place here (the earlier update may be queued in this
      // process too) nor a connection.
      for (;;) {
        let outcome: Awaited<ReturnType<typeof attempt>>;
        try {
          outcome = await local.run(digest, () => gate(attempt));
        } catch (error) {
          // Once the turn ran, it may have committed: the inbox takes it up again afresh (a handled one is skipped).
          if (started || Date.now() >= retryDeadline) throw error;
          if (retryPause === RETRY_PAUSE_MS.first) options.onRetry?.(error);
          await sleep(retryPause);
          retryPause = Math.min(retryPause * 2, RETRY_PAUSE_MS.most);
          continue;
        }
        if (outcome === gone) return undefined;
        if (outcome !== notYet) return outcome.value;
        await sleep(orderPause);
        orderPause = Math.min(orderPause * 2, ORDER_PAUSE_MS.most);
      }
    },
  };
}

/** At most `size` tasks at once; the others start in turn as those end. */
function createGate(size: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (running >= size) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

/** `handler` with each update of a user handled as one of the user's {@link SharedTurns}. */
export function withSharedTurns(handler: InboxHandler, turns: SharedTurns): InboxHandler {
  return {
    ...handler,
    async process(update, outbox) {
      const userKey = handler.userKey?.(update);
      if (userKey === undefined) return handler.process(update, outbox);
      // The turn's replies are queued with the COMMIT of its transaction, which comes once the handling ends:
      // the handling must not wait for it. The user's next turn waits for the commit anyway (the user's lock).
      const inTurn: TurnOutbox = { ...outbox, settle: () => void outbox.settle() };
      await turns.run(userKey, outbox.inboxId, () => handler.process(update, inTurn));
    },
  };
}
