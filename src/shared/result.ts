/**
 * The outcome of an operation that can fail in an expected way (bad user input, a missing fact): a value,
 * not an exception. Exceptions are kept for programming errors and broken deployments.
 */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

/** A successful {@link Result}. */
export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

/** A failed {@link Result}. */
export const err = <E>(error: E): { ok: false; error: E } => ({ ok: false, error });
