import { describe, expect, it } from "vitest";
import { addDays, addYears, formatDateVi, isIsoDate, vietnamDate, within } from "./dates.ts";

describe("dates", () => {
  it.each([
    ["2026-03-01", true],
    ["2024-02-29", true],
    ["2026-02-29", false],
    ["2026-13-01", false],
    ["2026-3-1", false],
    ["", false],
  ])("isIsoDate(%s) is %s", (text, expected) => {
    expect(isIsoDate(text)).toBe(expected);
  });

  it("adds calendar years, ending on the corresponding day (28 February when 29 February has none)", () => {
    expect(addYears("2023-06-01", 3)).toBe("2026-06-01");
    expect(addYears("2024-02-29", 3)).toBe("2027-02-28");
    expect(addYears("2024-02-29", 4)).toBe("2028-02-29");
  });

  it("adds days across months and years", () => {
    expect(addDays("2026-01-01", -1)).toBe("2025-12-31");
    expect(addDays("2025-02-28", 1)).toBe("2025-03-01");
  });

  it("writes dates the Vietnamese way", () => {
    expect(formatDateVi("2026-12-31")).toBe("31/12/2026");
  });

  it("gives today's date in Vietnam (UTC+7) from a clock reading", () => {
    expect(vietnamDate(Date.UTC(2026, 11, 31, 17, 0))).toBe("2027-01-01");
    expect(vietnamDate(Date.UTC(2026, 11, 31, 16, 59))).toBe("2026-12-31");
  });

  it("checks a date against an inclusive period", () => {
    expect(within("2026-12-31", "2022-01-01", "2026-12-31")).toBe(true);
    expect(within("2027-01-01", "2022-01-01", "2026-12-31")).toBe(false);
    expect(within("2027-01-01", "2022-01-01", null)).toBe(true);
  });
});
