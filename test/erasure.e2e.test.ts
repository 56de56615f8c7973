/**
 * /xoa through the real conversation core over a real SQLite file: after it, nothing the resident typed can
 * be read back from the database file or its write-ahead log, read as raw bytes while the core still runs.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createConversation } from "../src/flows/conversation.ts";
import { loadFlows } from "../src/flows/load.ts";
import { createAssistantPorts, openConversation } from "../src/flows/wiring.ts";
import { openDatabase } from "../src/storage/database.ts";
import { createSessionStore } from "../src/storage/repositories/sessions.ts";

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
      expect(conversation.purgeExpired()).toBeGreaterThanOrEqual(2);
      const after = fileBytes(databasePath);
      expect(after.includes(INCOME)).toBe(false);
      expect(after.includes(QUESTION_WORD)).toBe(false);
    } finally {
      database.close();
    }
  });
});
