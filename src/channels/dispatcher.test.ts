import { describe, expect, it } from "vitest";
import { createLogger } from "../logging.ts";
import { createDispatcher, type Delivery } from "./dispatcher.ts";
import { CHANNEL_MESSAGES } from "./messages.ts";
import type { ConversationCore, Reply } from "./ports.ts";

const silent = createLogger({ level: "silent" });

function recorder(): { delivery: Delivery; sent: string[]; typing: number } {
  const state = { sent: [] as string[], typing: 0, delivery: undefined as unknown as Delivery };
  state.delivery = {
    typing: async () => void state.typing++,
    send: async (reply: Reply) => void state.sent.push(reply.text),
  };
  return state;
}

describe("createDispatcher", () => {
  it("serves 10,000 users with bounded memory and nothing left in flight", async () => {
    const core: ConversationCore = { handle: async (user) => [{ text: `ok ${user}` }] };
    const dispatcher = createDispatcher({
      channel: "zalo",
      core,
      logger: silent,
      rateLimit: { burst: 5, refillPerSecond: 1, maxTrackedUsers: 2000 },
    });
    const r = recorder();
    await Promise.all(
      Array.from({ length: 10_000 }, (_, i) =>
        dispatcher.dispatch(
          { updateId: i, userKey: `zalo:${i}`, input: { type: "text", text: "hi" } },
          r.delivery,
        ),
      ),
    );
    expect(r.sent).toHaveLength(10_000);
    expect(dispatcher.inFlight()).toBe(0);
    await expect(dispatcher.drain(100)).resolves.toBe(true);
  });

  it("logs a turn the core could not handle as failed, with the cause class", async () => {
    const logs: string[] = [];
    const logger = createLogger({ level: "info", destination: { write: (line) => logs.push(line) } });
    const core: ConversationCore = {
      handle: async (user) =>
        user === "zalo:1" ? [{ text: "Xin lỗi…", failure: "storage:read_only" }] : [{ text: "ok" }],
    };
    const dispatcher = createDispatcher({ channel: "zalo", core, logger, typingDelayMs: -1 });
    const r = recorder();
    const input = { type: "text" as const, text: "hi" };
    await expect(dispatcher.dispatch({ updateId: 1, userKey: "zalo:1", input }, r.delivery)).resolves.toBe(
      "core_failed",
    );
    await expect(dispatcher.dispatch({ updateId: 2, userKey: "zalo:2", input }, r.delivery)).resolves.toBe(
      "replied",
    );
    expect(r.sent).toEqual(["Xin lỗi…", "ok"]);
    const handled = logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(handled[0]).toMatchObject({ outcome: "core_failed", cause: "storage:read_only" });
    expect(handled[1]).toMatchObject({ outcome: "replied" });
    expect(handled[1]).not.toHaveProperty("cause");
  });

  it("isolates a throwing or malformed core: the user gets the apology, the next user is served", async () => {
    let calls = 0;
    const core = {
      handle: async () => {
        calls++;
        if (calls === 1) throw new Error("boom");
        if (calls === 2) return "not a list" as unknown as Reply[];
        return [{ text: "fine" }];
      },
    };
    const dispatcher = createDispatcher({ channel: "telegram", core, logger: silent });
    const r = recorder();
    const outcomes = [];
    for (let i = 0; i < 3; i++) {
      outcomes.push(
        await dispatcher.dispatch(
          { updateId: i, userKey: `telegram:${i}`, input: { type: "text", text: "x" } },
          r.delivery,
        ),
      );
    }
    expect(outcomes).toEqual(["core_failed", "core_failed", "replied"]);
    expect(r.sent).toEqual([CHANNEL_MESSAGES.internal, CHANNEL_MESSAGES.internal, "fine"]);
  });

  it("reports a failed delivery as an outcome, never as an exception", async () => {
    const dispatcher = createDispatcher({
      channel: "zalo",
      core: { handle: async () => [{ text: "a" }] },
      logger: silent,
    });
    const failing: Delivery = {
      typing: async () => undefined,
      send: async () => Promise.reject(new Error("down")),
    };
    await expect(
      dispatcher.dispatch({ updateId: 1, userKey: "zalo:1", input: { type: "text", text: "x" } }, failing),
    ).resolves.toBe("delivery_failed");
  });

  it("repeats typing while a slow core works, and stops when it answers", async () => {
    const core: ConversationCore = {
      handle: () => new Promise((resolve) => setTimeout(() => resolve([{ text: "done" }]), 260)),
    };
    const dispatcher = createDispatcher({
      channel: "zalo",
      core,
      logger: silent,
      typingDelayMs: 0,
      typingIntervalMs: 100,
    });
    const r = recorder();
    await dispatcher.dispatch(
      { updateId: 1, userKey: "zalo:1", input: { type: "text", text: "x" } },
      r.delivery,
    );
    const shown = r.typing;
    expect(shown).toBeGreaterThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(r.typing).toBe(shown);
  });

  it("drain reports false when updates are still running at the deadline", async () => {
    const core: ConversationCore = { handle: () => new Promise(() => undefined) };
    const dispatcher = createDispatcher({ channel: "zalo", core, logger: silent, coreTimeoutMs: 10_000 });
    void dispatcher.dispatch(
      { updateId: 1, userKey: "zalo:1", input: { type: "text", text: "x" } },
      recorder().delivery,
    );
    expect(dispatcher.inFlight()).toBe(1);
    await expect(dispatcher.drain(50)).resolves.toBe(false);
  });
});
