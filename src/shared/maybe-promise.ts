/** A result a port may give at once (SQLite) or later (a store over the network); callers await it. */
export type MaybePromise<T> = T | Promise<T>;

/** `T` with each method answering with a promise of what it answers at once: a store over the network. */
export type Async<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : T[K];
};
