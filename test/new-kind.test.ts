/**
 * A programme is data: a copy of knowledge/ with a programme of a kind of support the bundled data does not
 * have (test/data/new-kind: a one-off housing grant for poor households lacking a safe house) is decided,
 * explained, shown in the chat and told in a rule-change notice, with no code written for it. Also: sharing
 * outcomes between households (the scorer's memo) never changes a decision, over every condition type.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CONDITION_TYPES } from "../src/domain/condition-types.ts";
import { decide } from "../src/domain/eligibility.ts";
import { EDUCATION_LEVELS, parseHousehold, type HouseholdInput } from "../src/domain/household.ts";
import { HOUSEHOLD_FLAGS } from "../src/domain/facts.ts";
import type { Condition } from "../src/domain/policy.ts";
import { testFileSchema } from "../src/domain/policy-schema.ts";
import { loadFlows } from "../src/flows/load.ts";
import { loadTranscript, replayTranscript } from "./support/transcript.ts";
import { createAssistantPorts } from "../src/composition.ts";
import { DEFAULT_KNOWLEDGE_DIR, loadPolicyKnowledge, POLICY_FOLDERS } from "../src/knowledge/policy-load.ts";
import { openDatabase } from "../src/storage/database.ts";
import { createRuleWatchStore } from "../src/staff/services/rule-watches.ts";
import { partialMismatches } from "./support/partial-match.ts";

const FIXTURE = join(import.meta.dirname, "data", "new-kind");
const scratch = mkdtempSync(join(tmpdir(), "hcs-new-kind-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** knowledge/ (policy and plans) with the fixture's files added: nothing else. */
const knowledgeDir = join(scratch, "knowledge");
cpSync(DEFAULT_KNOWLEDGE_DIR, knowledgeDir, { recursive: true });
for (const folder of [...POLICY_FOLDERS, "tests"])
  cpSync(join(FIXTURE, folder), join(knowledgeDir, folder), { recursive: true });

const policy = loadPolicyKnowledge(knowledgeDir);
const bundled = loadPolicyKnowledge();
const poorUnsafeHouse: HouseholdInput = {
  area: "rural",
  members: 4,
  listedStatus: "poor",
  deprivations: ["housing_quality"],
  assessedOn: "2026-03-01",
};
const grantOf = (household: HouseholdInput, on = policy) =>
  decide(household, on).programs.find((program) => program.id === "housing_grant");

describe("a programme of a new kind, added as data", () => {
  it("is a kind the bundled data does not have", () => {
    expect(bundled.kinds.has("one_off_grant")).toBe(false);
    expect(policy.kinds.get("one_off_grant")?.figures.map((figure) => figure.name)).toEqual(["amount"]);
  });

  it("is decided and explained: the figure, each deciding condition, the basis, the next steps", () => {
    const grant = grantOf(poorUnsafeHouse)!;
    expect(grant).toMatchObject({ kind: "one_off_grant", status: "eligible", amount: 40_000_000 });
    expect(grant.reasons).toEqual([
      "Hộ có tên trong danh sách hộ nghèo của xã.",
      "Hộ thiếu hụt về chất lượng nhà ở.",
      "Hộ nghèo thiếu hụt về nhà ở được hỗ trợ một lần để xây mới nhà ở.",
      "Mức hỗ trợ một lần: 40.000.000 đ.",
    ]);
    expect(grant.references.map((reference) => reference.instrument)).toContain("Quyết định 90/QĐ-TTg");
    expect(grant.nextSteps.length).toBeGreaterThan(0);
    const unknown = decide({ ...poorUnsafeHouse, deprivations: undefined, deprivationCount: 2 }, policy);
    expect(unknown.programs.find((program) => program.id === "housing_grant")?.status).toBe("needs_info");
    expect(unknown.missingFacts.map((fact) => fact.fact)).toContain("deprivations");
  });

  const cases = testFileSchema.parse(
    parse(readFileSync(join(FIXTURE, "tests", "housing_grant.yaml"), "utf8")),
  ).cases;
  it.each(cases.map((testCase) => [testCase.name, testCase] as const))(
    "golden case: %s",
    (_name, testCase) => {
      const household = parseHousehold(
        { ...testCase.input, assessedOn: testCase.date },
        { indicatorIds: policy.indicatorIds },
      );
      if (!household.ok) throw new Error(household.error.map((problem) => problem.message).join(" "));
      expect(partialMismatches(testCase.output, decide(household.value, policy))).toEqual([]);
    },
  );

  it("is shown in the chat, replayed through the real conversation", async () => {
    const transcript = loadTranscript(join(FIXTURE, "transcript.yaml"));
    const failures = await replayTranscript(transcript, {
      flows: loadFlows(),
      ports: (database, { staffIds }) =>
        createAssistantPorts(database, { knowledgeDir, today: () => transcript.today, staffIds }),
      databasePath: join(scratch, "chat.db"),
    });
    expect(failures, transcript.description).toEqual([]);
  });

  it("is told in rule-change notices: a new programme, then its new figure", () => {
    const database = openDatabase(":memory:");
    let now = Date.parse("2026-12-30T03:00:00Z");
    const store = createRuleWatchStore(database, { now: () => now });
    const household = { ...poorUnsafeHouse, assessedOn: "2026-12-30" };
    // Watched under the bundled rules, which have no such programme.
    store.watch("zalo:1", household, decide(household, bundled), "v1");
    const [added] = store.check(policy, "v2");
    expect(added?.text).toContain(
      "• Hỗ trợ nhà ở cho hộ nghèo thiếu hụt về nhà ở: chính sách mới, đủ điều kiện.",
    );
    now = Date.parse("2027-01-02T03:00:00Z");
    const [changed] = store.check(policy, "v2");
    expect(changed?.text).toContain(
      "• Hỗ trợ nhà ở cho hộ nghèo thiếu hụt về nhà ở: số tiền hỗ trợ từ 40.000.000 đ thành 50.000.000 đ.",
    );
    database.close();
  });
});

describe("outcomes shared between households", () => {
  const used = new Set<string>();
  const visit = (condition: Condition): void => {
    used.add(condition.type);
    if (condition.type === "any" || condition.type === "all") condition.conditions.forEach(visit);
  };
  for (const program of policy.programs) for (const rule of program.cases) rule.when.forEach(visit);
  for (const province of policy.provinces)
    for (const rules of province.cases.values()) for (const rule of rules) rule.when.forEach(visit);

  it("are tried over every condition type", () => {
    expect([...used].sort()).toEqual(Object.keys(CONDITION_TYPES).sort());
  });

  it("never change a decision: the same households decided afresh give the same decisions", () => {
    const indicators = [...policy.indicatorIds];
    let state = 20_261_206;
    const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296;
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const maybe = (share: number) => next() < share;
    const dates = ["2016-06-01", "2020-12-31", "2026-03-01", "2026-12-31", "2027-02-01"];
    for (let i = 0; i < 3000; i++) {
      const members = 1 + Math.floor(next() * 6);
      const household: HouseholdInput = { area: pick(["rural", "urban"] as const), members };
      household.assessedOn = pick(dates);
      if (maybe(0.8)) household.monthlyIncome = Math.round(next() * 3_000_000 * members);
      const described = next();
      if (described < 0.5) household.deprivations = indicators.filter(() => maybe(0.2));
      else if (described < 0.75) household.deprivationCount = Math.floor(next() * 6);
      if (maybe(0.8)) household.listedStatus = pick(["poor", "near_poor", "none", "unknown"] as const);
      if (maybe(0.3)) household.leftListOn = pick(["2022-05-01", "2024-06-01", "2025-11-30", null]);
      for (const flag of HOUSEHOLD_FLAGS) if (maybe(0.3)) household[flag] = maybe(0.5);
      if (maybe(0.1)) household.province = "Thái Bình";
      if (maybe(0.5)) {
        household.persons = Array.from({ length: Math.floor(next() * 3) }, () => ({
          ...(maybe(0.8) ? { age: Math.floor(next() * 70) } : {}),
          ...(maybe(0.5) ? { education: pick([...EDUCATION_LEVELS, null]) } : {}),
          ...(maybe(0.5) ? { publicSchool: maybe(0.7) } : {}),
          ...(maybe(0.3) ? { ethnicMinority: maybe(0.5) } : {}),
          ...(maybe(0.2) ? { disability: maybe(0.5) } : {}),
        }));
      }
      const shared = JSON.stringify(decide(household, policy));
      const fresh = JSON.stringify(decide(household, policy, { share: false }));
      if (shared !== fresh)
        expect({ household, decision: JSON.parse(shared) }).toEqual({
          household,
          decision: JSON.parse(fresh),
        });
    }
  });
});

describe("the fixture", () => {
  it("holds data files and test cases only", () => {
    const files = readdirSync(FIXTURE, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name);
    expect(files.every((name) => /\.(ya?ml|md)$/.test(name))).toBe(true);
  });
});
