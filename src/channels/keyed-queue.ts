/** Runs tasks one after another per key and concurrently across keys; see {@link createKeyedQueue}. */
export interface KeyedQueue {
  /** Runs `task` after every task queued earlier under the same key has settled; resolves with its result. */
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Keys with queued or running tasks (entries are removed as soon as a key is idle). */
  size(): number;
}

interface Chain {
  tail: Promise<unknown>;
  waiting: number;
}

/**
 * Creates a queue that keeps one user's messages in order while different users are served at the same time.
 * A failing task does not stop the ones queued after it. Memory is bounded by the number of busy keys.
 *
 * ```ts
 * const queue = createKeyedQueue();
 * await queue.run("telegram:42", () => core.handle("telegram:42", input));
 * ```
 */
export function createKeyedQueue(): KeyedQueue {
  const chains = new Map<string, Chain>();
  return {
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      let chain = chains.get(key);
      if (!chain) {
        chain = { tail: Promise.resolve(), waiting: 0 };
        chains.set(key, chain);
      }
      const current = chain;
      current.waiting++;
      const result = current.tail.then(task);
      const settle = (): void => {
        current.waiting--;
        if (current.waiting === 0 && chains.get(key) === current) chains.delete(key);
      };
      current.tail = result.then(settle, settle);
      return result;
    },
    size: () => chains.size,
  };
}
