/**
 * The Zalo Bot API answered, with an error: `ok: false` in the envelope (which may come with HTTP 200). Keeps
 * the platform's `error_code` and `description` as returned, plus the method called. The token never appears.
 */
export class ZaloApiError extends Error {
  override readonly name = "ZaloApiError";
  readonly method: string;
  readonly error_code: number | undefined;
  readonly description: string | undefined;

  constructor(method: string, errorCode: number | undefined, description: string | undefined) {
    super(`Zalo ${method} failed (${errorCode ?? "no error_code"}: ${description ?? "no description"})`);
    this.method = method;
    this.error_code = errorCode;
    this.description = description;
  }
}

/**
 * The request to the Zalo Bot API failed before an answer could be read: network error, timeout, or a body that
 * is not the expected envelope. `cause` is a copy of the underlying error with the token removed from its message.
 */
export class ZaloHttpError extends Error {
  override readonly name = "ZaloHttpError";
  readonly method: string;
  /** HTTP status when a response arrived but could not be used. */
  readonly status: number | undefined;

  constructor(method: string, reason: string, options: { cause?: Error; status?: number } = {}) {
    super(`Zalo ${method} request failed (${reason})`, options.cause ? { cause: options.cause } : undefined);
    this.method = method;
    this.status = options.status;
  }
}
