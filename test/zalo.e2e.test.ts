import { afterEach, describe, expect, it } from "vitest";
import { startApp } from "../src/app.ts";
import { CHANNEL_MESSAGES } from "../src/channels/messages.ts";
import { createLogger } from "../src/logging.ts";
import { createFakeCore } from "./support/fake-core.ts";
import { FakeZaloApi } from "./support/fake-zalo-api.ts";
import { testTuning, zaloHarness } from "./support/harness.ts";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe("Zalo channel, end to end against a fake Zalo Bot API", () => {
  let h: Awaited<ReturnType<typeof zaloHarness>> | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it("shows choices as numbered lines and accepts the word as well as the number", async () => {
    h = await zaloHarness("webhook");
    await h.say(1, "/kiemtra");
    const [, question] = await h.waitForReplies(1, 2);
    expect(question?.text).toBe(
      `Hộ bạn có trong danh sách hộ nghèo của xã không?\n\n1. Có\n2. Không\n${CHANNEL_MESSAGES.choose_by_number}`,
    );
    await h.say(1, "không");
    await h.waitForReplies(1, 3);
    await h.say(1, "3");
    await h.zalo.waitFor(
      () => h?.received(1).some((m) => m.text.includes("60. ✅")) ?? false,
      5000,
      "the result",
    );
    expect(h.received(1)[3]?.text).toMatch(/^Kết quả cho hộ 3 người \(chưa trong danh sách\)/);
  });

  it("handles a repeated delivery once, by webhook (either shape) and by polling", async () => {
    h = await zaloHarness("webhook");
    const update = h.zalo.event("message.text.received", "2", { text: "echo một lần" });
    for (const body of [{ ok: true, result: update }, update, { ok: true, result: update }]) {
      expect((await h.deliverRaw(body)).status).toBe(200);
    }
    await h.waitForReplies(2, 1);
    await sleep(300);
    expect(h.received(2).map((m) => m.text)).toEqual(["echo một lần"]);
    expect(h.logs.join("")).toContain('"outcome":"duplicate"');
    await h.close();

    h = await zaloHarness("polling");
    const polled = h.zalo.event("message.text.received", "3", { text: "echo một lần" });
    h.zalo.enqueue(polled);
    h.zalo.enqueue(polled);
    await h.waitForReplies(3, 1);
    await sleep(1200);
    expect(h.received(3)).toHaveLength(1);
  });

  it("ignores unknown events safely and answers unsupported ones with a short text", async () => {
    h = await zaloHarness("webhook");
    const unknown = h.zalo.event("message.reaction.received", "4");
    expect((await h.deliverRaw({ ok: true, result: unknown })).status).toBe(200);
    expect((await h.deliverRaw({ event_name: "bot.future.event", data: { x: 1 } })).status).toBe(200);
    expect(
      (await h.deliverRaw({ ok: true, result: h.zalo.event("message.unsupported.received", "4") })).status,
    ).toBe(200);
    const [reply] = await h.waitForReplies(4, 1);
    expect(reply?.text).toBe(CHANNEL_MESSAGES.unsupported);
    await sleep(200);
    expect(h.received(4)).toHaveLength(1);
    expect(h.core.calls).toHaveLength(0);
  });

  it("in a group chat, only points to a private chat when addressed with a command", async () => {
    h = await zaloHarness("webhook");
    await h.deliverRaw({
      ok: true,
      result: h.zalo.event("message.text.received", "5", { text: "nhà tôi thu nhập 2 triệu" }, true),
    });
    await h.deliverRaw({
      ok: true,
      result: h.zalo.event("message.text.received", "5", { text: "/kiemtra" }, true),
    });
    await h.zalo.waitFor(() => h?.zalo.sentTo("g-5").length === 1, 5000, "the group reply");
    await sleep(200);
    expect(h.zalo.sentTo("g-5")).toEqual([CHANNEL_MESSAGES.private_only]);
    expect(h.core.calls).toHaveLength(0);
  });

  it("treats 408 as 'no update': idle polling logs no failure, with either HTTP status", async () => {
    h = await zaloHarness("polling");
    h.zalo.maxPollMs = 100;
    await sleep(1500);
    h.zalo.noUpdateStatus = 408;
    await sleep(1500);
    expect(h.zalo.callsTo("getUpdates").length).toBeGreaterThanOrEqual(2);
    expect(h.logs.join("")).not.toContain("getUpdates failed");
    await h.say(6, "echo vẫn nghe");
    await h.waitForReplies(6, 1);
  });

  it("backs off exponentially with jitter, within its bound, and recovers", async () => {
    h = await zaloHarness("polling");
    h.zalo.failNext("getUpdates", { type: "status", status: 502 }, 4);
    await h.zalo.waitFor(
      () => h?.zalo.attempts.filter((m) => m === "getUpdates").length === 5,
      10_000,
      "five polls",
    );
    const delays = h.logs
      .filter((l) => l.includes("getUpdates failed"))
      .map((l) => (JSON.parse(l) as { retry_in_ms: number }).retry_in_ms);
    expect(delays).toHaveLength(4);
    // testTuning: 100 ms doubling up to 500 ms, each between half and all of its step.
    [100, 200, 400, 500].forEach((step, i) => {
      expect(delays[i]).toBeGreaterThanOrEqual(step / 2);
      expect(delays[i]).toBeLessThanOrEqual(step);
    });
    await h.say(7, "echo đã hồi phục");
    await h.waitForReplies(7, 1);
  });

  it("survives the API going away and coming back", async () => {
    h = await zaloHarness("polling");
    h.zalo.setDown(true);
    await sleep(1200);
    h.zalo.setDown(false);
    await h.say(8, "echo có lại rồi");
    await h.waitForReplies(8, 1, 5000);
    expect(h.logs.join("")).toContain("Zalo getUpdates failed; retrying");
  });

  it("runs one polling loop, never two overlapping polls, and stops at once on shutdown", async () => {
    const api = await FakeZaloApi.start();
    api.maxPollMs = 5000;
    const logs: string[] = [];
    const app = await startApp({
      config: {
        mode: "polling",
        port: 0,
        host: "127.0.0.1",
        databasePath: ":memory:",
        logLevel: "debug",
        sessionTtlDays: 30,
        zalo: { token: api.token, apiRoot: api.apiRoot },
      },
      core: createFakeCore(),
      logger: createLogger({ level: "debug", destination: { write: (l) => logs.push(l) } }),
      tuning: testTuning({ zalo: { pollTimeoutSeconds: 5 } }),
    });
    await api.waitFor(() => api.activePolls === 1, 5000, "a long poll");
    await app.zalo?.runPolling(new AbortController().signal);
    expect(logs.join("")).toContain("a second loop was refused");
    const started = Date.now();
    await app.stop();
    expect(Date.now() - started).toBeLessThan(1500);
    const polls = api.attempts.filter((m) => m === "getUpdates").length;
    await sleep(300);
    expect(api.attempts.filter((m) => m === "getUpdates").length).toBe(polls);
    expect(api.maxConcurrentPolls).toBe(1);
    await api.close();
  });

  it("continues a conversation across a restart", async () => {
    h = await zaloHarness("polling");
    await h.say(9, "/kiemtra");
    await h.waitForReplies(9, 2);
    await h.restart();
    // Zalo has no acknowledgement cursor: an update handed to the old process's cancelled long poll, before the
    // server noticed the cancellation, would be lost. Give the fake server that moment, as a real restart does.
    await sleep(200);
    await h.say(9, "1");
    const replies = await h.waitForReplies(9, 3);
    expect(replies[2]?.text).toContain("bao nhiêu người");
  });
});
