import { describe, expect, it } from "vitest";
import { splitMessage } from "./split.ts";

describe("splitMessage", () => {
  it("keeps a short text whole", () => {
    expect(splitMessage("Xin chào", 10)).toEqual(["Xin chào"]);
  });

  it("returns nothing for a blank text", () => {
    expect(splitMessage(" \n\n ", 10)).toEqual([]);
    expect(splitMessage("", 10)).toEqual([]);
  });

  it("cuts between lines, packing as many whole lines as fit", () => {
    expect(splitMessage("aaa\nbbb\nccc\nddd", 7)).toEqual(["aaa\nbbb", "ccc\nddd"]);
    expect(splitMessage("aaa\nbbb\nccc", 8)).toEqual(["aaa\nbbb", "ccc"]);
  });

  it("accepts a part of exactly the limit", () => {
    expect(splitMessage("abcd\nefgh", 9)).toEqual(["abcd\nefgh"]);
    expect(splitMessage("abcd\nefghi", 9)).toEqual(["abcd", "efghi"]);
  });

  it("hard-splits only an over-long line, at a space in its second half when there is one", () => {
    expect(splitMessage("ab\nxxxx yyyy zz\ncd", 10)).toEqual(["ab", "xxxx yyyy", "zz\ncd"]);
    expect(splitMessage("abcdefghijkl", 5)).toEqual(["abcde", "fghij", "kl"]);
  });

  it("never splits a surrogate pair", () => {
    const text = `abcd${"😀".repeat(3)}`;
    const parts = splitMessage(text, 5);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(5);
      expect(part).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
    expect(parts.join("")).toBe(text);
  });

  it("treats CRLF as a line break and drops blank edges of parts", () => {
    expect(splitMessage("aaa\r\n\r\nbbb\r\nccc", 5)).toEqual(["aaa", "bbb", "ccc"]);
  });

  it("keeps every line, in order, within the limit, for many sizes", () => {
    const lines = Array.from({ length: 300 }, (_, i) => `Dòng ${i}: ${"x".repeat(i % 37)}`);
    const text = lines.join("\n");
    for (const limit of [50, 64, 100, 2000, 4096]) {
      const parts = splitMessage(text, limit);
      for (const part of parts) expect(part.length).toBeLessThanOrEqual(limit);
      expect(parts.flatMap((p) => p.split("\n"))).toEqual(lines);
    }
  });

  it("refuses a limit below 2", () => {
    expect(() => splitMessage("abc", 1)).toThrow(RangeError);
    expect(() => splitMessage("abc", 2.5)).toThrow(RangeError);
  });
});
