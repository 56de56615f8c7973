import { describe, expect, it } from "vitest";
import type { ProgramDecision } from "../domain/decision.ts";
import { withDisplay } from "../domain/kinds.ts";
import { loadPolicyKnowledge } from "../knowledge/policy-load.ts";
import { loadFlows } from "./load.ts";
import type { DecisionLike, ProgramDecisionLike } from "./ports.ts";
import {
  choicesOf,
  citation,
  describeAnswer,
  renderResult,
  renderSearchOutcome,
  resolveChoiceNumber,
} from "./render.ts";

const flows = loadFlows();
const eligibility = flows.flows.eligibility!;
const step = (id: string) => eligibility.steps[id]!;

const policy = loadPolicyKnowledge();

/** A programme's outcome as the scorer gives it (its details by kind among `extra`). */
const program = (
  id: string,
  status: ProgramDecisionLike["status"],
  extra: Record<string, unknown> = {},
): ProgramDecisionLike => ({
  id,
  status,
  reasons: [`Lý do của ${id}.`],
  references: [{ title: "NĐ 78/2002/NĐ-CP", article: "Điều 2", date: "2002-10-04" }],
  confirmed: true,
  nextSteps: [`Việc cần làm cho ${id}.`],
  ...extra,
});

/** A decision as the conversation gets it: each programme with how the chat shows it, from the data. */
const decision = (overrides: Partial<DecisionLike> = {}): DecisionLike =>
  withDisplay(
    rawDecision(overrides) as unknown as { programs: ProgramDecision[] },
    policy,
  ) as unknown as DecisionLike;

const rawDecision = (overrides: Partial<DecisionLike> = {}): DecisionLike => ({
  standard: { id: "vn_2022_2025", from: "2022-01-01", to: "2026-12-31" },
  classification: {
    category: "poor",
    basis: "estimated",
    incomePerPerson: 875_000,
    incomeLine: 1_500_000,
    deprivationCount: 3,
  },
  programs: [
    program("credit.near_poor_household", "not_eligible"),
    program("health_insurance", "possible", { supportPercent: 100 }),
    program("credit.poor_household", "eligible", {
      maxAmount: 100_000_000,
      interestRatePerYear: 6.24,
      termMonths: 120,
    }),
    program("credit.newly_escaped", "needs_info", { interestRatePerYear: null, confirmed: false }),
  ],
  missingFacts: [
    { fact: "leftListOn", reason: "Cần biết hộ có mới thoát nghèo không." },
    { fact: "persons", reason: "Cần biết trong hộ có ai đi học không." },
  ],
  ...overrides,
});

describe("renderResult", () => {
  const text = renderResult(flows.assistant, decision(), new Set(["leftListOn"]));

  it("starts with the category estimate and the figures it rests on", () => {
    expect(text).toContain("Theo chuẩn nghèo áp dụng từ 01/01/2022 đến 31/12/2026");
    expect(text).toContain("Thu nhập bình quân: 875.000 đ/người/tháng (chuẩn: 1.500.000 đ)");
    expect(text).toContain("Số chỉ số thiếu hụt: 3/12");
    expect(text).toContain(
      "Theo thông tin bạn cung cấp, hộ có thể thuộc diện hộ nghèo, nhưng chưa được UBND xã công nhận.",
    );
  });

  it("never says the household is poor, only that it may be or that the list says so", () => {
    expect(text).not.toMatch(/hộ (bạn )?là hộ nghèo/);
    const listed = renderResult(
      flows.assistant,
      decision({ classification: { category: "near_poor", basis: "listed" } }),
    );
    expect(listed).toContain("Theo bạn cho biết, hộ có tên trong danh sách hộ cận nghèo của xã.");
  });

  it("details what the household may get first, then one line for each undecided and refused programme", () => {
    // Within each part, the scorer's order (it lists the programmes that matter most first).
    const order = [
      "❔ Hỗ trợ tiền mua bảo hiểm y tế",
      "✅ Vay vốn hộ nghèo",
      "❔ Vay vốn hộ mới thoát nghèo",
      "❌ Vay vốn hộ cận nghèo",
    ].map((s) => text.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toContain(
      "Mức: vay tối đa 100.000.000 đ mỗi hộ · lãi suất 6,24%/năm · thời hạn tối đa 120 tháng",
    );
    expect(text).toContain("Vì: Lý do của credit.poor_household.");
    expect(text).toContain("Căn cứ: NĐ 78/2002/NĐ-CP, Điều 2 (04/10/2002)");
    expect(text).toContain("Làm gì: Việc cần làm cho credit.poor_household.");
    expect(text).not.toContain("Làm gì: Việc cần làm cho credit.near_poor_household.");
    expect(text).toContain(
      "❌ Vay vốn hộ cận nghèo (Ngân hàng Chính sách xã hội): Lý do của credit.near_poor_household. (NĐ 78/2002/NĐ-CP)",
    );
    expect(text).toContain("❔ Vay vốn hộ mới thoát nghèo (Ngân hàng Chính sách xã hội): Lý do của");
  });

  it("keeps the scorer's reasons short: no figures twice, no sentence twice, shared steps once", () => {
    const shared = "Đăng ký qua Tổ Tiết kiệm và vay vốn ở thôn.";
    const short = renderResult(
      flows.assistant,
      decision({
        classification: { category: "poor", basis: "listed" },
        programs: [
          program("credit.poor_household", "eligible", {
            maxAmount: 100_000_000,
            amountUnit: "per_household",
            interestRatePerYear: 6.24,
            termMonths: 120,
            reasons: [
              "Hộ có tên trong danh sách hộ nghèo của xã.",
              "Hộ nghèo được vay vốn ưu đãi.",
              "Mức vay tối đa: 100.000.000 đ mỗi hộ; lãi suất: 6,24%/năm.",
            ],
            nextSteps: [shared],
          }),
          program("credit.student", "eligible", {
            maxAmount: 4_000_000,
            amountUnit: "per_student_per_month",
            nextSteps: [shared, "Xin giấy xác nhận của nhà trường."],
          }),
          program("health_insurance", "eligible", {
            supportPercent: 100,
            reasons: [
              "Người thứ 1 (học tiểu học): Học sinh được hỗ trợ.",
              "Người thứ 2 (học đại học): Học sinh được hỗ trợ.",
            ],
            persons: [
              { personIndex: 0, supportPercent: 50 },
              { personIndex: 1, supportPercent: 50 },
            ],
            nextSteps: [shared],
          }),
        ],
      }),
    );
    expect(short).toContain("Mức: vay tối đa 100.000.000 đ mỗi hộ · lãi suất 6,24%/năm");
    expect(short).toContain("Vì: Hộ nghèo được vay vốn ưu đãi.\n");
    expect(short).not.toContain("Mức vay tối đa:");
    expect(short).toContain("vay tối đa 4.000.000 đ mỗi tháng cho mỗi người đi học");
    expect(short).toContain("Làm gì: Xin giấy xác nhận của nhà trường.");
    expect(short.match(/Đăng ký qua Tổ Tiết kiệm/g)).toHaveLength(1);
    expect(short).toContain("Làm gì: như ở mục trên.");
    expect(short).toContain("Nhà nước đóng toàn bộ tiền mua thẻ BHYT · người đi học thứ 1, 2: ít nhất 50%");
    expect(short).toContain(
      "Vì: Người thứ 1 (học tiểu học), người thứ 2 (học đại học): Học sinh được hỗ trợ.",
    );
  });

  it("carries the 'not confirmed' flag of the scorer through, naming what is not confirmed", () => {
    const unsure = renderResult(
      flows.assistant,
      decision({
        programs: [
          program("credit.job_creation", "eligible", {
            maxAmount: 200_000_000,
            amountUnit: "per_worker",
            interestRatePerYear: null,
            estimatedInterestRatePerYear: 7.92,
            confirmed: false,
            reasons: [
              "Người lao động có phương án được vay.",
              "Lãi suất cho vay hỗ trợ tạo việc làm: mức này chưa được xác nhận, hãy hỏi NHCSXH. Lý do: tự tính 127% × 6,24%.",
            ],
          }),
          program("credit.near_poor_household", "possible", { interestRatePerYear: null, confirmed: false }),
        ],
      }),
    );
    expect(unsure).toContain("lãi suất khoảng 7,92%/năm (chưa xác nhận)");
    expect(unsure).toContain(
      "⚠️ Chưa xác nhận chính thức: lãi suất cho vay hỗ trợ tạo việc làm. Hãy hỏi Ngân hàng Chính sách xã hội ở xã",
    );
    expect(unsure).not.toContain("tự tính");
    expect(unsure).toContain("lãi suất: chưa xác nhận");
    expect(unsure).toContain(
      "⚠️ Mức này chưa được xác nhận chính thức. Hãy hỏi Ngân hàng Chính sách xã hội ở xã",
    );
  });

  it("says what would make it surer, leaving out what was already asked", () => {
    expect(text).toContain("Cần biết trong hộ có ai đi học không.");
    expect(text).not.toContain("Cần biết hộ có mới thoát nghèo không.");
  });

  it("shows an unknown programme by its own title or id", () => {
    const other = renderResult(
      flows.assistant,
      decision({ programs: [program("legal_aid.special", "eligible", { title: "Trợ giúp đặc biệt" })] }),
    );
    expect(other).toContain("✅ Trợ giúp đặc biệt");
  });
});

describe("benefit lines and citations", () => {
  const benefitLine = (outcome: ProgramDecisionLike) =>
    decision({ programs: [outcome] }).programs[0]!.display?.benefit;

  it("renders tuition per person and the premium share", () => {
    expect(
      benefitLine(
        program("tuition", "eligible", {
          persons: [
            {
              personIndex: 0,
              exemption: "full",
              learningCostSupport: { amountPerMonth: 150_000, confirmed: true },
            },
            { personIndex: 1, exemption: "70" },
            {
              personIndex: 2,
              exemption: "full",
              learningCostSupport: {
                amountPerMonth: null,
                estimatedAmountPerMonth: 150_000,
                confirmed: false,
              },
            },
          ],
        }),
      ),
    ).toBe(
      "người đi học thứ 1: miễn học phí, hỗ trợ chi phí học tập 150.000 đ/tháng · người đi học thứ 2: giảm 70% học phí" +
        " · người đi học thứ 3: miễn học phí, hỗ trợ chi phí học tập khoảng 150.000 đ/tháng (chưa xác nhận)",
    );
    expect(benefitLine(program("health_insurance", "eligible", { supportPercent: 70 }))).toBe(
      "Nhà nước hỗ trợ ít nhất 70% tiền mua thẻ BHYT",
    );
    expect(benefitLine(program("x", "eligible"))).toBeUndefined();
  });

  it("cites an instrument with its article and date, whichever names it uses", () => {
    expect(citation({ instrument: "QĐ 2553/QĐ-TTg", date: "2025-11-21" })).toBe(
      "QĐ 2553/QĐ-TTg (21/11/2025)",
    );
    expect(citation({ title: "Luật Trợ giúp pháp lý 2017", article: "Điều 7", clause: "khoản 1" })).toBe(
      "Luật Trợ giúp pháp lý 2017, Điều 7, khoản 1",
    );
  });
});

describe("questions and answers", () => {
  it("numbers the choices, with 'không biết' after the options", () => {
    expect(choicesOf(step("ask_listed_status")).map((c) => `${c.value}. ${c.label}`)).toEqual([
      "1. Hộ nghèo",
      "2. Hộ cận nghèo",
      "3. Không có tên",
      "4. Không biết",
    ]);
    expect(choicesOf(step("ask_left_list")).map((c) => c.label)).toEqual(["Có", "Không", "Không biết"]);
    expect(choicesOf(step("ask_deprivations")).slice(-2)).toEqual([
      { label: "Không thiếu điều nào", value: "0" },
      { label: "Không biết", value: "13" },
    ]);
    expect(choicesOf(step("ask_income"))).toEqual([]);
  });

  it("reads a typed choice number as the answer it stands for", () => {
    expect(resolveChoiceNumber(step("ask_left_list"), "2")).toBe("không");
    expect(resolveChoiceNumber(step("ask_left_list"), "3")).toBe("không biết");
    expect(resolveChoiceNumber(step("ask_deprivations"), "13")).toBe("không biết");
    expect(resolveChoiceNumber(step("ask_listed_status"), "số 2")).toBe("2");
    expect(resolveChoiceNumber(step("ask_income"), "2")).toBe("2");
    expect(resolveChoiceNumber(step("ask_left_list"), "2 lần")).toBe("2 lần");
  });

  it("reads answers back in plain words", () => {
    expect(describeAnswer(step("ask_income"), { type: "value", value: 3_500_000 })).toBe(
      "3.500.000 đ mỗi tháng",
    );
    expect(describeAnswer(step("ask_listed_status"), { type: "value", value: "near_poor" })).toBe(
      "Hộ cận nghèo",
    );
    expect(describeAnswer(step("ask_left_list_on"), { type: "value", value: "2024-03" })).toBe(
      "tháng 3/2024",
    );
    expect(
      describeAnswer(step("ask_deprivations"), { type: "value", value: ["water_source", "employment"] }),
    ).toBe("9, 1");
    expect(describeAnswer(step("ask_left_list"), { type: "unknown" })).toBe("không biết");
  });
});

describe("renderSearchOutcome (fallback when the knowledge base has no formatter)", () => {
  it("shows the best passage with its citation and warnings, and the message when nothing matched", () => {
    const text = renderSearchOutcome({
      type: "results",
      query: "bhyt",
      results: [
        {
          documentId: "a",
          title: "KH A",
          excerpt: "Cấp thẻ BHYT cho người nghèo.",
          citation: "KH 02/KH-UBND, mục IV",
          warnings: ["Kế hoạch đã hết thời hạn."],
        },
        { documentId: "b", title: "KH B", excerpt: "Hỗ trợ mua thẻ.", citation: "KH B", warnings: [] },
      ],
    });
    expect(text).toContain(
      "Cấp thẻ BHYT cho người nghèo.\nNguồn: KH 02/KH-UBND, mục IV\n⚠️ Kế hoạch đã hết thời hạn.",
    );
    expect(text).toContain("• KH B: Hỗ trợ mua thẻ.");
    expect(renderSearchOutcome({ type: "invalid", query: "", message: "Câu hỏi trống." })).toBe(
      "Câu hỏi trống.",
    );
    expect(
      renderSearchOutcome({ type: "no_match", query: "x", message: "Không tìm thấy.", results: [] }),
    ).toBe("Không tìm thấy.");
  });
});
