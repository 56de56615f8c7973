import { describe, expect, it } from "vitest";
import { decide } from "../domain/eligibility.ts";
import type { HouseholdInput } from "../domain/household.ts";
import { loadAreaChanges } from "../knowledge/load.ts";
import { loadPolicyKnowledge } from "../knowledge/policy-load.ts";
import {
  documentsToBring,
  escapeHtml,
  householdFacts,
  onRecord,
  renderCaseSummaryHtml,
  renderCaseSummaryText,
  renderDecisionText,
  unknownFacts,
} from "./case-summary.ts";
import { createCitationIndex, decisionCitations } from "./citations.ts";
import { indicatorsOn } from "../answers/quick-household.ts";
import { referralsFor } from "./referrals.ts";
import { loadReferrals } from "./referrals-load.ts";

const policy = loadPolicyKnowledge();
const areas = loadAreaChanges();
const household: HouseholdInput = {
  assessedOn: "2026-03-01",
  area: "rural",
  members: 4,
  monthlyIncome: 5_600_000,
  deprivations: ["health_insurance", "hygienic_latrine", "housing_quality"],
  listedStatus: "none",
  province: "Thái Bình",
  persons: [{ age: 20, education: "university" }],
};
const decision = decide(household, policy);
const labels = new Map(
  indicatorsOn(policy, "2026-03-01").map((indicator) => [indicator.id, indicator.label]),
);
const citations = decisionCitations(decision, createCitationIndex(policy));
const referrals = referralsFor(loadReferrals(), areas, {
  province: "Thái Bình",
  programmes: decision.programs,
});

describe("case summary", () => {
  it("reads the household back in plain words", () => {
    expect(householdFacts(household, labels)).toEqual([
      { label: "Khu vực", value: "nông thôn (xã)" },
      { label: "Số người trong hộ", value: "4" },
      { label: "Tỉnh, thành phố", value: "Thái Bình" },
      { label: "Danh sách của xã", value: "không có tên trong danh sách" },
      { label: "Thu nhập cả hộ", value: "5.600.000 đ/tháng" },
      { label: "Chỉ số thiếu hụt", value: "3: bảo hiểm y tế, nhà tiêu hợp vệ sinh, chất lượng nhà ở" },
      { label: "Thành viên 1", value: "20 tuổi, học đại học" },
    ]);
  });

  it("lists what is unknown and the papers to bring from the decision itself", () => {
    expect(unknownFacts(decision)).toEqual([...new Set(decision.missingFacts.map((fact) => fact.reason))]);
    expect(unknownFacts(decision).length).toBeGreaterThan(0);
    const documents = documentsToBring(decision);
    expect(
      documents.some((step) => /Giấy đề nghị rà soát hộ nghèo, hộ cận nghèo \(Mẫu số 01/.test(step)),
    ).toBe(true);
    expect(documents.some((step) => /giấy xác nhận của nhà trường/.test(step))).toBe(true);
  });

  it("counts an answer given as “không biết” among what is still unknown", () => {
    // The list status unknown leaves a programme open without a missing fact of its own.
    const unsure = decide(
      {
        assessedOn: "2026-12-02",
        area: "rural",
        members: 5,
        listedStatus: "unknown",
        monthlyIncome: 0,
        deprivations: ["employment"],
        inPoorCommune: false,
        persons: [],
      },
      policy,
    );
    expect(unsure.missingFacts).toEqual([]);
    expect(unknownFacts(unsure)).toEqual([
      expect.stringMatching(/^Vay vốn ưu đãi hộ mới thoát nghèo .*: .*chưa rõ hộ có tên trong danh sách/),
    ]);
  });

  it("renders the staff's decision text with every programme, its status and its citations", () => {
    const text = renderDecisionText(decision, { citations, referrals });
    expect(text).toMatch(/^KẾT QUẢ: hộ có thể thuộc diện hộ nghèo \(ước tính theo số liệu đã khai\)\./);
    expect(text).toContain(
      "Quy định áp dụng cho ngày đánh giá 01/03/2026: chuẩn nghèo đa chiều giai đoạn 2022–2025",
    );
    for (const program of decision.programs) expect(text).toContain(`${program.title}: `);
    expect(text).toMatch(
      /Căn cứ: Nghị định 07\/2021\/NĐ-CP, Điều 3, khoản 1, điểm a \(ban hành ngày 27\/01\/2021; mức, điều kiện này áp dụng từ 01\/01\/2026 đến 31\/12\/2026\)/,
    );
    expect(text).toContain("Còn thiếu thông tin:");
    expect(text).toContain("Ngân hàng Chính sách xã hội chi nhánh tỉnh Hưng Yên");
    expect(text).toMatch(/Chỉ UBND xã, phường công nhận hộ nghèo/);
    // Eligible and possible programmes come before those not eligible.
    const order = decision.programs
      .map((program) => ({ at: text.indexOf(`${program.title}: `), status: program.status }))
      .sort((a, b) => a.at - b.at)
      .map((entry) => entry.status);
    expect(order.indexOf("not_eligible")).toBeGreaterThan(order.lastIndexOf("eligible"));
  });

  it("says who declared what, not “bạn”: the summary goes into the commune's file", () => {
    const text = renderCaseSummaryText({
      decision,
      facts: householdFacts(household, labels),
      preparedOn: "2026-03-02",
    });
    const html = renderCaseSummaryHtml({
      decision,
      facts: householdFacts(household, labels),
      preparedOn: "2026-03-02",
    });
    // The scorer's own sentences speak to the person asking…
    expect(decision.classification.reasons.join(" ")).toMatch(/bạn (cung cấp|cho biết)/);
    for (const page of [text, html]) {
      expect(page).not.toMatch(/\bbạn (cung cấp|cho biết)|Bạn chưa rõ/);
      expect(page).toContain("Theo thông tin đã khai, hộ hiện không có tên trong danh sách");
    }
    expect(onRecord("Bạn chưa rõ hộ có tên trong danh sách của xã không.")).toBe(
      "Người khai chưa rõ hộ có tên trong danh sách của xã không.",
    );
  });

  it("names the resident only when the volunteer typed a name", () => {
    const without = renderCaseSummaryText({
      decision,
      facts: householdFacts(household, labels),
      preparedOn: "2026-03-02",
    });
    expect(without).toMatch(/^TÓM TẮT HỒ SƠ\nNgày lập: 02\/03\/2026/);
    expect(without).not.toContain("Người được hỗ trợ:");
    const named = renderCaseSummaryText({
      decision,
      facts: [],
      preparedOn: "2026-03-02",
      residentName: "  Nguyễn Thị Lan ",
    });
    expect(named).toContain("Người được hỗ trợ: Nguyễn Thị Lan\n");
    expect(named).toContain("Giấy tờ cần mang:");
    const htmlWithout = renderCaseSummaryHtml({
      decision,
      facts: householdFacts(household, labels),
      preparedOn: "2026-03-02",
    });
    expect(htmlWithout).not.toContain("Người được hỗ trợ:</strong>");
    expect(htmlWithout).toContain("<title>Tóm tắt hồ sơ — 02/03/2026</title>");
  });

  it("is a self-contained page, with everything typed escaped", () => {
    const html = renderCaseSummaryHtml({
      decision,
      facts: [{ label: "Ghi chú", value: "<script>alert(1)</script> & “ngoặc”" }],
      preparedOn: "2026-03-02",
      residentName: "Lan <b>",
      citations,
      referrals,
      rulesVersion: "abc123",
    });
    expect(html).toMatch(/^<!doctype html>\n<html lang="vi">/);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!www\.w3)/);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; “ngoặc”");
    expect(html).toContain("Lan &lt;b&gt;");
    expect(html).toContain("dữ liệu quy định: abc123");
    expect(escapeHtml(`a"b'c`)).toBe("a&quot;b&#39;c");
  });
});
