import { GrammyError, HttpError } from "grammy";
import { describe, expect, it } from "vitest";
import {
  classifyTelegramFailure,
  classifyZaloFailure,
  decideAfterFailure,
  DEFAULT_RETRY_POLICY,
  NotSentError,
  type RetryPolicy,
} from "./send-policy.ts";
import { ZaloApiError, ZaloHttpError } from "./zalo/errors.ts";

const policy: RetryPolicy = { backoff: { initialMs: 1000, maxMs: 8000 }, maxAmbiguousRetries: 1 };
const half = (): number => 0.5;

function grammyError(code: number, retryAfter?: number): GrammyError {
  return new GrammyError(
    "call failed",
    {
      ok: false,
      error_code: code,
      description: "x",
      ...(retryAfter !== undefined ? { parameters: { retry_after: retryAfter } } : {}),
    },
    "sendMessage",
    {},
  );
}

const networkError = (code: string): HttpError =>
  new HttpError("Network request for 'sendMessage' failed!", Object.assign(new Error("x"), { code }));

describe("send failures: what they mean", () => {
  it("takes an API error answer, a 429 and a refused connection as 'not delivered'", () => {
    expect(classifyTelegramFailure(grammyError(500), false)).toMatchObject({ kind: "before" });
    expect(classifyTelegramFailure(grammyError(429, 7), false)).toEqual({
      kind: "before",
      reason: "api_429",
      retryAfterMs: 7000,
    });
    expect(classifyTelegramFailure(networkError("ECONNREFUSED"), false)).toMatchObject({ kind: "before" });
    expect(classifyTelegramFailure(new NotSentError("x"), true)).toMatchObject({ kind: "before" });
    expect(classifyZaloFailure(new ZaloApiError("sendMessage", 429, "x"), false)).toMatchObject({
      kind: "before",
    });
    const refused = new ZaloHttpError("sendMessage", "network error", {
      cause: Object.assign(new Error("x"), { code: "ECONNREFUSED" }),
    });
    expect(classifyZaloFailure(refused, false)).toMatchObject({ kind: "before" });
  });

  it("takes a reset, a timeout and an answer that is not the API's as 'may have arrived'", () => {
    expect(classifyTelegramFailure(networkError("ECONNRESET"), false)).toMatchObject({ kind: "ambiguous" });
    expect(classifyTelegramFailure(networkError("ECONNREFUSED"), true)).toMatchObject({ kind: "ambiguous" });
    expect(classifyTelegramFailure(new HttpError("x", new SyntaxError("not JSON")), false)).toMatchObject({
      kind: "ambiguous",
    });
    expect(
      classifyZaloFailure(
        new ZaloHttpError("sendMessage", "HTTP 502, the body is not JSON", { status: 502 }),
        false,
      ),
    ).toMatchObject({ kind: "ambiguous" });
    expect(classifyZaloFailure(new ZaloHttpError("sendMessage", "aborted"), true)).toMatchObject({
      kind: "ambiguous",
    });
  });

  it("takes 400 and 403 (the user blocked the bot) as final", () => {
    expect(classifyTelegramFailure(grammyError(403), false)).toMatchObject({ kind: "permanent" });
    expect(classifyZaloFailure(new ZaloApiError("sendMessage", 400, "x"), false)).toMatchObject({
      kind: "permanent",
    });
  });
});

describe("send failures: what is done", () => {
  it("retries a failure before delivery however many times it happens, backing off to the bound", () => {
    const before = { kind: "before", reason: "api_500" } as const;
    expect(decideAfterFailure(before, { attempts: 1, ambiguous: 0 }, policy, half)).toEqual({
      type: "retry",
      delayMs: 750,
      ambiguous: 0,
    });
    expect(decideAfterFailure(before, { attempts: 50, ambiguous: 1 }, policy, half)).toEqual({
      type: "retry",
      delayMs: 6000,
      ambiguous: 1,
    });
  });

  it("waits exactly the retry_after the API asked for", () => {
    const limited = { kind: "before", reason: "api_429", retryAfterMs: 12_000 } as const;
    expect(decideAfterFailure(limited, { attempts: 1, ambiguous: 0 }, policy, half)).toMatchObject({
      delayMs: 12_000,
    });
  });

  it("retries an ambiguous failure once, then takes the message as delivered", () => {
    const reset = { kind: "ambiguous", reason: "timeout" } as const;
    expect(decideAfterFailure(reset, { attempts: 1, ambiguous: 0 }, policy, half)).toMatchObject({
      type: "retry",
      ambiguous: 1,
    });
    expect(decideAfterFailure(reset, { attempts: 2, ambiguous: 1 }, policy, half)).toEqual({
      type: "assume_delivered",
    });
    expect(DEFAULT_RETRY_POLICY.maxAmbiguousRetries).toBe(1);
  });

  it("gives up a message the platform refuses for good", () => {
    expect(
      decideAfterFailure({ kind: "permanent", reason: "api_403" }, { attempts: 1, ambiguous: 0 }, policy),
    ).toEqual({ type: "give_up" });
  });
});
