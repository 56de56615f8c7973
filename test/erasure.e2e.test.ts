/**
 * /xoa through the real conversation core over a real SQLite file: after it, nothing the resident typed can
 * be read back from the database file or its write-ahead log, read as raw bytes while the core still runs.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createCore, startApp } from "../src/app.ts";
import type { AppConfig } from "../src/config.ts";
import { createConversation } from "../src/flows/conversation.ts";
import { loadFlows } from "../src/flows/load.ts";
import { createAssistantPorts, openConversation } from "../src/composition.ts";
import { openDatabase } from "../src/storage/database.ts";
import { createSessionStore } from "../src/storage/repositories/sessions.ts";
import { createLogger } from "../src/logging.ts";
import { FakeTelegramApi } from "./support/fake-telegram-api.ts";
import { testTuning } from "./support/harness.ts";

const scratch = mkdtempSync(join(tmpdir(), "hcs-erase-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** An income and a question no passage answers, both unlikely to be found anywhere else in the file. */
const INCOME = "3517293";
const QUESTION_WORD = "plorbix";

function fileBytes(path: string): Buffer {
  const parts = [path, `${path}-wal`].filter((file) => existsSync(file)).map((file) => readFileSync(file));
  return Buffer.concat(parts);
}

describe("/xoa erases what the resident typed from the database file and its WAL", () => {
  it("leaves neither the income nor the kept question readable after /xoa", async () => {
    const databasePath = join(scratch, "erase.db");
    const { conversation, close } = await openConversation({ databasePath });
    const user = "telegram:5550001";
    const say = async (text: string): Promise<string> =>
      (await conversation.handle(user, text)).map((reply) => reply.fallbackText).join("\n");
    try {
      expect(await say(`xqzvw ${QUESTION_WORD} kwyjibo`)).toContain("Chưa tìm thấy đoạn nào");
      await say("2"); // "Sai": a feedback that keeps the question
      for (const answer of ["/kiemtra", "1", "4", "3", "2", INCOME, "0", "2", "2", "2", "2", "2", "2"])
        await say(answer);
      expect(await say("Báo cho tôi khi chính sách thay đổi")).toMatch(/báo|thông báo/i);

      // The check can fail: before /xoa both are in the file (session, watch, feedback, kept question).
      const before = fileBytes(databasePath);
      expect(before.includes(INCOME)).toBe(true);
      expect(before.includes(QUESTION_WORD)).toBe(true);

      expect(await say("/xoa")).toMatch(/xóa|xoá/i);
      const after = fileBytes(databasePath);
      expect(after.includes(INCOME)).toBe(false);
      expect(after.includes(QUESTION_WORD)).toBe(false);
      // Nor the account id, in clear, anywhere.
      expect(after.includes("5550001")).toBe(false);
    } finally {
      close();
    }
    // The terminal's own secret sits next to the file, readable by its owner only.
    expect(statSync(`${databasePath}.key`).mode & 0o777).toBe(0o600);
  });

  it("leaves no readable copy of an expired session or question once the hourly purge ran", async () => {
    const databasePath = join(scratch, "expire.db");
    const database = openDatabase(databasePath);
    let now = Date.parse("2026-03-01T03:00:00Z");
    const clock = () => new Date(now);
    const today = () => clock().toISOString().slice(0, 10);
    const conversation = createConversation({
      flows: loadFlows(),
      sessions: createSessionStore(database, { ttlDays: 30, now: clock }),
      ...createAssistantPorts(database, { today, questionRetentionDays: 30 }),
      now: clock,
    });
    try {
      for (const text of [`xqzvw ${QUESTION_WORD} kwyjibo`, "/kiemtra", "1", "4", "3", "2", INCOME])
        await conversation.handle("zalo:expiring", text);
      expect(fileBytes(databasePath).includes(INCOME)).toBe(true);
      expect(fileBytes(databasePath).includes(QUESTION_WORD)).toBe(true);
      now += 31 * 24 * 3600 * 1000;
      expect(await conversation.purgeExpired()).toBeGreaterThanOrEqual(2);
      const after = fileBytes(databasePath);
      expect(after.includes(INCOME)).toBe(false);
      expect(after.includes(QUESTION_WORD)).toBe(false);
    } finally {
      database.close();
    }
  });

  it("served through the inbox and outbox, leaves no readable copy of the messages either", async () => {
    const databasePath = join(scratch, "served.db");
    const api = await FakeTelegramApi.start();
    const config: AppConfig = {
      mode: "polling",
      port: 0,
      host: "127.0.0.1",
      databasePath,
      logLevel: "silent",
      sessionTtlDays: 30,
      userKeySecret: "e".repeat(40),
      telegram: { token: api.token, apiRoot: api.apiRoot },
    };
    const logger = createLogger({ level: "silent", destination: { write: () => undefined } });
    const core = await createCore(config, { logger });
    const app = await startApp({
      config,
      core,
      logger,
      tuning: testTuning({ telegram: { limits: { coreTimeoutMs: 10_000 } } }),
    });
    const user = 5550002;
    const say = async (text: string): Promise<string> => {
      const seen = api.sentTo(user).length;
      api.enqueue(api.userSends(user, text));
      await api.waitFor(() => api.sentTo(user).length > seen, 15_000, `a reply to "${text}"`);
      await new Promise((resolve) => setTimeout(resolve, 200)); // the rest of the replies, and their deletes
      return api
        .sentTo(user)
        .slice(seen)
        .map((m) => m.text)
        .join("\n");
    };
    try {
      expect(await say(`xqzvw ${QUESTION_WORD} kwyjibo`)).toContain("Chưa tìm thấy đoạn nào");
      // The check can fail: the stored update (its text cleared since) and the kept question are in the file.
      expect(fileBytes(databasePath).includes(QUESTION_WORD)).toBe(true);

      expect(await say("/xoa")).toMatch(/xóa|xoá/i);
      expect(fileBytes(databasePath).includes(QUESTION_WORD)).toBe(false);
      const database = openDatabase(databasePath, { userKeySecret: "e".repeat(40) });
      try {
        // Handled updates keep their key for de-duplication, no longer their text nor whose they were.
        const left = database.sqlite
          .prepare("select count(*) from inbox where payload is not null or user_key is not null")
          .pluck()
          .get();
        expect(left).toBe(0);
        expect(database.sqlite.prepare("select count(*) from outbox").pluck().get()).toBe(0);
      } finally {
        database.close();
      }
    } finally {
      await app.stop();
      core.close?.();
      await api.close();
    }
  });
});
