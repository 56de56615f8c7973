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
      leftListOn: maybe(() => "2024-01-15"),
      agricultural: maybe(() => next() < 0.5),
      inPoorCommune: maybe(() => next() < 0.5),
      inDifficultArea: maybe(() => next() < 0.5),
      province: maybe(() => "Thái Bình"),
      persons: maybe(() =>
        Array.from({ length: Math.min(members, 2) }, () => ({
          age: Math.floor(next() * 70),
          ethnicMinority: maybe(() => next() < 0.5),
          education: maybe(() => pick(EDUCATION_LEVELS)),
          publicSchool: true,
        })).map((person) =>
          person.education ? person : { age: person.age, ethnicMinority: person.ethnicMinority },
        ),
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

  it("lists every programme with the ids of issue 3, each with a reference and a next step or reason", () => {
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
