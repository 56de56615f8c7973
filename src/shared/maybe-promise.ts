/** A result a port may give at once (SQLite) or later (a store over the network); callers await it. */
export type MaybePromise<T> = T | Promise<T>;
