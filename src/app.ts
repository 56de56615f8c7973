import { GrammyError } from "grammy";
import type { AppConfig } from "./config.ts";
import type { ConversationCore, Reply } from "./channels/ports.ts";
import type { Conversation } from "./flows/conversation.ts";
import type { Reply as FlowReply } from "./flows/reply.ts";
import { openConversation } from "./flows/wiring.ts";
import {
  createTelegramBot,
  parseTelegramUpdate,
  type TelegramBotOptions,
  type TelegramChannel,
} from "./channels/telegram/bot.ts";
import { createZaloChannel, type ZaloChannel, type ZaloChannelOptions } from "./channels/zalo/channel.ts";
import { createZaloClient, type ZaloClientOptions } from "./channels/zalo/client.ts";
import { parseZaloBody } from "./channels/zalo/parse.ts";
import type { Logger } from "./logging.ts";
import type { StorageStatus } from "./storage/database.ts";
import { createHttpApp, startHttpServer, type HttpAppOptions, type WebhookTarget } from "./server/http.ts";

/**
 * Builds the conversation core for a configuration. `hoichinhsach serve` calls the one factory passed to
 * {@link createServeCommand} (src/cli/commands/serve.ts); that is where the real core is plugged in.
 */
export type CoreFactory = (config: AppConfig, deps: { logger: Logger }) => Promise<ServedCore>;

/** The core as `serve` runs it: the conversation, and what the service does besides answering messages. */
export type ServedCore = ConversationCore & {
  close?(): void;
  /**
   * The notices to send to residents whose decision changed under the rules in force today (run daily; each
   * change is told once: `told()` after it was sent, so one not sent comes again next time).
   */
  ruleNotices?(): RuleNotice[];
  /** Whether storage can be read and written now (for /readyz and the storage watch). Never throws. */
  storage?(): StorageStatus;
};

/** A rule-change notice for one resident. */
export interface RuleNotice {
  userKey: string;
  text: string;
  told?(): void;
  /** The resident cannot be reached any more (blocked the bot): forget their watch. */
  gone?(): void;
}

/**
 * True when a send failed because the user can no longer be reached: Telegram answers 403 ("bot was
 * blocked by the user", "user is deactivated"). Zalo's answer for that case is not documented, so a Zalo
 * failure is treated as passing (the notice comes again; the watch still ends after a year).
 */
export function recipientGone(channel: string, error: unknown): boolean {
  return channel === "telegram" && error instanceof GrammyError && error.error_code === 403;
}

/** Knobs for tests and benchmarks; production uses the defaults. */
export interface AppTuning {
  telegram?: Partial<Omit<TelegramBotOptions, "token" | "apiRoot" | "core" | "logger">>;
  zalo?: Partial<Omit<ZaloChannelOptions, "client" | "core" | "logger">>;
  zaloClient?: Partial<Omit<ZaloClientOptions, "token" | "apiRoot">>;
  server?: Partial<Omit<HttpAppOptions, "logger" | "webhooks">>;
  /** How long stop() waits for updates in flight, in ms (default 10,000). */
  drainTimeoutMs?: number;
  /** When the first rule-change check runs after start, in ms (default 60,000); then once a day. */
  ruleCheckDelayMs?: number;
  /** How often storage is checked while serving, in ms (default 30,000). */
  storageCheckMs?: number;
}

/** Options of {@link startApp}. */
export interface StartAppOptions {
  config: AppConfig;
  core: ServedCore;
  logger: Logger;
  tuning?: AppTuning;
}

/** The running service; see {@link startApp}. */
export interface RunningApp {
  /** The HTTP port actually bound. */
  port: number;
  telegram?: TelegramChannel;
  zalo?: ZaloChannel;
  /**
   * Graceful stop: stops polling and accepting webhooks, waits for the updates in flight (bounded), then closes
   * the HTTP server. Safe to call twice.
   */
  stop(): Promise<void>;
}

/**
 * Starts every channel whose token is set, each in the mode the configuration says (long polling without
 * PUBLIC_URL, webhooks with it), and the HTTP server (webhooks, /healthz and /readyz). Storage is checked
 * every 30 seconds and a failure logged. Webhooks are never registered
 * here: that is `hoichinhsach webhooks set`, run on purpose. The Telegram command menu is registered once the
 * bot is ready; if that fails the bot still serves.
 *
 * ```ts
 * const app = await startApp({ config, core, logger });
 * process.once("SIGTERM", () => void app.stop());
 * ```
 */
export async function startApp(options: StartAppOptions): Promise<RunningApp> {
  const { config, core, logger, tuning = {} } = options;
  const shutdown = new AbortController();
  const background: Promise<void>[] = [];
  const webhooks: HttpAppOptions["webhooks"] = {};

  let telegram: TelegramChannel | undefined;
  if (config.telegram) {
    const settings = config.telegram;
    telegram = createTelegramBot({
      ...tuning.telegram,
      token: settings.token,
      apiRoot: settings.apiRoot,
      core,
      logger,
      staffChatIds: (config.staffIds ?? [])
        .filter((key) => key.startsWith("telegram:"))
        .map((key) => Number(key.slice("telegram:".length))),
    });
    const channel = telegram;
    background.push(
      channel.init(shutdown.signal).then(async (ready) => {
        if (!ready) return;
        await channel.setCommands().catch((error: unknown) => {
          logger.warn(
            { channel: "telegram", err: error },
            "setMyCommands failed; the bot serves without its menu",
          );
        });
      }),
    );
    if (config.mode === "polling") background.push(channel.runPolling(shutdown.signal));
    else if (settings.webhookSecret) {
      webhooks.telegram = telegramTarget(channel, settings.webhookSecret);
    }
  }

  let zalo: ZaloChannel | undefined;
  if (config.zalo) {
    const settings = config.zalo;
    const client = createZaloClient({
      ...tuning.zaloClient,
      token: settings.token,
      apiRoot: settings.apiRoot,
    });
    zalo = createZaloChannel({ ...tuning.zalo, client, core, logger });
    if (config.mode === "polling") background.push(zalo.runPolling(shutdown.signal));
    else if (settings.webhookSecret) webhooks.zalo = zaloTarget(zalo, settings.webhookSecret);
  }

  const http = createHttpApp({
    ...tuning.server,
    logger,
    webhooks,
    ...(core.storage ? { readiness: core.storage } : {}),
  });
  let server;
  try {
    server = await startHttpServer(http, { port: config.port, host: config.host });
  } catch (error) {
    shutdown.abort();
    await Promise.allSettled(background);
    throw error;
  }
  logger.info(
    {
      port: server.port,
      mode: config.mode,
      telegram: Boolean(telegram),
      zalo: Boolean(zalo),
      ...(config.mode === "webhook"
        ? { hint: "webhooks are registered with `hoichinhsach webhooks set`" }
        : {}),
    },
    "server started",
  );

  const noticeTimer = core.ruleNotices
    ? scheduleRuleNotices(core.ruleNotices, { telegram, zalo }, logger, tuning.ruleCheckDelayMs ?? 60_000)
    : undefined;

  const storageWatch = core.storage
    ? watchStorage(core.storage, logger, tuning.storageCheckMs ?? 30_000)
    : undefined;

  const running = server;
  let stopping: Promise<void> | undefined;
  return {
    port: running.port,
    ...(telegram ? { telegram } : {}),
    ...(zalo ? { zalo } : {}),
    stop() {
      stopping ??= (async () => {
        logger.info({}, "stopping");
        noticeTimer?.stop();
        storageWatch?.stop();
        shutdown.abort();
        const closed = running.close(tuning.drainTimeoutMs ?? 10_000);
        await Promise.allSettled(background);
        const drained = await Promise.all(
          [telegram?.dispatcher, zalo?.dispatcher].map(
            (d) => d?.drain(tuning.drainTimeoutMs ?? 10_000) ?? true,
          ),
        );
        await closed;
        logger.info({ drained: drained.every(Boolean) }, "stopped");
      })();
      return stopping;
    },
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Checks storage every `intervalMs` and logs when it becomes unusable (the file deleted, made read-only,
 * corrupted) and when it is usable again: once per change, not on every check.
 */
export function watchStorage(
  probe: () => StorageStatus,
  logger: Logger,
  intervalMs: number,
): { stop(): void } {
  let failing: string | undefined;
  const check = (): void => {
    const status = probe();
    if (!status.ok && failing !== status.cause) {
      failing = status.cause;
      logger.error({ cause: status.cause }, "storage unavailable: messages cannot be handled");
    } else if (status.ok && failing !== undefined) {
      failing = undefined;
      logger.info({}, "storage available again");
    }
  };
  const timer = setInterval(check, intervalMs).unref();
  return { stop: () => clearInterval(timer) };
}

/**
 * Runs the rule-change check after `firstDelayMs`, then once a day, and sends each notice on its user's
 * channel. Logged as counts only; one failed send does not stop the others.
 */
function scheduleRuleNotices(
  ruleNotices: () => RuleNotice[],
  channels: { telegram?: TelegramChannel; zalo?: ZaloChannel },
  logger: Logger,
  firstDelayMs: number,
): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const run = async (): Promise<void> => {
    let sent = 0;
    let failed = 0;
    let forgotten = 0;
    try {
      for (const notice of ruleNotices()) {
        if (stopped) break;
        const colon = notice.userKey.indexOf(":");
        const channel = notice.userKey.slice(0, colon);
        const id = notice.userKey.slice(colon + 1);
        try {
          if (channel === "telegram" && channels.telegram)
            await channels.telegram.sendText(Number(id), notice.text);
          else if (channel === "zalo" && channels.zalo) await channels.zalo.sendText(id, notice.text);
          else continue;
          notice.told?.();
          sent++;
        } catch (error) {
          if (recipientGone(channel, error)) {
            notice.gone?.();
            forgotten++;
          } else {
            failed++;
            logger.warn({ channel, err: error }, "rule-change notice not sent");
          }
        }
      }
      logger.info({ sent, failed, forgotten }, "rule-change check done");
    } catch (error) {
      logger.error({ err: error }, "rule-change check failed");
    }
    if (!stopped) timer = setTimeout(() => void run(), DAY_MS).unref();
  };
  timer = setTimeout(() => void run(), firstDelayMs).unref();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

function telegramTarget(channel: TelegramChannel, secret: string): WebhookTarget {
  return {
    secretHeader: "X-Telegram-Bot-Api-Secret-Token",
    secret,
    accept(body) {
      const update = parseTelegramUpdate(body);
      return update
        ? { type: "handle", handle: () => channel.handleWebhookUpdate(update) }
        : { type: "invalid", problem: "not a Telegram update" };
    },
    ready: () => channel.isReady(),
    inFlight: () => channel.dispatcher.inFlight(),
  };
}

function zaloTarget(channel: ZaloChannel, secret: string): WebhookTarget {
  return {
    secretHeader: "X-Bot-Api-Secret-Token",
    secret,
    accept(body) {
      const verdict = parseZaloBody(body);
      if (verdict.type !== "update") return verdict;
      return { type: "handle", handle: () => channel.handleWebhookUpdate(verdict.update) };
    },
    ready: () => true,
    inFlight: () => channel.dispatcher.inFlight(),
  };
}

/**
 * The conversation core as the channels see it. A pressed button comes back as the choice's value typed on the
 * question it belonged to, so a button of an older question is recognised by the core. A question where
 * several choices may be picked (the deprivation list) is sent as numbered lines, since one button carries
 * one value.
 */
export function channelCore(conversation: Conversation): ConversationCore {
  const toChannelReply = (reply: FlowReply): Reply => ({
    ...(reply.choices?.length && !reply.multiple
      ? {
          text: reply.text,
          choices: reply.choices.map(({ label, value }) => ({ label, value })),
          ...(reply.question ? { stepId: reply.question } : {}),
        }
      : { text: reply.fallbackText }),
    ...(reply.attachment ? { attachment: reply.attachment } : {}),
    ...(reply.failure ? { failure: reply.failure } : {}),
  });
  return {
    async handle(userKey, input) {
      const message =
        input.type === "text"
          ? { text: input.text }
          : // An unreadable button (empty question) still reaches the core as a press on an old question.
            { text: input.value, question: input.stepId || "stale" };
      const replies = await conversation.handle(userKey, message);
      return replies.map(toChannelReply);
    },
  };
}

/**
 * The conversation core served by `hoichinhsach serve`: the flows, the scorer and the knowledge base over the
 * configured SQLite file, the single wiring point between the channels and the core. Errors inside the core
 * are logged by stage only: never the user's text or answers.
 */
export const createCore: CoreFactory = async (config, { logger }) => {
  const { conversation, close, ruleNotices, probe, droppedSessions } = await openConversation({
    databasePath: config.databasePath,
    ttlDays: config.sessionTtlDays,
    ...(config.questionRetentionDays ? { questionRetentionDays: config.questionRetentionDays } : {}),
    ...(config.userKeySecret ? { userKeySecret: config.userKeySecret } : {}),
    ...(config.staffIds ? { staffIds: config.staffIds } : {}),
    onError: (error, stage) => logger.error({ err: error, stage }, "conversation core failed"),
  });
  if (droppedSessions > 0)
    logger.warn(
      { sessions: droppedSessions },
      "conversations started afresh: stored user keys are now keyed digests (USER_KEY_SECRET)",
    );
  return { ...channelCore(conversation), close, ruleNotices, storage: probe };
};
