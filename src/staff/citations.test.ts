import { describe, expect, it } from "vitest";
import { decide } from "../domain/eligibility.ts";
import type { Reference } from "../domain/policy.ts";
import { loadAreaChanges, loadCorpus, type PlanMetadata } from "../knowledge/load.ts";
import { loadPolicyKnowledge } from "../knowledge/policy-load.ts";
import { parseSections } from "../knowledge/structure.ts";
import {
  createCitationIndex,
  decisionCitations,
  documentReference,
  pinpoint,
  planCitation,
  planStatus,
  ruleCitation,
} from "./citations.ts";
import { outlineOf, sectionNumber } from "./plan-outline.ts";

const corpus = loadCorpus();
const areas = loadAreaChanges();
const policy = loadPolicyKnowledge();
const byId = new Map(corpus.documents.map((document) => [document.metadata.id, document.metadata]));
const meta = (id: string): PlanMetadata => byId.get(id)!;

describe("plan citations", () => {
  it("names the plan as legal texts do, with blanks shown as blanks", () => {
    expect(documentReference(meta("thai-binh-2017-2020"))).toBe(
      "Kế hoạch số 02/KH-UBND ngày 05/01/2017 của UBND tỉnh Thái Bình",
    );
    expect(documentReference(meta("tuyen-quang-city-2020"))).toBe(
      "Kế hoạch số .../KH-UBND (số để trống trong văn bản) ngày ... tháng 3 năm 2020 (ngày để trống trong văn bản) của UBND thành phố Tuyên Quang, tỉnh Tuyên Quang",
    );
    expect(documentReference(meta("bach-thong-2023"))).toMatch(
      /^Kế hoạch số \.\.\.\/KH-UBND \(số để trống trong văn bản\) ngày \.\.\. tháng 3 năm 2023 .* của UBND huyện Bạch Thông, tỉnh Bắc Kạn$/,
    );
    // No number printed at all: said so, and the subject identifies the plan.
    expect(documentReference(meta("nam-dinh-ct05-2030"))).toBe(
      "Kế hoạch (văn bản không ghi số và ngày ban hành) của UBND tỉnh Nam Định thực hiện Chỉ thị số 05-CT/TW ngày 23/6/2021 của Ban Bí thư về tăng cường sự lãnh đạo của Đảng đối với công tác giảm nghèo bền vững đến năm 2030",
    );
    expect(documentReference(meta("ba-ria-vung-tau-ct01-2017"))).toMatch(
      /^Kế hoạch \(văn bản không ghi số và ngày ban hành\) của UBND tỉnh Bà Rịa – Vũng Tàu triển khai Chỉ thị số 01\/CT-TTg/,
    );
  });

  it("pinpoints điểm, khoản and Mục from the heading path", () => {
    const path = [
      "IV. CÁC GIẢI PHÁP THỰC HIỆN",
      "1. Nhóm giải pháp hỗ trợ hộ nghèo thiếu hụt đa chiều được tiếp cận các dịch vụ xã hội cơ bản",
      "1.1. Chính sách hỗ trợ người nghèo/ hộ nghèo, người cận nghèo/ hộ cận nghèo về giáo dục đào tạo",
      "b. Hỗ trợ hộ nghèo về giáo dục",
    ];
    expect(planCitation(meta("thai-binh-2017-2020"), path)).toBe(
      "Theo điểm b khoản 1.1 Mục IV Kế hoạch số 02/KH-UBND ngày 05/01/2017 của UBND tỉnh Thái Bình",
    );
    expect(pinpoint(["IV. CÁC GIẢI PHÁP THỰC HIỆN", "1. Nhóm…", "1.2. Hỗ trợ về y tế"])).toBe(
      "khoản 1.2 Mục IV",
    );
    expect(pinpoint(["II. MỤC TIÊU CỤ THỂ", "2. Kết quả…", "a) Các kết quả và chỉ tiêu chủ yếu"])).toBe(
      "điểm a khoản 2 Mục II",
    );
    expect(pinpoint(["VI. TỔ CHỨC THỰC HIỆN"])).toBe("Mục VI");
    expect(pinpoint([])).toBe("phần mở đầu");
  });

  // Every section of every bundled plan, as the search returns it: the pinpoint agrees with the numbering,
  // the document part is the document's, and nothing is invented or left as "undefined".
  describe.each(corpus.documents.map((document) => [document.metadata.id, document] as const))(
    "%s",
    (_id, document) => {
      const reference = documentReference(document.metadata);
      const sections = parseSections(document.text).filter((section) => section.kind === "section");
      it("cites each of its sections", () => {
        expect(sections.length).toBeGreaterThan(10);
        for (const section of sections) {
          const citation = planCitation(document.metadata, section.path);
          expect(citation).toBe(`Theo ${pinpoint(section.path)} ${reference}`);
          expect(citation).not.toMatch(/undefined|null|NaN/);
          const number = sectionNumber(section.path);
          if (number.roman) expect(citation).toContain(`Mục ${number.roman} `);
          if (number.arabic) expect(citation).toContain(`khoản ${number.arabic} `);
          if (number.letter) expect(citation).toContain(`điểm ${number.letter} `);
        }
        // Every numbered heading of the outline is reachable and cited the same way.
        for (const section of outlineOf(document.text).sections) {
          expect(planCitation(document.metadata, section.path)).toContain(
            `${pinpoint(section.path)} ${reference}`,
          );
        }
      });
      it("never shows a number or a date the document does not have", () => {
        const { number, issuedOn } = document.metadata;
        if (number) expect(reference).toContain(`số ${number}`);
        else
          expect(reference).toMatch(/số \.\.\.\/KH-UBND \(số để trống trong văn bản\)|văn bản không ghi số/);
        if (issuedOn === null)
          expect(reference).toMatch(/không ghi số và ngày ban hành|không ghi ngày ban hành/);
        else if (issuedOn.length === 7) expect(reference).toContain("ngày ... tháng");
        if (!number) expect(reference.split(" của ")[0]).not.toMatch(/số \d/);
      });
    },
  );

  it("says whether the plan still runs and what became of its area", () => {
    expect(planStatus(meta("nam-dinh-ct05-2030"), areas, "2026-03-01")).toEqual([
      "Kế hoạch áp dụng cho giai đoạn 2021–2030, còn trong thời hạn.",
      "Từ ngày 1/7/2025, tỉnh Nam Định đã nhập vào tỉnh Ninh Bình.",
    ]);
    const thaiBinh = planStatus(meta("thai-binh-2017-2020"), areas, "2026-03-01");
    expect(thaiBinh[0]).toMatch(/đã hết thời hạn/);
    expect(thaiBinh[1]).toMatch(/Thái Bình đã nhập vào tỉnh Hưng Yên/);
    expect(planStatus(meta("thai-binh-2017-2020"), areas, "2018-06-01")).toEqual([
      "Kế hoạch áp dụng cho giai đoạn 2017–2020, còn trong thời hạn.",
    ]);
    expect(planStatus(meta("bach-thong-2023"), areas, "2026-03-01").join(" ")).toMatch(/không còn cấp huyện/);
  });
});

describe("rule citations", () => {
  const index = createCitationIndex(policy);
  const income: Reference = {
    instrument: "Nghị định 07/2021/NĐ-CP",
    article: "Điều 3 khoản 1 điểm a",
    date: "2021-01-27",
  };

  it("writes article, clause and point the legal way, with the date of issue and the period in force", () => {
    expect(ruleCitation(income)).toBe(
      "Nghị định 07/2021/NĐ-CP, Điều 3, khoản 1, điểm a (ban hành ngày 27/01/2021)",
    );
    expect(ruleCitation(income, { inForce: { from: "2022-01-01", to: "2026-12-31" } })).toBe(
      "Nghị định 07/2021/NĐ-CP, Điều 3, khoản 1, điểm a (ban hành ngày 27/01/2021; mức, điều kiện này áp dụng từ 01/01/2022 đến 31/12/2026)",
    );
    expect(
      ruleCitation({
        instrument: "Nghị định 07/2021/NĐ-CP",
        article: "Điều 3 (hộ nghèo)",
        date: "2021-01-27",
      }),
    ).toBe("Nghị định 07/2021/NĐ-CP, Điều 3 (hộ nghèo) (ban hành ngày 27/01/2021)");
  });

  it("says so when the data has no article or no date, rather than guessing", () => {
    expect(
      ruleCitation({ instrument: "Quyết định 24/2021/QĐ-TTg", article: "quy trình rà soát hộ nghèo" }),
    ).toBe(
      "Quyết định 24/2021/QĐ-TTg (về: quy trình rà soát hộ nghèo; chưa xác định điều, khoản) (chưa có ngày ban hành trong dữ liệu)",
    );
  });

  it("finds the period a reference applies over on a date, from the scorer's data", () => {
    const referenced = policy.parameters
      .get("poverty.income_line")!
      .values.find((v) => v.from === "2022-01-01")!.references[0]!;
    expect(index.inForceOn(referenced, "2023-05-01")).toEqual({ from: "2022-01-01", to: "2025-12-31" });
    expect(index.inForceOn(referenced, "2026-03-01")).toEqual({ from: "2026-01-01", to: "2026-12-31" });
    expect(index.inForceOn(referenced, "2019-03-01")).toBeNull();
  });

  it("gives every part of a real decision its citations, standard first", () => {
    const decision = decide(
      { area: "rural", members: 4, monthlyIncome: 5_000_000, deprivationCount: 3, assessedOn: "2026-03-01" },
      policy,
    );
    const groups = decisionCitations(decision, index, byId);
    expect(groups[0]!.scope).toBe("Chuẩn nghèo");
    expect(groups[0]!.lines.join("\n")).toMatch(
      /Nghị định 07\/2021\/NĐ-CP, Điều 3.*mức, điều kiện này áp dụng từ/,
    );
    expect(groups).toHaveLength(decision.programs.length + 1);
    for (const group of groups) {
      expect(group.lines.length, group.scope).toBeGreaterThan(0);
      for (const line of group.lines) expect(line).not.toMatch(/undefined|null/);
    }
  });

  it("cites a plan referenced by a province rule through the plan's own citation", () => {
    const line = ruleCitation(
      {
        instrument: "Kế hoạch 02/KH-UBND",
        article: "Phần IV, mục 1.2 Hỗ trợ về y tế",
        document: "thai-binh-2017-2020",
      },
      { plans: byId },
    );
    expect(line).toBe(
      "Kế hoạch số 02/KH-UBND ngày 05/01/2017 của UBND tỉnh Thái Bình, Phần IV, mục 1.2 Hỗ trợ về y tế",
    );
  });
});
