/**
 * Personal data in free text: what could identify a person is masked before a text is stored or shown
 * (feedback, kept questions, notes of the quick household reading).
 */

import { normalizeVietnamese } from "./vietnamese.ts";

/** A capitalised Vietnamese syllable ("Nguyễn", "Thị", "A"). */
const NAME_SYLLABLE = String.raw`\p{Lu}\p{Ll}*`;
/** Words a name follows when people speak of someone: "bà Lan", "anh Nguyễn Văn Nam", "tên là Hoa". */
const TITLES = [
  "ông",
  "bà",
  "anh",
  "chị",
  "cô",
  "chú",
  "bác",
  "cụ",
  "em",
  "cháu",
  "dì",
  "cậu",
  "mợ",
  "thím",
  "tên là",
  "tên",
];
// Titles in either case ("Bà Lan" starts a sentence), names with a capital: no `i` flag, which would make
// every letter a capital.
const BEFORE_NAME = new RegExp(
  String.raw`(?<![\p{L}])((?:${TITLES.flatMap((t) => [t, t[0]!.toUpperCase() + t.slice(1)]).join("|")})\s+)${NAME_SYLLABLE}(?:\s+${NAME_SYLLABLE}){0,3}(?![\p{L}])`,
  "gu",
);
/** The commonest family names, starting a capitalised name anywhere ("Trần Thị Mai có được vay không"). */
const FULL_NAME = new RegExp(
  String.raw`(?<![\p{L}])(?:Nguyễn|Trần|Lê|Phạm|Hoàng|Huỳnh|Phan|Vũ|Võ|Đặng|Bùi|Đỗ|Hồ|Ngô|Dương|Lý|Đinh|Đào|Lương|Trịnh|Mai|Cao|Hà|Lâm|Tạ|Triệu)(?:\s+${NAME_SYLLABLE}){1,3}(?![\p{L}])`,
  "gu",
);
/** Place names that look like a person's name and must stay readable in the statistics. */
const PLACES = new Set([
  "Hồ Chí Minh",
  "Bà Rịa",
  "Hà Nội",
  "Hà Giang",
  "Hà Tĩnh",
  "Hà Nam",
  "Hà Tiên",
  "Lâm Đồng",
  "Cao Bằng",
  "Cao Lãnh",
  "Hoàng Mai",
  "Hoàng Su Phì",
  "Lý Sơn",
  "Mai Sơn",
  "Mai Châu",
  "Lê Chân",
  "Ngô Quyền",
  "Phan Thiết",
  "Phan Rang",
]);

/**
 * Masks what could identify a person in a stored text: long digit runs (phone, ID card, account numbers),
 * e-mail addresses, links, and names written with capitals after a title ("bà Lan") or starting with a common
 * family name ("Nguyễn Văn A"); cuts it to 300 characters. Amounts of money stay ("3tr5", "1.500.000"). A name
 * typed without capitals cannot be told from ordinary words and stays: the statistics show such texts to staff
 * only, and say so.
 */
export function scrubPersonalData(text: string): string {
  return normalizeVietnamese(text)
    .replace(BEFORE_NAME, (match, title: string) =>
      isPlace(match) || isPlace(match.slice(title.length)) ? match : `${title}[tên]`,
    )
    .replace(FULL_NAME, (match) => (isPlace(match) ? match : "[tên]"))
    .replace(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, "[email]")
    .replace(/\bhttps?:\/\/\S+/gi, "[link]")
    .replace(/(?<!\d|\d[.,])\+?\d(?:[\s.-]?\d){8,}(?!\d|[.,]\d)/g, (match) =>
      /^\d{1,3}(?:[.,]\d{3})+$/.test(match) ? match : "[số]",
    )
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 300);
}

function isPlace(name: string): boolean {
  return PLACES.has(name.replace(/\s+/g, " "));
}
