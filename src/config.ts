import { z } from "zod";
import { DEFAULT_DATABASE_PATH } from "./storage/database.ts";
import { DEFAULT_QUESTION_RETENTION_DAYS } from "./storage/repositories/feedback.ts";
import { DEFAULT_SESSION_TTL_DAYS, MAX_SESSION_TTL_DAYS } from "./storage/repositories/sessions.ts";
import { MIN_SECRET_LENGTH } from "./storage/user-keys.ts";
import { LOG_LEVELS, type LogLevel } from "./logging.ts";
import { err, ok, type Result } from "./shared/result.ts";
import { staffIdsSchema } from "./staff/roles.ts";

/** The official Telegram Bot API server. */
export const TELEGRAM_DEFAULT_API_ROOT = "https://api.telegram.org";

/** The Zalo Bot Platform API server. */
export const ZALO_DEFAULT_API_ROOT = "https://bot-api.zaloplatforms.com";

/** The two chat channels. */
export type ChannelName = "telegram" | "zalo";

/** One chat channel's settings; present only when its token is set. */
export interface ChannelConfig {
  token: string;
  /** Base URL of the Bot API (tests point it at a local fake). */
  apiRoot: string;
  /** Checked on every webhook delivery; required in webhook mode. */
  webhookSecret?: string;
}

/** The validated configuration of `hoichinhsach serve` and `hoichinhsach webhooks`. */
export interface AppConfig {
  telegram?: ChannelConfig;
  zalo?: ChannelConfig;
  /** Public base URL of this server; set → webhook mode, unset → long polling. */
  publicUrl?: string;
  mode: "polling" | "webhook";
  port: number;
  host: string;
  databasePath: string;
  /**
   * DATABASE_URL: every store on this PostgreSQL database, shared by the instances; the search index stays in
   * the local SQLite file at `databasePath`. Unset: everything in that SQLite file.
   */
  postgres?: { url: string; poolSize?: number; statementTimeoutMs?: number; lockTimeoutMs?: number };
  logLevel: LogLevel;
  sessionTtlDays: number;
  /** How long a question without a good answer, and the link of feedback to its user, are kept (days). */
  questionRetentionDays?: number;
  /** The secret user keys are digested with (USER_KEY_SECRET); `serve` requires it. */
  userKeySecret?: string;
  /** Longest single send of a reply to Telegram or Zalo, in seconds (default 10); a hung call counts ambiguous. */
  sendTimeoutSeconds?: number;
  /** This process's name in the inbox and outbox leases (default host name and port). */
  instanceId?: string;
  /** User keys of commune staff and legal-aid volunteers (`STAFF_IDS`, e.g. `telegram:123,zalo:abc`); none when absent. */
  staffIds?: string[];
  /** Minutes of inactivity after which a staff console session ends (CONSOLE_IDLE_MINUTES, default 30). */
  consoleIdleMinutes?: number;
  /**
   * TRUST_PROXY: the server sits behind a reverse proxy that sets X-Forwarded-Proto and X-Forwarded-For; the
   * console then marks its cookie Secure when the proxy says the request came over HTTPS, and counts wrong
   * sign-in codes per forwarded client address.
   */
  trustProxy?: boolean;
}

// === Per-variable rules, each with its Vietnamese / English message

const blankIsUnset = (value: unknown): unknown =>
  typeof value === "string" && value.trim() === ""
    ? undefined
    : typeof value === "string"
      ? value.trim()
      : value;

const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankIsUnset, schema.optional());

const SECRET = /^[A-Za-z0-9_-]{16,256}$/;
const secretMessage =
  "phải dài 16–256 ký tự, chỉ gồm chữ, số, _ và - (tạo bằng: openssl rand -hex 32) / must be 16–256 characters of A–Z, a–z, 0–9, _ or - (generate with: openssl rand -hex 32)";

const httpUrl = (message: string) =>
  z.string().refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "https:" || url.protocol === "http:") && !/\/bot[^/]*$/.test(url.pathname);
    } catch {
      return false;
    }
  }, message);

const apiRootMessage =
  "phải là địa chỉ http(s) của máy chủ Bot API, không kèm /bot<token> / must be the Bot API server's http(s) URL, without /bot<token>";

const isLocalHost = (host: string): boolean =>
  host === "localhost" || host === "127.0.0.1" || host === "[::1]";

function days() {
  const message = `phải là số ngày nguyên từ 1 đến ${MAX_SESSION_TTL_DAYS} / must be a whole number of days from 1 to ${MAX_SESSION_TTL_DAYS}`;
  return z
    .string()
    .regex(/^\d{1,4}$/, message)
    .transform(Number)
    .refine((value) => value >= 1 && value <= MAX_SESSION_TTL_DAYS, message);
}

function wholeNumber(min: number, max: number, unit: string) {
  const message = `phải là số nguyên từ ${min} đến ${max} (${unit}) / must be a whole number from ${min} to ${max} (${unit})`;
  return z
    .string()
    .regex(/^\d{1,7}$/, message)
    .transform(Number)
    .refine((value) => value >= min && value <= max, message);
}

const ENV = z.object({
  TELEGRAM_BOT_TOKEN: optional(
    z
      .string()
      .regex(
        /^\d{3,}:[A-Za-z0-9_-]{20,}$/,
        "không đúng dạng token BotFather cấp (123456789:AA…) / is not a token as issued by BotFather (123456789:AA…)",
      ),
  ),
  TELEGRAM_API_ROOT: optional(httpUrl(apiRootMessage)),
  TELEGRAM_WEBHOOK_SECRET: optional(z.string().regex(SECRET, secretMessage)),
  ZALO_BOT_TOKEN: optional(
    z
      .string()
      .regex(
        /^[^\s/?#]{8,}$/,
        "không đúng dạng token Zalo Bot (lấy trong Zalo Bot Manager; không có khoảng trắng hay dấu /) / is not a Zalo Bot token (from Zalo Bot Manager; no spaces or slashes)",
      ),
  ),
  ZALO_API_ROOT: optional(httpUrl(apiRootMessage)),
  ZALO_WEBHOOK_SECRET: optional(z.string().regex(SECRET, secretMessage)),
  PUBLIC_URL: optional(
    z.string().refine((value) => {
      try {
        const url = new URL(value);
        return url.protocol === "https:" || (url.protocol === "http:" && isLocalHost(url.hostname));
      } catch {
        return false;
      }
    }, "phải là địa chỉ https:// công khai của máy chủ này (http:// chỉ dùng cho localhost) / must be this server's public https:// URL (http:// only for localhost)"),
  ),
  PORT: optional(
    z
      .string()
      .regex(/^\d{1,5}$/, "phải là số cổng từ 0 đến 65535 / must be a port number from 0 to 65535")
      .transform(Number)
      .refine(
        (port) => port <= 65535,
        "phải là số cổng từ 0 đến 65535 / must be a port number from 0 to 65535",
      ),
  ),
  HOST: optional(
    z
      .string()
      .regex(/^[A-Za-z0-9.:[\]-]+$/, "phải là địa chỉ IP hoặc tên máy / must be an IP address or host name"),
  ),
  DATABASE_PATH: optional(z.string()),
  DATABASE_URL: optional(
    z
      .string()
      .regex(
        /^postgres(ql)?:\/\/\S+$/,
        "phải có dạng postgres://người_dùng:mật_khẩu@máy:5432/tên_csdl / must look like postgres://user:password@host:5432/database",
      ),
  ),
  // A turn holds a connection while it records statistics on another: one connection alone would wait on itself.
  DATABASE_POOL_SIZE: optional(wholeNumber(2, 200, "kết nối / connections")),
  DATABASE_STATEMENT_TIMEOUT_MS: optional(wholeNumber(100, 600_000, "ms")),
  DATABASE_LOCK_TIMEOUT_MS: optional(wholeNumber(100, 600_000, "ms")),
  LOG_LEVEL: optional(
    z.enum(LOG_LEVELS, { error: `phải là một trong / must be one of: ${LOG_LEVELS.join(", ")}` }),
  ),
  SESSION_TTL_DAYS: optional(days()),
  QUESTION_RETENTION_DAYS: optional(days()),
  USER_KEY_SECRET: optional(
    z
      .string()
      .regex(
        new RegExp(`^\\S{${MIN_SECRET_LENGTH},1024}$`),
        `phải dài ít nhất ${MIN_SECRET_LENGTH} ký tự, không có khoảng trắng (tạo bằng: openssl rand -base64 32) / must be at least ${MIN_SECRET_LENGTH} characters without spaces (generate with: openssl rand -base64 32)`,
      ),
  ),
  STAFF_IDS: staffIdsSchema,
  SEND_TIMEOUT_SECONDS: optional(
    z
      .string()
      .regex(
        /^\d{1,2}$/,
        "phải là số giây nguyên từ 1 đến 60 / must be a whole number of seconds from 1 to 60",
      )
      .transform(Number)
      .refine(
        (seconds) => seconds >= 1 && seconds <= 60,
        "phải là số giây nguyên từ 1 đến 60 / must be a whole number of seconds from 1 to 60",
      ),
  ),
  INSTANCE_ID: optional(
    z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,100}$/, "chỉ gồm chữ, số và . _ : - / only letters, digits and . _ : -"),
  ),
  CONSOLE_IDLE_MINUTES: optional(
    z
      .string()
      .regex(
        /^\d{1,4}$/,
        "phải là số phút nguyên từ 5 đến 1440 / must be a whole number of minutes from 5 to 1440",
      )
      .transform(Number)
      .refine(
        (minutes) => minutes >= 5 && minutes <= 1440,
        "phải là số phút nguyên từ 5 đến 1440 / must be a whole number of minutes from 5 to 1440",
      ),
  ),
  TRUST_PROXY: optional(
    z.enum(["true", "false", "1", "0"], { error: "phải là true hoặc false / must be true or false" }),
  ),
});

/** The environment variables read by {@link loadConfig}, in the order `.env.example` documents them. */
export const CONFIG_VARIABLES = Object.keys(ENV.shape);

/**
 * Reads and validates the configuration from environment variables. Every bad variable gets its own line,
 * naming the variable and saying what is expected, in Vietnamese and English; a value is never echoed (it may
 * be a token). Webhook mode (PUBLIC_URL set) requires the webhook secret of every channel whose token is set.
 *
 * ```ts
 * const config = loadConfig(process.env);
 * if (!config.ok) { console.error(formatConfigProblems(config.error)); process.exit(2); }
 * ```
 */
export function loadConfig(env: NodeJS.ProcessEnv): Result<AppConfig, string[]> {
  const picked = Object.fromEntries(CONFIG_VARIABLES.map((name) => [name, env[name]]));
  const parsed = ENV.safeParse(picked);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${String(issue.path[0] ?? "?")}: ${issue.message}`);
    return err([...new Set(problems)]);
  }
  const vars = parsed.data;
  const mode = vars.PUBLIC_URL ? "webhook" : "polling";
  const problems: string[] = [];
  if (mode === "webhook") {
    const required =
      "bắt buộc khi đặt PUBLIC_URL (chế độ webhook) / required when PUBLIC_URL is set (webhook mode)";
    if (vars.TELEGRAM_BOT_TOKEN && !vars.TELEGRAM_WEBHOOK_SECRET)
      problems.push(`TELEGRAM_WEBHOOK_SECRET: ${required}`);
    if (vars.ZALO_BOT_TOKEN && !vars.ZALO_WEBHOOK_SECRET) problems.push(`ZALO_WEBHOOK_SECRET: ${required}`);
  }
  if (problems.length > 0) return err(problems);

  const channel = (
    token: string | undefined,
    apiRoot: string,
    secret: string | undefined,
  ): ChannelConfig | undefined =>
    token
      ? { token, apiRoot: apiRoot.replace(/\/+$/, ""), ...(secret ? { webhookSecret: secret } : {}) }
      : undefined;
  return ok({
    telegram: channel(
      vars.TELEGRAM_BOT_TOKEN,
      vars.TELEGRAM_API_ROOT ?? TELEGRAM_DEFAULT_API_ROOT,
      vars.TELEGRAM_WEBHOOK_SECRET,
    ),
    zalo: channel(vars.ZALO_BOT_TOKEN, vars.ZALO_API_ROOT ?? ZALO_DEFAULT_API_ROOT, vars.ZALO_WEBHOOK_SECRET),
    ...(vars.PUBLIC_URL ? { publicUrl: vars.PUBLIC_URL.replace(/\/+$/, "") } : {}),
    mode,
    port: vars.PORT ?? 3000,
    host: vars.HOST ?? "0.0.0.0",
    databasePath: vars.DATABASE_PATH ?? DEFAULT_DATABASE_PATH,
    ...(vars.DATABASE_URL
      ? {
          postgres: {
            url: vars.DATABASE_URL,
            ...(vars.DATABASE_POOL_SIZE ? { poolSize: vars.DATABASE_POOL_SIZE } : {}),
            ...(vars.DATABASE_STATEMENT_TIMEOUT_MS
              ? { statementTimeoutMs: vars.DATABASE_STATEMENT_TIMEOUT_MS }
              : {}),
            ...(vars.DATABASE_LOCK_TIMEOUT_MS ? { lockTimeoutMs: vars.DATABASE_LOCK_TIMEOUT_MS } : {}),
          },
        }
      : {}),
    logLevel: vars.LOG_LEVEL ?? "info",
    sessionTtlDays: vars.SESSION_TTL_DAYS ?? DEFAULT_SESSION_TTL_DAYS,
    questionRetentionDays: vars.QUESTION_RETENTION_DAYS ?? DEFAULT_QUESTION_RETENTION_DAYS,
    ...(vars.USER_KEY_SECRET ? { userKeySecret: vars.USER_KEY_SECRET } : {}),
    sendTimeoutSeconds: vars.SEND_TIMEOUT_SECONDS ?? 10,
    ...(vars.INSTANCE_ID ? { instanceId: vars.INSTANCE_ID } : {}),
    ...(vars.STAFF_IDS.length > 0 ? { staffIds: vars.STAFF_IDS } : {}),
    ...(vars.CONSOLE_IDLE_MINUTES ? { consoleIdleMinutes: vars.CONSOLE_IDLE_MINUTES } : {}),
    ...(vars.TRUST_PROXY === "true" || vars.TRUST_PROXY === "1" ? { trustProxy: true } : {}),
  });
}

/** The problems found by {@link loadConfig}, as the text shown to the operator. */
export function formatConfigProblems(problems: readonly string[]): string {
  return ["Cấu hình không hợp lệ / Invalid configuration:", ...problems.map((p) => `  - ${p}`)].join("\n");
}

/** Every token and webhook secret in the configuration, for the log redactor. */
export function secretsOf(config: AppConfig): string[] {
  return [config.telegram, config.zalo]
    .flatMap((c) => (c ? [c.token, c.webhookSecret ?? ""] : []))
    .concat(config.userKeySecret ?? "", config.postgres?.url ?? "", databasePassword(config.postgres?.url))
    .filter(Boolean);
}

/** The password in a database URL, decoded ("" when none): never to appear in a log line. */
function databasePassword(url: string | undefined): string {
  if (!url) return "";
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return "";
  }
}

/** The public webhook URL of a channel: `<PUBLIC_URL>/webhooks/<channel>`. */
export function webhookUrl(publicUrl: string, channel: ChannelName): string {
  return `${publicUrl.replace(/\/+$/, "")}/webhooks/${channel}`;
}
