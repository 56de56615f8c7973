import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHANNEL_MESSAGES } from "../../src/channels/messages.ts";
import { KB_ANSWER, LONG_TEXT_LINES } from "./fake-core.ts";
import type { ChannelHarness } from "./harness.ts";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The behaviour every channel adapter owes its users, run against each adapter and mode (the Hono `runTest` /
 * drizzle `tests()` idea): the same scripted conversation, the same limits, the same failure isolation. Each
 * test uses its own user ids, so one harness serves the whole suite.
 */
export function runChannelContract(name: string, makeHarness: () => Promise<ChannelHarness>): void {
  describe(`channel contract: ${name}`, () => {
    let h: ChannelHarness;
    beforeAll(async () => {
      h = await makeHarness();
    });
    afterAll(async () => {
      await h?.close();
    });

    it("carries a whole scripted interview: choices, a policy question midway, answers by choice and by text, a long result", async () => {
      const user = 101;
      await h.say(user, "/kiemtra");
      const [intro, question] = await h.waitForReplies(user, 2);
      expect(intro?.text).toBe("Mình sẽ hỏi vài câu ngắn.");
      expect(question?.text).toContain("danh sách hộ nghèo");
      expect(question?.choices).toEqual(["Có", "Không"]);

      // A policy question in the middle: answered with its citation, then the same question again.
      await h.say(user, "vay vốn lãi suất bao nhiêu?");
      const [, , kb, again] = await h.waitForReplies(user, 4);
      expect(kb?.text).toBe(KB_ANSWER);
      expect(again?.choices).toEqual(["Có", "Không"]);

      await h.pick(user, 0);
      const afterChoice = await h.waitForReplies(user, 5);
      expect(afterChoice[4]?.text).toContain("bao nhiêu người");

      await h.say(user, "4");
      await h.api.waitFor(
        () => h.received(user).some((m) => m.text.includes("60. ✅")),
        10_000,
        "the end of the result",
      );
      const result = h.received(user).slice(5);
      expect(result[0]?.text.startsWith("Kết quả cho hộ 4 người (hộ nghèo)")).toBe(true);
      for (const part of result) expect(part.text.length).toBeLessThanOrEqual(h.limit);
      const lines = result.flatMap((part) => part.text.split("\n"));
      expect(lines.filter((line) => line.includes("✅"))).toHaveLength(60);
      expect(result.length).toBe(Math.ceil(result.map((p) => p.text).join("\n").length / h.limit));
      expect(
        h.core.calls.filter((c) => c.userKey === `${h.channel}:${user}`).map((c) => c.input.type),
      ).toEqual(["text", "text", h.channel === "telegram" ? "choice" : "text", "text"]);
    });

    it("splits a long reply at the channel's limit on line boundaries, in order", async () => {
      const user = 102;
      await h.say(user, "/dai");
      const total = LONG_TEXT_LINES.join("\n").length;
      const expectedParts = Math.ceil(total / h.limit);
      const parts = await h.waitForReplies(user, expectedParts);
      for (const part of parts) expect(part.text.length).toBeLessThanOrEqual(h.limit);
      expect(parts.flatMap((p) => p.text.split("\n"))).toEqual(LONG_TEXT_LINES);
    });

    it("shows typing while the core is slow, and not for a quick answer", async () => {
      await h.say(103, "/cham");
      await h.waitForReplies(103, 1);
      expect(h.received(103)[0]?.text).toBe("Xong rồi.");
      expect(h.typingCount(103)).toBeGreaterThanOrEqual(1);

      await h.say(104, "echo nhanh");
      await h.waitForReplies(104, 1);
      expect(h.typingCount(104)).toBe(0);
    });

    it("answers a failing core with a polite apology, without affecting another user", async () => {
      await Promise.all([h.say(105, "/loi"), h.say(106, "echo 1")]);
      const [apology] = await h.waitForReplies(105, 1);
      expect(apology?.text).toBe(CHANNEL_MESSAGES.internal);
      const [echo] = await h.waitForReplies(106, 1);
      expect(echo?.text).toBe("echo 1");
      // The failed user goes on normally.
      await h.say(105, "echo sau lỗi");
      await h.waitForReplies(105, 2);
      expect(h.received(105)[1]?.text).toBe("echo sau lỗi");
    });

    it("apologises when the core does not answer in time, and keeps serving that user", async () => {
      await h.say(107, "/treo");
      const [apology] = await h.waitForReplies(107, 1, 5000);
      expect(apology?.text).toBe(CHANNEL_MESSAGES.internal);
      await h.say(107, "echo tiếp");
      const replies = await h.waitForReplies(107, 2);
      expect(replies[1]?.text).toBe("echo tiếp");
    });

    it("keeps one user's replies in order", async () => {
      const user = 108;
      const sends: Promise<void>[] = [];
      for (let i = 1; i <= 8; i++) {
        sends.push(h.say(user, `echo ${i}`));
        await sleep(5);
      }
      await Promise.all(sends);
      const replies = await h.waitForReplies(user, 8);
      // Replies come in the order the messages reached the core (the echo takes a random time, so a reply
      // overtaking another would show). Separate connections may arrive out of order on a loaded machine:
      // that order, not the sending order, is the one to keep.
      const arrived = h.core.calls
        .filter((call) => call.userKey.endsWith(`:${user}`))
        .map((call) => (call.input.type === "text" ? call.input.text : ""));
      expect([...arrived].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((i) => `echo ${i}`));
      expect(replies.map((r) => r.text)).toEqual(arrived);
    });

    it("answers a flood of 100 messages with one 'slow down', without starving another user", async () => {
      const flooder = 109;
      const other = 110;
      const flood = Promise.all(Array.from({ length: 100 }, (_, i) => h.say(flooder, `echo ${i}`)));
      await sleep(50);
      const started = Date.now();
      await h.say(other, "echo tôi vẫn ở đây");
      await h.waitForReplies(other, 1, 5000);
      // A liveness bound, not a speed measurement: the flooder's backlog must not hold the other user up.
      expect(Date.now() - started).toBeLessThan(5000);
      await flood;
      await h.api.waitFor(
        () => h.received(flooder).some((m) => m.text === CHANNEL_MESSAGES.rate_limited),
        10_000,
        "the slow-down message",
      );
      await sleep(800);
      const texts = h.received(flooder).map((m) => m.text);
      expect(texts.filter((t) => t === CHANNEL_MESSAGES.rate_limited)).toHaveLength(1);
      const handled = h.core.calls.filter((c) => c.userKey === `${h.channel}:${flooder}`).length;
      expect(handled).toBe(10);
      expect(texts.filter((t) => t.startsWith("echo "))).toHaveLength(handled);
    });

    it("refuses an over-long message without passing it to the core", async () => {
      await h.say(111, "a".repeat(2001));
      const [reply] = await h.waitForReplies(111, 1);
      expect(reply?.text).toContain("Tin nhắn dài quá");
      expect(h.core.calls.some((c) => c.userKey === `${h.channel}:111`)).toBe(false);
    });

    it("answers a non-text message with a short 'text only'", async () => {
      await h.sendNonText(112);
      const [reply] = await h.waitForReplies(112, 1);
      expect(reply?.text).toBe(CHANNEL_MESSAGES.not_text);
    });

    it("waits out a 429 with retry_after and delivers the reply exactly once", async () => {
      h.failNextSend({ type: "status", status: 429, retryAfter: 1 });
      const started = Date.now();
      await h.say(113, "echo sau 429");
      await h.waitForReplies(113, 1, 10_000);
      if (h.channel === "telegram") expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      await sleep(300);
      expect(h.received(113).map((r) => r.text)).toEqual(["echo sau 429"]);
    });

    it("retries after a 5xx and after a dropped connection, delivering once", async () => {
      h.failNextSend({ type: "status", status: 502 });
      await h.say(114, "echo sau 502");
      await h.waitForReplies(114, 1, 15_000);
      h.failNextSend({ type: "drop" });
      await h.say(114, "echo sau mất kết nối");
      await h.waitForReplies(114, 2, 15_000);
      await sleep(300);
      expect(h.received(114).map((r) => r.text)).toEqual(["echo sau 502", "echo sau mất kết nối"]);
    });

    it("never writes a token, a secret or message text to the log", () => {
      const log = h.logs.join("");
      expect(log.length).toBeGreaterThan(0);
      expect(log).not.toContain(h.token);
      expect(log).not.toContain(h.secret);
      for (const text of [
        "danh sách hộ nghèo",
        "echo",
        "nội dung dài",
        "Xong rồi",
        "tôi vẫn ở đây",
        "aaaaaaaaaa",
      ]) {
        expect(log).not.toContain(text);
      }
    });
  });
}
