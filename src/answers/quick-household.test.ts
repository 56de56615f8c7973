/**
 * Expert mode: one line as staff type it → the scorer's household input, with what was assumed or not read.
 * Each phrasing is its own test; every household read must also pass the scorer's own validation and decide.
 */
import { describe, expect, it } from "vitest";
import { decide } from "../domain/eligibility.ts";
import { parseHousehold, type HouseholdInput } from "../domain/household.ts";
import { loadPolicyKnowledge } from "../knowledge/policy-load.ts";
import { indicatorsOn, parseQuickHousehold, renderQuickNotes, type QuickContext } from "./quick-household.ts";

const policy = loadPolicyKnowledge();
const context: QuickContext = {
  today: "2026-03-01",
  indicators: (date) => indicatorsOn(policy, date),
  provinces: ["Thái Bình", "Hưng Yên"],
};

interface Expect {
  /** Partial household expected (toMatchObject). */
  is: Record<string, unknown>;
  /** Fields that must be absent. */
  absent?: (keyof HouseholdInput)[];
  /** Patterns each matched by some "assumed" note. */
  assumed?: RegExp[];
  /** Patterns each matched by some "unread" or "ignored" note; without it there must be none. */
  unread?: RegExp[];
}

const BASE = { assessedOn: "2026-03-01" };
const UNI = { education: "university" };

/** Phrasings written the way commune staff type them. */
const CASES: [string, Expect][] = [
  // Elders and adults named the way staff say them.
  [
    "3 người, thành thị, tn 4tr5, có cụ 80 tuổi, chị 35t khuyết tật",
    {
      is: {
        ...BASE,
        area: "urban",
        members: 3,
        monthlyIncome: 4_500_000,
        persons: [{ age: 80 }, { age: 35, disability: true }],
      },
      assumed: [/cả hộ/],
    },
  ],
  // The example of the expert-mode help, with and without diacritics.
  [
    "nông thôn, 4 người, thu nhập 5tr6/tháng, thiếu: bhyt, nhà tiêu, nhà ở; chưa có trong danh sách; con học ĐH",
    {
      is: {
        ...BASE,
        area: "rural",
        members: 4,
        monthlyIncome: 5_600_000,
        listedStatus: "none",
        deprivations: ["health_insurance", "hygienic_latrine", "housing_quality"],
        persons: [{ age: 20, ...UNI }],
      },
      assumed: [
        /cả hộ \(khoảng 1\.400\.000 đ\/người\/tháng\)/,
        /“nhà ở” hiểu là thiếu về chất lượng nhà ở/,
        /đại học: 20 tuổi/,
      ],
    },
  ],
  [
    "nong thon, 4 nguoi, thu nhap 5tr6/thang, thieu: bhyt, nha tieu, nha o; chua co trong danh sach; con hoc DH",
    {
      is: {
        area: "rural",
        members: 4,
        monthlyIncome: 5_600_000,
        listedStatus: "none",
        deprivations: ["health_insurance", "hygienic_latrine", "housing_quality"],
        persons: [UNI],
      },
    },
  ],
  // Without any comma.
  [
    "4 nguoi nt tn 5tr6 thieu bhyt nha tieu chua co trong ds",
    {
      is: {
        area: "rural",
        members: 4,
        monthlyIncome: 5_600_000,
        deprivations: ["health_insurance", "hygienic_latrine"],
        listedStatus: "none",
      },
    },
  ],
  // Abbreviations: nt/tt, hn/hcn, nk, tnbq, ng.
  [
    "nt 4ng tn 1tr2/ng hn",
    {
      is: { area: "rural", members: 4, incomePerPerson: 1_200_000, listedStatus: "poor" },
      absent: ["monthlyIncome"],
    },
  ],
  [
    "hn 5 nk nt",
    {
      is: { area: "rural", members: 5, listedStatus: "poor" },
      assumed: [/“hn” hiểu là hộ đang có tên trong danh sách hộ nghèo/],
    },
  ],
  [
    "hcn, tt, 3 nk, tnbq 1.800.000đ",
    { is: { area: "urban", members: 3, listedStatus: "near_poor", incomePerPerson: 1_800_000 } },
  ],
  [
    "HCN - 4 người - NT - TN 4tr/tháng",
    { is: { area: "rural", members: 4, listedStatus: "near_poor", monthlyIncome: 4_000_000 } },
  ],
  ["nt/4ng/hn", { is: { area: "rural", members: 4, listedStatus: "poor" } }],
  [
    "hn,4ng,nt,con hoc dh,dtts",
    { is: { members: 4, listedStatus: "poor", persons: [{ ...UNI, ethnicMinority: true }] } },
  ],
  [
    "4ng nt hcn tn 3tr5 thieu 1",
    { is: { members: 4, listedStatus: "near_poor", monthlyIncome: 3_500_000, deprivationCount: 1 } },
  ],
  [
    "Hộ cận nghèo, 4 nhân khẩu, thành thị, TNBQ 1,9 triệu",
    { is: { listedStatus: "near_poor", members: 4, area: "urban", incomePerPerson: 1_900_000 } },
  ],
  ["hộ nghèo, 6 người, thành thị", { is: { listedStatus: "poor", members: 6, area: "urban" } }],
  ["ho can ngheo 3 nguoi nong thon", { is: { listedStatus: "near_poor", members: 3, area: "rural" } }],
  // Different orders.
  [
    "5 người nông thôn thu nhập ba triệu rưỡi một tháng",
    { is: { members: 5, area: "rural", monthlyIncome: 3_500_000 } },
  ],
  [
    "thu nhập 5tr6/tháng, con học ĐH, 4 người, nông thôn, chưa có trong danh sách",
    { is: { members: 4, monthlyIncome: 5_600_000, listedStatus: "none", persons: [UNI] } },
  ],
  [
    "chưa có trong ds, thiếu bhyt và nước sạch, tt, 3 người, tn 5tr",
    {
      is: {
        listedStatus: "none",
        deprivations: ["health_insurance", "water_source"],
        area: "urban",
        members: 3,
        monthlyIncome: 5_000_000,
      },
    },
  ],
  [
    "con học lớp 5, hn, 4 người, nt",
    { is: { persons: [{ education: "primary", age: 10 }], listedStatus: "poor", members: 4 } },
  ],
  // Per person vs household income, periods.
  [
    "4 người, tt, thu nhập bình quân 2tr1/người/tháng, không thiếu gì",
    { is: { incomePerPerson: 2_100_000, deprivationCount: 0 }, absent: ["monthlyIncome"] },
  ],
  [
    "4 nguoi, thanh thi, tn 8 trieu/thang ca ho, thieu 1 chi so",
    { is: { monthlyIncome: 8_000_000, deprivationCount: 1 } },
  ],
  ["4 nguoi, nt, thu nhap 1500k/nguoi", { is: { incomePerPerson: 1_500_000 } }],
  ["4 người, nt, tn 800k/người", { is: { incomePerPerson: 800_000 } }],
  [
    "đã thoát nghèo 3/2024, 5 người, xã, thu nhập 60 triệu/năm, thiếu 2 chỉ số",
    {
      is: {
        leftListOn: "2024-03-31",
        listedStatus: "none",
        members: 5,
        area: "rural",
        monthlyIncome: 5_000_000,
        deprivationCount: 2,
      },
      assumed: [/60\.000\.000 đ một năm tính ra 5\.000\.000 đ mỗi tháng/, /31\/03\/2024 \(cuối tháng/],
    },
  ],
  ["4 người nt, tn 20tr/năm/hộ", { is: { monthlyIncome: 1_666_667 } }],
  [
    "4 người; nông thôn; TN: 6.000.000 đ/tháng; thiếu: BHYT + nước sạch",
    { is: { monthlyIncome: 6_000_000, deprivations: ["health_insurance", "water_source"] } },
  ],
  [
    "4 người, thu nhập tầm 6 triệu",
    { is: { monthlyIncome: 6_000_000, area: "rural" }, assumed: [/tạm tính là nông thôn/] },
  ],
  ["4 người, nt, tn 5", { is: { monthlyIncome: 5_000_000 }, assumed: [/“5” hiểu là 5\.000\.000 đ/] }],
  [
    "4 người, nt, thu nhập 4,5tr, hộ làm nông, hcn",
    { is: { monthlyIncome: 4_500_000, agricultural: true, listedStatus: "near_poor" } },
  ],
  ["nt 4 nguoi thu nhap 3 trieu 200", { is: { monthlyIncome: 3_200_000 } }],
  ["không có thu nhập, 2 người, nt, hn", { is: { monthlyIncome: 0, members: 2, listedStatus: "poor" } }],
  ["4 ng nt tn 0", { is: { monthlyIncome: 0 } }],
  [
    "3 người, nt, thu nhập không rõ, hcn",
    {
      is: { members: 3, listedStatus: "near_poor" },
      absent: ["monthlyIncome", "incomePerPerson"],
      unread: [/Thu nhập chưa rõ/],
    },
  ],
  // Leaving the list.
  ["thoát cận nghèo tháng 6/2023, 4 người, nt", { is: { leftListOn: "2023-06-30", listedStatus: "none" } }],
  ["mới thoát nghèo năm 2024, 3 người", { is: { leftListOn: "2024-12-31" }, assumed: [/cuối năm/] }],
  ["moi thoat ngheo 15/8/2024, 3 ng, tt", { is: { leftListOn: "2024-08-15", members: 3, area: "urban" } }],
  [
    "thoát nghèo 3/2024 nhưng vẫn hcn, 4 người",
    { is: { leftListOn: "2024-03-31", listedStatus: "near_poor" } },
  ],
  [
    "hộ mới thoát nghèo, 4 người, nt",
    { is: { listedStatus: "none" }, absent: ["leftListOn"], unread: [/Chưa có tháng\/năm thoát nghèo/] },
  ],
  // The list.
  ["4 người, tt, không rõ có trong danh sách không", { is: { listedStatus: "unknown" } }],
  ["4 người, nt, không phải hộ nghèo hay cận nghèo", { is: { listedStatus: "none" } }],
  [
    "4 người, nt, thu nhập 10 triệu, không có trong danh sách, làm ruộng",
    { is: { listedStatus: "none", agricultural: true, monthlyIncome: 10_000_000 } },
  ],
  // Deprivations.
  [
    "hộ 2 người, nông thôn, thu nhập 2.500.000đ, thiếu nước sạch và nhà vệ sinh",
    { is: { members: 2, monthlyIncome: 2_500_000, deprivations: ["water_source", "hygienic_latrine"] } },
  ],
  [
    "3 người, xã, tn 3tr5, thiếu: việc làm, bhyt, dinh dưỡng",
    { is: { deprivations: ["employment", "health_insurance", "nutrition"] } },
  ],
  ["4 người, nông thôn, thiếu: nhà chật, nước", { is: { deprivations: ["housing_area", "water_source"] } }],
  ["4 người, nt, thiếu 3", { is: { deprivationCount: 3 }, absent: ["deprivations"] }],
  [
    "4 người, nt, thiếu hụt 4 chỉ số, tn 1tr4/người",
    { is: { deprivationCount: 4, incomePerPerson: 1_400_000 } },
  ],
  [
    "ho ngheo 7 nguoi vung dtts thieu nuoc sach, nha tam, bhyt",
    {
      is: {
        members: 7,
        inEthnicMinorityArea: true,
        deprivations: ["water_source", "housing_quality", "health_insurance"],
      },
    },
  ],
  ["4 người, nt, không có bhyt, nhà tạm", { is: { deprivations: ["health_insurance", "housing_quality"] } }],
  [
    "4 nguoi, nt, thieu: rac thai, bhyt",
    {
      is: { deprivations: ["health_insurance"] },
      unread: [/“rac thai” không phải chỉ số thiếu hụt của chuẩn nghèo đang áp dụng/],
    },
  ],
  // Several children at different levels, schools, ages.
  [
    "hcn, tt, 3 nk, tnbq 1.800.000đ, 2 con: 1 cấp 2, 1 ĐH công lập, dtts",
    {
      is: {
        persons: [
          { education: "lower_secondary", age: 13, ethnicMinority: true },
          { ...UNI, publicSchool: true, ethnicMinority: true },
        ],
      },
      assumed: [/Dân tộc thiểu số hiểu là của cả 2 người đã mô tả/],
    },
  ],
  [
    "hn, 4 người, con lớp 5 và lớp 10",
    {
      is: {
        persons: [
          { education: "primary", age: 10 },
          { education: "upper_secondary", age: 15 },
        ],
      },
    },
  ],
  [
    "hcn 4 người 2 con đi học: lớp 3, lớp 8",
    { is: { persons: [{ education: "primary" }, { education: "lower_secondary" }] } },
  ],
  [
    "hộ nghèo, 4 người, xã, 2 con: lớp 1 và lớp 7, trường công",
    {
      is: {
        persons: [
          { education: "primary", publicSchool: true },
          { education: "lower_secondary", publicSchool: true },
        ],
      },
    },
  ],
  ["nt, 5 người, 2 sv", { is: { persons: [UNI, UNI] } }],
  ["nt, 5 nguoi, co 1 chau hoc mau giao", { is: { persons: [{ education: "preschool", age: 4 }] } }],
  [
    "4 người, tt, hcn, con học cao đẳng tư thục",
    { is: { persons: [{ education: "college", publicSchool: false }] } },
  ],
  ["4 người nt hn con học trung cấp nghề", { is: { persons: [{ education: "vocational" }] } }],
  [
    "hn, 4 người, tn 5tr6, 2 con đi học cấp 1",
    { is: { persons: [{ education: "primary" }, { education: "primary" }] } },
  ],
  [
    "tt 3 người hcn tn 2tr/ng con 17t học lớp 11",
    { is: { persons: [{ age: 17, education: "upper_secondary" }], incomePerPerson: 2_000_000 } },
  ],
  [
    "nông thôn, 4 người, hộ nghèo, con học đại học và con học lớp 9",
    { is: { persons: [UNI, { education: "lower_secondary" }] } },
  ],
  ["4 người, ông 72 tuổi, nt, hn", { is: { persons: [{ age: 72 }] } }],
  ["3 người, bé 4 tuổi, hcn, tt", { is: { persons: [{ age: 4 }] } }],
  ["4 người, con 10 tuổi khuyết tật, hn", { is: { persons: [{ age: 10, disability: true }] } }],
  ["1 người, nt, hn, người cao tuổi 75 tuổi", { is: { members: 1, persons: [{ age: 75 }] } }],
  ["hộ độc thân, hn, nt, 70 tuổi", { is: { members: 1, persons: [{ age: 70 }] } }],
  // Ethnic minority, areas, communes.
  [
    "hộ 4 người dân tộc Tày, nt, hn, 1 con THPT",
    { is: { persons: [{ education: "upper_secondary", ethnicMinority: true }] } },
  ],
  [
    "dtts, 3 người, xã ĐBKK, hn, 1 hs cấp 1",
    {
      is: {
        inExtremelyDifficultArea: true,
        inDifficultArea: true,
        persons: [{ education: "primary", ethnicMinority: true }],
      },
    },
  ],
  ["5 người, xã nghèo, hcn", { is: { inPoorCommune: true, listedStatus: "near_poor" } }],
  ["làm nông, 4 người, nt, tn 9tr/tháng", { is: { agricultural: true, monthlyIncome: 9_000_000 } }],
  [
    "4 người, nt, dtts",
    { is: { members: 4 }, absent: ["persons"], unread: [/chưa có thành viên nào được mô tả/] },
  ],
  // Province, dates.
  ["2 người, sống ở Thái Bình, hcn", { is: { province: "Thái Bình", members: 2 } }],
  ["hcn, 4 người, tỉnh Hưng Yên, tt", { is: { province: "Hưng Yên", area: "urban" } }],
  [
    "4 người, nt, đánh giá ngày 15/1/2027, tn 8tr, thiếu: rác thải, bhyt",
    { is: { assessedOn: "2027-01-15", deprivations: ["waste_treatment", "health_insurance"] } },
  ],
  // What cannot be read, and contradictions.
  ["4 người, nt, hn, abc xyz", { is: { listedStatus: "poor" }, unread: [/Chưa đọc được: “abc xyz”/] }],
  ["hn 4ng nt, sdt 0912345678", { is: { members: 4 }, unread: [/Chưa đọc được: “sdt \[số\]”/] }],
  [
    "4 người, nt, thu nhập 2 triệu/người/tháng, thiếu nhà tạm bợ",
    { is: { incomePerPerson: 2_000_000, deprivations: ["housing_quality"] } },
  ],
  [
    "hn, hcn, 4 người",
    { is: { members: 4 }, absent: ["listedStatus"], unread: [/Tình trạng danh sách mâu thuẫn/] },
  ],
  [
    "nt, tt, 4 người",
    { is: { members: 4, area: "rural" }, unread: [/Khu vực mâu thuẫn/], assumed: [/tạm tính là nông thôn/] },
  ],
  [
    "2 người, hn, 3 con: lớp 1, lớp 2, lớp 3",
    { is: { members: 3 }, assumed: [/Mô tả 3 thành viên nhưng hộ ghi 2 người/] },
  ],
];

describe("expert mode: one line", () => {
  it("is tested on at least 50 phrasings", () => expect(CASES.length).toBeGreaterThanOrEqual(50));

  it.each(CASES)("%s", (line, expected) => {
    const parsed = parseQuickHousehold(line, context);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const { household, notes } = parsed.value;
    expect(household).toMatchObject(expected.is);
    for (const field of expected.absent ?? []) expect(household, field).not.toHaveProperty(field);
    const assumed = notes.filter((note) => note.kind === "assumed").map((note) => note.text);
    const unread = notes.filter((note) => note.kind !== "assumed").map((note) => note.text);
    for (const pattern of expected.assumed ?? [])
      expect(
        assumed.some((text) => pattern.test(text)),
        `${pattern} in ${assumed.join(" | ")}`,
      ).toBe(true);
    if (expected.unread) {
      for (const pattern of expected.unread)
        expect(
          unread.some((text) => pattern.test(text)),
          `${pattern} in ${unread.join(" | ")}`,
        ).toBe(true);
    } else expect(unread).toEqual([]);
    // What the reader produces is valid input for the scorer, which decides on it.
    const valid = parseHousehold(household, { indicatorIds: policy.indicatorIds });
    if (!valid.ok) throw new Error(valid.error.map((problem) => problem.message).join(" "));
    expect(decide(valid.value, policy).programs.length).toBeGreaterThan(0);
  });

  it("refuses a line without the number of people, saying how to write it", () => {
    const parsed = parseQuickHousehold("nt, hn, tn 3tr", context);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.message).toMatch(/Chưa có số người trong hộ\. Ghi thêm, ví dụ “4 người”/);
    expect(parseQuickHousehold("   ", context).ok).toBe(false);
    expect(parseQuickHousehold("/nhanh", context).ok).toBe(false);
    const tooMany = parseQuickHousehold("500 người nt", context);
    expect(!tooMany.ok && tooMany.error.notes.map((note) => note.text)).toEqual([
      "Số người “500 người” không hợp lệ: một hộ ghi từ 1 đến 50 người.",
    ]);
  });

  it("accepts the command word in front", () => {
    const parsed = parseQuickHousehold("/nhanh nt, 4 người, hn", context);
    expect(parsed.ok && parsed.value.household).toMatchObject({
      area: "rural",
      members: 4,
      listedStatus: "poor",
    });
  });

  it("lists the notes for the reply, assumptions first", () => {
    const parsed = parseQuickHousehold("4 người, tn 5tr6, abc", context);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const text = renderQuickNotes(parsed.value.notes);
    expect(text).toMatch(/^Đã giả định:\n• /);
    expect(text).toMatch(/Chưa đọc được hoặc không tính:\n• Chưa đọc được: “abc”\./);
    expect(renderQuickNotes([])).toMatch(/không phải giả định/);
  });
});
