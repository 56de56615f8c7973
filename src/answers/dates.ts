/**
 * The date a question asks about: "năm 2027", "giai đoạn 2016–2020", "trước tháng 12/2025", "hiện nay";
 * today when it names none. Pure.
 */
import { addDays } from "../domain/dates.ts";
import { foldDiacritics, normalizeVietnamese } from "../text/vietnamese.ts";

/** The date asked about and how the question put it (for saying "Năm 2027: …"). */
export interface AskedDate {
  date: string;
  /** The words of the question that named it, in Vietnamese, or null for today. */
  label: string | null;
  /** The question said "now" ("giờ", "hiện nay"), rather than naming no date at all. */
  saysNow?: boolean;
}

const YEAR = String.raw`((?:19|20)\d{2})(?!\d|[.,]\d|\s*(?:d|đ|dong|trieu|tr|k|nghin|ngan(?!\s*hang))\b)`;
const FULL_DATE = new RegExp(
  String.raw`\b(?:tu|sau|ke tu|ngay)?\s*(\d{1,2})\s*\/\s*(\d{1,2})\s*\/\s*${YEAR}`,
);
const PERIOD = new RegExp(
  String.raw`(?:giai doan|thoi ky|gd|tu nam|tu)?\s*${YEAR}\s*(?:-|–|—|den|toi|\s)\s*${YEAR}`,
);
const MONTH = String.raw`(?:thang\s*)?(\d{1,2})\s*(?:\/|-|nam|\s)\s*${YEAR}`;
const BEFORE_MONTH = new RegExp(
  String.raw`\b(?:truoc|den truoc)(?:\s+khi(?:\s+[a-z]+){0,4}?)?\s+(?:(?:ngay\s+)?(\d{1,2})\s*\/\s*(?=\d{1,2}\s*\/))?${MONTH}`,
);
const FROM_MONTH = new RegExp(String.raw`\b(?:tu|sau|ke tu|thang)\s*${MONTH}`);
const BEFORE_YEAR = new RegExp(String.raw`\btruoc\s+(?:nam\s+)?${YEAR}`);
const YEAR_ONLY = new RegExp(String.raw`(?:^|\D)${YEAR}`);
const NOW = /\b(?:bay gio|gio day|gio|hien nay|hien gio|hien tai|thang nay|hom nay)\b|(?:^|,\s*)nay\b/;

const INSTRUMENT_NUMBER =
  /\bluat(?: [a-z]+){1,5} (?:nam )?(?:19|20)\d{2}\b|\b(?:(?:nghi dinh|quyet dinh|nghi quyet|thong tu|luat|nd|qd|nq|tt)\s*(?:so\s*)?\d+[a-z]*(?:\s*\/\s*\d{4})?(?:\s*\/\s*[a-z]+(?:-[a-z]+)*)?(?:\s*nam\s*\d{4})?|(?:\d{3,}|[2-9]\d|1[3-9])\s*\/\s*(?:19|20)\d{2}(?:\s*\/\s*[a-z-]+)?)(?:\s+(?:ngay|ky ngay)\s+\d{1,2}\s*\/\s*\d{1,2}\s*\/\s*(?:19|20)\d{2})?/g;

function pad(value: number): string {
  return String(value).padStart(2, "0");
}

/** A question's text as the date readers see it: folded, with instruments' numbers and years taken out. */
function datesText(question: string): string {
  return foldDiacritics(normalizeVietnamese(question)).replace(INSTRUMENT_NUMBER, " ").replace(/\s+/g, " ");
}

/**
 * Every year or period a question names, when it names two or more ("chuẩn nghèo năm 2018, năm 2024, năm
 * 2028", "giai đoạn 2016–2020 và 2022–2025"), in the order named; undefined otherwise.
 */
export function askedDates(question: string, today: string): AskedDate[] | undefined {
  let text = datesText(question);
  // "ký từ 2022, nay có được hạ lãi theo đợt giảm cuối 2025 không": years of events, asked about now.
  if (NOW.test(text)) return undefined;
  const thisYear = Number(today.slice(0, 4));
  const found: { at: number; asked: AskedDate }[] = [];
  for (const period of text.matchAll(new RegExp(PERIOD.source, "g"))) {
    const first = Number(period[1]);
    const last = Number(period[2]);
    if (!(last > first && last - first <= 10)) continue;
    found.push({
      at: period.index,
      asked: { date: `${Math.floor((first + last) / 2)}-07-01`, label: `giai đoạn ${first}–${last}` },
    });
    text =
      text.slice(0, period.index) +
      " ".repeat(period[0].length) +
      text.slice(period.index + period[0].length);
  }
  for (const year of text.matchAll(new RegExp(YEAR_ONLY.source, "g"))) {
    // "vay từ năm 2024", "tháng 12/2025", "sau 2025": when something happened, not a date asked about.
    if (/(?:\b(?:tu|ke tu|sau|truoc|cuoi|dau|giua)\s*(?:nam\s*)?|\/\s*)$/.test(text.slice(0, year.index + 1)))
      return undefined;
    const asked = Number(year[1]);
    found.push({
      at: year.index,
      asked: { date: asked === thisYear ? today : `${asked}-07-01`, label: `năm ${asked}` },
    });
  }
  const dates = found
    .sort((a, b) => a.at - b.at)
    .map((entry) => entry.asked)
    .filter((asked, at, all) => all.findIndex((other) => other.date === asked.date) === at);
  return dates.length >= 2 ? dates : undefined;
}

/**
 * Reads the date a question is about. A year other than this one is read as its middle (1 July), a period
 * as the middle of its years, "trước tháng 12/2025" as the day before it starts; without any: today.
 *
 * ```ts
 * askedDate("chuan ngheo giai doan 2016 2020", "2026-12-06"); // { date: "2018-07-01", label: "giai đoạn 2016–2020" }
 * ```
 */
export function askedDate(question: string, today: string): AskedDate {
  // "Nghị định 238/2025", "QĐ 28 năm 2015", "2553/2025", "Luật Việc làm 2025": the year of an instrument is
  // not the date asked about (a bare "12/2025" is a month).
  const text = datesText(question);
  const thisYear = Number(today.slice(0, 4));
  const before = BEFORE_MONTH.exec(text);
  if (before) {
    const month = Number(before[2]);
    const year = Number(before[3]);
    const day = before[1] ? Number(before[1]) : 1;
    if (month >= 1 && month <= 12 && day >= 1 && day <= 31)
      return {
        date: addDays(`${year}-${pad(month)}-${pad(day)}`, -1),
        label: `trước ${before[1] ? `ngày ${day}/` : "tháng "}${month}/${year}`,
      };
  }
  const full = FULL_DATE.exec(text);
  if (full) {
    const day = Number(full[1]);
    const month = Number(full[2]);
    if (day >= 1 && day <= 31 && month >= 1 && month <= 12)
      return { date: `${full[3]}-${pad(month)}-${pad(day)}`, label: `từ ${day}/${month}/${full[3]}` };
  }
  const period = PERIOD.exec(text);
  if (period) {
    const first = Number(period[1]);
    const last = Number(period[2]);
    if (last > first && last - first <= 10)
      return { date: `${Math.floor((first + last) / 2)}-07-01`, label: `giai đoạn ${first}–${last}` };
  }
  const from = FROM_MONTH.exec(text);
  if (from) {
    const month = Number(from[1]);
    if (month >= 1 && month <= 12)
      return { date: `${from[2]}-${pad(month)}-01`, label: `tháng ${month}/${from[2]}` };
  }
  const beforeYear = BEFORE_YEAR.exec(text);
  if (beforeYear) return { date: `${Number(beforeYear[1]) - 1}-07-01`, label: `trước năm ${beforeYear[1]}` };
  // "vay từ 2024, giờ có được giảm không": a year with "now" asks about now.
  if (NOW.test(text)) return { date: today, label: null, saysNow: true };
  // "cuối năm 2025", "đầu năm 2026": the end or the start of the year, not its middle.
  const edge = new RegExp(String.raw`\b(cuoi|dau)\s+(?:nam\s+)?${YEAR}`).exec(text);
  if (edge) {
    const end = edge[1] === "cuoi";
    return {
      date: `${edge[2]}-${end ? "12-31" : "01-01"}`,
      label: `${end ? "cuối" : "đầu"} năm ${edge[2]}`,
    };
  }
  const year = YEAR_ONLY.exec(text);
  if (year) {
    const asked = Number(year[1]);
    if (asked === thisYear) return { date: today, label: null };
    return { date: `${asked}-07-01`, label: `năm ${asked}` };
  }
  if (/\b(?:nam sau|nam toi|sang nam|nam moi)\b/.test(text))
    return { date: `${thisYear + 1}-01-01`, label: `năm ${thisYear + 1}` };
  if (/\b(?:nam ngoai|nam truoc|nam roi)\b/.test(text))
    return { date: `${thisYear - 1}-07-01`, label: `năm ${thisYear - 1}` };
  return { date: today, label: null };
}
