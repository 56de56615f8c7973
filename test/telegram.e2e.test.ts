import { afterEach, describe, expect, it } from "vitest";
import { CHANNEL_MESSAGES } from "../src/channels/messages.ts";
import { TELEGRAM_COMMANDS } from "../src/channels/telegram/commands.ts";
import type { FakeTelegramApi } from "./support/fake-telegram-api.ts";
import { TEST_SECRET, telegramHarness, type ChannelHarness } from "./support/harness.ts";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe("Telegram channel, end to end against a fake Bot API", () => {
  let h: ChannelHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  const api = (): FakeTelegramApi => h?.api as FakeTelegramApi;

  it("registers the Vietnamese command menu at start-up, and never a webhook", async () => {
    h = await telegramHarness("polling");
    await api().waitFor(() => api().callsTo("setMyCommands").length === 1, 5000, "setMyCommands");
    expect(api().callsTo("setMyCommands")[0]?.payload.commands).toEqual(TELEGRAM_COMMANDS);
    expect(api().attempts).not.toContain("setWebhook");
    expect(api().attempts).not.toContain("deleteWebhook");
  });

  it("shows choices as versioned buttons, answers the press at once, and goes on", async () => {
    h = await telegramHarness("webhook");
    await h.say(1, "/kiemtra");
    await h.waitForReplies(1, 2);
    const question = api().sentTo(1)[1];
    expect(question?.buttons.map((b) => b.data)).toEqual([
      "1|interview@1:ask_poor_list|yes",
      "1|interview@1:ask_poor_list|no",
    ]);
    for (const b of question?.buttons ?? []) expect(Buffer.byteLength(b.data)).toBeLessThanOrEqual(64);
    await h.pick(1, 1);
    await h.waitForReplies(1, 3);
    expect(api().callsTo("answerCallbackQuery")).toHaveLength(1);
    expect(h.core.calls.at(-1)?.input).toEqual({
      type: "choice",
      stepId: "interview@1:ask_poor_list",
      value: "no",
    });
  });

  it("answers a stale button (the flow changed) with the current step, not an error", async () => {
    h = await telegramHarness("webhook");
    await h.say(2, "/kiemtra");
    await h.waitForReplies(2, 2);
    h.core.flowVersion = 2;
    await h.pick(2, 0);
    const replies = await h.waitForReplies(2, 4);
    expect(replies[2]?.text).toBe("Câu hỏi này đã thay đổi. Đây là câu hỏi hiện tại:");
    expect(
      api()
        .sentTo(2)[3]
        ?.buttons.map((b) => b.data),
    ).toEqual(["1|interview@2:ask_poor_list|yes", "1|interview@2:ask_poor_list|no"]);
  });

  it("passes a button it cannot read (older format) to the core as a stale choice", async () => {
    h = await telegramHarness("webhook");
    await h.say(3, "/kiemtra");
    await h.waitForReplies(3, 2);
    const update = api().userPresses(3, "v0:ask_poor_list:yes");
    const res = await fetch(`http://127.0.0.1:${h.port()}/webhooks/telegram`, {
      method: "POST",
      headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": TEST_SECRET },
      body: JSON.stringify(update),
    });
    expect(res.status).toBe(200);
    await h.waitForReplies(3, 4);
    expect(h.core.calls.at(-1)?.input).toEqual({ type: "choice", stepId: "", value: "" });
    expect(api().callsTo("answerCallbackQuery")).toHaveLength(1);
  });

  it("continues a conversation across a restart: a button from before the restart still works", async () => {
    h = await telegramHarness("polling");
    await h.say(4, "/kiemtra");
    await h.waitForReplies(4, 2);
    await h.restart();
    await h.pick(4, 0);
    const replies = await h.waitForReplies(4, 3);
    expect(replies[2]?.text).toContain("bao nhiêu người");
    await h.say(4, "5");
    await api().waitFor(
      () => h?.received(4).some((m) => m.text.includes("hộ 5 người")) ?? false,
      10_000,
      "the result",
    );
  });

  it("handles an update delivered twice only once", async () => {
    h = await telegramHarness("webhook");
    const update = api().userSends(5, "echo một lần");
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`http://127.0.0.1:${h.port()}/webhooks/telegram`, {
        method: "POST",
        headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": TEST_SECRET },
        body: JSON.stringify(update),
      });
      expect(res.status).toBe(200);
    }
    await h.waitForReplies(5, 1);
    await sleep(300);
    expect(h.received(5).map((r) => r.text)).toEqual(["echo một lần"]);
  });

  it("in a group, only points to a private chat, and only when addressed with a command", async () => {
    h = await telegramHarness("polling");
    api().userSends(6, "thu nhập nhà tôi 3 triệu", { type: "group", id: -600 });
    api().userSends(6, "/kiemtra@hoichinhsach_test_bot", { type: "group", id: -600 });
    await api().waitFor(() => api().sentTo(-600).length === 1, 5000, "the group reply");
    await sleep(300);
    expect(
      api()
        .sentTo(-600)
        .map((m) => m.text),
    ).toEqual([CHANNEL_MESSAGES.private_only]);
    expect(h.core.calls).toHaveLength(0);
  });

  it("strips @botname from commands in private chats too", async () => {
    h = await telegramHarness("webhook");
    await h.say(7, "/kiemtra@hoichinhsach_test_bot");
    await h.waitForReplies(7, 2);
    expect(h.core.calls[0]?.input).toEqual({ type: "text", text: "/kiemtra" });
  });

  it("survives the Bot API going down and coming back while polling", async () => {
    h = await telegramHarness("polling");
    await h.say(8, "echo trước");
    await h.waitForReplies(8, 1);
    api().setDown(true);
    await sleep(1500);
    await h.say(8, "echo trong lúc mất");
    await sleep(500);
    api().setDown(false);
    const replies = await h.waitForReplies(8, 2, 15_000);
    expect(replies[1]?.text).toBe("echo trong lúc mất");
    expect(h.logs.join("")).toContain("Telegram API unreachable");
  });

  it("survives the Bot API going down while sending webhook replies", async () => {
    h = await telegramHarness("webhook");
    api().setDown(true);
    await h.say(9, "echo mất kết nối");
    await sleep(6000);
    api().setDown(false);
    await h.say(9, "echo đã có lại");
    await api().waitFor(
      () => h?.received(9).some((m) => m.text === "echo đã có lại") ?? false,
      10_000,
      "the reply after recovery",
    );
    // The connection broke after the request was written: sent once more, then taken as delivered.
    expect(h.logs.join("")).toMatch(/"failure":"ambiguous"/);
    expect(h.logs.join("")).toMatch(/"outcome":"assume_delivered"/);
  });

  it("restarts polling after a conflict (webhook set), with an operator hint in the log", async () => {
    h = await telegramHarness("polling");
    api().webhook = { url: "https://elsewhere.example/webhooks/telegram" };
    await api().waitFor(
      () => h?.logs.join("").includes("hoichinhsach webhooks delete") ?? false,
      10_000,
      "the hint",
    );
    api().webhook = undefined;
    await h.say(10, "echo sau xung đột");
    await h.waitForReplies(10, 1, 15_000);
  });
});
