import { describe, expect, it } from "vitest";
import { CONFIG_VARIABLES, formatConfigProblems, loadConfig, secretsOf, webhookUrl } from "./config.ts";

const TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const ZALO = "3141592653:zalo-token-abc";
const SECRET = "s3cr3t-webhook-value-0123456789";

describe("loadConfig", () => {
  it("applies the documented defaults", () => {
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: TOKEN });
    expect(config).toEqual({
      ok: true,
      value: {
        telegram: { token: TOKEN, apiRoot: "https://api.telegram.org" },
        zalo: undefined,
        mode: "polling",
        port: 3000,
        host: "0.0.0.0",
        databasePath: "./data/hoichinhsach.db",
        logLevel: "info",
        sessionTtlDays: 30,
        questionRetentionDays: 90,
        sendTimeoutSeconds: 10,
      },
    });
  });

  it("reads the console's idle timeout and whether a proxy is trusted, and refuses odd values", () => {
    const config = loadConfig({ CONSOLE_IDLE_MINUTES: "45", TRUST_PROXY: "true" });
    expect(config.ok && config.value).toMatchObject({ consoleIdleMinutes: 45, trustProxy: true });
    const off = loadConfig({ TRUST_PROXY: "false" });
    expect(off.ok && off.value.trustProxy).toBeUndefined();
    const bad = loadConfig({ CONSOLE_IDLE_MINUTES: "2", TRUST_PROXY: "yes please" });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.error).toEqual([
      "CONSOLE_IDLE_MINUTES: phải là số phút nguyên từ 5 đến 1440 / must be a whole number of minutes from 5 to 1440",
      "TRUST_PROXY: phải là true hoặc false / must be true or false",
    ]);
  });

  it("reads every variable, treats blank as unset and trims trailing slashes", () => {
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: "http://127.0.0.1:8081/",
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      ZALO_BOT_TOKEN: ZALO,
      ZALO_API_ROOT: "",
      ZALO_WEBHOOK_SECRET: SECRET,
      PUBLIC_URL: "https://bot.example.vn/",
      PORT: "8080",
      HOST: "127.0.0.1",
      DATABASE_PATH: "/data/hcs.db",
      LOG_LEVEL: "warn",
      SESSION_TTL_DAYS: "7",
      SEND_TIMEOUT_SECONDS: "15",
      INSTANCE_ID: "web-1",
    });
    expect(config.ok && config.value).toMatchObject({
      telegram: { apiRoot: "http://127.0.0.1:8081", webhookSecret: SECRET },
      zalo: { token: ZALO, apiRoot: "https://bot-api.zaloplatforms.com", webhookSecret: SECRET },
      publicUrl: "https://bot.example.vn",
      mode: "webhook",
      port: 8080,
      logLevel: "warn",
      sessionTtlDays: 7,
      sendTimeoutSeconds: 15,
      instanceId: "web-1",
    });
  });

  it("names every bad variable with a bilingual message, never echoing the value", () => {
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: "not-a-token-SECRETVALUE",
      TELEGRAM_WEBHOOK_SECRET: "short",
      ZALO_BOT_TOKEN: "has space",
      ZALO_API_ROOT: "ftp://x",
      PUBLIC_URL: "http://bot.example.vn",
      PORT: "70000",
      LOG_LEVEL: "loud",
      SESSION_TTL_DAYS: "0",
      QUESTION_RETENTION_DAYS: "99999999",
      USER_KEY_SECRET: "too short SECRETVALUE",
      SEND_TIMEOUT_SECONDS: "61",
      INSTANCE_ID: "two words",
      DATABASE_POOL_SIZE: "1",
    });
    expect(config.ok).toBe(false);
    const problems = config.ok ? [] : config.error;
    const named = problems.map((p) => p.split(":")[0]);
    expect(named.sort()).toEqual(
      [
        "DATABASE_POOL_SIZE",
        "INSTANCE_ID",
        "LOG_LEVEL",
        "PORT",
        "PUBLIC_URL",
        "QUESTION_RETENTION_DAYS",
        "SEND_TIMEOUT_SECONDS",
        "SESSION_TTL_DAYS",
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_WEBHOOK_SECRET",
        "ZALO_API_ROOT",
        "ZALO_BOT_TOKEN",
        "USER_KEY_SECRET",
      ].sort(),
    );
    for (const problem of problems) expect(problem).toMatch(/ \/ /); // "tiếng Việt / English"
    const text = formatConfigProblems(problems);
    expect(text).toContain("Cấu hình không hợp lệ / Invalid configuration");
    expect(text).not.toContain("SECRETVALUE");
  });

  it("requires each channel's webhook secret in webhook mode", () => {
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: TOKEN,
      ZALO_BOT_TOKEN: ZALO,
      PUBLIC_URL: "https://bot.example.vn",
    });
    expect(config.ok ? [] : config.error).toEqual([
      expect.stringMatching(/^TELEGRAM_WEBHOOK_SECRET: bắt buộc/),
      expect.stringMatching(/^ZALO_WEBHOOK_SECRET: bắt buộc/),
    ]);
  });

  it("allows http only for a local PUBLIC_URL, and rejects an API root ending in /bot<token>", () => {
    expect(loadConfig({ PUBLIC_URL: "http://localhost:3000" }).ok).toBe(true);
    expect(loadConfig({ TELEGRAM_API_ROOT: `https://api.telegram.org/bot${TOKEN}` }).ok).toBe(false);
  });

  it("lists its secrets for the log redactor and builds webhook URLs", () => {
    const userKeySecret = "u".repeat(32);
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      ZALO_BOT_TOKEN: ZALO,
      USER_KEY_SECRET: userKeySecret,
    });
    expect(config.ok && secretsOf(config.value).sort()).toEqual([TOKEN, SECRET, ZALO, userKeySecret].sort());
    expect(webhookUrl("https://x.vn/bot-prefix/", "zalo")).toBe("https://x.vn/bot-prefix/webhooks/zalo");
  });

  it("is documented variable by variable in .env.example", async () => {
    const { readFileSync } = await import("node:fs");
    const example = readFileSync(new URL("../.env.example", import.meta.url), "utf8");
    for (const name of CONFIG_VARIABLES) expect(example, name).toMatch(new RegExp(`^#? ?${name}=`, "m"));
  });
});
