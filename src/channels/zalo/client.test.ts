import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeZaloApi } from "../../../test/support/fake-zalo-api.ts";
import { serializeError } from "../../logging.ts";
import { createZaloClient } from "./client.ts";
import { ZaloApiError, ZaloHttpError } from "./errors.ts";

/** Everything about an error that could end up in a log, as one string. */
const everything = (error: unknown): string => JSON.stringify(serializeError(error)) + String(error);

describe("Zalo client", () => {
  let api: FakeZaloApi;
  beforeAll(async () => {
    api = await FakeZaloApi.start();
    api.maxPollMs = 100;
  });
  afterAll(() => api.close());

  const client = () => createZaloClient({ token: api.token, apiRoot: api.apiRoot, requestTimeoutMs: 300 });

  it("calls /bot<token>/<method> with a JSON body and returns the envelope's result", async () => {
    await expect(client().getMe()).resolves.toMatchObject({ id: "bot1", account_name: "hoichinhsach" });
    await expect(client().sendMessage({ chat_id: "u1", text: "Xin chào" })).resolves.toMatchObject({
      message_id: expect.any(String),
    });
    expect(api.callsTo("sendMessage").at(-1)?.payload).toEqual({ chat_id: "u1", text: "Xin chào" });
  });

  it("returns the one pending update of getUpdates as a list, and treats 408 as no update", async () => {
    api.userSends("u2", "chào");
    const updates = await client().getUpdates({ timeout: 1 });
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ event_name: "message.text.received" });
    await expect(client().getUpdates({ timeout: 1 })).resolves.toEqual([]);
    api.noUpdateStatus = 408;
    await expect(client().getUpdates({ timeout: 1 })).resolves.toEqual([]);
    api.noUpdateStatus = 200;
    expect(api.callsTo("getUpdates").at(-1)?.payload).toEqual({ timeout: "1" });
  });

  it("raises ZaloApiError with the platform's code and description, and the method", async () => {
    api.failNext("sendMessage", { type: "status", status: 429, description: "Too many requests" });
    const error = await client()
      .sendMessage({ chat_id: "u1", text: "x" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZaloApiError);
    expect(error).toMatchObject({
      name: "ZaloApiError",
      method: "sendMessage",
      error_code: 429,
      description: "Too many requests",
    });
    expect(String(error)).toContain("429");
    expect(everything(error)).not.toContain(api.token);
  });

  it("raises ZaloApiError for a wrong token without revealing it", async () => {
    const bad = createZaloClient({ token: "wrong-token-123456", apiRoot: api.apiRoot });
    const error = await bad.getMe().catch((e: unknown) => e);
    expect(error).toMatchObject({ error_code: 401 });
    expect(everything(error)).not.toContain("wrong-token-123456");
  });

  it("raises ZaloHttpError with a token-free cause when the connection drops or nothing answers", async () => {
    api.failNext("sendMessage", { type: "drop" });
    const dropped = await client()
      .sendMessage({ chat_id: "u1", text: "x" })
      .catch((e: unknown) => e);
    expect(dropped).toBeInstanceOf(ZaloHttpError);
    expect((dropped as Error).cause).toBeInstanceOf(Error);
    expect(everything(dropped)).not.toContain(api.token);

    api.failNext("getMe", { type: "hang" });
    const started = Date.now();
    const hung = await client()
      .getMe()
      .catch((e: unknown) => e);
    expect(hung).toBeInstanceOf(ZaloHttpError);
    expect(String(hung)).toContain("no answer after 300 ms");
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("raises ZaloHttpError for an unreachable server, with the URL redacted from every cause", async () => {
    const closed = await FakeZaloApi.start();
    await closed.close();
    const unreachable = createZaloClient({ token: api.token, apiRoot: closed.apiRoot });
    const error = await unreachable.getMe().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "ZaloHttpError", method: "getMe" });
    expect(everything(error)).not.toContain(api.token);
  });

  it("rejects answers that are not the documented envelope", async () => {
    const withBody = (body: string, status = 200) =>
      createZaloClient({ token: api.token, apiRoot: api.apiRoot, transport: async () => ({ status, body }) });
    await expect(withBody("<html>").getMe()).rejects.toThrow(/not JSON/);
    await expect(withBody(JSON.stringify({ result: {} })).getMe()).rejects.toThrow(/not a Bot API envelope/);
    await expect(withBody(JSON.stringify({ ok: true, result: { nope: 1 } })).getMe()).rejects.toThrow(
      /documented shape/,
    );
    await expect(
      withBody(JSON.stringify({ ok: false, description: "x" }), 500).getMe(),
    ).rejects.toMatchObject({ error_code: 500 });
  });

  it("stops a long poll at once when aborted", async () => {
    const controller = new AbortController();
    api.maxPollMs = 5000;
    const started = Date.now();
    setTimeout(() => controller.abort(), 50);
    const error = await client()
      .getUpdates({ timeout: 30 }, controller.signal)
      .catch((e: unknown) => e);
    api.maxPollMs = 100;
    expect(error).toBeInstanceOf(ZaloHttpError);
    expect(String(error)).toContain("aborted");
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
