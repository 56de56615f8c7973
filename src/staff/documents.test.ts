import { describe, expect, it } from "vitest";
import { loadAreaChanges, loadCorpus } from "../knowledge/load.ts";
import { stripMarkup } from "../knowledge/structure.ts";
import {
  createOutlines,
  renderDocumentList,
  renderSection,
  renderTableOfContents,
  resolveDocument,
} from "./documents.ts";
import { findSection, outlineOf, readSectionQuery } from "./plan-outline.ts";

const corpus = loadCorpus();
const areas = loadAreaChanges();
const documents = corpus.documents.map((document) => document.metadata);
const document = (id: string) => corpus.documents.find((d) => d.metadata.id === id)!;
const outlines = createOutlines(corpus.documents);

describe("section numbers as staff type them", () => {
  it.each([
    ["IV.1.2", { roman: "IV", arabic: "1.2" }],
    ["iv.1.2", { roman: "IV", arabic: "1.2" }],
    ["mục IV.1.2", { roman: "IV", arabic: "1.2" }],
    ["IV 1.2", { roman: "IV", arabic: "1.2" }],
    ["IV-1-2", { roman: "IV", arabic: "1.2" }],
    ["1.2", { arabic: "1.2" }],
    ["IV", { roman: "IV" }],
    ["muc iv", { roman: "IV" }],
    ["II.2.a", { roman: "II", arabic: "2", letter: "a" }],
    ["II.2a", { roman: "II", arabic: "2", letter: "a" }],
    ["IV.1.1.b", { roman: "IV", arabic: "1.1", letter: "b" }],
    ["điểm b khoản 1.1 Mục IV", { roman: "IV", arabic: "1.1", letter: "b" }],
    ["khoản 1.2 mục IV", { roman: "IV", arabic: "1.2" }],
    ["mở đầu", "preamble"],
  ] as const)("%s", (typed, expected) => {
    expect(readSectionQuery(typed)).toEqual(expected);
  });

  it("rejects what is not a section number", () => {
    for (const typed of ["", "abc def", "1.2.3.4.5.6", "IV..x y"]) expect(readSectionQuery(typed)).toBeNull();
  });
});

describe.each(corpus.documents.map((d) => [d.metadata.id, d] as const))("outline of %s", (_id, doc) => {
  const outline = outlineOf(doc.text);

  it("finds every numbered section by its own key, spanning its sub-sections", () => {
    expect(outline.sections.length).toBeGreaterThan(10);
    for (const section of outline.sections) {
      const lookup = findSection(outline, section.key);
      expect(lookup.type === "found" && lookup.section, section.key).toBe(section);
      const text = doc.text.slice(section.start, section.end);
      expect(stripMarkup(text.split("\n")[0]!)).toContain(section.title.slice(0, 20));
      for (const child of outline.sections.filter((other) => other.key.startsWith(`${section.key}.`))) {
        expect(child.start).toBeGreaterThanOrEqual(section.start);
        expect(child.end).toBeLessThanOrEqual(section.end);
      }
    }
  });

  it("splits the body into its parts without overlap or gap", () => {
    const parts = outline.sections.filter((section) => section.depth === 1);
    expect(parts.map((part) => part.key)).toEqual(
      parts.map((_, i) => ["I", "II", "III", "IV", "V", "VI"][i]),
    );
    for (let i = 1; i < parts.length; i++) {
      expect(parts[i]!.start).toBeGreaterThanOrEqual(parts[i - 1]!.end);
      expect(doc.text.slice(parts[i - 1]!.end, parts[i]!.start).trim()).toBe("");
    }
    // The closing part (Nơi nhận, signature) is never inside a section.
    const last = parts.at(-1)!;
    expect(doc.text.slice(last.start, last.end)).not.toMatch(/Nơi nhận/);
  });

  it("renders each section with its citation and status", () => {
    for (const section of outline.sections.slice(0, 12)) {
      const rendered = renderSection(doc, outline, section.key, areas, "2026-03-01");
      if (!rendered.ok) throw new Error(rendered.error.message);
      expect(rendered.value.text).toContain(`Trích dẫn: ${rendered.value.citation}`);
      expect(rendered.value.text).toMatch(/Lưu ý: Kế hoạch (này )?áp dụng cho/);
      expect(rendered.value.text).not.toMatch(/\*\*|^#/m);
    }
  });
});

describe("/doc", () => {
  const thaiBinh = document("thai-binh-2017-2020");
  const outline = outlines("thai-binh-2017-2020")!;

  it("shows the whole of IV.1.2 (health support) with its citation", () => {
    const rendered = renderSection(thaiBinh, outline, "IV.1.2", areas, "2026-03-01");
    if (!rendered.ok) throw new Error(rendered.error.message);
    expect(rendered.value.text).toMatch(/^1\.2\. Hỗ trợ về y tế/);
    expect(rendered.value.text).toContain("bảo hiểm y tế");
    expect(rendered.value.text).not.toContain("1.3. Hỗ trợ về nhà ở");
    expect(rendered.value.citation).toBe(
      "Theo khoản 1.2 Mục IV Kế hoạch số 02/KH-UBND ngày 05/01/2017 của UBND tỉnh Thái Bình",
    );
    expect(rendered.value.text).toMatch(/Lưu ý: .*Hưng Yên/);
  });

  it("includes the sub-sections of a larger section, and finds 1.2 without its part when unique", () => {
    const whole = renderSection(thaiBinh, outline, "IV.1", areas, "2026-03-01");
    expect(whole.ok && whole.value.text).toMatch(/1\.2\. Hỗ trợ về y tế[\s\S]*1\.5\. Hỗ trợ về thông tin/);
    const bare = renderSection(thaiBinh, outline, "1.2", areas, "2026-03-01");
    expect(bare.ok && bare.value.citation).toMatch(/^Theo khoản 1\.2 Mục IV /);
  });

  it("asks which one when a number exists in several parts", () => {
    const rendered = renderSection(thaiBinh, outline, "1", areas, "2026-03-01");
    expect(rendered.ok).toBe(false);
    if (rendered.ok) return;
    expect(rendered.error.message).toMatch(/^Có 5 mục số “1”/);
    expect(rendered.error.message).toContain("/doc thai-binh-2017-2020 IV.1 ");
  });

  it("reads a point of a plain-text plan and the preamble", () => {
    const rendered = renderSection(
      document("bach-thong-2023"),
      outlines("bach-thong-2023")!,
      "II.2.b",
      areas,
      "2026-03-01",
    );
    if (!rendered.ok) throw new Error(rendered.error.message);
    expect(rendered.value.citation).toMatch(
      /^Theo điểm b khoản 2 Mục II Kế hoạch số \.\.\.\/KH-UBND \(số để trống trong văn bản\)/,
    );
    const preamble = renderSection(thaiBinh, outline, "mở đầu", areas, "2026-03-01");
    expect(preamble.ok && preamble.value.citation).toMatch(/^Theo phần mở đầu Kế hoạch số 02\/KH-UBND/);
  });

  it("says what exists when the section does not, or cannot be read", () => {
    const missing = renderSection(thaiBinh, outline, "IX.9", areas, "2026-03-01");
    expect(!missing.ok && missing.error.message).toMatch(
      /không có mục “IX\.9”\. Các mục lớn: I, II, III, IV, V, VI/,
    );
    const unreadable = renderSection(thaiBinh, outline, "y tế", areas, "2026-03-01");
    expect(!unreadable.ok && unreadable.error.message).toMatch(/Chưa đọc được số mục/);
  });

  it("lists the table of contents with the keys to type", () => {
    const toc = renderTableOfContents(thaiBinh, outline);
    expect(toc).toMatch(/^Kế hoạch số 02\/KH-UBND ngày 05\/01\/2017/);
    expect(toc).toContain("    IV.1.2  Hỗ trợ về y tế");
  });

  it("finds a document by id, number, prefix or a close spelling", () => {
    expect(resolveDocument(documents, "thai-binh-2017-2020")).toMatchObject({
      ok: true,
      value: { id: "thai-binh-2017-2020" },
    });
    expect(resolveDocument(documents, "02/KH-UBND")).toMatchObject({
      ok: true,
      value: { id: "thai-binh-2017-2020" },
    });
    expect(resolveDocument(documents, "bach-thong")).toMatchObject({
      ok: true,
      value: { id: "bach-thong-2023" },
    });
    expect(resolveDocument(documents, "Bạch Thông")).toMatchObject({
      ok: true,
      value: { id: "bach-thong-2023" },
    });
    const typo = resolveDocument(documents, "bach-thon-2023");
    expect(!typo.ok && typo.error.message).toMatch(/Có phải “bach-thong-2023”\?/);
  });
});

describe("/vanban", () => {
  const list = renderDocumentList(documents, areas, "2026-03-01");

  it("lists every plan with number or an honest blank, date, issuer, area then and now, period and state", () => {
    expect(list).toMatch(/^Có 5 kế hoạch\./);
    expect(list).toContain("Kế hoạch số 02/KH-UBND; ngày 05/01/2017");
    expect(list).toContain("Địa bàn: tỉnh Thái Bình (nay thuộc tỉnh Hưng Yên, từ 01/07/2025)");
    expect(list).toContain("Thời hạn: 2017–2020, đã hết thời hạn");
    expect(list).toContain(
      "Kế hoạch, số để trống trong văn bản (in là “Số: /KH-UBND”); tháng 3/2020 (ngày để trống)",
    );
    expect(list).toContain(
      "Địa bàn: huyện Bạch Thông, tỉnh Bắc Kạn (cấp huyện không còn; nay thuộc tỉnh Thái Nguyên, từ 01/07/2025)",
    );
    expect(list).toContain("Kế hoạch, văn bản không ghi số; văn bản không ghi ngày ban hành");
    expect(list).toContain("Thời hạn: 2021–2030, còn trong thời hạn");
    expect(list).toContain("tỉnh Tuyên Quang mới gồm cả tỉnh Hà Giang");
    for (const metadata of documents) expect(list).toContain(`Mã: ${metadata.id}`);
  });

  it("shows areas as they were before the mergers", () => {
    const before = renderDocumentList(documents, areas, "2024-01-01");
    expect(before).toContain("Địa bàn: tỉnh Thái Bình\n");
    expect(before).not.toMatch(/nay thuộc/);
  });
});
