import { describe, expect, it } from "vitest";
import { parseZaloBody } from "./parse.ts";

const update = {
  event_name: "message.text.received",
  message: {
    message_id: "m1",
    date: 1750316131602,
    from: { id: "u1", display_name: "Lan", is_bot: false },
    chat: { id: "u1", chat_type: "PRIVATE" },
    text: "xin chào",
  },
};

describe("parseZaloBody", () => {
  it("accepts the enveloped and the bare shapes", () => {
    expect(parseZaloBody({ ok: true, result: update })).toMatchObject({
      type: "update",
      update: { event_name: "message.text.received" },
    });
    expect(parseZaloBody(update)).toMatchObject({
      type: "update",
      update: { message: { text: "xin chào" } },
    });
  });

  it("accepts numeric ids as strings", () => {
    const numeric = {
      ...update,
      message: { ...update.message, message_id: 42, from: { id: 7 }, chat: { id: 7 } },
    };
    expect(parseZaloBody(numeric)).toMatchObject({
      type: "update",
      update: { message: { message_id: "42", from: { id: "7" } } },
    });
  });

  it("ignores unknown events and envelopes that are not ok", () => {
    expect(parseZaloBody({ ...update, event_name: "message.reaction.received" })).toEqual({
      type: "ignore",
      reason: "unknown_event",
    });
    expect(parseZaloBody({ event_name: "user.follow" })).toEqual({ type: "ignore", reason: "unknown_event" });
    expect(parseZaloBody({ ok: false, error_code: 408 })).toEqual({
      type: "ignore",
      reason: "envelope_not_ok",
    });
  });

  it("rejects malformed bodies", () => {
    for (const body of [
      null,
      42,
      "x",
      [],
      {},
      { ok: true },
      { event_name: 3 },
      { ...update, message: { message_id: "m" } },
      { event_name: "message.text.received" },
    ]) {
      expect(parseZaloBody(body).type).toBe("invalid");
    }
  });
});
