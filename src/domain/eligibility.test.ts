import { describe, expect, it } from "vitest";
import { loadPolicyKnowledge } from "../knowledge/policy-load.ts";
import { decide } from "./eligibility.ts";
import { EDUCATION_LEVELS, type HouseholdInput } from "./household.ts";

const policy = loadPolicyKnowledge();

/** Deterministic varied households (a small linear congruential generator). */
function households(count: number, seed = 7): HouseholdInput[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const maybe = <T>(value: () => T): T | undefined => (next() < 0.5 ? value() : undefined);
  return Array.from({ length: count }, () => {
    const members = 1 + Math.floor(next() * 5);
    const household: HouseholdInput = {
      area: pick(["rural", "urban"] as const),
      members,
      assessedOn: pick(["2019-05-01", "2025-08-14", "2025-12-01", "2026-12-31", "2027-01-01"]),
      monthlyIncome: maybe(() => Math.round(next() * 3_000_000 * members)),
      deprivationCount: maybe(() => Math.floor(next() * 6)),
      listedStatus: maybe(() => pick(["poor", "near_poor", "none", "unknown"] as const)),
      leftListOn: maybe(() => pick(["2024-01-15", null])),
      agricultural: maybe(() => next() < 0.5),
      inPoorCommune: maybe(() => next() < 0.5),
      inDifficultArea: maybe(() => next() < 0.5),
      province: maybe(() => "Thái Bình"),
      persons: maybe(() =>
        // Up to two members (sometimes none: "no member to describe"); a student's age may be left out.
        Array.from({ length: Math.floor(next() * (Math.min(members, 2) + 1)) }, () => ({
          age: Math.floor(next() * 70),
          ethnicMinority: maybe(() => next() < 0.5),
          education: maybe(() => pick(EDUCATION_LEVELS)),
          publicSchool: true,
        })).map((person) => {
          if (!person.education) return { age: person.age, ethnicMinority: person.ethnicMinority };
          if (next() < 0.5) return person;
          const { age: _age, ...withoutAge } = person;
          return withoutAge;
        }),
      ),
    };
    for (const key of Object.keys(household) as (keyof HouseholdInput)[])
      if (household[key] === undefined) delete household[key];
    return household;
  });
}

describe("decide", () => {
  it("uses options.today when the household gives no date", () => {
    expect(decide({ area: "rural", members: 2 }, policy, { today: "2027-03-01" }).assessedOn).toBe(
      "2027-03-01",
    );
    expect(
      decide({ area: "rural", members: 2, assessedOn: "2026-01-01" }, policy, { today: "2027-03-01" })
        .assessedOn,
    ).toBe("2026-01-01");
  });

  it("gives the same decision whatever was decided before (shared outcomes never leak between households)", () => {
    const batch = households(400);
    const forward = batch.map((household) => JSON.stringify(decide(household, policy)));
    const fresh = loadPolicyKnowledge();
    const backward = [...batch].reverse().map((household) => JSON.stringify(decide(household, fresh)));
    expect(backward.reverse()).toEqual(forward);
  });

  it("reads a student's age from the level when it is not given, and says so", () => {
    const decision = decide(
      {
        area: "urban",
        members: 3,
        listedStatus: "none",
        monthlyIncome: 30_000_000,
        persons: [{ education: "preschool", publicSchool: true }, { education: "upper_secondary" }],
      },
      policy,
      { today: "2026-03-01" },
    );
    const insurance = decision.programs.find((program) => program.id === "health_insurance")!;
    expect(insurance.persons[0]!.reasons.join(" ")).toContain(
      "Người thứ 1 (học mầm non) dưới 6 tuổi (theo độ tuổi thường gặp của bậc học).",
    );
    // 15 to 17: under 16 or not cannot be read from the level, so the age is what is missing.
    expect(decision.missingFacts.map((fact) => fact.fact)).toContain("persons[1].age");
  });

  it("does not change its input", () => {
    const household: HouseholdInput = {
      area: "rural",
      members: 2,
      listedStatus: "poor",
      persons: [{ age: 4 }],
    };
    const copy = structuredClone(household);
    decide(household, policy, { today: "2026-03-01" });
    expect(household).toEqual(copy);
  });

  it("lists every programme with its stable id, each with a reference and a next step or reason", () => {
    const decision = decide({ area: "urban", members: 3 }, policy, { today: "2026-03-01" });
    expect(decision.programs.map((program) => program.id)).toEqual(
      expect.arrayContaining([
        "credit.poor_household",
        "credit.near_poor_household",
        "credit.newly_escaped",
        "credit.student",
        "health_insurance",
        "tuition",
      ]),
    );
    for (const program of decision.programs) {
      expect(program.references.length).toBeGreaterThan(0);
      expect(program.reasons.length).toBeGreaterThan(0);
    }
    expect(decision.notes[0]).toBe(
      "Đây là mức hỗ trợ tối thiểu theo quy định của trung ương; địa phương có thể hỗ trợ thêm.",
    );
  });
});
