import { describe, expect, it } from "vitest";
import { formatSearchOutcome } from "./format.ts";
import type { SearchResult } from "./types.ts";

const result = (n: number, warnings: string[] = []): SearchResult => ({
  documentId: `doc-${n}`,
  title: `Kế hoạch ${n}`,
  sectionPath: ["I. MỤC TIÊU", `${n}. Mục ${n}`],
  text: `**${n}. Mục ${n}**\n\n- Nội dung đầy đủ của mục ${n}.`,
  excerpt: `Câu trả lời số ${n}.`,
  score: 10 - n,
  citation: `Kế hoạch số ${n}/KH-UBND — mục I. MỤC TIÊU › ${n}. Mục ${n}`,
  warnings,
});

describe("formatSearchOutcome", () => {
  it("shows the best passage, its source and cautions, then further passages", () => {
    const text = formatSearchOutcome({
      type: "results",
      query: "q",
      results: [result(1, ["Kế hoạch này đã hết thời hạn."]), result(2), result(3), result(4), result(5)],
    });
    expect(text.split("\n").slice(0, 4)).toEqual([
      "Đoạn trả lời phù hợp nhất:",
      "“Câu trả lời số 1.”",
      "Nguồn: Kế hoạch số 1/KH-UBND — mục I. MỤC TIÊU › 1. Mục 1",
      "Lưu ý: Kế hoạch này đã hết thời hạn.",
    ]);
    expect(text).toContain("Các đoạn khác có thể liên quan:\n1. “Câu trả lời số 2.”");
    expect(text).toContain("3. “Câu trả lời số 4.”");
    expect(text).not.toContain("số 5");
  });

  it("shows the whole section without markup when asked (commune staff)", () => {
    const text = formatSearchOutcome(
      { type: "results", query: "q", results: [result(1)] },
      { fullText: true },
    );
    expect(text).toContain("1. Mục 1\n\n- Nội dung đầy đủ của mục 1.");
    expect(text).not.toContain("**");
  });

  it("says plainly when nothing answers, without showing weak passages", () => {
    const text = formatSearchOutcome({
      type: "no_match",
      query: "q",
      message: "Chưa tìm thấy.",
      results: [result(1)],
    });
    expect(text).toBe("Chưa tìm thấy.");
    expect(formatSearchOutcome({ type: "invalid", query: "", message: "Bạn chưa nhập câu hỏi." })).toBe(
      "Bạn chưa nhập câu hỏi.",
    );
  });
});
