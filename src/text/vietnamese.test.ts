import { describe, expect, it } from "vitest";
import { foldDiacritics, hasDiacritics, normalizeVietnamese, tokenize } from "./vietnamese.ts";

describe("normalizeVietnamese", () => {
  it.each([
    ["hoá", "hóa"],
    ["thuý", "thúy"],
    ["khoẻ", "khỏe"],
    ["Hoà Bình", "Hòa Bình"],
    ["quý", "quý"],
  ])("treats %s and %s as the same syllable", (a, b) => {
    expect(normalizeVietnamese(a)).toBe(normalizeVietnamese(b));
  });

  it("turns decomposed (NFD) input into the same string as precomposed input", () => {
    const nfd = "hộ cận nghèo".normalize("NFD");
    expect(nfd).not.toBe("hộ cận nghèo");
    expect(normalizeVietnamese(nfd)).toBe(normalizeVietnamese("hộ cận nghèo"));
  });

  it("keeps distinct syllables distinct", () => {
    expect(normalizeVietnamese("hồ")).not.toBe(normalizeVietnamese("hộ"));
    expect(normalizeVietnamese("hoá")).not.toBe(normalizeVietnamese("hoa"));
  });

  it("leaves tone placement alone where there is only one choice", () => {
    for (const word of ["nghèo", "người", "được", "chuyển", "quả", "già", "tiếp", "hướng", "Thái"]) {
      expect(normalizeVietnamese(word)).toBe(word);
    }
  });

  it("keeps punctuation, digits and case", () => {
    expect(normalizeVietnamese("Số: 02/KH-UBND, ngày 05/01/2017")).toBe("Số: 02/KH-UBND, ngày 05/01/2017");
  });
});

describe("foldDiacritics", () => {
  it("removes tone and vowel marks and folds đ", () => {
    expect(foldDiacritics("Hộ cận nghèo được Đảng")).toBe("ho can ngheo duoc dang");
  });
  it("folds NFD input the same way", () => {
    expect(foldDiacritics("ưu đãi".normalize("NFD"))).toBe("uu dai");
  });
});

describe("hasDiacritics", () => {
  it("tells accented from unaccented writing", () => {
    expect(hasDiacritics("vay vốn")).toBe(true);
    expect(hasDiacritics("vay von")).toBe(false);
    expect(hasDiacritics("đi")).toBe(true);
    expect(hasDiacritics("BHYT 2026")).toBe(false);
  });
});

describe("tokenize", () => {
  it("splits into lower-case syllables and keeps numbers whole", () => {
    expect(tokenize("Hộ nghèo: 1.500.000 đ/tháng, 3,5 triệu")).toEqual([
      "hộ",
      "nghèo",
      "1.500.000",
      "đ",
      "tháng",
      "3,5",
      "triệu",
    ]);
  });
  it("returns nothing for emoji and punctuation only", () => {
    expect(tokenize("😀 !!! ... ")).toEqual([]);
  });
});
