import { startApp, type AppTuning, type RunningApp } from "../../src/app.ts";
import type { AppConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logging.ts";
import { createFakeCore, type FakeCore } from "./fake-core.ts";
import { FakeTelegramApi } from "./fake-telegram-api.ts";
import { FakeZaloApi, type ZaloUpdateBody } from "./fake-zalo-api.ts";
import type { Fault, FakeBotServer } from "./http-fake.ts";

/** A message the user received, channel-neutral: its text and the labels of its choices. */
export interface Received {
  text: string;
  choices: string[];
}

/**
 * The real app (startApp: channels, dispatcher, HTTP server) wired to a fake Bot API and the fake core, driven as
 * a user would: typing, pressing or typing a choice, sending a sticker. Webhook mode posts each update to the
 * app's HTTP server with the right secret; polling mode queues it in the fake API for getUpdates.
 */
export interface ChannelHarness {
  readonly channel: "telegram" | "zalo";
  readonly mode: "webhook" | "polling";
  /** The channel's message length limit. */
  readonly limit: number;
  readonly core: FakeCore;
  readonly api: FakeBotServer;
  /** Every log line written by the app, raw. */
  readonly logs: string[];
  readonly secret: string;
  readonly token: string;
  port(): number;
  say(user: number, text: string): Promise<void>;
  /** Picks choice `index` (0-based) of the last question: a button press on Telegram, the number on Zalo. */
  pick(user: number, index: number): Promise<void>;
  sendNonText(user: number): Promise<void>;
  received(user: number): Received[];
  waitForReplies(user: number, count: number, timeoutMs?: number): Promise<Received[]>;
  typingCount(user: number): number;
  failNextSend(fault: Fault, times?: number): void;
  /** Stops the app and starts a new one on the same core and fake API (a process restart). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export const TEST_SECRET = "test-webhook-secret-0123456789abcdef";

/** Tuning shared by the harnesses: fast polls, short core timeout, quick retries. */
export function testTuning(overrides: AppTuning = {}): AppTuning {
  const limits = { coreTimeoutMs: 1500, typingDelayMs: 200, ...overrides.telegram?.limits };
  return {
    drainTimeoutMs: 3000,
    ...overrides,
    delivery: {
      inboxPollMs: 100,
      outboxPollMs: 50,
      sendTimeoutMs: 2000,
      policy: { backoff: { initialMs: 100, maxMs: 400 }, maxAmbiguousRetries: 1 },
      ...overrides.delivery,
    },
    telegram: { pollTimeoutSeconds: 1, ...overrides.telegram, limits },
    zalo: {
      pollTimeoutSeconds: 1,
      pollBackoff: { initialMs: 100, maxMs: 500 },
      sendBackoff: { initialMs: 100, maxMs: 400 },
      ...overrides.zalo,
      limits: { coreTimeoutMs: 1500, typingDelayMs: 200, ...overrides.zalo?.limits },
    },
  };
}

function baseConfig(): AppConfig {
  return {
    mode: "polling",
    port: 0,
    host: "127.0.0.1",
    databasePath: ":memory:",
    logLevel: "debug",
    sessionTtlDays: 30,
  };
}

async function post(
  port: number,
  channel: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/webhooks/${channel}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

async function waitFor<T>(
  api: FakeBotServer,
  read: () => T[],
  count: number,
  timeoutMs: number,
  what: string,
): Promise<T[]> {
  await api.waitFor(() => read().length >= count, timeoutMs, what);
  return read();
}

/** Harness on Telegram (fake Bot API + grammY bot). */
export async function telegramHarness(
  mode: "webhook" | "polling",
  options: { core?: FakeCore; tuning?: AppTuning } = {},
): Promise<ChannelHarness> {
  const api = await FakeTelegramApi.start();
  const core = options.core ?? createFakeCore();
  const logs: string[] = [];
  const config: AppConfig = {
    ...baseConfig(),
    mode,
    ...(mode === "webhook" ? { publicUrl: "https://bot.example.vn" } : {}),
    telegram: { token: api.token, apiRoot: api.apiRoot, webhookSecret: TEST_SECRET },
  };
  const start = (): Promise<RunningApp> =>
    startApp({
      config,
      core,
      logger: createLogger({
        level: "debug",
        secrets: [api.token, TEST_SECRET],
        destination: { write: (l) => logs.push(l) },
      }),
      tuning: testTuning(options.tuning),
    });
  let app = await start();
  if (mode === "webhook") await api.waitFor(() => app.telegram?.isReady() ?? false, 5000, "bot ready");

  const deliver = async (update: object): Promise<void> => {
    if (mode === "polling") return;
    const res = await post(app.port, "telegram", update, { "X-Telegram-Bot-Api-Secret-Token": TEST_SECRET });
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
  };
  const received = (user: number): Received[] =>
    api.sentTo(user).map((m) => ({ text: m.text, choices: m.buttons.map((b) => b.text) }));

  return {
    channel: "telegram",
    mode,
    limit: 4096,
    core,
    api,
    logs,
    secret: TEST_SECRET,
    token: api.token,
    port: () => app.port,
    say: (user, text) => deliver(api.userSends(user, text)),
    async pick(user, index) {
      const withButtons = api.sentTo(user).filter((m) => m.buttons.length > 0);
      const last = withButtons[withButtons.length - 1];
      const button = last?.buttons[index];
      if (!last || !button) throw new Error(`user ${user} has no button ${index}`);
      await deliver(api.userPresses(user, button.data, last.messageId));
    },
    sendNonText: (user) => deliver(api.userSendsSticker(user)),
    received,
    waitForReplies: (user, count, timeoutMs = 10_000) =>
      waitFor(api, () => received(user), count, timeoutMs, `${count} replies to ${user}`),
    typingCount: (user) => api.callsTo("sendChatAction").filter((c) => c.payload.chat_id === user).length,
    failNextSend: (fault, times) => api.failNext("sendMessage", fault, times),
    async restart() {
      await app.stop();
      app = await start();
      if (mode === "webhook") await api.waitFor(() => app.telegram?.isReady() ?? false, 5000, "bot ready");
    },
    async close() {
      await app.stop();
      await api.close();
    },
  };
}

/** Harness on Zalo (fake Zalo Bot API + the project's own client). */
export async function zaloHarness(
  mode: "webhook" | "polling",
  options: { core?: FakeCore; tuning?: AppTuning; bare?: boolean } = {},
): Promise<ChannelHarness & { deliverRaw(body: unknown): Promise<Response>; zalo: FakeZaloApi }> {
  const api = await FakeZaloApi.start();
  const core = options.core ?? createFakeCore();
  const logs: string[] = [];
  const config: AppConfig = {
    ...baseConfig(),
    mode,
    ...(mode === "webhook" ? { publicUrl: "https://bot.example.vn" } : {}),
    zalo: { token: api.token, apiRoot: api.apiRoot, webhookSecret: TEST_SECRET },
  };
  const start = (): Promise<RunningApp> =>
    startApp({
      config,
      core,
      logger: createLogger({
        level: "debug",
        secrets: [api.token, TEST_SECRET],
        destination: { write: (l) => logs.push(l) },
      }),
      tuning: testTuning(options.tuning),
    });
  let app = await start();

  const deliverRaw = (body: unknown): Promise<Response> =>
    post(app.port, "zalo", body, { "X-Bot-Api-Secret-Token": TEST_SECRET });
  const deliver = async (update: ZaloUpdateBody): Promise<void> => {
    if (mode === "polling") {
      api.enqueue(update);
      return;
    }
    const res = await deliverRaw(options.bare ? update : { ok: true, result: update });
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
  };
  const received = (user: number): Received[] =>
    api.sentTo(String(user)).map((text) => ({
      text,
      choices: text
        .split("\n")
        .map((line) => /^\d+\. (.+)$/.exec(line)?.[1])
        .filter((label): label is string => label !== undefined),
    }));

  return {
    channel: "zalo",
    mode,
    limit: 2000,
    core,
    api,
    zalo: api,
    logs,
    secret: TEST_SECRET,
    token: api.token,
    port: () => app.port,
    deliverRaw,
    say: (user, text) => deliver(api.event("message.text.received", String(user), { text })),
    pick: (user, index) =>
      deliver(api.event("message.text.received", String(user), { text: String(index + 1) })),
    sendNonText: (user) => deliver(api.event("message.sticker.received", String(user))),
    received,
    waitForReplies: (user, count, timeoutMs = 10_000) =>
      waitFor(api, () => received(user), count, timeoutMs, `${count} replies to ${user}`),
    typingCount: (user) =>
      api.callsTo("sendChatAction").filter((c) => c.payload.chat_id === String(user)).length,
    failNextSend: (fault, times) => api.failNext("sendMessage", fault, times),
    async restart() {
      await app.stop();
      app = await start();
    },
    async close() {
      await app.stop();
      await api.close();
    },
  };
}
