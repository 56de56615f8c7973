/**
 * Golden eligibility cases, as data: every case in knowledge/tests/*.yaml (household in, expected decision
 * out) is its own test. Besides the fields each case names, every decision must cite its legal basis (at
 * least one reference per programme and for the standard), flag what is not confirmed, and never tell a
 * household that it "is" poor.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { decide } from "../src/domain/eligibility.ts";
import { parseHousehold } from "../src/domain/household.ts";
import { testFileSchema } from "../src/domain/policy-schema.ts";
import { DEFAULT_KNOWLEDGE_DIR, listYamlFiles, loadPolicyKnowledge } from "../src/knowledge/policy-load.ts";
import { partialMismatches } from "./support/partial-match.ts";

const policy = loadPolicyKnowledge();
const files = listYamlFiles(DEFAULT_KNOWLEDGE_DIR, "tests");

/** Wording that would tell a household it *is* poor, which only the commune's review can say. */
const SAYS_IS_POOR = /(hộ|gia đình)( của)?( bạn)? (là|đã là|chính là) hộ (nghèo|cận nghèo)/i;
/** Wording that tells the user a figure or rule is not confirmed or not available. */
const FLAGS_UNCERTAINTY = /chưa được xác nhận|chưa thể kết luận|chưa đủ thông tin|chưa có|chưa biết|chưa rõ/i;

describe.each(files)("%s", (file) => {
  const data = testFileSchema.parse(parse(readFileSync(join(DEFAULT_KNOWLEDGE_DIR, file), "utf8")));
  it.each(data.cases.map((testCase) => [testCase.name, testCase] as const))("%s", (_name, testCase) => {
    const household = parseHousehold(
      { ...testCase.input, assessedOn: testCase.date },
      { indicatorIds: policy.indicatorIds },
    );
    if (!household.ok)
      throw new Error(`input is invalid: ${household.error.map((p) => p.message).join(" ")}`);
    const decision = decide(household.value, policy);

    expect(partialMismatches(testCase.output, decision)).toEqual([]);

    expect(decision.assessedOn).toBe(testCase.date);
    if (decision.standard) expect(decision.standard.references.length).toBeGreaterThan(0);
    for (const program of decision.programs) {
      expect(program.references.length, `${program.id} has no reference`).toBeGreaterThan(0);
      if (!program.confirmed) {
        const text = [...program.reasons, ...program.persons.flatMap((person) => person.reasons)].join(" ");
        expect(text, `${program.id} is unconfirmed but does not say so`).toMatch(FLAGS_UNCERTAINTY);
      }
    }
    const everything = JSON.stringify(decision);
    expect(everything).not.toMatch(SAYS_IS_POOR);
  });
});
