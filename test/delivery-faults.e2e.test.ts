import { afterEach, describe, expect, it } from "vitest";
import { startApp, type RunningApp } from "../src/app.ts";
import type { AppConfig } from "../src/config.ts";
import { createLogger } from "../src/logging.ts";
import { createFakeCore } from "./support/fake-core.ts";
import { FakeTelegramApi } from "./support/fake-telegram-api.ts";
import { FakeZaloApi } from "./support/fake-zalo-api.ts";
import { BEFORE_DELIVERY, FaultProxy } from "./support/fault-proxy.ts";
import { TEST_SECRET, testTuning } from "./support/harness.ts";
import type { FakeBotServer } from "./support/http-fake.ts";

const USERS = 200;
/** About 45% of sends fail: before delivery (500, 429) or after it (502 page, reset, hang). */
const RATES = { error_500: 0.1, rate_429: 0.08, bad_gateway_502: 0.09, reset: 0.09, hang: 0.09 };

interface Setup {
  api: FakeBotServer;
  proxy: FaultProxy;
  app: RunningApp;
  /** Posts user `i`'s message to the app's webhook; resolves with the HTTP status. */
  post(i: number): Promise<number>;
  /** Copies of user `i`'s reply that reached the API. */
  copies(i: number): number;
}

let open: Setup | undefined;
afterEach(async () => {
  await open?.app.stop();
  await open?.proxy.close();
  await open?.api.close();
  open = undefined;
});

async function setUp(channel: "telegram" | "zalo"): Promise<Setup> {
  const telegram = channel === "telegram" ? await FakeTelegramApi.start() : undefined;
  const zalo = channel === "zalo" ? await FakeZaloApi.start() : undefined;
  const api = (telegram ?? zalo) as FakeBotServer;
  const proxy = await FaultProxy.start({
    upstream: api.apiRoot,
    methods: ["sendMessage"],
    rates: RATES,
    retryAfterSeconds: 1,
    seed: channel === "telegram" ? 14 : 41,
  });
  const settings = { token: api.token, apiRoot: proxy.apiRoot, webhookSecret: TEST_SECRET };
  const config: AppConfig = {
    mode: "webhook",
    publicUrl: "https://bot.example.vn",
    port: 0,
    host: "127.0.0.1",
    databasePath: ":memory:",
    logLevel: "info",
    sessionTtlDays: 30,
    ...(channel === "telegram" ? { telegram: settings } : { zalo: settings }),
  };
  const app = await startApp({
    config,
    core: createFakeCore(),
    logger: createLogger({ level: "silent" }),
    tuning: testTuning({
      telegram: { throttle: false },
      delivery: {
        sendTimeoutMs: 500,
        outboxPollMs: 50,
        policy: { backoff: { initialMs: 50, maxMs: 300 }, maxAmbiguousRetries: 1 },
      },
    }),
  });
  open = { api, proxy, app } as Setup;
  await api.waitFor(() => app.telegram?.isReady() ?? true, 5000, "bot ready");
  const header = channel === "telegram" ? "X-Telegram-Bot-Api-Secret-Token" : "X-Bot-Api-Secret-Token";
  const body = (i: number): unknown =>
    telegram
      ? telegram.userSends(1000 + i, `echo c${i}`)
      : { ok: true, result: zalo?.event("message.text.received", String(1000 + i), { text: `echo c${i}` }) };
  const setup: Setup = {
    api,
    proxy,
    app,
    async post(i) {
      const res = await fetch(`http://127.0.0.1:${app.port}/webhooks/${channel}`, {
        method: "POST",
        headers: { "content-type": "application/json", [header]: TEST_SECRET },
        body: JSON.stringify(body(i)),
      });
      await res.arrayBuffer();
      return res.status;
    },
    copies: (i) =>
      telegram
        ? telegram.sentTo(1000 + i).filter((m) => m.text === `echo c${i}`).length
        : (zalo?.sentTo(String(1000 + i)).filter((t) => t === `echo c${i}`).length ?? 0),
  };
  open = setup;
  return setup;
}

describe("replies through a Bot API failing 45% of sends, behind a fault-injecting proxy", () => {
  for (const channel of ["telegram", "zalo"] as const) {
    it(`${channel}: 200 users, one message each: every chat gets its reply, a copy only after a fault past delivery`, async () => {
      const setup = await setUp(channel);
      const users = Array.from({ length: USERS }, (_, i) => i);
      const statuses = await Promise.all(users.map((i) => setup.post(i)));
      expect(statuses.every((s) => s === 200)).toBe(true);
      await setup.api.waitFor(
        () => {
          const counts = setup.app.outboxCounts();
          return counts.sent + counts.assumedDelivered + counts.undeliverable >= USERS;
        },
        60_000,
        "every reply sent or settled",
      );

      const chats = users.map((i) => {
        const calls = setup.proxy.calls.filter(
          (c) => c.method === "sendMessage" && c.chat === String(1000 + i),
        );
        const afterDelivery = calls.filter((c) => c.fault !== "pass" && !BEFORE_DELIVERY.includes(c.fault));
        return { copies: setup.copies(i), afterDelivery: afterDelivery.length };
      });
      const report = {
        channel,
        calls: setup.proxy.counts(),
        withoutReply: chats.filter((c) => c.copies === 0).length,
        withCopies: chats.filter((c) => c.copies > 1).length,
        copiesWithoutFaultAfterDelivery: chats.filter((c) => c.copies > 1 && c.afterDelivery === 0).length,
        moreThanOneExtra: chats.filter((c) => c.copies > 2).length,
        outbox: setup.app.outboxCounts(),
      };
      console.info(`delivery under faults: ${JSON.stringify(report)}`);

      expect(report.calls.error_500 + report.calls.rate_429).toBeGreaterThan(20);
      expect(report.calls.reset + report.calls.hang + report.calls.bad_gateway_502).toBeGreaterThan(20);
      expect(report.withoutReply).toBe(0);
      expect(report.copiesWithoutFaultAfterDelivery).toBe(0);
      expect(report.moreThanOneExtra).toBe(0);
      expect(report.outbox.undeliverable).toBe(0);
    });
  }
});
