import { describe, expect, it } from "vitest";
import { createReply, mergeReplies, splitReply } from "../flows/reply.ts";
import { splitMessage, TELEGRAM_MESSAGE_LIMIT, ZALO_MESSAGE_LIMIT } from "./split-message.ts";

/** A deterministic pseudo-random generator (mulberry32), so a failing case can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const block = (title: string, lines: number) =>
  [
    title,
    ...Array.from(
      { length: lines },
      (_, i) => `Dòng ${i + 1} của mục ${title}: hộ cận nghèo được vay vốn ưu đãi.`,
    ),
  ].join("\n");

describe("splitMessage", () => {
  it("returns a short text whole", () => {
    expect(splitMessage("Xin chào", ZALO_MESSAGE_LIMIT)).toEqual(["Xin chào"]);
  });

  it("returns nothing for an empty text", () => {
    expect(splitMessage("  \n ", ZALO_MESSAGE_LIMIT)).toEqual([]);
  });

  it("cuts at line ends and keeps every line whole", () => {
    const text = Array.from(
      { length: 80 },
      (_, i) => `Dòng số ${i}: ✅ Vay vốn hộ nghèo, tối đa 100.000.000 đ.`,
    ).join("\n");
    const parts = splitMessage(text, 500);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(500);
    expect(parts.join("\n")).toBe(text);
  });

  it("prefers a blank line between blocks when one is close to the limit", () => {
    const text = [block("A", 6), block("B", 6), block("C", 6)].join("\n\n");
    const parts = splitMessage(text, 800);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(800);
      expect(part.startsWith("A") || part.startsWith("B") || part.startsWith("C")).toBe(true);
    }
  });

  it("cuts an over-long line at spaces, and a word alone only when it must", () => {
    const line = "từ ".repeat(3000).trim();
    const parts = splitMessage(line, ZALO_MESSAGE_LIMIT);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(ZALO_MESSAGE_LIMIT);
    expect(parts.join(" ")).toBe(line);
    const word = "a".repeat(5000);
    expect(splitMessage(word, TELEGRAM_MESSAGE_LIMIT).join("")).toBe(word);
  });

  it("never splits an emoji (surrogate pair)", () => {
    const text = "😀".repeat(3000);
    const parts = splitMessage(text, 2001);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(2001);
      expect(part).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
    }
    expect(parts.join("")).toBe(text);
  });

  it("holds for random texts: parts fit, none is empty, words survive", () => {
    const next = random(20261122);
    const words = [
      "hộ",
      "nghèo",
      "✅",
      "vay",
      "100.000.000đ",
      "\n",
      "\n\n",
      "😀",
      "Ngân",
      "hàng",
      "x".repeat(300),
    ];
    for (let run = 0; run < 300; run++) {
      const text = Array.from(
        { length: Math.floor(next() * 900) },
        () => words[Math.floor(next() * words.length)],
      ).join(" ");
      const limit = 16 + Math.floor(next() * 600);
      const parts = splitMessage(text, limit);
      for (const part of parts) {
        expect(part.length).toBeLessThanOrEqual(limit);
        expect(part.trim()).not.toBe("");
      }
      expect(parts.join(" ").replace(/\s+/g, "")).toBe(text.replace(/\s+/g, ""));
    }
  });
});

describe("replies", () => {
  it("number the choices in the fallback text", () => {
    const reply = createReply("Bạn sống ở đâu?", {
      choices: [
        { label: "Xã", value: "1" },
        { label: "Phường", value: "2" },
      ],
    });
    expect(reply.fallbackText).toBe("Bạn sống ở đâu?\n1. Xã\n2. Phường");
    expect(reply.text).toBe("Bạn sống ở đâu?");
  });

  it("merge a short acknowledgement into the next question", () => {
    const merged = mergeReplies(
      [
        createReply("Đã ghi: 3.500.000 đ."),
        createReply("Câu tiếp?", { choices: [{ label: "Có", value: "1" }] }),
      ],
      4096,
    );
    expect(merged).toHaveLength(1);
    expect(merged[0]!.fallbackText).toBe("Đã ghi: 3.500.000 đ.\n\nCâu tiếp?\n1. Có");
  });

  it("split a long reply and keep the choices on the last part, within the limit", () => {
    const text = block("KẾT QUẢ", 120);
    const choices = Array.from({ length: 5 }, (_, i) => ({
      label: `Lựa chọn ${i + 1}`,
      value: String(i + 1),
    }));
    const parts = splitReply(
      createReply(text, { choices, question: "eligibility@1:ask_area" }),
      ZALO_MESSAGE_LIMIT,
    );
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.fallbackText.length).toBeLessThanOrEqual(ZALO_MESSAGE_LIMIT);
      expect(part.text.length).toBeLessThanOrEqual(ZALO_MESSAGE_LIMIT);
    }
    expect(parts.at(-1)!.choices).toEqual(choices);
    expect(parts.slice(0, -1).every((p) => !p.choices)).toBe(true);
  });
});

describe("splitMessage, edge cases", () => {
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
      // Whitespace at a cut may go; every line's words stay, in order.
      expect(parts.flatMap((p) => p.split("\n")).map((l) => l.trimEnd())).toEqual(
        lines.map((l) => l.trimEnd()),
      );
    }
  });

  it("refuses a limit below 2", () => {
    expect(() => splitMessage("abc", 1)).toThrow(RangeError);
    expect(() => splitMessage("abc", 2.5)).toThrow(RangeError);
  });
});
