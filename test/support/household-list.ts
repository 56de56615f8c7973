/**
 * Deterministic household lists as a commune keeps them (one row per household, Vietnamese headings and
 * words), each row with the scorer input it stands for, so that a screening can be compared with
 * `check --jsonl` on the same households. Used by the screening tests and `npm run bench -- screening`.
 */
import type { EducationLevel, HouseholdInput, Person } from "../../src/domain/household.ts";
import { HOUSEHOLD_FLAGS } from "../../src/domain/facts.ts";
import { COLUMNS } from "../../src/screening/columns.ts";

/** How each deprivation indicator is written in the list. */
const INDICATOR_WORDS: Record<string, string> = {
  employment: "việc làm",
  dependants: "người phụ thuộc",
  nutrition: "dinh dưỡng",
  health_insurance: "bhyt",
  adult_education: "trình độ giáo dục",
  child_school_attendance: "trẻ em đi học",
  housing_quality: "chất lượng nhà ở",
  housing_area: "diện tích nhà ở",
  water_source: "nước sạch",
  hygienic_latrine: "nhà tiêu",
  telecom_use: "viễn thông",
  information_assets: "tiếp cận thông tin",
};

const LEVEL_WORDS: { level: EducationLevel; words: string; ages: [number, number] }[] = [
  { level: "preschool", words: "mầm non", ages: [3, 5] },
  { level: "primary", words: "lớp 3", ages: [6, 10] },
  { level: "lower_secondary", words: "lớp 7", ages: [11, 14] },
  { level: "upper_secondary", words: "lớp 11", ages: [15, 17] },
  { level: "vocational", words: "trung cấp", ages: [16, 22] },
  { level: "college", words: "cao đẳng", ages: [18, 23] },
  { level: "university", words: "đại học", ages: [18, 24] },
];

/** One generated row: its cells by column key, and the household it stands for. */
export interface ListRow {
  cells: Record<string, string | number>;
  household: HouseholdInput;
}

/** The headings of the generated lists (the template's), in order. */
export const LIST_HEADINGS = COLUMNS.map((column) => column.heading);

/** A row's cells in the template's order. */
export function rowCells(row: ListRow): (string | number)[] {
  return COLUMNS.map((column) => row.cells[column.key] ?? "");
}

/**
 * `count` households, mixed like a commune's list (areas, incomes, list statuses, deprivations, members
 * described in words, flags). 32-bit arithmetic keeps the sequence long (see bench/scorer.bench.ts).
 */
export function generateList(count: number, seed = 20_261_206): ListRow[] {
  let state = seed;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const rows: ListRow[] = [];
  for (let n = 0; n < count; n++) {
    const members = 1 + Math.floor(next() * 7);
    const rural = next() < 0.7;
    const cells: Record<string, string | number> = {
      householdId: `HGD-${String(n + 1).padStart(6, "0")}`,
      householdHead: `Chủ hộ ${n + 1}`,
      area: rural ? pick(["nông thôn", "xã", "Nông thôn", "nt"]) : pick(["thành thị", "phường", "Thành thị"]),
      members,
    };
    const household: HouseholdInput = { area: rural ? "rural" : "urban", members };
    if (next() < 0.85) {
      const income = Math.round((next() * 3_500_000 * members) / 1000) * 1000;
      household.monthlyIncome = income;
      cells.monthlyIncome = next() < 0.5 ? income : income.toLocaleString("vi-VN");
    }
    const deprivations = next();
    if (deprivations < 0.5) {
      const ids = Object.keys(INDICATOR_WORDS).filter(() => next() < 0.15);
      if (ids.length > 0) {
        household.deprivations = ids;
        cells.deprivations = ids.map((id) => INDICATOR_WORDS[id]).join(", ");
      } else {
        household.deprivationCount = 0;
        cells.deprivations = "không";
      }
    } else if (deprivations < 0.8) {
      const count = Math.floor(next() * 6);
      household.deprivationCount = count;
      cells.deprivations = count;
    }
    if (next() < 0.8) {
      const status = pick(["poor", "near_poor", "none", "none", "none", "unknown"] as const);
      household.listedStatus = status;
      cells.listedStatus = {
        poor: pick(["hộ nghèo", "Hộ nghèo", "hn"]),
        near_poor: pick(["hộ cận nghèo", "cận nghèo", "hcn"]),
        none: pick(["không", "chưa có tên"]),
        unknown: "không rõ",
      }[status];
    }
    if (next() < 0.1) {
      const [iso, text] = pick([
        ["2023-01-15", "15/01/2023"],
        ["2024-06-01", "1/6/2024"],
        ["2025-03-20", "20/03/2025"],
      ] as const);
      household.leftListOn = iso;
      cells.leftListOn = text;
    }
    for (const flag of HOUSEHOLD_FLAGS) {
      if (next() < 0.3) {
        const value = next() < 0.4;
        household[flag] = value;
        cells[flag] = value ? pick(["có", "Có", "x"]) : pick(["không", "Không"]);
      }
    }
    if (next() < 0.6) {
      const minority = next() < 0.15;
      const persons: Person[] = [];
      const words: string[] = [];
      const described = Math.min(members, 1 + Math.floor(next() * 3));
      for (let i = 0; i < described; i++) {
        const studying = next() < 0.4;
        if (studying) {
          const level = pick(LEVEL_WORDS);
          const age = level.ages[0] + Math.floor(next() * (level.ages[1] - level.ages[0] + 1));
          const publicSchool = next() < 0.85;
          persons.push({ age, education: level.level, publicSchool, ethnicMinority: minority });
          words.push(`con ${age} tuổi học ${level.words} ${publicSchool ? "công lập" : "tư thục"}`);
        } else {
          const age = 25 + Math.floor(next() * 60);
          const disability = next() < 0.1;
          persons.push({ age, ethnicMinority: minority, ...(disability ? { disability } : {}) });
          words.push(`${age >= 60 ? "ông" : "người"} ${age} tuổi${disability ? " khuyết tật" : ""}`);
        }
      }
      household.persons = persons;
      cells.persons = words.join(", ");
      cells.ethnicity = minority ? pick(["Tày", "Dao", "H'Mông", "DTTS"]) : "Kinh";
    }
    rows.push({ cells, household });
  }
  return rows;
}

/**
 * Cells spoiled in the 1,000-row test lists: 0-based household index, the cell's column key and value, and the
 * heading an error message must name.
 */
export const SPOILED_CELLS: readonly [number, string, string | number, string][] = [
  [5, "members", "nhiều", "Số người"],
  [100, "area", "trên núi", "Khu vực"],
  [500, "monthlyIncome", "abc", "Thu nhập cả hộ mỗi tháng (đồng)"],
  [998, "members", "", "Số người"],
];
