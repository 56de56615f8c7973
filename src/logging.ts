import { createHmac, randomBytes } from "node:crypto";
import { pino, type Logger } from "pino";

export type { Logger } from "pino";

/** Log levels accepted by `LOG_LEVEL`, most to least verbose, plus `silent`. */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where log lines go: anything with a `write(line)` (process.stdout, a test buffer). */
export interface LogDestination {
  write(line: string): unknown;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  level: LogLevel;
  /** Tokens and webhook secrets: replaced by `[redacted]` wherever they would appear in a log line. */
  secrets?: readonly string[];
  /** Default: standard output. */
  destination?: LogDestination;
}

/**
 * Creates the structured (JSON lines) logger. What it logs about a message is its update id, the channel, a
 * short pseudonym of the user, the outcome and the duration: never the text, the figures in it, a token or a
 * secret. Two safety nets back that rule up: errors are serialized from an allowlist of fields (grammY's
 * errors carry the request payload, message text included), and every line is scrubbed of the configured
 * secrets and of token-bearing API URLs (`/bot<token>/`) before it is written.
 *
 * ```ts
 * const logger = createLogger({ level: "info", secrets: [config.telegram.token] });
 * logger.info({ channel: "zalo", update_id: "m1", outcome: "replied", duration_ms: 12 }, "update handled");
 * ```
 */
export function createLogger(options: LoggerOptions): Logger {
  const redact = createRedactor(options.secrets ?? []);
  const destination = options.destination ?? process.stdout;
  return pino(
    {
      level: options.level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: (error: unknown) => serializeError(error) },
      redact: {
        paths: ["token", "secret", "*.token", "*.secret", "secret_token", "*.secret_token", "text", "*.text"],
        censor: "[redacted]",
      },
    },
    { write: (line: string) => void destination.write(redact(line)) },
  );
}

/** Matches the token segment of a Bot API URL (`…/bot<token>/sendMessage`) on either platform. */
const TOKEN_IN_URL = /\/bot[^/\s"'?#]+(?=\/)/g;

/**
 * Returns a function that removes the given secrets, and any token-bearing Bot API URL segment, from a text.
 * Used on every log line and on every error message that might carry a request URL.
 *
 * ```ts
 * const redact = createRedactor([token]);
 * redact(`request to https://api.telegram.org/bot${token}/getMe failed`); // "…/bot[redacted]/getMe failed"
 * ```
 */
export function createRedactor(secrets: readonly string[]): (text: string) => string {
  // Longest first, so that a secret containing another is removed whole.
  const literals = [...new Set(secrets.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text.replace(TOKEN_IN_URL, "/bot[redacted]");
    for (const secret of literals) if (out.includes(secret)) out = out.split(secret).join("[redacted]");
    return out;
  };
}

/** Fields copied from an error into the log when they hold a number or a string. */
const ERROR_FIELDS = ["code", "error_code", "errorCode", "description", "method", "status"] as const;

/**
 * Turns an error into a loggable object from an allowlist of fields: name, message (optional), code-like
 * fields, stack and cause chain. Payloads, headers and request bodies never get through.
 *
 * @param options.withMessage False for errors whose message might quote user input (the core's), keeping only
 *   the type, codes and stack frames.
 */
export function serializeError(
  error: unknown,
  options: { withMessage?: boolean } = {},
  depth = 0,
): Record<string, unknown> {
  const withMessage = options.withMessage ?? true;
  if (!(error instanceof Error)) return { type: typeof error };
  const out: Record<string, unknown> = { type: error.name };
  if (withMessage) out.message = error.message;
  const fields = error as unknown as Record<string, unknown>;
  for (const field of ERROR_FIELDS) {
    const value = fields[field];
    if (typeof value === "string" || typeof value === "number") out[field] = value;
  }
  if (error.stack) {
    const frames = error.stack.split("\n").filter((line) => line.trimStart().startsWith("at "));
    out.stack = withMessage ? error.stack : frames.join("\n");
  }
  // grammY's HttpError keeps the underlying network error in `error` rather than `cause`.
  const inner = error.cause ?? fields.error;
  if (inner !== undefined && depth < 3) out.cause = serializeError(inner, options, depth + 1);
  return out;
}

const PSEUDONYM_KEY = randomBytes(32);
/** Recent pseudonyms: a user's messages come in runs, and an HMAC per log line is measurable at load. */
const pseudonyms = new Map<string, string>();
const PSEUDONYM_CACHE = 5000;

/**
 * A short pseudonym for a user key, for correlating one user's log lines without logging the platform id.
 * Keyed with a random per-process secret, so the pseudonym cannot be reversed by hashing every possible id and
 * does not link a user across restarts.
 */
export function pseudonym(userKey: string): string {
  let value = pseudonyms.get(userKey);
  if (value === undefined) {
    value = createHmac("sha256", PSEUDONYM_KEY).update(userKey).digest("base64url").slice(0, 12);
    if (pseudonyms.size >= PSEUDONYM_CACHE) pseudonyms.clear();
    pseudonyms.set(userKey, value);
  }
  return value;
}

/** Narrows a string to a {@link LogLevel}. */
export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}
