/**
 * The one retry of Bot API calls (retryFailedCalls), against the fake Bot API on loopback: what is tried again
 * (network failures, 5xx, 429 with a short retry_after), how often, and what is not.
 */
import { Api, GrammyError, HttpError } from "grammy";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeTelegramApi } from "../../../test/support/fake-telegram-api.ts";
import { retryFailedCalls } from "./transformers.ts";

let fake: FakeTelegramApi;
beforeAll(async () => {
  fake = await FakeTelegramApi.start();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.attempts.length = 0;
  fake.calls.length = 0;
});

function api(retries = 3, maxRetryAfterMs = 5_000): Api {
  const client = new Api(fake.token, { apiRoot: fake.apiRoot });
  client.config.use(retryFailedCalls({ retries, backoff: { initialMs: 10, maxMs: 40 }, maxRetryAfterMs }));
  return client;
}
const sends = () => fake.attempts.filter((method) => method === "sendMessage").length;

describe("retryFailedCalls", () => {
  it("waits out a 429 for its retry_after, then delivers once", async () => {
    fake.failNext("sendMessage", { type: "status", status: 429, retryAfter: 1 });
    const started = Date.now();
    await api().sendMessage(7, "sau 429");
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(sends()).toBe(2);
    expect(fake.callsTo("sendMessage")).toHaveLength(1);
  });

  it("does not wait out a 429 asking for longer than allowed", async () => {
    fake.failNext("sendMessage", { type: "status", status: 429, retryAfter: 30 });
    await expect(api(3, 5_000).sendMessage(7, "x")).rejects.toMatchObject({ error_code: 429 });
    expect(sends()).toBe(1);
  });

  it("tries again after 5xx answers and dropped connections, delivering once", async () => {
    fake.failNext("sendMessage", { type: "status", status: 502 });
    fake.failNext("sendMessage", { type: "drop" });
    fake.failNext("sendMessage", { type: "status", status: 500 });
    await api().sendMessage(7, "sau lỗi");
    expect(sends()).toBe(4);
    expect(fake.callsTo("sendMessage").map((call) => call.payload.text)).toEqual(["sau lỗi"]);
  });

  it("gives up after its retries, with the last error", async () => {
    fake.failNext("sendMessage", { type: "status", status: 500 }, 3);
    await expect(api(2).sendMessage(7, "x")).rejects.toBeInstanceOf(GrammyError);
    expect(sends()).toBe(3);
    fake.failNext("sendMessage", { type: "drop" }, 2);
    fake.attempts.length = 0;
    await expect(api(1).sendMessage(7, "x")).rejects.toBeInstanceOf(HttpError);
    expect(sends()).toBe(2);
    expect(fake.callsTo("sendMessage")).toHaveLength(0);
  });

  it("returns other errors at once, and leaves getUpdates to the runner", async () => {
    fake.failNext("sendMessage", { type: "status", status: 400, description: "Bad Request: chat not found" });
    await expect(api().sendMessage(7, "x")).rejects.toMatchObject({ error_code: 400 });
    expect(sends()).toBe(1);
    fake.failNext("getUpdates", { type: "status", status: 502 });
    await expect(api().getUpdates({ timeout: 0 })).rejects.toMatchObject({ error_code: 502 });
    expect(fake.attempts.filter((method) => method === "getUpdates")).toHaveLength(1);
  });

  it("stops waiting when the call is aborted", async () => {
    fake.failNext("sendMessage", { type: "status", status: 429, retryAfter: 3 });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);
    const started = Date.now();
    await expect(
      api().sendMessage(7, "x", undefined, abort.signal as Parameters<Api["sendMessage"]>[3]),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(sends()).toBe(1);
  });
});
