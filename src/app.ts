import { GrammyError } from "grammy";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { AppConfig } from "./config.ts";
import type { ConversationCore, Reply } from "./channels/ports.ts";
import type { Conversation } from "./flows/conversation.ts";
import type { Reply as FlowReply } from "./flows/reply.ts";
import { openConversation } from "./composition.ts";
import {
  createTelegramBot,
  parseTelegramUpdate,
  type TelegramBotOptions,
  type TelegramChannel,
} from "./channels/telegram/bot.ts";
import { createZaloChannel, type ZaloChannel, type ZaloChannelOptions } from "./channels/zalo/channel.ts";
import { createZaloClient, type ZaloClientOptions } from "./channels/zalo/client.ts";
import { parseZaloBody } from "./channels/zalo/parse.ts";
import { createInbox, type Inbox, type InboxHandler } from "./channels/inbox.ts";
import { createOutboxSender, type OutboxCounts, type OutboxTransport } from "./channels/outbox-sender.ts";
import type { RetryPolicy } from "./channels/send-policy.ts";
import { zaloUpdateKey } from "./channels/zalo/channel.ts";
import type { Logger } from "./logging.ts";
import type { MaybePromise } from "./shared/maybe-promise.ts";
import { startCheckpointer } from "./storage/checkpointer.ts";
import { openDatabase, type AppDatabase, type StorageStatus } from "./storage/database.ts";
import { createDeferredWrites, type DeferredWrites } from "./storage/deferred-writes.ts";
import { createDeliveryStore } from "./storage/repositories/delivery.ts";
import type { Leadership, PostgresDatabase } from "./storage/postgres/database.ts";
import { createPostgresDeliveryStore } from "./storage/postgres/repositories/delivery.ts";
import { createSharedTurns, withSharedTurns } from "./channels/shared-turns.ts";
import type { ConsoleServicesOptions } from "./console/services.ts";
import { PollerTaken } from "./shared/errors.ts";
import { createConsoleMount, type ConsoleTuning } from "./console/mount.ts";
import { createHttpApp, startHttpServer, type HttpAppOptions, type WebhookTarget } from "./server/http.ts";

/**
 * Builds the conversation core for a configuration. `hoichinhsach serve` calls the one factory passed to
 * {@link createServeCommand} (src/cli/commands/serve.ts); that is where the real core is plugged in.
 */
export type CoreFactory = (config: AppConfig, deps: { logger: Logger }) => Promise<ServedCore>;

/** The core as `serve` runs it: the conversation, and what the service does besides answering messages. */
export type ServedCore = ConversationCore & {
  close?(): MaybePromise<void>;
  /**
   * Where the core keeps its state, so that the inbox and outbox share it and a turn's session change is
   * committed in the transaction that queues its replies: on SQLite, the core's database and its deferred writes
   * (one connection); on PostgreSQL, the shared database (each turn a transaction holding the user's lock), with
   * the local SQLite file of the search index. Without it the app opens its own connection to DATABASE_PATH.
   */
  deliveryStorage?:
    | { database: AppDatabase; writes: DeferredWrites; postgres?: undefined }
    | { database: AppDatabase; postgres: PostgresDatabase };
  /** The staff console's stores, where the core keeps the staff desk's; by default in DATABASE_PATH. */
  consoleStores?: ConsoleServicesOptions["stores"];
  /** Deletes what outlived its retention (sessions, kept questions); scheduled work when set. */
  purge?(): Promise<number>;
  /**
   * The notices to send to residents whose decision changed under the rules in force today (run daily; each
   * change is told once: `told()` after it was sent, so one not sent comes again next time).
   */
  ruleNotices?(): MaybePromise<RuleNotice[]>;
  /** Whether storage can be read and written now (for /readyz and the storage watch). Never throws or rejects. */
  storage?(): MaybePromise<StorageStatus>;
};

/** A rule-change notice for one resident. */
export interface RuleNotice {
  userKey: string;
  text: string;
  told?(): MaybePromise<void>;
  /** The resident cannot be reached any more (blocked the bot): forget their watch. */
  gone?(): MaybePromise<void>;
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
  /** The staff console under /console: its test knobs, or false to leave it out. */
  console?: ConsoleTuning | false;
  /** The durable inbox and outbox. */
  delivery?: {
    /**
     * False: webhooks and polling handle updates at once, as before the inbox and outbox existed (replies sent
     * straight from the turn, nothing stored). For benchmarks that measure what durable delivery costs.
     */
    durable?: false;
    /** Lease of a claimed update, in ms (default 60,000). */
    leaseMs?: number;
    inboxPollMs?: number;
    outboxPollMs?: number;
    /** Overrides SEND_TIMEOUT_SECONDS, in ms. */
    sendTimeoutMs?: number;
    policy?: RetryPolicy;
  };
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
  /** What the outbox sender did so far. */
  outboxCounts(): OutboxCounts;
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

  // The inbox and outbox live in the application database: on the core's connection when it shares it.
  const shared = core.deliveryStorage;
  const database =
    shared?.database ??
    openDatabase(config.databasePath, config.userKeySecret ? { userKeySecret: config.userKeySecret } : {});
  const postgres = shared?.postgres;
  // Checkpoints on a thread of their own: the inbox and outbox make several commits per update.
  const checkpointer =
    config.databasePath === ":memory:" || postgres
      ? undefined
      : startCheckpointer(database, config.databasePath);
  const closeDatabase = async (): Promise<void> => {
    consoleMount?.close();
    await checkpointer?.stop();
    if (!shared) database.close();
  };
  const postgresStore = postgres ? createPostgresDeliveryStore(postgres) : undefined;
  const store = postgresStore ?? createDeliveryStore(database);
  // With PostgreSQL, each turn is a transaction holding its user's lock (see createSharedTurns); its replies are
  // queued with its COMMIT, and handed to the sender after it.
  const turns =
    postgres && postgresStore
      ? createSharedTurns(
          {
            userKeys: postgres.userKeys,
            inTurn: (inboxId, digest, fn) => postgresStore.inTurn(inboxId, owner, digest, fn),
          },
          {
            // Two connections left for receiving updates and sending replies meanwhile.
            concurrency: Math.max(1, (postgres.pool.options.max ?? 10) - 2),
            onRetry: (error) => logger.warn({ err: error }, "turn could not start; trying it again"),
          },
        )
      : undefined;
  const handle = (handler: InboxHandler): InboxHandler => (turns ? withSharedTurns(handler, turns) : handler);
  // Stable across restarts, so that a restarted process takes its own claims back at once; with a random
  // port there is nothing stable to go by, and what it leaves waits for the lease instead.
  const owner =
    config.instanceId ??
    (config.port === 0 ? `${hostname()}:${process.pid}:${randomUUID()}` : `${hostname()}:${config.port}`);
  const handlers: Record<string, InboxHandler> = {};
  const transports: Record<string, OutboxTransport> = {};
  const sender = createOutboxSender({
    store,
    transports,
    owner,
    logger,
    sendTimeoutMs: tuning.delivery?.sendTimeoutMs ?? (config.sendTimeoutSeconds ?? 10) * 1000,
    ...(tuning.delivery?.outboxPollMs ? { pollMs: tuning.delivery.outboxPollMs } : {}),
    ...(tuning.delivery?.policy ? { policy: tuning.delivery.policy } : {}),
  });
  const inbox = createInbox({
    store,
    handlers,
    sender,
    owner,
    logger,
    ...(tuning.delivery?.leaseMs ? { leaseMs: tuning.delivery.leaseMs } : {}),
    ...(tuning.delivery?.inboxPollMs ? { pollMs: tuning.delivery.inboxPollMs } : {}),
    ...(shared && !shared.postgres ? { writes: shared.writes } : {}),
  });
  /** Stores an update in the inbox (rejects if it could not be stored); a repeat is logged and dropped. */
  const accept: Accept = async (platform, updateId, update) => {
    const stored = await inbox.accept(platform, updateId, update);
    if (stored === "duplicate") {
      logger.info({ channel: platform, update_id: updateId, outcome: "duplicate" }, "update handled");
    }
    return stored;
  };
  /** Polled updates go to the inbox first; one that cannot be stored is logged (polling goes on). */
  const receive = async (platform: string, updateId: string | undefined, update: unknown): Promise<void> => {
    if (updateId === undefined) return;
    try {
      await accept(platform, updateId, update);
    } catch (error) {
      logger.error({ channel: platform, err: error }, "polled update not stored");
    }
  };

  // Telegram and Zalo allow one long poller per bot: on a shared database, the first instance to poll holds it.
  const pollers: Leadership[] = [];
  if (postgres && config.mode === "polling") {
    for (const channel of ["telegram", "zalo"] as const) {
      if (!config[channel]) continue;
      const poller = await postgres.tryLeadership(`poller:${channel}`);
      if (!poller) {
        // The shared database is the core's: its owner closes it.
        await Promise.all(pollers.map((held) => held.release()));
        throw new PollerTaken(channel);
      }
      pollers.push(poller);
    }
  }
  // Scheduled work (purges, rule-change notices) runs on one instance at a time: with a shared database, the one
  // holding its lock, which passes to another when that instance stops or dies.
  const leadership = postgres
    ? followLeadership(() => postgres.tryLeadership("scheduled-work"), logger)
    : undefined;
  const leading = (): boolean => leadership?.held() ?? true;

  const durable = tuning.delivery?.durable !== false;
  let telegram: TelegramChannel | undefined;
  if (config.telegram) {
    const settings = config.telegram;
    telegram = createTelegramBot({
      ...tuning.telegram,
      ...(durable
        ? { durable: { receive: (update) => receive("telegram", String(update.update_id), update) } }
        : {}),
      token: settings.token,
      apiRoot: settings.apiRoot,
      core,
      logger,
      staffChatIds: (config.staffIds ?? [])
        .filter((key) => key.startsWith("telegram:"))
        .map((key) => Number(key.slice("telegram:".length))),
    });
    const channel = telegram;
    handlers.telegram = handle(channel.inbox);
    transports.telegram = channel.outbox;
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
      webhooks.telegram = durable
        ? telegramTarget(channel, inbox, accept, settings.webhookSecret)
        : directTarget(channel, settings.webhookSecret);
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
    zalo = createZaloChannel({
      ...tuning.zalo,
      client,
      core,
      logger,
      ...(durable
        ? { durable: { receive: (update) => receive("zalo", zaloUpdateKey(update), update) } }
        : {}),
    });
    handlers.zalo = handle(zalo.inbox);
    transports.zalo = zalo.outbox;
    if (config.mode === "polling") background.push(zalo.runPolling(shutdown.signal));
    else if (settings.webhookSecret) {
      webhooks.zalo = durable
        ? zaloTarget(zalo, inbox, accept, settings.webhookSecret)
        : directTarget(zalo, settings.webhookSecret);
    }
  }

  // Before the server listens: takes back what the last run left, then polls for the backlog.
  if (durable) background.push(inbox.run(shutdown.signal), sender.run(shutdown.signal));

  // Readiness is the core's storage, or else the database the inbox writes to before a webhook is answered.
  const storageStatus = core.storage ?? ((): MaybePromise<StorageStatus> => database.probe());
  // The staff console under /console, on the same database (loaded on its first request).
  const consoleMount =
    tuning.console === false
      ? undefined
      : createConsoleMount(database, config, logger, tuning.console ?? {}, core.consoleStores);
  const http = createHttpApp({
    ...tuning.server,
    logger,
    webhooks,
    readiness: storageStatus,
    ...(consoleMount ? { mounts: [consoleMount] } : {}),
  });
  let server;
  try {
    server = await startHttpServer(http, { port: config.port, host: config.host });
  } catch (error) {
    shutdown.abort();
    await Promise.allSettled(background);
    await leadership?.stop();
    await Promise.all(pollers.map((held) => held.release()));
    await closeDatabase();
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
    ? scheduleRuleNotices(
        core.ruleNotices,
        { telegram, zalo },
        logger,
        tuning.ruleCheckDelayMs ?? 60_000,
        leading,
      )
    : undefined;
  const purgeTimer = core.purge ? schedulePurge(core.purge, logger, leading) : undefined;

  const storageWatch = watchStorage(storageStatus, logger, tuning.storageCheckMs ?? 30_000);

  const running = server;
  let stopping: Promise<void> | undefined;
  return {
    port: running.port,
    ...(telegram ? { telegram } : {}),
    ...(zalo ? { zalo } : {}),
    outboxCounts: () => sender.counts(),
    stop() {
      stopping ??= (async () => {
        logger.info({}, "stopping");
        noticeTimer?.stop();
        if (purgeTimer) clearInterval(purgeTimer);
        storageWatch.stop();
        shutdown.abort();
        const closed = running.close(tuning.drainTimeoutMs ?? 10_000);
        await Promise.allSettled(background);
        const drainMs = tuning.drainTimeoutMs ?? 10_000;
        const drained = await Promise.all([
          inbox.drain(drainMs),
          ...[telegram?.dispatcher, zalo?.dispatcher].map((d) => d?.drain(drainMs) ?? true),
        ]);
        // Replies not sent by then stay in the outbox for the next start.
        drained.push(await sender.drain(drainMs));
        await closed;
        await leadership?.stop();
        await Promise.all(pollers.map((held) => held.release()));
        await closeDatabase();
        logger.info({ drained: drained.every(Boolean), ...sender.counts() }, "stopped");
      })();
      return stopping;
    },
  };
}

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Checks storage every `intervalMs` and logs when it becomes unusable (the file deleted, made read-only,
 * corrupted) and when it is usable again: once per change, not on every check.
 */
export function watchStorage(
  probe: () => MaybePromise<StorageStatus>,
  logger: Logger,
  intervalMs: number,
): { stop(): void } {
  let failing: string | undefined;
  let checking = false;
  const check = async (): Promise<void> => {
    // A probe still waiting for its answer is not overtaken by the next one.
    if (checking) return;
    checking = true;
    let status: StorageStatus;
    try {
      status = await probe();
    } finally {
      checking = false;
    }
    if (!status.ok && failing !== status.cause) {
      failing = status.cause;
      logger.error({ cause: status.cause }, "storage unavailable: messages cannot be handled");
    } else if (status.ok && failing !== undefined) {
      failing = undefined;
      logger.info({}, "storage available again");
    }
  };
  const timer = setInterval(() => void check(), intervalMs).unref();
  return { stop: () => clearInterval(timer) };
}

/** Purges what outlived its retention every hour, on the instance that leads scheduled work. */
function schedulePurge(purge: () => Promise<number>, logger: Logger, leading: () => boolean): NodeJS.Timeout {
  return setInterval(() => {
    if (!leading()) return;
    purge().then(
      (purged) => logger.info({ purged }, "expired data purged"),
      (error: unknown) => logger.error({ err: error }, "purge failed"),
    );
  }, HOUR_MS).unref();
}

/**
 * Holds the lock of scheduled work when it can: tries at once, then every `retryMs` while another instance
 * holds it (or the lock was lost with its connection).
 */
function followLeadership(
  tryLock: () => Promise<Leadership | null>,
  logger: Logger,
  retryMs = 15_000,
): { held(): boolean; stop(): Promise<void> } {
  let current: Leadership | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const attempt = async (): Promise<void> => {
    if (!current?.held) {
      try {
        current = await tryLock();
        if (current) {
          logger.info({}, "this instance runs the scheduled work");
          void current.lost.then(() => logger.warn({}, "scheduled work lock lost with its connection"));
        }
      } catch (error) {
        logger.warn({ err: error }, "scheduled work lock not checked");
      }
    }
    if (stopped) await current?.release();
    else timer = setTimeout(() => void attempt(), retryMs).unref();
  };
  const first = attempt();
  return {
    held: () => current?.held ?? false,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await first;
      await current?.release();
    },
  };
}

/**
 * Runs the rule-change check after `firstDelayMs`, then once a day, and sends each notice on its user's
 * channel. Logged as counts only; one failed send does not stop the others.
 */
function scheduleRuleNotices(
  ruleNotices: () => MaybePromise<RuleNotice[]>,
  channels: { telegram?: TelegramChannel; zalo?: ZaloChannel },
  logger: Logger,
  firstDelayMs: number,
  leading: () => boolean,
): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const run = async (): Promise<void> => {
    // Another instance leads: looked at again soon, in case it stops.
    if (!leading()) {
      if (!stopped) timer = setTimeout(() => void run(), firstDelayMs).unref();
      return;
    }
    let sent = 0;
    let failed = 0;
    let forgotten = 0;
    try {
      for (const notice of await ruleNotices()) {
        if (stopped) break;
        const colon = notice.userKey.indexOf(":");
        const channel = notice.userKey.slice(0, colon);
        const id = notice.userKey.slice(colon + 1);
        try {
          if (channel === "telegram" && channels.telegram)
            await channels.telegram.sendText(Number(id), notice.text);
          else if (channel === "zalo" && channels.zalo) await channels.zalo.sendText(id, notice.text);
          else continue;
          await notice.told?.();
          sent++;
        } catch (error) {
          if (recipientGone(channel, error)) {
            await notice.gone?.();
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

type Accept = (platform: string, updateId: string, update: unknown) => Promise<"accepted" | "duplicate">;

/** Webhook deliveries are stored in the inbox before they are acknowledged, and handled from there. */
function telegramTarget(
  channel: TelegramChannel,
  inbox: Inbox,
  accept: Accept,
  secret: string,
): WebhookTarget {
  return {
    secretHeader: "X-Telegram-Bot-Api-Secret-Token",
    secret,
    accept(body) {
      const update = parseTelegramUpdate(body);
      return update
        ? { type: "store", store: () => accept("telegram", String(update.update_id), update) }
        : { type: "invalid", problem: "not a Telegram update" };
    },
    ready: () => channel.isReady(),
    inFlight: () => inbox.inFlight(),
  };
}

/** Without the inbox (benchmarks only): each delivery handled at once, acknowledged within the channel's bound. */
function directTarget(channel: TelegramChannel | ZaloChannel, secret: string): WebhookTarget {
  const common = { secret, inFlight: () => channel.dispatcher.inFlight() };
  if ("bot" in channel) {
    return {
      ...common,
      secretHeader: "X-Telegram-Bot-Api-Secret-Token",
      accept(body) {
        const update = parseTelegramUpdate(body);
        return update
          ? { type: "handle", handle: () => channel.handleWebhookUpdate(update) }
          : { type: "invalid", problem: "not a Telegram update" };
      },
      ready: () => channel.isReady(),
    };
  }
  return {
    ...common,
    secretHeader: "X-Bot-Api-Secret-Token",
    accept(body) {
      const verdict = parseZaloBody(body);
      return verdict.type === "update"
        ? { type: "handle", handle: () => channel.handleWebhookUpdate(verdict.update) }
        : verdict;
    },
    ready: () => true,
  };
}

function zaloTarget(channel: ZaloChannel, inbox: Inbox, accept: Accept, secret: string): WebhookTarget {
  return {
    secretHeader: "X-Bot-Api-Secret-Token",
    secret,
    accept(body) {
      const verdict = parseZaloBody(body);
      if (verdict.type !== "update") return verdict;
      const key = zaloUpdateKey(verdict.update);
      // An update without a message is ignored by the channel anyway: nothing to store.
      if (key === undefined)
        return { type: "handle", handle: () => channel.handleWebhookUpdate(verdict.update) };
      return { type: "store", store: () => accept("zalo", key, verdict.update) };
    },
    ready: () => true,
    inFlight: () => inbox.inFlight(),
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
  const writes = createDeferredWrites();
  const opened = await openConversation({
    databasePath: config.databasePath,
    ...(config.postgres ? { postgres: config.postgres } : { deferredWrites: writes }),
    ttlDays: config.sessionTtlDays,
    ...(config.questionRetentionDays ? { questionRetentionDays: config.questionRetentionDays } : {}),
    ...(config.userKeySecret ? { userKeySecret: config.userKeySecret } : {}),
    ...(config.staffIds ? { staffIds: config.staffIds } : {}),
    ...(config.publicUrl ? { consoleUrl: `${config.publicUrl}/console` } : {}),
    onError: (error, stage) => logger.error({ err: error, stage }, "conversation core failed"),
  });
  const { conversation, database, postgres, close, ruleNotices, probe, droppedSessions } = opened;
  if (droppedSessions > 0)
    logger.warn(
      { sessions: droppedSessions },
      "conversations started afresh: stored user keys are now keyed digests (USER_KEY_SECRET)",
    );
  if (postgres) logger.info({ database: postgres.target }, "stores on PostgreSQL");
  return {
    ...channelCore(conversation),
    close,
    ruleNotices,
    storage: probe,
    ...(postgres
      ? {
          deliveryStorage: { database, postgres },
          consoleStores: opened.staffStores,
          purge: () => conversation.purgeExpired(),
        }
      : { deliveryStorage: { database, writes } }),
  };
};
