import { describe, expect, it } from "vitest";
import { loadPolicyKnowledge } from "../knowledge/policy-load.ts";
import { indicatorsOn } from "../answers/quick-household.ts";
import { readCarriedHousehold, readCheckForm, type CheckFormContext } from "./check-form.ts";

const policy = loadPolicyKnowledge();
const context: CheckFormContext = {
  today: "2026-03-01",
  indicators: (date) => indicatorsOn(policy, date),
  provinces: policy.provinces.map((province) => province.info.name),
  indicatorIds: policy.indicatorIds,
};

describe("the console's household form", () => {
  it("reads the fields into the scorer's input, with expert mode's words for money and members", () => {
    const read = readCheckForm(
      {
        khu_vuc: "rural",
        so_nguoi: "4",
        danh_sach: "none",
        thu_nhap: "5tr6",
        thu_nhap_theo: "household",
        thieu_da_hoi: "yes",
        thieu: ["health_insurance", "not-an-indicator"],
        agricultural: "yes",
        inPoorCommune: "no",
        thanh_vien: "con học ĐH, ông 72 tuổi",
        ten: "Nguyễn Thị Lan",
      },
      context,
    );
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.value.household).toMatchObject({
      assessedOn: "2026-03-01",
      area: "rural",
      members: 4,
      listedStatus: "none",
      monthlyIncome: 5_600_000,
      deprivations: ["health_insurance"],
      agricultural: true,
      inPoorCommune: false,
    });
    expect(read.value.household.persons).toHaveLength(2);
    expect(read.value.household.persons?.map((person) => person.education ?? null)).toContain("university");
    expect(read.value.residentName).toBe("Nguyễn Thị Lan");
  });

  it("leaves unknown what was not asked, and takes income per person when said so", () => {
    const read = readCheckForm(
      { khu_vuc: "urban", so_nguoi: "3", thu_nhap: "1tr2", thu_nhap_theo: "person" },
      context,
    );
    expect(read.ok && read.value.household).toEqual({
      assessedOn: "2026-03-01",
      area: "urban",
      members: 3,
      incomePerPerson: 1_200_000,
    });
  });

  it("reads a whole line as /nhanh does, and ignores the fields then", () => {
    const read = readCheckForm(
      {
        dong: "nông thôn, 4 người, thu nhập 5tr6/tháng, thiếu: bhyt, nhà tiêu; chưa có trong ds",
        so_nguoi: "9",
      },
      context,
    );
    expect(read.ok && read.value.household).toMatchObject({
      members: 4,
      monthlyIncome: 5_600_000,
      listedStatus: "none",
    });
  });

  it("names each problem in Vietnamese", () => {
    const read = readCheckForm({ so_nguoi: "bốn mươi", thu_nhap: "nhiều lắm", ngay: "hôm qua" }, context);
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.error).toEqual([
      "Chọn khu vực sống: nông thôn hoặc thành thị.",
      "Ghi số người trong hộ bằng số, từ 1 đến 50.",
      "Ngày đánh giá chưa đúng dạng ngày.",
      "Chưa đọc được thu nhập. Ghi ví dụ 5tr6, 5.600.000 hoặc “60 triệu/năm”.",
    ]);
  });

  it("validates a household carried back by the summary buttons again", () => {
    expect(readCarriedHousehold('{"area":"rural","members":2}', policy.indicatorIds).ok).toBe(true);
    const bad = readCarriedHousehold('{"area":"moon","members":-1}', policy.indicatorIds);
    expect(bad.ok).toBe(false);
    expect(readCarriedHousehold("not json", policy.indicatorIds).ok).toBe(false);
  });
});
