import { describe, expect, it } from "vitest";
import { CHANNEL_MESSAGES, channelMessage } from "./messages.ts";

describe("channel messages", () => {
  it("has a non-empty Vietnamese text for every code", () => {
    for (const [code, text] of Object.entries(CHANNEL_MESSAGES)) {
      expect(text.trim(), code).not.toBe("");
      expect(text.length, code).toBeLessThan(200);
    }
  });

  it("says 'slow down' in the agreed words", () => {
    expect(CHANNEL_MESSAGES.rate_limited).toContain("Bạn gửi nhanh quá, vui lòng chậm lại");
  });

  it("fills placeholders", () => {
    expect(channelMessage("too_long", { max: 2000 })).toContain("2000");
    expect(channelMessage("too_long")).toContain("{max}");
  });
});
