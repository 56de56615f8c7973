import { sleep } from "./backoff.ts";
import type { InboxHandler } from "./inbox.ts";
import { createKeyedQueue } from "./keyed-queue.ts";

/**
 * Runs one user's turns one at a time across every instance sharing the database, in the order their updates
 * arrived: see {@link createSharedTurns}.
 */
export interface SharedTurns {
  run<T>(userKey: string, inboxId: number, turn: () => Promise<T>): Promise<T>;
}

/** What {@link createSharedTurns} needs of the database. */
export interface SharedTurnStorage {
  userKeys: { digest(userKey: string): string };
  /** Runs `fn` in a transaction holding the user's lock across instances (bounded wait; throws after it). */
  withUserLock<T>(digest: string, fn: () => Promise<T>): Promise<T>;
  /** Whether an update of the user received before `inboxId` is still to be handled. */
  waitingBefore(inboxId: number, digest: string): Promise<boolean>;
}

/** How long a turn waits for an earlier update of its user to be handled elsewhere (default 2 s). */
const DEFAULT_ORDER_WAIT_MS = 2000;
const RECHECK_MS = 20;

/**
 * One user's turns, for instances sharing a PostgreSQL database. In this process a user's turns queue here,
 * so that a waiting turn holds no connection; across instances the turn runs in a transaction holding the
 * user's advisory lock, so the session it reads is the one the previous turn left and its writes commit with
 * its replies. A turn whose user still has an earlier update waiting (received by another instance a moment
 * before) gives the lock back and waits for it, up to `orderWaitMs`: after that (its instance died and its
 * lease has not yet run out) it goes ahead.
 */
export function createSharedTurns(
  storage: SharedTurnStorage,
  options: { orderWaitMs?: number } = {},
): SharedTurns {
  const local = createKeyedQueue();
  const orderWaitMs = options.orderWaitMs ?? DEFAULT_ORDER_WAIT_MS;
  const notYet = Symbol("not yet");
  return {
    run(userKey, inboxId, turn) {
      const digest = storage.userKeys.digest(userKey);
      return local.run(digest, async () => {
        const deadline = Date.now() + orderWaitMs;
        for (;;) {
          const outcome = await storage.withUserLock(digest, async () => {
            if (Date.now() < deadline && (await storage.waitingBefore(inboxId, digest))) return notYet;
            return { value: await turn() };
          });
          if (outcome !== notYet) return outcome.value;
          await sleep(RECHECK_MS);
        }
      });
    },
  };
}

/** `handler` with each update of a user handled as one of the user's {@link SharedTurns}. */
export function withSharedTurns(handler: InboxHandler, turns: SharedTurns): InboxHandler {
  return {
    ...handler,
    process(update, outbox) {
      const userKey = handler.userKey?.(update);
      if (userKey === undefined) return handler.process(update, outbox);
      return turns.run(userKey, outbox.inboxId, () => handler.process(update, outbox));
    },
  };
}
