/**
 * Test stand-ins for the conversation's ports. The scorer is the real one (pure, and fast enough for unit
 * tests) behind a log of the households the interview built; only the knowledge base is a fake, because the
 * real one needs a database and an index, and the unit tests want a recognisable echo of the question.
 * Tests that need a scorer to misbehave (fail, or ask late for an earlier fact) write their own decision.
 */

import { decide } from "../../src/domain/eligibility.ts";
import { parseHousehold } from "../../src/domain/household.ts";
import { loadPolicyKnowledge } from "../../src/knowledge/policy-load.ts";
import { err, ok, type Result } from "../../src/shared/result.ts";
import type { DecisionLike, HouseholdDraft, KnowledgePort } from "../../src/flows/ports.ts";

/** What the scorer saw, for assertions on the household the interview built. */
export interface ScorerLog {
  households: HouseholdDraft[];
}

let policy: ReturnType<typeof loadPolicyKnowledge> | undefined;

/**
 * The real scorer as the conversation sees it (validation, then decision on the policy in knowledge/),
 * logging each household it is given. `today` is the assessment date when the household gives none.
 */
export function createTestScorer(options: { today?: string } = {}): {
  decide(household: HouseholdDraft): Result<DecisionLike, string[]>;
  log: ScorerLog;
} {
  policy ??= loadPolicyKnowledge();
  const loaded = policy;
  const log: ScorerLog = { households: [] };
  return {
    log,
    decide(household) {
      log.households.push(structuredClone(household));
      const parsed = parseHousehold(household);
      if (!parsed.ok) return err(parsed.error.map((problem) => problem.message));
      return ok(decide(parsed.value, loaded, { today: options.today ?? "2026-11-22" }));
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
