import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp } from "../src/app.ts";
import { createLogger } from "../src/logging.ts";
import { createFakeCore } from "./support/fake-core.ts";
import { FakeTelegramApi } from "./support/fake-telegram-api.ts";
import {
  TEST_SECRET,
  telegramHarness,
  testTuning,
  zaloHarness,
  type ChannelHarness,
} from "./support/harness.ts";

/** A raw POST, so that headers and chunked bodies are exactly what the test says. */
function rawPost(
  port: number,
  path: string,
  headers: Record<string, string>,
  chunks: Array<string | Buffer>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: "POST", headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    // The server may answer (413, 401) and close before the whole body is written.
    req.on("error", (error) => (/ECONNRESET|EPIPE/.test(String(error)) ? undefined : reject(error)));
    void (async () => {
      for (const chunk of chunks) {
        if (!req.write(chunk)) await new Promise((drained) => req.once("drain", drained));
      }
      req.end();
    })();
  });
}

const zaloUpdate = (text: string, id: string) => ({
  ok: true,
  result: {
    event_name: "message.text.received",
    message: {
      message_id: id,
      date: 1,
      from: { id: "9001", display_name: "A", is_bot: false },
      chat: { id: "9001", chat_type: "PRIVATE" },
      text,
    },
  },
});

describe("HTTP server: webhook front door", () => {
  let zalo: Awaited<ReturnType<typeof zaloHarness>>;
  let telegram: ChannelHarness;
  beforeAll(async () => {
    [zalo, telegram] = await Promise.all([zaloHarness("webhook"), telegramHarness("webhook")]);
  });
  afterAll(async () => {
    await Promise.all([zalo?.close(), telegram?.close()]);
  });

  const json = { "content-type": "application/json" };
  const zaloHeaders = { ...json, "X-Bot-Api-Secret-Token": TEST_SECRET };
  const telegramHeaders = { ...json, "X-Telegram-Bot-Api-Secret-Token": TEST_SECRET };

  it("answers /healthz without calling any Bot API", async () => {
    const before = zalo.api.attempts.length + telegram.api.attempts.length;
    for (const port of [zalo.port(), telegram.port()]) {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "ok" });
    }
    expect(zalo.api.attempts.length + telegram.api.attempts.length).toBe(before);
  });

  it("rejects a wrong or missing secret with 401 before reading the body, and handles nothing", async () => {
    const calls = zalo.core.calls.length + telegram.core.calls.length;
    const cases: Array<[number, string, Record<string, string>]> = [
      [zalo.port(), "/webhooks/zalo", { ...json, "X-Bot-Api-Secret-Token": "wrong-secret-0123456789abcdef" }],
      [zalo.port(), "/webhooks/zalo", json],
      [zalo.port(), "/webhooks/zalo", { ...json, "X-Telegram-Bot-Api-Secret-Token": TEST_SECRET }],
      [
        telegram.port(),
        "/webhooks/telegram",
        { ...json, "X-Telegram-Bot-Api-Secret-Token": `${TEST_SECRET}x` },
      ],
      [telegram.port(), "/webhooks/telegram", json],
    ];
    for (const [port, path, headers] of cases) {
      // Malformed and oversized bodies still get 401: the secret is checked before anything is parsed.
      expect((await rawPost(port, path, headers, ["{not json"])).status).toBe(401);
      expect(
        (
          await rawPost(port, path, { ...headers, "content-length": String(400 * 1024) }, [
            "x".repeat(400 * 1024),
          ])
        ).status,
      ).toBe(401);
    }
    expect(zalo.core.calls.length + telegram.core.calls.length).toBe(calls);
  });

  it("accepts JSON only (415 otherwise)", async () => {
    const body = JSON.stringify(zaloUpdate("xin chào", "h1"));
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "application/jsonp"]) {
      const res = await rawPost(
        zalo.port(),
        "/webhooks/zalo",
        { "content-type": type, "X-Bot-Api-Secret-Token": TEST_SECRET },
        [body],
      );
      expect(res.status).toBe(415);
    }
    const ok = await rawPost(
      zalo.port(),
      "/webhooks/zalo",
      { ...zaloHeaders, "content-type": "application/json; charset=utf-8" },
      [body],
    );
    expect(ok.status).toBe(200);
  });

  it("refuses bodies over 256 KiB with 413, with or without Content-Length", async () => {
    const big = JSON.stringify(zaloUpdate("a".repeat(300 * 1024), "h2"));
    const declared = await rawPost(
      zalo.port(),
      "/webhooks/zalo",
      { ...zaloHeaders, "content-length": String(Buffer.byteLength(big)) },
      [big],
    );
    expect(declared.status).toBe(413);
    // Chunked: no Content-Length, the limit is counted while reading.
    const pieces = Array.from({ length: 40 }, () => "a".repeat(8 * 1024));
    const chunked = await rawPost(
      telegram.port(),
      "/webhooks/telegram",
      { ...telegramHeaders, "transfer-encoding": "chunked" },
      ['{"update_id":1,"x":"', ...pieces, '"}'],
    );
    expect(chunked.status).toBe(413);
    // Just under the limit is fine (and ignored as an unknown update type).
    const under = await rawPost(
      telegram.port(),
      "/webhooks/telegram",
      { ...telegramHeaders, "transfer-encoding": "chunked" },
      ['{"update_id":2,"x":"', ...pieces.slice(0, 30), '"}'],
    );
    expect(under.status).toBe(200);
  });

  it("answers 400 to malformed JSON and to JSON that is not an update", async () => {
    expect((await rawPost(zalo.port(), "/webhooks/zalo", zaloHeaders, ['{"ok": tru'])).status).toBe(400);
    expect((await rawPost(zalo.port(), "/webhooks/zalo", zaloHeaders, ["[1,2]"])).status).toBe(400);
    expect((await rawPost(zalo.port(), "/webhooks/zalo", zaloHeaders, ['{"message":{}}'])).status).toBe(400);
    expect((await rawPost(zalo.port(), "/webhooks/zalo", zaloHeaders, [""])).status).toBe(400);
    expect((await rawPost(telegram.port(), "/webhooks/telegram", telegramHeaders, ["{}"])).status).toBe(400);
    expect(
      (await rawPost(telegram.port(), "/webhooks/telegram", telegramHeaders, ['{"update_id":"1"}'])).status,
    ).toBe(400);
  });

  it("acknowledges within a bound even when the core hangs", async () => {
    const started = Date.now();
    const res = await rawPost(zalo.port(), "/webhooks/zalo", zaloHeaders, [
      JSON.stringify(zaloUpdate("/treo", "h3")),
    ]);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it("answers 404 for a channel that does not take webhooks here, and for unknown paths", async () => {
    expect((await rawPost(zalo.port(), "/webhooks/telegram", telegramHeaders, ["{}"])).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${zalo.port()}/nope`)).status).toBe(404);
  });
});

describe("HTTP server: Telegram before the bot is ready", () => {
  it("answers 503 (Telegram retries later) while getMe has not succeeded, and serves once it has", async () => {
    const api = await FakeTelegramApi.start();
    api.setDown(true);
    const logs: string[] = [];
    const app = await startApp({
      config: {
        mode: "webhook",
        publicUrl: "https://bot.example.vn",
        port: 0,
        host: "127.0.0.1",
        databasePath: ":memory:",
        logLevel: "debug",
        sessionTtlDays: 30,
        telegram: { token: api.token, apiRoot: api.apiRoot, webhookSecret: TEST_SECRET },
      },
      core: createFakeCore(),
      logger: createLogger({ level: "debug", destination: { write: (l) => logs.push(l) } }),
      tuning: testTuning(),
    });
    try {
      const update = api.userSends(7, "echo sẵn sàng");
      const post = () =>
        rawPost(
          app.port,
          "/webhooks/telegram",
          { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": TEST_SECRET },
          [JSON.stringify(update)],
        );
      const early = await post();
      expect(early.status).toBe(503);
      await api.waitFor(
        () => logs.join("").includes("Telegram getMe failed; retrying"),
        10_000,
        "the retry log",
      );
      api.setDown(false);
      await api.waitFor(() => app.telegram?.isReady() ?? false, 10_000, "bot ready");
      expect((await post()).status).toBe(200);
      await api.waitFor(() => api.sentTo(7).length === 1, 5000, "the reply");
      expect(api.sentTo(7)[0]?.text).toBe("echo sẵn sàng");
    } finally {
      await app.stop();
      await api.close();
    }
  });
});
