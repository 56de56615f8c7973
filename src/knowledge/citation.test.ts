import { describe, expect, it } from "vitest";
import { citationFor, issuedOnLabel, placeKey, warningsFor } from "./citation.ts";
import { loadAreaChanges, loadCorpus, type PlanMetadata } from "./load.ts";

const areas = loadAreaChanges();
const plans = new Map(loadCorpus().documents.map((d) => [d.metadata.id, d.metadata]));
const plan = (id: string): PlanMetadata => plans.get(id)!;

describe("citationFor", () => {
  it("names number, date, issuer, period and the heading path", () => {
    expect(
      citationFor(plan("thai-binh-2017-2020"), ["IV. CÁC GIẢI PHÁP THỰC HIỆN", "1.2. Hỗ trợ về y tế"]),
    ).toBe(
      "Kế hoạch số 02/KH-UBND, ngày 05/01/2017, của Ủy ban nhân dân tỉnh Thái Bình, giai đoạn 2017–2020 — mục IV. CÁC GIẢI PHÁP THỰC HIỆN › 1.2. Hỗ trợ về y tế",
    );
  });
  it("shows a number and day left blank in the document as blank, never invented", () => {
    const citation = citationFor(plan("bach-thong-2023"), ["VI. TỔ CHỨC THỰC HIỆN", "7. Phòng Tư pháp"]);
    expect(citation).toContain("số /KH-UBND (số để trống)");
    expect(citation).toContain("tháng 3/2023 (ngày để trống)");
    expect(citation).toContain("Ủy ban nhân dân huyện Bạch Thông (tỉnh Bắc Kạn)");
    expect(citation).toContain("năm 2023");
  });
  it("says so when the number and date are not printed at all", () => {
    expect(citationFor(plan("nam-dinh-ct05-2030"), [])).toBe(
      "Kế hoạch số chưa ghi, không ghi ngày, của Ủy ban nhân dân tỉnh Nam Định, giai đoạn 2021–2030 — phần mở đầu",
    );
  });
  it("cuts very long headings", () => {
    const long = "1. Đẩy mạnh công tác tuyên truyền, giáo dục chính trị tư tưởng tạo sự chuyển biến mạnh mẽ…";
    expect(citationFor(plan("ba-ria-vung-tau-ct01-2017"), [long]).length).toBeLessThan(220);
  });
});

describe("issuedOnLabel", () => {
  it.each([
    ["2017-01-05", "ngày 05/01/2017"],
    ["2020-03", "tháng 3/2020 (ngày để trống)"],
    [null, "không ghi ngày"],
  ])("%s → %s", (input, label) => expect(issuedOnLabel(input)).toBe(label));
});

describe("warningsFor", () => {
  it("warns that the period is over and the province merged (Thái Bình → Hưng Yên)", () => {
    expect(warningsFor(plan("thai-binh-2017-2020"), areas, "2026-11-22")).toEqual([
      "Kế hoạch này áp dụng cho giai đoạn 2017–2020, nay đã hết thời hạn; mức hỗ trợ và điều kiện hiện nay có thể đã khác.",
      "Từ ngày 1/7/2025, tỉnh Thái Bình đã nhập vào tỉnh Hưng Yên.",
    ]);
  });
  it("does not call a plan running to 2030 over, but still names the merger (Nam Định → Ninh Bình)", () => {
    expect(warningsFor(plan("nam-dinh-ct05-2030"), areas, "2026-11-22")).toEqual([
      "Từ ngày 1/7/2025, tỉnh Nam Định đã nhập vào tỉnh Ninh Bình.",
    ]);
  });
  it("explains the Tuyên Quang merger that kept the name, and the abolished district level", () => {
    const warnings = warningsFor(plan("tuyen-quang-city-2020"), areas, "2026-11-22");
    expect(warnings).toContain(
      "Từ ngày 1/7/2025, tỉnh Tuyên Quang cũ đã hợp nhất với tỉnh Hà Giang thành tỉnh Tuyên Quang mới.",
    );
    expect(
      warnings.some((w) => w.includes("không còn cấp huyện") && w.includes("thành phố Tuyên Quang")),
    ).toBe(true);
  });
  it("names Thành phố Hồ Chí Minh without 'tỉnh'", () => {
    expect(warningsFor(plan("ba-ria-vung-tau-ct01-2017"), areas, "2026-11-22")).toContain(
      "Từ ngày 1/7/2025, tỉnh Bà Rịa – Vũng Tàu đã nhập vào Thành phố Hồ Chí Minh.",
    );
  });
  it("uses the date it is given: before the changes there is nothing to say about them", () => {
    expect(warningsFor(plan("bach-thong-2023"), areas, "2023-06-01")).toEqual([]);
    expect(warningsFor(plan("bach-thong-2023"), areas, "2024-01-01")).toHaveLength(1);
    expect(warningsFor(plan("bach-thong-2023"), areas, "2025-07-01")).toHaveLength(3);
  });
});

describe("placeKey", () => {
  it("ignores diacritics, case, dash style and the word tỉnh", () => {
    expect(placeKey("Bà Rịa – Vũng Tàu")).toBe(placeKey("ba ria - vung tau"));
    expect(placeKey("tỉnh Thái Bình")).toBe("thai binh");
  });
});
