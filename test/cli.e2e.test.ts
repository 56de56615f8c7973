import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TELEGRAM_COMMANDS } from "../src/channels/telegram/commands.ts";
import { FakeTelegramApi } from "./support/fake-telegram-api.ts";
import { FakeZaloApi } from "./support/fake-zalo-api.ts";
import { TEST_SECRET } from "./support/harness.ts";
import { runCli, spawnNode } from "./support/process.ts";

const ZALO_SECRET = "zalo-secret-for-tests-0123456789";

describe("hoichinhsach serve / webhooks: the real CLI, as separate processes", () => {
  let telegram: FakeTelegramApi;
  let zalo: FakeZaloApi;
  let dir: string;
  beforeAll(async () => {
    [telegram, zalo] = await Promise.all([FakeTelegramApi.start(), FakeZaloApi.start()]);
    dir = mkdtempSync(join(tmpdir(), "hcs-cli-"));
  });
  afterAll(async () => {
    await Promise.all([telegram?.close(), zalo?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const channelEnv = (): Record<string, string> => ({
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    TELEGRAM_WEBHOOK_SECRET: TEST_SECRET,
    ZALO_BOT_TOKEN: zalo.token,
    ZALO_API_ROOT: zalo.apiRoot,
    ZALO_WEBHOOK_SECRET: ZALO_SECRET,
    USER_KEY_SECRET: "test-user-key-secret-0123456789abcdef",
  });

  it("names the database file and the cause when it cannot be used (exit 1)", async () => {
    const path = join(dir, "garbage.db");
    writeFileSync(path, "this is not a database file, but it is long enough to look like one.".repeat(100));
    const run = await runCli(["serve"], { ...channelEnv(), DATABASE_PATH: path });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(path);
    expect(run.stderr).toContain("(corrupt)");
    expect(run.stderr).not.toContain("Xin lỗi, đã có lỗi ngoài dự kiến");
  });

  it("serves the real assistant (flows, scorer, knowledge base) by long polling and stops on SIGTERM", async () => {
    const env = {
      ...channelEnv(),
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_PATH: join(dir, "real.db"),
    };
    const server = spawnNode(["bin/hoichinhsach.mjs", "serve"], env);
    await server.waitForOutput('"msg":"server started"');
    telegram.userSends(7001, "ho ngheo o Thai Binh co dc cap the bao hiem y te ko");
    zalo.userSends("7001", "/kiemtra");
    await telegram.waitFor(() => telegram.sentTo(7001).length > 0, 15_000, "telegram answer");
    await zalo.waitFor(() => zalo.sentTo("7001").length > 0, 15_000, "zalo question");
    expect(
      telegram
        .sentTo(7001)
        .map((m) => m.text)
        .join("\n"),
    ).toContain("Kế hoạch số 02/KH-UBND");
    expect(zalo.sentTo("7001").join("\n")).toContain("1. Xã (nông thôn)");
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    expect(server.stdout()).not.toContain("Thai Binh");
  });

  it("registers, shows and removes webhooks explicitly, printing no token or secret", async () => {
    const env = { ...channelEnv(), PUBLIC_URL: "https://bot.example.vn/hcs" };
    const set = await runCli(["webhooks", "set"], env);
    expect(set.stderr).toBe("");
    expect(set.code).toBe(0);
    expect(telegram.webhook).toEqual({
      url: "https://bot.example.vn/hcs/webhooks/telegram",
      secret: TEST_SECRET,
    });
    expect(zalo.webhook).toEqual({ url: "https://bot.example.vn/hcs/webhooks/zalo", secret: ZALO_SECRET });
    expect(telegram.callsTo("setWebhook")[0]?.payload).toMatchObject({
      allowed_updates: ["message", "callback_query"],
    });

    const info = await runCli(["webhooks", "info"], env);
    expect(info.code).toBe(0);
    expect(info.stdout).toContain("telegram: webhook https://bot.example.vn/hcs/webhooks/telegram");
    expect(info.stdout).toContain("zalo: webhook https://bot.example.vn/hcs/webhooks/zalo");

    const del = await runCli(["webhooks", "delete", "--channel", "zalo"], env);
    expect(del.code).toBe(0);
    expect(zalo.webhook).toBeUndefined();
    expect(telegram.webhook).toBeDefined();
    await runCli(["webhooks", "delete"], env);
    expect(telegram.webhook).toBeUndefined();

    for (const out of [set, info, del].flatMap((r) => [r.stdout, r.stderr])) {
      for (const secret of [telegram.token, zalo.token, TEST_SECRET, ZALO_SECRET])
        expect(out).not.toContain(secret);
    }
  });

  it("reports an API refusal (exit 1) without the token", async () => {
    telegram.failNext("getWebhookInfo", { type: "status", status: 401, description: "Unauthorized" });
    const refused = await runCli(["webhooks", "info", "--channel", "telegram"], channelEnv());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("401");
    expect(refused.stderr).not.toContain(telegram.token);
  });

  it("serves both channels by long polling, stops cleanly on SIGTERM, and resumes the conversation after a restart", async () => {
    const env = {
      ...channelEnv(),
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "debug",
      DATABASE_PATH: join(dir, "polling.db"),
      FAKE_CORE_STATE: join(dir, "core.json"),
    };
    const first = spawnNode(["--import", "tsx", "test/support/serve-with-fake-core.ts"], env);
    await first.waitForOutput('"msg":"server started"');
    await telegram.waitFor(() => telegram.callsTo("setMyCommands").length > 0, 10_000, "setMyCommands");
    expect(telegram.callsTo("setMyCommands").at(-1)?.payload.commands).toEqual(TELEGRAM_COMMANDS);

    telegram.userSends(42, "/kiemtra");
    zalo.userSends("42", "/kiemtra");
    await telegram.waitFor(() => telegram.sentTo(42).length === 2, 10_000, "telegram question");
    await zalo.waitFor(() => zalo.sentTo("42").length === 2, 10_000, "zalo question");

    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(first.stdout()).toContain('"msg":"stopped"');

    const second = spawnNode(["--import", "tsx", "test/support/serve-with-fake-core.ts"], env);
    await second.waitForOutput('"msg":"server started"');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const button = telegram.sentTo(42)[1]?.buttons[0];
    telegram.userPresses(42, button?.data ?? "");
    zalo.userSends("42", "có");
    await telegram.waitFor(() => telegram.sentTo(42).length === 3, 10_000, "telegram next question");
    await zalo.waitFor(() => zalo.sentTo("42").length === 3, 10_000, "zalo next question");
    expect(telegram.sentTo(42)[2]?.text).toContain("bao nhiêu người");
    expect(zalo.sentTo("42")[2]).toContain("bao nhiêu người");

    second.child.kill("SIGINT");
    expect(await second.exited).toBe(0);
    const log = first.stdout() + second.stdout();
    for (const secret of [
      telegram.token,
      zalo.token,
      TEST_SECRET,
      ZALO_SECRET,
      "danh sách hộ nghèo",
      "/kiemtra",
    ]) {
      expect(log).not.toContain(secret);
    }
    for (const line of log.trim().split("\n")) expect(() => JSON.parse(line)).not.toThrow();
  });

  it("serves webhooks in a separate process on the port it reports", async () => {
    const env = {
      ...channelEnv(),
      PORT: "0",
      HOST: "127.0.0.1",
      PUBLIC_URL: "https://bot.example.vn",
      DATABASE_PATH: join(dir, "webhooks.db"),
    };
    const polls = zalo.attempts.filter((m) => m === "getUpdates").length;
    const server = spawnNode(["--import", "tsx", "test/support/serve-with-fake-core.ts"], env);
    const out = await server.waitForOutput('"msg":"server started"');
    const port = (
      JSON.parse(out.split("\n").find((l) => l.includes("server started")) ?? "{}") as { port: number }
    ).port;
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const update = zalo.event("message.text.received", "77", { text: "echo qua webhook" });
    const res = await fetch(`http://127.0.0.1:${port}/webhooks/zalo`, {
      method: "POST",
      headers: { "content-type": "application/json", "X-Bot-Api-Secret-Token": ZALO_SECRET },
      body: JSON.stringify(update),
    });
    expect(res.status).toBe(200);
    await zalo.waitFor(() => zalo.sentTo("77").length === 1, 10_000, "the reply");
    expect(zalo.attempts.filter((m) => m === "getUpdates")).toHaveLength(polls); // webhook mode never polls
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });
});
