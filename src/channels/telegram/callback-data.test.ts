import { describe, expect, it } from "vitest";
import { CALLBACK_DATA_MAX_BYTES, decodeChoiceData, encodeChoiceData } from "./callback-data.ts";

describe("Telegram callback data", () => {
  it("round-trips a step and a value, versioned", () => {
    const data = encodeChoiceData("eligibility@3:ask_poor_list", "yes");
    expect(data).toBe("1|eligibility@3:ask_poor_list|yes");
    expect(decodeChoiceData(data ?? "")).toEqual({ stepId: "eligibility@3:ask_poor_list", value: "yes" });
  });

  it("lets the value contain the separator", () => {
    const data = encodeChoiceData("s", "a|b");
    expect(decodeChoiceData(data ?? "")).toEqual({ stepId: "s", value: "a|b" });
  });

  it("refuses what does not fit 64 bytes (counted in UTF-8) or a step id with the separator", () => {
    expect(encodeChoiceData("s".repeat(59), "ab")).toHaveLength(CALLBACK_DATA_MAX_BYTES);
    expect(encodeChoiceData("s".repeat(59), "abc")).toBeUndefined();
    expect(encodeChoiceData("bước", "đ".repeat(28))).toBeUndefined();
    expect(encodeChoiceData("a|b", "x")).toBeUndefined();
  });

  it("does not decode data of another version or shape", () => {
    expect(decodeChoiceData("2|s|v")).toBeUndefined();
    expect(decodeChoiceData("yes")).toBeUndefined();
    expect(decodeChoiceData("1|only-step")).toBeUndefined();
  });
});
