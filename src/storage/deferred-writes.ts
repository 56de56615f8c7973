/** Writes held back for one key (a user) while a unit of work runs, to be applied by whoever commits it. */
export interface WriteBatch {
  /** Applies the writes held so far (call inside the committing transaction) and lets later ones through. */
  apply(): void;
  /** Drops the writes held so far and lets later ones through. */
  discard(): void;
}

/**
 * Defers database writes per key, so that they can be committed in one transaction with something decided after
 * the work that made them: a conversation turn's session change, with the turn's queued replies. Keyed by user
 * rather than by asynchronous context: one user's turns run one at a time, so a user has at most one open batch.
 * A write for a key without an open batch (outside a turn, or a core answering after its time limit) is made
 * at once.
 */
export interface DeferredWrites {
  /** Opens the batch of `key`; its writes are held until it is applied or discarded. */
  hold(key: string): WriteBatch;
  /** Holds `write` in the open batch of `key`; false (nothing held) when there is none. */
  defer(key: string, write: () => void): boolean;
}

/**
 * Creates the deferral.
 *
 * ```ts
 * const writes = createDeferredWrites();
 * const batch = writes.hold(userKey);
 * await core.handle(userKey, input); // the session store defers its saves for userKey
 * database.sqlite.transaction(() => { batch.apply(); queueReplies(); })();
 * ```
 */
export function createDeferredWrites(): DeferredWrites {
  const open = new Map<string, Array<() => void>>();
  return {
    hold(key) {
      const held: Array<() => void> = [];
      open.set(key, held);
      const close = (): void => {
        if (open.get(key) === held) open.delete(key);
      };
      return {
        apply() {
          close();
          for (const write of held.splice(0)) write();
        },
        discard() {
          close();
          held.length = 0;
        },
      };
    },
    defer(key, write) {
      const held = open.get(key);
      if (!held) return false;
      held.push(write);
      return true;
    },
  };
}
