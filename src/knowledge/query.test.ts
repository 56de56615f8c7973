import { describe, expect, it } from "vitest";
import { loadLexiconData } from "./load.ts";
import { analyzeQuery, compileLexicon, editDistance, SpellIndex, type Vocabulary } from "./query.ts";

/** A tiny vocabulary standing in for the index: syllables and two-syllable terms with document frequencies. */
function vocabularyOf(terms: Record<string, number>): Vocabulary {
  const spell = new SpellIndex(Object.keys(terms).filter((t) => !t.includes("_")));
  return { df: (t) => terms[t] ?? 0, near: (w, d) => spell.near(w, d), sectionCount: 100 };
}

const vocabulary = vocabularyOf({
  bao: 20,
  hiem: 15,
  y: 30,
  te: 30,
  bao_hiem: 15,
  hiem_y: 12,
  y_te: 25,
  the: 10,
  the_bao: 5,
  cap: 10,
  cap_the: 5,
  ho: 60,
  can: 20,
  ngheo: 70,
  ho_can: 15,
  can_ngheo: 15,
  ho_tro: 40,
  tro: 40,
  ho_ngheo: 50,
  dia: 12,
  phuong: 12,
  dia_phuong: 12,
  dai: 3,
  ngan: 8,
  sach: 8,
  ngan_sach: 8,
  sach_dia: 2,
  vay: 10,
  von: 15,
  vay_von: 8,
  tin: 9,
  dung: 9,
  tin_dung: 7,
  cho: 50,
  cho_vay: 6,
  hem: 1,
  nghe: 5,
});
const lexicon = compileLexicon(loadLexiconData());

describe("editDistance", () => {
  it("counts an adjacent transposition as one edit", () => {
    expect(editDistance("thaot", "thoat")).toBe(1);
    expect(editDistance("ngeho", "ngheo")).toBe(1);
    expect(editDistance("hem", "hiem")).toBe(1);
    expect(editDistance("abc", "xyzuvw", 2)).toBe(3);
  });
});

describe("SpellIndex", () => {
  it("finds the known syllables within the distance", () => {
    const spell = new SpellIndex(["ngheo", "nghe", "hiem", "him"]);
    expect(spell.near("ngeo", 1).map((c) => c.word)).toEqual(["ngheo"]);
    expect(
      spell
        .near("ngeo", 2)
        .map((c) => c.word)
        .sort(),
    ).toEqual(["nghe", "ngheo"]);
    expect(spell.near("ngheo", 1).map((c) => c.word)).toEqual(["nghe"]);
  });
});

describe("analyzeQuery", () => {
  it("expands abbreviations and chat shorthand", () => {
    const q = analyzeQuery("ho can ngheo co dc ho tro BHYT k", lexicon, vocabulary)!;
    expect(q.foldedTerms).toEqual(expect.arrayContaining(["bhyt", "bao_hiem", "y_te", "can_ngheo"]));
    expect(q.runs.flat().map((t) => t.accented)).toEqual(expect.arrayContaining(["được", "không", "bảo"]));
    expect(q.withDiacritics).toBe(false);
    expect(q.accentedTerms).toEqual([]);
  });

  it("corrects an unknown syllable to the one that forms a known word with its neighbour", () => {
    const q = analyzeQuery("thẻ bảo hểim y tế", lexicon, vocabulary)!;
    expect(q.corrections).toEqual([{ from: "hểim", to: "hiem" }]);
    expect(q.foldedTerms).toContain("bao_hiem");
  });

  it("prefers the correction confirmed by a neighbouring word over a more frequent one", () => {
    // "ngeo" is one edit from "nghe" and from "ngheo"; only "can_ngheo" is indexed.
    const q = analyzeQuery("ho can ngeo", lexicon, vocabulary)!;
    expect(q.corrections[0]?.to).toBe("ngheo");
  });

  it("offers a near syllable for a known one that fits neither neighbour (đại phương → địa phương)", () => {
    const q = analyzeQuery("ngân sách đại phương", lexicon, vocabulary)!;
    expect(q.foldedTerms).toContain("dia_phuong");
    expect(q.foldedTerms).toContain("dai");
  });

  it("adds the other phrases of a synonym group", () => {
    const q = analyzeQuery("vay vốn", lexicon, vocabulary)!;
    expect(q.foldedTerms).toEqual(expect.arrayContaining(["vay_von", "tin_dung", "cho_vay"]));
    expect(q.contentWords.find((w) => w.word === "vay")?.equivalents).toContainEqual(["tin", "dung"]);
  });

  it("keeps accented terms only for a question typed with diacritics", () => {
    const q = analyzeQuery("hộ cận nghèo", lexicon, vocabulary)!;
    expect(q.withDiacritics).toBe(true);
    expect(q.accentedTerms).toEqual(expect.arrayContaining(["hộ", "cận_nghèo"]));
  });

  it("leaves question words out of the subject", () => {
    expect(analyzeQuery("có được không", lexicon, vocabulary)!.contentWords).toEqual([]);
    expect(analyzeQuery("bao nhieu", lexicon, vocabulary)!.contentWords).toEqual([]);
  });

  it("does not take content words for question words when typed without diacritics", () => {
    const words = analyzeQuery("the bao hiem y te can ngheo vay", lexicon, vocabulary)!.contentWords.map(
      (w) => w.word,
    );
    expect(words).toEqual(expect.arrayContaining(["the", "bao", "can", "vay"]));
  });

  it("returns null when nothing searchable is left", () => {
    expect(analyzeQuery("😀 ?!", lexicon, vocabulary)).toBeNull();
  });
});
