import { describe, expect, it } from "vitest";
import { foldSpelling, headingTitle, sectionTerms, spellings, termsOf, tokenRuns, tokens } from "./terms.ts";

describe("spellings", () => {
  it("gives the canonical accented and the folded form, whatever the input form", () => {
    expect(spellings("Hoá")).toEqual(spellings("hóa"));
    expect(spellings("Hoá")).toMatchObject({ folded: "hoa", isNumber: false });
    expect(spellings("NGHÈO".normalize("NFD")).folded).toBe("ngheo");
  });
  it("writes numbers without separators", () => {
    expect(spellings("1.461")).toEqual({ accented: "1461", folded: "1461", isNumber: true });
  });
  it("folds the two accepted spellings of final i/y together, leaving y tế and quy alone", () => {
    expect(foldSpelling("lý")).toBe(foldSpelling("lí"));
    expect(foldSpelling("tỷ")).toBe(foldSpelling("tỉ"));
    expect(foldSpelling("y")).toBe("y");
    expect(foldSpelling("quy")).toBe("quy");
  });
});

describe("tokenRuns and termsOf", () => {
  it("pairs neighbouring syllables across commas but not across sentence ends", () => {
    const runs = tokenRuns("Giống cây trồng, vật nuôi. Hộ nghèo");
    expect(runs.map((run) => run.map((t) => t.accented))).toEqual([
      ["giống", "cây", "trồng", "vật", "nuôi"],
      ["hộ", "nghèo"],
    ]);
    expect(termsOf(runs, "folded")).toContain("trong_vat");
    expect(termsOf(runs, "folded")).not.toContain("nuoi_ho");
  });

  it("pairs the syllables of a sentence cut by a page break", () => {
    const terms = termsOf(tokenRuns("tinh thần tự lực vươn lên\n\nthoát nghèo"), "accented");
    expect(terms).toContain("lên_thoát");
  });
});

describe("sectionTerms", () => {
  it("fills the folded, accented and heading columns", () => {
    const terms = sectionTerms("### *1.2. Hỗ trợ về y tế:*\n\n- Cấp thẻ bảo hiểm y tế.", [
      "IV. CÁC GIẢI PHÁP",
      "1.2. Hỗ trợ về y tế",
    ]);
    expect(terms.folded.split(" ")).toEqual(expect.arrayContaining(["bao_hiem", "y_te", "the_bao"]));
    expect(terms.accented.split(" ")).toEqual(expect.arrayContaining(["bảo_hiểm", "hỗ_trợ"]));
    expect(terms.heading.split(" ")).toEqual(expect.arrayContaining(["giai_phap", "ho_tro", "y_te"]));
    expect(terms.heading).not.toContain("12");
  });
  it("drops numbering from heading titles", () => {
    expect(headingTitle("2.2.1. Tiểu dự án 1")).toBe("Tiểu dự án 1");
    expect(headingTitle("IV. TỔ CHỨC")).toBe("TỔ CHỨC");
    expect(headingTitle("a) Các kết quả")).toBe("Các kết quả");
  });
  it("ignores emoji and punctuation", () => {
    expect(tokens('😀 !!! " * NEAR( - :')).toEqual([expect.objectContaining({ folded: "near" })]);
  });
});
