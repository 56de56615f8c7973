/** Households for the `check` tests: one plain household, and varied ones shaped like a commune's list. */
import { EDUCATION_LEVELS } from "../../src/domain/household.ts";

export const household = {
  area: "rural",
  members: 4,
  monthlyIncome: 5_000_000,
  deprivationCount: 3,
  listedStatus: "none",
};

/** Varied households (deterministic), shaped like a commune's list: the scorer's paths, with and without members. */
export function generateHouseholds(count: number): Record<string, unknown>[] {
  let state = 7;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return Array.from({ length: count }, () => {
    const members = 1 + Math.floor(next() * 7);
    const household: Record<string, unknown> = { area: pick(["rural", "urban"]), members };
    if (next() < 0.85) household.monthlyIncome = Math.round(next() * 3_500_000 * members);
    if (next() < 0.5) household.deprivationCount = Math.floor(next() * 6);
    if (next() < 0.8) household.listedStatus = pick(["poor", "near_poor", "none", "unknown"]);
    if (next() < 0.1) household.leftListOn = pick(["2023-01-15", "2024-06-01", "2025-03-20"]);
    if (next() < 0.2) household.assessedOn = pick(["2025-06-30", "2026-12-31", "2027-01-01"]);
    if (next() < 0.5) household.agricultural = next() < 0.6;
    if (next() < 0.2) household.inExtremelyDifficultArea = next() < 0.5;
    if (next() < 0.1) household.province = pick(["Thái Bình", "thai binh", "Hà Nội"]);
    if (next() < 0.6) {
      household.persons = Array.from({ length: Math.min(members, 1 + Math.floor(next() * 4)) }, () => {
        const studying = next() < 0.4;
        return {
          age: Math.floor(next() * 80),
          ethnicMinority: next() < 0.15,
          ...(studying ? { education: pick(EDUCATION_LEVELS), publicSchool: next() < 0.85 } : {}),
        };
      });
    }
    return household;
  });
}
