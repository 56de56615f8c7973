/**
 * One row of a household list read into the scorer's {@link HouseholdInput}: each cell with expert mode's
 * vocabulary and the conversation's answer parser (the same words as `/nhanh` and `check --quick`), then
 * validated as `check --jsonl` validates a household. A cell that cannot be read gives a problem naming
 * its column, in Vietnamese; a row with a problem is not decided. Pure.
 */
import { parseHousehold, type HouseholdInput, type Person } from "../domain/household.ts";
import type { PolicyKnowledge } from "../domain/policy.ts";
import { foldForMatch, parseAnswer } from "../flows/answers.ts";
import { formatNumberVi } from "../domain/format.ts";
import {
  indicatorsOn,
  readQuickDate,
  readQuickEthnicity,
  readQuickPart,
  type QuickContext,
} from "../answers/quick-household.ts";
import { COLUMNS, type ColumnSpec, type HeaderMap } from "./columns.ts";

/** A cell as read from a file: text from CSV; text, number, boolean or date from XLSX; null when empty. */
export type CellValue = string | number | boolean | Date | null;

/** Why a cell (or a row) could not be read: the column's heading as written in the file, and the reason. */
export interface CellProblem {
  column: string;
  message: string;
}

/** A row read: the household (or the problems), the kept columns, and what was assumed. */
export type ReadRow =
  | { ok: true; household: HouseholdInput; kept: Record<string, string>; notes: string[] }
  | { ok: false; problems: CellProblem[]; kept: Record<string, string> };

/** What reading needs besides the row. */
export interface RowContext {
  policy: PolicyKnowledge;
  /** The assessment date of households without their own (default of `decide`). */
  today: string;
}

/** What one cell gives: fields of the household, persons, notes, or a problem. */
interface CellReading {
  fields?: Partial<HouseholdInput>;
  persons?: Person[];
  ethnicMinority?: boolean;
  notes?: string[];
  problem?: string;
}

const MAX_KEPT_LENGTH = 200;
/** Distinct cell texts remembered per column; lists repeat the same few words over thousands of rows. */
const MEMO_LIMIT = 2_000;

const MONEY_SPEC = { type: "money", min: 0, max: 10_000_000_000 } as const;
const MEMBERS_SPEC = { type: "integer", min: 1, max: 50 } as const;
const YES_NO_SPEC = { type: "yes_no" } as const;

/** A cell as text (dates as ISO, numbers as written), trimmed; "" when empty. */
export function cellText(value: CellValue): string {
  if (value === null) return "";
  if (typeof value === "string") return value.trim();
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "có" : "không";
  return Number.isNaN(value.getTime()) ? "" : value.toISOString().slice(0, 10);
}

function quoted(text: string): string {
  return text.length > 40 ? `“${text.slice(0, 37)}...”` : `“${text}”`;
}

const LISTED_WORDS: Record<string, HouseholdInput["listedStatus"]> = {
  poor: "poor",
  near_poor: "near_poor",
  none: "none",
  unknown: "unknown",
  ngheo: "poor",
  "can ngheo": "near_poor",
  khong: "none",
  ko: "none",
  "khong co": "none",
  "khong co ten": "none",
  "chua co": "none",
  "chua co ten": "none",
  "ngoai danh sach": "none",
  "binh thuong": "none",
  "ho binh thuong": "none",
  "khong ro": "unknown",
  "chua ro": "unknown",
  "khong biet": "unknown",
  "chua biet": "unknown",
};

const NO_DEPRIVATION =
  /^(?:0|khong|ko|khong co|khong thieu|khong thieu gi|khong co thieu hut|chua thieu|du|du ca)$/;

/** Reads the cells of a list's rows; one per list (it remembers the cells it has read). */
export class RowReader {
  private readonly columns: { spec: ColumnSpec; index: number; heading: string }[];
  private readonly quick: QuickContext;
  private readonly memo = new Map<string, Map<string, CellReading>>();
  private readonly context: RowContext;

  /** `header`: the mapped header row; `headings`: the header row's cells as written. */
  constructor(header: HeaderMap, headings: readonly string[], context: RowContext) {
    this.context = context;
    this.columns = COLUMNS.filter((spec) => header.positions.has(spec.key)).map((spec) => {
      const index = header.positions.get(spec.key)!;
      return { spec, index, heading: headings[index]?.trim() || spec.heading };
    });
    const provinces = context.policy.provinces.map((province) => province.info.name);
    this.quick = {
      today: context.today,
      indicators: (date) => indicatorsOn(context.policy, date),
      provinces,
    };
  }

  /** Reads a row's cells (in the file's order). */
  read(cells: readonly CellValue[]): ReadRow {
    const kept: Record<string, string> = {};
    const problems: CellProblem[] = [];
    const household: Record<string, unknown> = {};
    const notes: string[] = [];
    /** The column each field came from, to name it in a validation problem. */
    const origin = new Map<string, string>();
    let persons: Person[] | undefined;
    let ethnicMinority: boolean | undefined;
    let ethnicityHeading = "";
    for (const { spec, index, heading } of this.columns) {
      const value = cells[index] ?? null;
      if (spec.kind === "passthrough") {
        const text = cellText(value);
        if (text) kept[spec.key] = text.slice(0, MAX_KEPT_LENGTH);
        continue;
      }
      const text = cellText(value);
      if (!text) {
        if (spec.required) problems.push({ column: heading, message: `bắt buộc phải có (${spec.help}).` });
        continue;
      }
      const reading = this.readCell(spec, value, text);
      if (reading.problem) {
        problems.push({ column: heading, message: reading.problem });
        continue;
      }
      for (const [field, fieldValue] of Object.entries(reading.fields ?? {})) {
        household[field] = fieldValue;
        origin.set(field, heading);
      }
      if (reading.persons) {
        persons = reading.persons;
        origin.set("persons", heading);
      }
      if (reading.ethnicMinority !== undefined) {
        ethnicMinority = reading.ethnicMinority;
        ethnicityHeading = heading;
      }
      if (reading.notes) notes.push(...reading.notes);
    }
    if (ethnicMinority !== undefined) {
      if (persons && persons.length > 0) {
        persons = persons.map((person) =>
          person.ethnicMinority === undefined ? { ...person, ethnicMinority } : person,
        );
      } else {
        notes.push(
          `${ethnicityHeading}: chưa có thành viên nào được mô tả (tuổi hoặc bậc học) nên chưa dùng được.`,
        );
      }
    }
    if (persons && persons.length > 0) household.persons = persons;
    if (problems.length > 0) return { ok: false, problems, kept };
    const parsed = parseHousehold(household, { indicatorIds: this.context.policy.indicatorIds });
    if (!parsed.ok) {
      return {
        ok: false,
        kept,
        problems: parsed.error.map((problem) => {
          const field = /^[a-zA-Z]+/.exec(problem.field)?.[0] ?? "";
          return { column: origin.get(field) ?? "", message: problem.message };
        }),
      };
    }
    return { ok: true, household: parsed.value, kept, notes };
  }

  /** A cell, remembered by its column and text (a date or number cell by its value). */
  private readCell(spec: ColumnSpec, value: CellValue, text: string): CellReading {
    let memo = this.memo.get(spec.key);
    if (!memo) this.memo.set(spec.key, (memo = new Map()));
    const key = typeof value === "string" ? text : `${typeof value}:${text}`;
    const known = memo.get(key);
    if (known) return known;
    const reading = this.readFresh(spec, value, text);
    if (memo.size < MEMO_LIMIT) memo.set(key, reading);
    return reading;
  }

  private readFresh(spec: ColumnSpec, value: CellValue, text: string): CellReading {
    const { today } = this.context;
    const folded = foldForMatch(text);
    switch (spec.kind) {
      case "area": {
        if (folded === "rural" || folded === "urban") return { fields: { area: folded } };
        const read = readQuickPart("area", text, this.quick);
        if (read.household.area && read.unread.length === 0) return { fields: { area: read.household.area } };
        return { problem: `không đọc được ${quoted(text)}: ghi “nông thôn” (xã) hoặc “thành thị” (phường).` };
      }
      case "members": {
        if (typeof value === "number") {
          return Number.isInteger(value) && value >= 1 && value <= 50
            ? { fields: { members: value } }
            : { problem: `phải là số nguyên từ 1 đến 50, ô này ghi ${quoted(text)}.` };
        }
        const parsed = parseAnswer(MEMBERS_SPEC, text, { today, allowUnknown: false });
        if (parsed.ok && parsed.value.answer.type === "value")
          return { fields: { members: Number(parsed.value.answer.value) } };
        return { problem: `phải là số người từ 1 đến 50, ô này ghi ${quoted(text)}.` };
      }
      case "listedStatus": {
        const direct = LISTED_WORDS[folded.replace(/^ho /, "")];
        if (direct) return { fields: { listedStatus: direct } };
        const read = readQuickPart("listedStatus", text, this.quick);
        const unread = read.notes.filter((note) => note.kind === "unread");
        if (read.household.listedStatus && read.unread.length === 0 && unread.length === 0) {
          const fields: Partial<HouseholdInput> = { listedStatus: read.household.listedStatus };
          if (read.household.leftListOn) fields.leftListOn = read.household.leftListOn;
          return { fields };
        }
        return {
          problem: `không đọc được ${quoted(text)}: ghi “hộ nghèo”, “hộ cận nghèo”, “không” (chưa có tên trong danh sách) hoặc “không rõ”.`,
        };
      }
      case "date": {
        const iso =
          value instanceof Date ? text : /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : readQuickDate(text, today);
        if (iso) return { fields: { [spec.key]: iso } };
        return { problem: `không đọc được ngày ${quoted(text)}: ghi dạng 15/3/2024 (hoặc 3/2024).` };
      }
      case "money": {
        let amount: number | undefined;
        if (typeof value === "number") amount = value;
        else if (/^\d+$/.test(text)) amount = Number(text);
        if (amount === undefined) {
          const parsed = parseAnswer(MONEY_SPEC, text, { today, allowUnknown: false });
          if (!parsed.ok) {
            return {
              problem:
                parsed.error.type === "needs_unit"
                  ? `số tiền ${quoted(text)} thiếu đơn vị: ghi bằng đồng (5600000) hoặc có đơn vị (5tr6, 800 nghìn).`
                  : `không đọc được số tiền ${quoted(text)}: ghi bằng đồng (5600000, 5.600.000) hoặc có đơn vị (5tr6).`,
            };
          }
          if (parsed.value.answer.type === "value") amount = Number(parsed.value.answer.value);
        }
        if (amount === undefined) return {};
        if (!(amount >= 0 && amount <= MONEY_SPEC.max)) {
          return {
            problem: `số tiền ${quoted(text)} không hợp lệ (từ 0 đến ${formatNumberVi(MONEY_SPEC.max)} đồng).`,
          };
        }
        if (amount > 0 && amount < 1000) {
          return {
            problem: `số tiền ${quoted(text)} quá nhỏ: ghi bằng đồng (5600000) hoặc có đơn vị (5tr6, 800 nghìn).`,
          };
        }
        return { fields: { [spec.key]: amount } };
      }
      case "deprivations": {
        if (typeof value === "number" || /^\d{1,2}$/.test(text)) {
          const count = Number(text);
          return Number.isInteger(count) && count >= 0 && count <= 20
            ? { fields: { deprivationCount: count } }
            : { problem: `số chỉ số thiếu hụt ${quoted(text)} không hợp lệ.` };
        }
        if (NO_DEPRIVATION.test(folded)) return { fields: { deprivationCount: 0 } };
        const ids = text.split(/[,;]/).map((part) => part.trim());
        if (ids.every((id) => this.context.policy.indicatorIds.has(id)))
          return { fields: { deprivations: ids } };
        // A list of names reads as one after "thiếu:"; "thiếu 3 chỉ số" reads as it is.
        const phrase = /^(?:thieu|khong|ko|chua)\b|\b(?:chi so|cs)\b/.test(folded) ? text : `thiếu: ${text}`;
        const read = readQuickPart("deprivations", phrase, this.quick);
        const unread = read.notes.filter((note) => note.kind === "unread");
        if (read.unread.length === 0 && unread.length === 0 && read.household.deprivationCount !== undefined)
          return { fields: { deprivationCount: read.household.deprivationCount } };
        if (read.unread.length > 0 || unread.length > 0 || read.household.deprivations === undefined) {
          const what = read.unread.length > 0 ? read.unread.map(quoted).join(", ") : quoted(text);
          return {
            problem: `không đọc được chỉ số thiếu hụt ${what}: ghi tên các chỉ số cách nhau bằng dấu phẩy (bhyt, nhà tiêu, nước sạch, nhà ở, …), hoặc số chỉ số thiếu.`,
          };
        }
        const notes = read.notes.map((note) => `${spec.heading}: ${note.text}`);
        return { fields: { deprivations: read.household.deprivations }, notes };
      }
      case "persons": {
        const read = readQuickPart("persons", text, this.quick);
        const unread = read.notes.filter((note) => note.kind === "unread");
        if (read.unread.length > 0 || unread.length > 0 || read.persons.length === 0) {
          const what = [...read.unread.map(quoted), ...unread.map((note) => note.text)];
          return {
            problem: `không đọc được ${what.length > 0 ? what.join(", ") : quoted(text)}: mô tả từng người như “ông 72 tuổi khuyết tật”, “con 10 tuổi học lớp 5”, “2 con: 1 cấp 2, 1 ĐH công lập”.`,
          };
        }
        const notes = read.notes.filter((note) => note.kind !== "unread").map((note) => note.text);
        return { persons: read.persons, notes };
      }
      case "ethnicity": {
        if (/^(?:co|x|1)$/.test(folded)) return { ethnicMinority: true };
        if (/^(?:khong|ko|0)$/.test(folded)) return { ethnicMinority: false };
        const minority = readQuickEthnicity(text);
        if (minority !== undefined) return { ethnicMinority: minority };
        return {
          problem: `không đọc được dân tộc ${quoted(text)}: ghi tên dân tộc (Kinh, Tày, Dao, …) hoặc “DTTS”.`,
        };
      }
      case "flag": {
        if (typeof value === "boolean") return { fields: { [spec.key]: value } };
        if (/^(?:x|1|co|yes|true)$/.test(folded)) return { fields: { [spec.key]: true } };
        if (/^(?:0|false|no)$/.test(folded)) return { fields: { [spec.key]: false } };
        if (/^(?:khong ro|chua ro|khong biet|chua biet|\?)$/.test(folded)) return {};
        const parsed = parseAnswer(YES_NO_SPEC, text, { today, allowUnknown: true });
        if (parsed.ok) {
          const answer = parsed.value.answer;
          return answer.type === "value" ? { fields: { [spec.key]: answer.value === true } } : {};
        }
        return { problem: `không đọc được ${quoted(text)}: ghi “có” hoặc “không” (để trống nếu chưa biết).` };
      }
      case "province": {
        const read = readQuickPart("province", text, this.quick);
        return { fields: { province: read.household.province ?? text.slice(0, 100) } };
      }
      case "passthrough":
        return {};
    }
  }
}
