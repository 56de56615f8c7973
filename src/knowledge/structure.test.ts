import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { logicalParagraphs, parseHeading, parseSections, splitSentences, stripMarkup } from "./structure.ts";

const plan = (id: string): string =>
  readFileSync(new URL(`../../knowledge/plans/${id}.md`, import.meta.url), "utf8");
const PLANS = [
  "thai-binh-2017-2020",
  "nam-dinh-ct05-2030",
  "ba-ria-vung-tau-ct01-2017",
  "tuyen-quang-city-2020",
  "bach-thong-2023",
];

describe("parseHeading", () => {
  it.each([
    ["#### **I. MỤC ĐÍCH, YÊU CẦU.**", 1, "I. MỤC ĐÍCH, YÊU CẦU"],
    ["IV. TỔ CHỨC THỰC HIỆN", 1, "IV. TỔ CHỨC THỰC HIỆN"],
    ["### *1.2. Hỗ trợ về y tế:*", 3, "1.2. Hỗ trợ về y tế"],
    [
      "###### **2.2.1. Tiểu dự án 1: Hỗ trợ phát triển sản xuất trong lĩnh vực nông nghiệp**",
      4,
      "2.2.1. Tiểu dự án 1: Hỗ trợ phát triển sản xuất trong lĩnh vực nông nghiệp",
    ],
    ["*a. Hỗ trợ dạy nghề gắn với tạo việc làm:*", 6, "a. Hỗ trợ dạy nghề gắn với tạo việc làm"],
    ["###### **a) Các kết quả và chỉ tiêu chủ yếu**", 6, "a) Các kết quả và chỉ tiêu chủ yếu"],
    ["1. Mục đích", 2, "1. Mục đích"],
  ])("reads %s as level %i", (line, level, label) => {
    expect(parseHeading(line)).toMatchObject({ level, label });
  });

  it("takes the emphasised part as the title when the body follows on the same line (Thái Bình)", () => {
    expect(parseHeading("*5.2. Tổ chức và cán bộ:* Rà soát, sắp xếp tổ chức bộ máy")).toEqual({
      level: 3,
      label: "5.2. Tổ chức và cán bộ",
      inlineBody: true,
    });
  });

  it("ends a plain-text title at the colon before running text (Bà Rịa – Vũng Tàu)", () => {
    expect(parseHeading("2. Ban Dân tộc: tổ chức triển khai thực hiện các chủ trương")?.label).toBe(
      "2. Ban Dân tộc",
    );
    expect(
      parseHeading("##### **2.1. Dự án 2: Đa dạng hóa sinh kế, phát triển mô hình giảm nghèo**")?.label,
    ).toBe("2.1. Dự án 2: Đa dạng hóa sinh kế, phát triển mô hình giảm nghèo");
  });

  it("never takes list items, amounts or notes for headings", () => {
    for (const line of [
      "- Ngân sách trung ương: 5.465 triệu đồng.",
      "+ 100% người lao động thuộc hộ nghèo",
      "1.461 triệu đồng được bố trí",
      "*(Có biểu số 01, 02 kèm theo)*",
      "100% người nghèo được cấp thẻ bảo hiểm y tế",
      "hộ cận nghèo, hộ mới thoát nghèo.",
    ]) {
      expect(parseHeading(line), line).toBeNull();
    }
  });

  it("shortens a numbered paragraph to a readable label", () => {
    const heading = parseHeading(
      "1. Đẩy mạnh công tác tuyên truyền, giáo dục chính trị tư tưởng tạo sự chuyển biến mạnh mẽ về nhận thức của các cấp ủy Đảng, chính quyền và trong các tầng lớp nhân dân",
    );
    expect(heading?.label.length).toBeLessThanOrEqual(100);
    expect(heading?.label.endsWith("…")).toBe(true);
    expect(heading?.inlineBody).toBe(true);
  });
});

describe("parseSections on the plan documents", () => {
  it.each(PLANS)("%s: every section is the exact slice of the file, in order, without overlap", (id) => {
    const source = plan(id);
    const sections = parseSections(source);
    expect(sections.length).toBeGreaterThan(10);
    let previousEnd = 0;
    for (const section of sections) {
      expect(section.text).toBe(source.slice(section.start, section.end));
      expect(section.start).toBeGreaterThanOrEqual(previousEnd);
      previousEnd = section.end;
    }
    expect(sections[0]!.kind).toBe("preamble");
    expect(sections.at(-1)!.kind).toBe("closing");
  });

  it("follows the numbering, not the Markdown heading depth (Thái Bình mixes ##, ### and ####)", () => {
    const sections = parseSections(plan("thai-binh-2017-2020"));
    const health = sections.find((s) => s.path.at(-1) === "1.2. Hỗ trợ về y tế");
    expect(health?.path).toEqual([
      "IV. CÁC GIẢI PHÁP THỰC HIỆN",
      "1. Nhóm giải pháp hỗ trợ hộ nghèo thiếu hụt đa chiều được tiếp cận các dịch vụ xã hội cơ bản",
      "1.2. Hỗ trợ về y tế",
    ]);
    expect(health?.text.startsWith("### *1.2. Hỗ trợ về y tế:*")).toBe(true);
    expect(health?.text).toContain("Quỹ khám, chữa bệnh cho người nghèo của tỉnh.");
    expect(health?.text).not.toContain("1.3. Hỗ trợ về nhà ở");
    const point = sections.find((s) => s.path.at(-1) === "b. Hỗ trợ hộ nghèo về giáo dục");
    expect(point?.path).toHaveLength(4);
    const next = sections[sections.indexOf(point!) + 1];
    expect(next?.path.at(-1)).toBe("1.2. Hỗ trợ về y tế");
  });

  it("structures the plain-text plans by numbering alone (Nam Định)", () => {
    const sections = parseSections(plan("nam-dinh-ct05-2030"));
    const report = sections.find((s) => s.path.at(-1)?.startsWith("16. Tổ chức sơ kết"));
    expect(report?.path[0]).toBe("IV. TỔ CHỨC THỰC HIỆN");
    expect(report?.text).toContain("Báo cáo năm trước ngày 10/12");
    expect(report?.text).not.toContain("Trên đây là");
  });

  it("keeps the closing part (Nơi nhận, signature) apart (Bà Rịa – Vũng Tàu)", () => {
    const sections = parseSections(plan("ba-ria-vung-tau-ct01-2017"));
    const closing = sections.at(-1)!;
    expect(closing.kind).toBe("closing");
    expect(closing.text.startsWith("Nơi nhận:")).toBe(true);
    expect(sections.at(-2)?.path.at(-1)).toBe("14. Các sở, ban, ngành trực thuộc Ủy ban nhân dân tỉnh");
  });

  it("reads italic numbered lines as headings (Tuyên Quang)", () => {
    const sections = parseSections(plan("tuyen-quang-city-2020"));
    const group = sections.find((s) => s.path.at(-1)?.startsWith("3.2. Nhóm có lao động"));
    expect(group?.path[0]).toBe("II. NHIỆM VỤ, GIẢI PHÁP");
    expect(group?.text).toContain("phường Hưng Thành");
  });

  it("marks heading-only lines as without content and numbered leaf lines as content (Bạch Thông)", () => {
    const sections = parseSections(plan("bach-thong-2023"));
    const part = sections.find((s) => s.path.length === 1 && s.path[0] === "IV. KINH PHÍ THỰC HIỆN");
    expect(part?.hasContent).toBe(false);
    const credit = sections.find((s) => s.path.at(-1)?.startsWith("3. Nguồn vốn tín dụng chính sách xã hội"));
    expect(credit?.hasContent).toBe(true);
    const project = sections.find((s) => s.path.at(-1)?.startsWith("2.2.1. Tiểu dự án 1"));
    expect(project?.path).toHaveLength(4);
    expect(project?.text).toContain("1.461 triệu đồng");
  });

  it("joins a heading cut by a page break for its label (Bạch Thông IV.4)", () => {
    const sections = parseSections(plan("bach-thong-2023"));
    const label = sections.find((s) => s.path.at(-1)?.startsWith("4. Nguồn vốn thực hiện"))?.path.at(-1);
    expect(label).toContain("(chính sách hỗ trợ về y tế");
  });

  it("treats a document without any heading as one section", () => {
    expect(parseSections("Một đoạn văn.\n\nĐoạn thứ hai.")).toMatchObject([{ kind: "preamble", path: [] }]);
  });
});

describe("logicalParagraphs", () => {
  it("joins a sentence cut by a page break (Thái Bình III.2)", () => {
    const text =
      "Lồng ghép và thực hiện có hiệu quả nguồn lực hướng vào mục tiêu giảm nghèo\n\nbền vững. Ưu tiên tập trung các hoạt động.";
    expect(logicalParagraphs(text)).toEqual([
      "Lồng ghép và thực hiện có hiệu quả nguồn lực hướng vào mục tiêu giảm nghèo bền vững. Ưu tiên tập trung các hoạt động.",
    ]);
  });

  it("joins a list item continued after blank lines with a capitalised word (Bạch Thông VI.1)", () => {
    const text =
      "- Xây dựng phương án chi tiết phân bổ nguồn vốn đầu tư, sự nghiệp thực hiện\n\n\n\nChương trình giảm nghèo trên địa bàn huyện;\n\n- Chủ trì phối hợp";
    expect(logicalParagraphs(text)).toEqual([
      "- Xây dựng phương án chi tiết phân bổ nguồn vốn đầu tư, sự nghiệp thực hiện Chương trình giảm nghèo trên địa bàn huyện;",
      "- Chủ trì phối hợp",
    ]);
  });

  it("keeps a heading and its first paragraph apart, and list items apart", () => {
    expect(logicalParagraphs("1. Mục đích\n\nTập trung lãnh đạo")).toEqual([
      "1. Mục đích",
      "Tập trung lãnh đạo",
    ]);
    expect(logicalParagraphs("- Cấp ủy, chính quyền các cấp\n- Việc tổ chức thực hiện")).toHaveLength(2);
  });
});

describe("splitSentences and stripMarkup", () => {
  it("splits at sentence ends but keeps numbers, dates and numbering whole", () => {
    expect(
      splitSentences(
        "11. Chi nhánh Ngân hàng: Hàng năm phối hợp. Báo cáo trước ngày 10/12. Vốn 1.461 triệu đồng.",
      ),
    ).toEqual([
      "11. Chi nhánh Ngân hàng: Hàng năm phối hợp.",
      "Báo cáo trước ngày 10/12.",
      "Vốn 1.461 triệu đồng.",
    ]);
  });
  it("removes Markdown markup only", () => {
    expect(stripMarkup("#### ***1.4. Hỗ trợ về nước sạch.***")).toBe("1.4. Hỗ trợ về nước sạch.");
    expect(stripMarkup('Quỹ "*Vì người nghèo*" thành phố')).toBe('Quỹ "Vì người nghèo" thành phố');
  });
});
