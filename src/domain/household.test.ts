import { describe, expect, it } from "vitest";
import { parseHousehold, type FieldProblem } from "./household.ts";

const indicatorIds = new Set(["housing_area", "water_source", "hygienic_latrine"]);

function problems(raw: unknown): FieldProblem[] {
  const result = parseHousehold(raw, { indicatorIds });
  if (result.ok) throw new Error("expected the input to be rejected");
  return result.error;
}

describe("parseHousehold", () => {
  it("accepts a minimal household and keeps optional fields out", () => {
    const result = parseHousehold({ area: "rural", members: 4 });
    expect(result).toEqual({ ok: true, value: { area: "rural", members: 4 } });
  });

  it("accepts every documented field", () => {
    const raw = {
      assessedOn: "2026-03-01",
      area: "urban",
      members: 3,
      monthlyIncome: 6_000_000,
      incomePerPerson: 2_000_000,
      deprivations: ["housing_area"],
      deprivationCount: 1,
      listedStatus: "near_poor",
      leftListOn: "2024-01-15",
      agricultural: false,
      inPoorCommune: true,
      inEthnicMinorityArea: false,
      inDifficultArea: false,
      inExtremelyDifficultArea: false,
      needsWaterSupply: false,
      needsSanitation: true,
      province: "Thái Bình",
      persons: [
        { age: 8, ethnicMinority: true, education: "primary", publicSchool: true, disability: false },
        { age: 40, education: null },
      ],
    };
    expect(parseHousehold(raw, { indicatorIds })).toEqual({ ok: true, value: raw });
  });

  it.each([
    [{ members: 4 }, "area", /Trường "area" \(khu vực sống\) bắt buộc phải có/],
    [{ area: "rural" }, "members", /Trường "members" \(số người trong hộ\) bắt buộc phải có/],
    [{ area: "rural", members: 0 }, "members", /phải từ 1 đến 50 người, bạn nhập 0/],
    [{ area: "rural", members: 2.5 }, "members", /phải là số nguyên, bạn nhập 2.5/],
    [{ area: "rural", members: "4" }, "members", /phải là một số, bạn nhập "4"/],
    [{ area: "city", members: 4 }, "area", /"rural" \(nông thôn\) hoặc "urban"/],
    [
      { area: "rural", members: 4, monthlyIncome: -1 },
      "monthlyIncome",
      /phải từ 0 đến 10.000.000.000 đồng, bạn nhập -1/,
    ],
    [{ area: "rural", members: 4, incomePerPerson: 5e9 }, "incomePerPerson", /số quá lớn, hãy kiểm tra lại/],
    [
      { area: "rural", members: 4, assessedOn: "2026-02-30" },
      "assessedOn",
      /một ngày có thật dạng "YYYY-MM-DD"/,
    ],
    [{ area: "rural", members: 4, assessedOn: "1/3/2026" }, "assessedOn", /một ngày có thật/],
    [{ area: "rural", members: 4, leftListOn: 20230601 }, "leftListOn", /phải là ngày dạng "YYYY-MM-DD"/],
    [{ area: "rural", members: 4, listedStatus: "ngheo" }, "listedStatus", /"poor" \(hộ nghèo\)/],
    [
      { area: "rural", members: 4, deprivations: ["water_sorce"] },
      "deprivations[0]",
      /mã chỉ số "water_sorce" không có trong danh sách chỉ số thiếu hụt \(có phải "water_source"\?\)/,
    ],
    [
      { area: "rural", members: 4, deprivations: "water_source" },
      "deprivations",
      /phải là một danh sách mã chỉ số/,
    ],
    [{ area: "rural", members: 4, deprivationCount: 25 }, "deprivationCount", /phải từ 0 đến 20 chỉ số/],
    [
      { area: "rural", members: 4, agricultural: "có" },
      "agricultural",
      /phải là true \(có\) hoặc false \(không\)/,
    ],
    [
      { area: "rural", members: 4, persons: [{ ethnicMinority: true }] },
      "persons[0].age",
      /Trường "persons\[0\]\.age" \(tuổi\) bắt buộc phải có, trừ khi có "education"/,
    ],
    [
      { area: "rural", members: 4, persons: [{ age: 10, education: "grade5" }] },
      "persons[0].education",
      /"preschool", "primary"/,
    ],
    [
      { area: "rural", members: 4, memebers: 3 },
      "memebers",
      /Trường "memebers" không có trong dữ liệu hộ gia đình \(có phải bạn muốn viết "members"\?\)/,
    ],
    [
      { area: "rural", members: 4, persons: [{ age: 10, ethnic: true }] },
      "persons[0].ethnic",
      /có phải bạn muốn viết "ethnicMinority"\?/,
    ],
  ])("rejects %j naming %s", (raw, field, message) => {
    const found = problems(raw);
    const problem = found.find((candidate) => candidate.field === field);
    expect(problem, JSON.stringify(found)).toBeDefined();
    expect(problem!.message).toMatch(message);
  });

  it("rejects a value nested too deep with a problem, not a stack overflow", () => {
    let members: unknown = 1;
    for (let i = 0; i < 100_000; i++) members = [members];
    const parsed = parseHousehold({ area: "rural", members });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error[0]!.message).toContain("lồng nhau quá sâu");
  });

  it("says an income too large to be a number is too large, not null", () => {
    const parsed = parseHousehold({ area: "rural", members: 2, monthlyIncome: Infinity });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error[0]!.message).toContain("bạn nhập một số quá lớn");
      expect(parsed.error[0]!.message).not.toContain("null");
    }
  });

  it("rejects input that is not an object", () => {
    for (const raw of [null, 42, "hộ nghèo", [1, 2]]) {
      expect(problems(raw)[0]!.message).toMatch(/^Dữ liệu hộ gia đình phải là một đối tượng JSON/);
    }
  });

  it("reports every bad field at once", () => {
    const found = problems({ area: "town", members: 0, monthlyIncome: -5 });
    expect(found.map((problem) => problem.field).sort()).toEqual(["area", "members", "monthlyIncome"]);
  });

  it.each([
    [
      { area: "rural", members: 2, persons: [{ age: 1 }, { age: 2 }, { age: 3 }] },
      "persons",
      /có 3 người, nhiều hơn số người trong hộ/,
    ],
    [
      { area: "rural", members: 2, deprivations: ["housing_area"], deprivationCount: 2 },
      "deprivationCount",
      /chỉ cần nhập một trong hai/,
    ],
    [
      { area: "rural", members: 2, deprivations: ["housing_area", "housing_area"] },
      "deprivations[1]",
      /lặp lại chỉ số "housing_area"/,
    ],
    [
      { area: "rural", members: 2, monthlyIncome: 4_000_000, incomePerPerson: 1_000_000 },
      "incomePerPerson",
      /monthlyIncome \/ members = 2000000/,
    ],
    [
      { area: "rural", members: 2, assessedOn: "2026-01-01", leftListOn: "2026-05-01" },
      "leftListOn",
      /sau ngày đánh giá/,
    ],
    [
      { area: "rural", members: 2, persons: [{ age: 30, publicSchool: true }] },
      "persons[0].publicSchool",
      /chỉ dùng cho người đang đi học/,
    ],
  ])("checks fields against each other: %j", (raw, field, message) => {
    const problem = problems(raw).find((candidate) => candidate.field === field);
    expect(problem).toBeDefined();
    expect(problem!.message).toMatch(message);
  });

  it("accepts a student without an age (the level implies it) and a household that has not left the list", () => {
    const raw = {
      area: "rural",
      members: 3,
      leftListOn: null,
      persons: [{ education: "primary", publicSchool: true }],
    };
    expect(parseHousehold(raw)).toEqual({ ok: true, value: raw });
  });

  it("accepts any indicator id when no list is given (the scorer then counts only the standard's own)", () => {
    expect(parseHousehold({ area: "rural", members: 1, deprivations: ["something_new"] }).ok).toBe(true);
  });
});
