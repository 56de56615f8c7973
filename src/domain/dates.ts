/**
 * Calendar dates as ISO strings ("YYYY-MM-DD"). Legal periods are whole days, so the scorer never needs a time
 * of day or a time zone: two ISO dates compare correctly as strings, and arithmetic is done on the calendar.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days in a month of a year (month 1–12), leap years included. */
function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** True when the text is a real calendar date written "YYYY-MM-DD" ("2026-02-30" is not). */
export function isIsoDate(text: unknown): text is string {
  if (typeof text !== "string") return false;
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

/**
 * The same calendar day `years` later. A 29 February with no counterpart becomes 28 February, the way a
 * period "in years" ends on the corresponding day, or the last day of that month when there is none.
 */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const year = y + years;
  return `${pad(year, 4)}-${pad(m)}-${pad(Math.min(d, daysInMonth(year, m)))}`;
}

/** The date `days` days later (or earlier, for a negative number). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** "2026-12-31" → "31/12/2026", the way dates are written in Vietnamese text. */
export function formatDateVi(date: string): string {
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
}

/**
 * Today's date in Vietnam (UTC+7, no daylight saving), from a clock reading passed in by the caller so that
 * pure code never reads the clock itself.
 */
export function vietnamDate(nowMs: number): string {
  return new Date(nowMs + 7 * 3600 * 1000).toISOString().slice(0, 10);
}

/** True when `date` lies within [from, to] (both inclusive; a missing end means open-ended). */
export function within(
  date: string,
  from: string | null | undefined,
  to: string | null | undefined,
): boolean {
  return (!from || date >= from) && (!to || date <= to);
}

/** A day range, both ends included, ISO dates; either end may be open. */
export interface DayRange {
  from?: string;
  to?: string;
}
