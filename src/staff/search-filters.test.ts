import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadAreaChanges, loadCorpus } from "../knowledge/load.ts";
import { openKnowledgeBase } from "../knowledge/open.ts";
import { searchAnswerRecord } from "./feedback.ts";
import type { KnowledgeBase } from "../knowledge/types.ts";
import {
  isMoreRequest,
  nextPage,
  PAGE_SIZE,
  pageOf,
  parseSearchCommand,
  renderSearchPage,
  resolveFilters,
  SEARCH_LIMIT,
} from "./search-filters.ts";

const documents = loadCorpus().documents.map((document) => document.metadata);
const areas = loadAreaChanges();
const corpus = { documents, areas };
const plans = new Map(documents.map((metadata) => [metadata.id, metadata]));

describe("/tim", () => {
  it.each([
    [
      "/tim hộ cận nghèo bhyt tinh:Hưng Yên nam:2018",
      "hộ cận nghèo bhyt",
      { province: "Hưng Yên", year: "2018" },
    ],
    [
      "/tim vay vốn [tinh:Thái Bình] [vanban:thai-binh-2017-2020] [nam:2019]",
      "vay vốn",
      { province: "Thái Bình", document: "thai-binh-2017-2020", year: "2019" },
    ],
    ["/tim tinh:hung yen vay von ho ngheo", "", { province: "hung yen vay von ho ngheo" }],
    ["/tim [tinh:hung yen] vay von ho ngheo", "vay von ho ngheo", { province: "hung yen" }],
    ["/tim vay vốn tỉnh: Hưng Yên", "vay vốn", { province: "Hưng Yên" }],
    ["/tim vay vốn văn bản=bach-thong-2023", "vay vốn", { document: "bach-thong-2023" }],
    ["/tim vay vốn năm:2023 vb:bach-thong", "vay vốn", { year: "2023", document: "bach-thong" }],
    ["/TIM nhà ở", "nhà ở", {}],
    ["/tim@hoichinhsach_bot nước sạch", "nước sạch", {}],
    ["tim kiem dien thoai", "tim kiem dien thoai", {}],
  ] as const)("%s", (typed, query, filters) => {
    const parsed = parseSearchCommand(typed);
    if (query === "") {
      expect(parsed.ok).toBe(false);
      return;
    }
    expect(parsed).toEqual({ ok: true, value: { query, filters } });
  });

  it("says what is wrong with a filter without a value, a repeated one, or no question", () => {
    const message = (typed: string) => {
      const parsed = parseSearchCommand(typed);
      return parsed.ok ? "" : parsed.error.message;
    };
    expect(message("/tim vay vốn tinh:")).toMatch(/chưa có giá trị/);
    expect(message("/tim vay vốn nam:2018 nam:2019")).toMatch(/ghi hai lần/);
    expect(message("/tim")).toMatch(/Hãy ghi câu hỏi sau \/tim/);
    expect(message("/tim [tinh:Hưng Yên]")).toMatch(/Hãy ghi câu hỏi/);
  });
});

describe("filters", () => {
  it("finds the Thái Bình plan from today's province, with a note", () => {
    const resolved = resolveFilters({ province: "Hưng Yên" }, corpus);
    expect(resolved).toEqual({
      ok: true,
      value: {
        options: { province: "Hưng Yên" },
        notes: [
          "tỉnh Hưng Yên hiện nay gồm cả tỉnh Thái Bình cũ (từ 01/07/2025): kết quả lấy từ kế hoạch của tỉnh Thái Bình.",
        ],
      },
    });
    for (const typed of ["hung yen", "tỉnh Hưng Yên", "HUNG YEN"])
      expect(resolveFilters({ province: typed }, corpus).ok).toBe(true);
    expect(resolveFilters({ province: "Thái Bình" }, corpus)).toMatchObject({
      ok: true,
      value: { notes: [] },
    });
    expect(resolveFilters({ province: "HCM" }, corpus)).toMatchObject({
      ok: true,
      value: { notes: ["“HCM” được hiểu là Thành phố Hồ Chí Minh."] },
    });
  });

  it("explains an old province without a plan, a typo, an unknown place", () => {
    const message = (province: string) => {
      const resolved = resolveFilters({ province }, corpus);
      return resolved.ok ? "" : resolved.error.message;
    };
    expect(message("Hà Giang")).toMatch(
      /^Chưa có kế hoạch nào của tỉnh Hà Giang cũ\. Từ 01\/07\/2025 tỉnh Hà Giang thuộc tỉnh Tuyên Quang; có kế hoạch của thành phố Tuyên Quang, Tuyên Quang: tìm theo tỉnh Tuyên Quang\.$/,
    );
    // Typed without diacritics, named as the province was called.
    expect(message("ha giang")).toMatch(
      /^Chưa có kế hoạch nào của tỉnh Hà Giang cũ\. Từ 01\/07\/2025 tỉnh Hà Giang thuộc/,
    );
    expect(message("Hung Yeen")).toMatch(/Có phải “Hưng Yên”\?/);
    expect(message("Cà Mau")).toMatch(
      /^Chưa có kế hoạch nào của “Cà Mau”\. Các tỉnh có kế hoạch: Thái Bình, Nam Định/,
    );
  });

  it("checks the year and the document, and their combination", () => {
    expect(resolveFilters({ year: "2018", document: "02/KH-UBND" }, corpus)).toMatchObject({
      ok: true,
      value: { options: { year: 2018, documentId: "thai-binh-2017-2020" } },
    });
    const message = (filters: Parameters<typeof resolveFilters>[0]) => {
      const resolved = resolveFilters(filters, corpus);
      return resolved.ok ? "" : resolved.error.message;
    };
    expect(message({ year: "18" })).toMatch(/ghi năm bằng bốn chữ số, ví dụ 2018\.$/);
    expect(message({ year: "2016" })).toMatch(
      /^Không có kế hoạch nào áp dụng cho năm 2016\. Thời hạn các kế hoạch: Thái Bình: 2017–2020/,
    );
    expect(message({ document: "khong-co" })).toMatch(/Không có văn bản mã “khong-co”/);
    expect(message({ province: "Hưng Yên", year: "2025" })).toMatch(
      /không khớp với văn bản hoặc năm đã chọn/,
    );
  });
});

describe("paging", () => {
  it("cuts pages and clamps the page number", () => {
    const items = Array.from({ length: 12 }, (_, i) => i + 1);
    expect(pageOf(items, 1, 5)).toEqual({ items: [1, 2, 3, 4, 5], page: 1, pages: 3 });
    expect(pageOf(items, 3, 5)).toEqual({ items: [11, 12], page: 3, pages: 3 });
    expect(pageOf(items, 9, 5).page).toBe(3);
    expect(pageOf([], 1, 5)).toEqual({ items: [], page: 1, pages: 1 });
    expect(nextPage({ query: "q", options: {}, page: 1 }).page).toBe(2);
  });

  it("recognises 'xem thêm' the ways people type it", () => {
    for (const text of [
      "xem thêm",
      "xem them",
      "Xem thêm!",
      "thêm",
      "tiếp",
      "xem tiếp",
      "trang sau",
      "thêm nữa",
    ])
      expect(isMoreRequest(text), text).toBe(true);
    for (const text of ["thêm thông tin về vay vốn", "xem", "vay vốn", "tiếp theo thì sao hả bạn"])
      expect(isMoreRequest(text), text).toBe(false);
  });
});

describe("rendered pages over the real knowledge base", () => {
  let dir: string;
  let kb: KnowledgeBase;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "staff-search-"));
    kb = openKnowledgeBase({ databasePath: join(dir, "kb.db"), today: () => "2026-03-01" });
  });
  afterAll(() => {
    kb.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("pages staff results five at a time with paste-ready citations and the /doc to read the section", () => {
    const resolved = resolveFilters({ province: "Hưng Yên" }, corpus);
    if (!resolved.ok) throw new Error(resolved.error.message);
    const outcome = kb.search("hộ cận nghèo hỗ trợ bảo hiểm y tế", {
      ...resolved.value.options,
      limit: SEARCH_LIMIT,
    });
    expect(outcome.type).toBe("results");
    if (outcome.type !== "results") return;
    expect(outcome.results.length).toBeGreaterThan(PAGE_SIZE.staff);
    const first = renderSearchPage(outcome, { page: 1, role: "staff", notes: resolved.value.notes, plans });
    expect(first).toMatch(/^ℹ️ tỉnh Hưng Yên hiện nay gồm cả tỉnh Thái Bình cũ/);
    expect(first).toContain("1. “");
    expect(first).toContain("5. “");
    expect(first).not.toContain("6. “");
    expect(first).toMatch(
      /Trích dẫn: Theo khoản 1\.2 Mục IV Kế hoạch số 02\/KH-UBND ngày 05\/01\/2017 của UBND tỉnh Thái Bình/,
    );
    expect(first).toContain("Xem trọn mục: /doc thai-binh-2017-2020 IV.1.2");
    expect(first.match(/Lưu ý: Kế hoạch này áp dụng/g)).toHaveLength(1); // each plan's cautions once per page
    expect(first).toMatch(/Trang 1\/\d+\. Gõ “xem thêm” để xem tiếp/);
    // The national rule in force comes first, above the province's passages, on the first page only.
    expect(first.indexOf("Người thuộc hộ cận nghèo được Nhà nước hỗ trợ ít nhất 70%")).toBeLessThan(
      first.indexOf("1. “"),
    );
    expect(first).toContain("Người thuộc hộ cận nghèo được Nhà nước hỗ trợ ít nhất 70%");
    expect(searchAnswerRecord(outcome)).toMatchObject({ direct: { id: "bhyt_near_poor" } });
    const second = renderSearchPage(outcome, { page: 2, role: "staff", plans });
    expect(second).not.toContain("ít nhất 70%");
    expect(second).toMatch(/^Trang 2\/\d+:/);
    expect(second).toContain("6. “");
  });

  it("gives residents three per page with the plain source line", () => {
    const outcome = kb.search("vay vốn hộ nghèo", { limit: SEARCH_LIMIT });
    const page = renderSearchPage(outcome, { page: 1, role: "resident", plans });
    expect(page).toContain("3. “");
    expect(page).not.toContain("4. “");
    expect(page).toContain("Nguồn: ");
    expect(page).not.toContain("Trích dẫn:");
    expect(page).not.toContain("/doc ");
  });

  it("passes the knowledge base's own messages through", () => {
    expect(renderSearchPage(kb.search("   "), { page: 1, role: "staff" })).toMatch(/Bạn chưa nhập câu hỏi/);
    expect(renderSearchPage(kb.search("giá vàng hôm nay"), { page: 1, role: "staff" })).toMatch(
      /Chưa tìm thấy đoạn nào/,
    );
  });
});
