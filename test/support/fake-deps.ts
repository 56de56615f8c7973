/**
 * Hand-written stand-ins for the knowledge base and the scorer, for the conversation tests before the kb
 * and scorer branches are merged. The fake scorer follows the 2022-2025 standard in outline (income line
 * 1.5 million rural / 2 million urban per person per month, 3 or more deprivations = poor) and reports
 * missing facts the way the contract says, so the flow's routing is exercised for real. Its figures are
 * test data, not policy: the golden transcripts assert on flow behaviour, not on them.
 */

import { err, ok, type Result } from "../../src/shared/result.ts";
import type {
  DecisionLike,
  HouseholdDraft,
  KnowledgePort,
  MissingFactLike,
  ProgramDecisionLike,
} from "../../src/flows/ports.ts";

const REFERENCE = { title: "Văn bản thử nghiệm số 1/TEST", article: "Điều 1", date: "2021-01-27" };

/** What the fake scorer saw, for assertions on the household the interview built. */
export interface FakeScorerLog {
  households: HouseholdDraft[];
}

function program(
  id: string,
  status: ProgramDecisionLike["status"],
  reason: string,
  extra: Partial<ProgramDecisionLike> = {},
): ProgramDecisionLike {
  return {
    id,
    status,
    reasons: [reason],
    references: [REFERENCE],
    confirmed: true,
    nextSteps: ["Hỏi cán bộ xã (thử nghiệm)."],
    ...extra,
  };
}

/** A scorer good enough to route the interview: see the file comment. */
export function createFakeScorer(log: FakeScorerLog = { households: [] }): {
  decide(household: HouseholdDraft): Result<DecisionLike, string[]>;
  log: FakeScorerLog;
} {
  return {
    log,
    decide(household: HouseholdDraft): Result<DecisionLike, string[]> {
      log.households.push(structuredClone(household));
      const { area, members, listedStatus, monthlyIncome, deprivationCount, leftListOn, persons } =
        household as {
          area?: string;
          members?: number;
          listedStatus?: string;
          monthlyIncome?: number;
          deprivationCount?: number;
          leftListOn?: string;
          persons?: unknown[];
        };
      if (area !== "rural" && area !== "urban")
        return err(["Khu vực (area) phải là nông thôn hoặc thành thị."]);
      if (!members || members < 1) return err(["Số người trong hộ (members) phải từ 1 trở lên."]);
      const missing: MissingFactLike[] = [];
      const line = area === "urban" ? 2_000_000 : 1_500_000;
      let category: DecisionLike["classification"]["category"] = "unknown";
      let basis: DecisionLike["classification"]["basis"] = "estimated";
      const incomePerPerson = monthlyIncome === undefined ? undefined : Math.round(monthlyIncome / members);
      if (listedStatus === undefined)
        missing.push({ fact: "listedStatus", reason: "Cần biết hộ có tên trong danh sách của xã không." });
      if (listedStatus === "poor" || listedStatus === "near_poor") {
        category = listedStatus;
        basis = "listed";
      } else if (listedStatus !== undefined) {
        if (leftListOn === undefined)
          missing.push({ fact: "leftListOn", reason: "Cần biết hộ có mới thoát nghèo không." });
        if (incomePerPerson === undefined)
          missing.push({ fact: "monthlyIncome", reason: "Cần biết thu nhập của hộ." });
        else if (incomePerPerson > line) category = incomePerPerson <= line * 1.5 ? "average_living" : "none";
        else if (deprivationCount === undefined)
          missing.push({ fact: "deprivationCount", reason: "Cần biết hộ thiếu hụt những gì." });
        else category = deprivationCount >= 3 ? "poor" : "near_poor";
      }
      if (category === "average_living" && household.agricultural === undefined)
        missing.push({ fact: "agricultural", reason: "Cần biết hộ có làm nông nghiệp không." });
      if (category === "near_poor" && household.inPoorCommune === undefined)
        missing.push({ fact: "inPoorCommune", reason: "Cần biết xã có phải xã nghèo không." });
      if (persons === undefined && listedStatus !== undefined)
        missing.push({ fact: "persons", reason: "Cần biết trong hộ có ai đi học không." });

      const statusFor = (wanted: string): ProgramDecisionLike["status"] =>
        category === "unknown"
          ? "needs_info"
          : category === wanted
            ? basis === "listed"
              ? "eligible"
              : "possible"
            : "not_eligible";
      const escapedRecently = typeof leftListOn === "string" && leftListOn >= "2023-11-23";
      const programs: ProgramDecisionLike[] = [
        program("credit.poor_household", statusFor("poor"), "Thử nghiệm: hộ nghèo được vay.", {
          maxAmount: 100_000_000,
          interestRatePerYear: 6.24,
          termMonths: 120,
        }),
        program("credit.near_poor_household", statusFor("near_poor"), "Thử nghiệm: hộ cận nghèo được vay.", {
          maxAmount: 100_000_000,
          interestRatePerYear: null,
          termMonths: 120,
          confirmed: false,
        }),
        program(
          "credit.newly_escaped",
          escapedRecently
            ? "eligible"
            : leftListOn === undefined && basis !== "listed"
              ? "needs_info"
              : "not_eligible",
          "Thử nghiệm: hộ mới thoát nghèo trong 3 năm.",
          { maxAmount: 100_000_000, interestRatePerYear: null, confirmed: false },
        ),
        program(
          "health_insurance",
          category === "poor" ? "eligible" : category === "near_poor" ? "eligible" : "not_eligible",
          "Thử nghiệm: hỗ trợ BHYT.",
          {
            supportPercent: category === "poor" ? 100 : 70,
          },
        ),
      ];
      if (Array.isArray(persons) && persons.length > 0) {
        programs.push(
          program("tuition", "eligible", "Thử nghiệm: học phí.", {
            persons: persons.map((_, personIndex) => ({
              personIndex,
              exemption: "full",
              learningCostSupport: { amountPerMonth: 150_000, confirmed: true },
            })),
          }),
        );
      }
      return ok({
        standard: { id: "test_2022_2025", from: "2022-01-01", to: "2026-12-31" },
        classification: {
          category,
          basis,
          incomePerPerson: incomePerPerson ?? null,
          incomeLine: line,
          deprivationCount: deprivationCount ?? null,
        },
        programs,
        missingFacts: missing,
      });
    },
  };
}

/** A knowledge base that answers every question with a recognisable passage and citation. */
export function createFakeKnowledge(): KnowledgePort & { queries: string[] } {
  const queries: string[] = [];
  return {
    queries,
    search(query) {
      queries.push(query);
      if (!query.trim()) return { type: "invalid", query, message: "Câu hỏi trống." };
      return {
        type: "results",
        query,
        results: [
          {
            documentId: "tai-lieu-thu",
            title: "Tài liệu thử",
            excerpt: `TRẢ LỜI THỬ: ${query}`,
            citation: "Tài liệu thử, mục 1",
            warnings: [],
          },
        ],
      };
    },
  };
}
