/**
 * Expert mode: a household described on one line the way commune staff type it, read into the scorer's
 * {@link HouseholdInput}, with a list of what was assumed and what could not be read. For example
 * `nông thôn, 4 người, thu nhập 5tr6/tháng, thiếu: bhyt, nhà tiêu, nhà ở; chưa có trong danh sách; con học ĐH`.
 *
 * How it reads: the line is folded (no diacritics, lower case) letter for letter, so that a phrase found in
 * the folded text can be cut from the original; each reader takes the phrases it knows (listed status, area,
 * members, income, deprivations, pupils and students, ages, flags, province, dates), most specific first,
 * and marks them used; what is left over, once filler words are dropped, is reported as unread. Money,
 * counts and dates are read by the conversation's own answer parser (src/flows/answers.ts). Pure.
 */
import type { EducationLevel, HouseholdInput, Person } from "../domain/household.ts";
import type { PolicyKnowledge } from "../domain/policy.ts";
import { formatMoney } from "../domain/format.ts";
import { parseAnswer } from "../flows/answers.ts";
import { scrubPersonalData } from "../text/personal-data.ts";
import { lastDayOf } from "../flows/household.ts";
import { err, ok, type Result } from "../shared/result.ts";
import {
  classifyNumberTokens,
  FOLDED_NUMBER_WORD,
  numberWords,
  readNumber,
} from "../text/vietnamese-numbers.ts";
import { foldDiacritics, normalizeVietnamese } from "../text/vietnamese.ts";
import { EDUCATION_SHORT_LABEL } from "../domain/wording.ts";

/** Something the reader assumed ("assumed"), could not read ("unread") or read but left out ("ignored"). */
export interface QuickNote {
  kind: "assumed" | "unread" | "ignored";
  text: string;
}

/** A line read into a household. */
export interface QuickHousehold {
  household: HouseholdInput;
  notes: QuickNote[];
}

/** What the reader needs besides the line. */
export interface QuickContext {
  /** Today's date, ISO: the default assessment date and the reference for "năm ngoái". */
  today: string;
  /** Deprivation indicators of the standard in force on a date, e.g. `(date) => indicatorsOn(policy, date)`. */
  indicators: (date: string) => readonly { id: string; label: string }[];
  /** Province names to recognise in the line (e.g. those with overrides); optional. */
  provinces?: readonly string[];
}

/** The deprivation indicators of the poverty standard in force on a date (empty when none is). */
export function indicatorsOn(policy: PolicyKnowledge, date: string): { id: string; label: string }[] {
  const standard = policy.standards.find((candidate) => candidate.from <= date && date <= candidate.to);
  return standard ? [...standard.indicators.list] : [];
}

// === Vocabulary (folded)

const NUMBER_WORD = FOLDED_NUMBER_WORD;
const COUNT = `(?:\\d{1,2}|${NUMBER_WORD})`;

/** Deprivation words → indicator id. Longer phrases are tried first. */
const INDICATOR_WORDS: [string, string][] = (
  [
    ["employment", ["viec lam", "vl", "that nghiep", "khong co viec", "khong viec lam", "lao dong"]],
    ["dependants", ["nguoi phu thuoc", "phu thuoc", "npt", "ty le phu thuoc"]],
    ["nutrition", ["dinh duong", "suy dinh duong", "sdd", "tre suy dinh duong", "tre thap coi"]],
    ["health_insurance", ["bhyt", "bao hiem y te", "bh y te", "bao hiem", "the bhyt", "the bao hiem y te"]],
    [
      "adult_education",
      [
        "giao duc nguoi lon",
        "trinh do giao duc",
        "hoc van",
        "trinh do hoc van",
        "trinh do",
        "gd nguoi lon",
        "tdgd",
      ],
    ],
    [
      "child_school_attendance",
      [
        "tre di hoc",
        "tre em di hoc",
        "di hoc",
        "tinh trang di hoc",
        "tre bo hoc",
        "bo hoc",
        "tre khong di hoc",
      ],
    ],
    [
      "housing_quality",
      [
        "chat luong nha",
        "chat luong nha o",
        "nha tam bo",
        "nha tam",
        "nha dot nat",
        "nha xuong cap",
        "nha o",
        "nha",
        "nha hu hong",
      ],
    ],
    ["housing_area", ["dien tich nha", "dien tich nha o", "nha chat", "dien tich", "dt nha", "dien tich o"]],
    ["water_source", ["nuoc sach", "nuoc sinh hoat", "nguon nuoc", "nuoc", "nuoc an", "nuoc hop ve sinh"]],
    [
      "hygienic_latrine",
      [
        "nha tieu",
        "nha ve sinh",
        "nvs",
        "ho xi",
        "wc",
        "ve sinh",
        "nha tieu hop ve sinh",
        "nha ve sinh hop ve sinh",
        "toilet",
      ],
    ],
    ["telecom_use", ["vien thong", "dien thoai", "internet", "dich vu vien thong", "mang", "smartphone"]],
    [
      "information_assets",
      [
        "tivi",
        "tv",
        "ti vi",
        "radio",
        "dai",
        "may tinh",
        "phuong tien thong tin",
        "tiep can thong tin",
        "thong tin",
      ],
    ],
    ["health_care_access", ["kham chua benh", "tiep can y te", "dich vu y te", "y te"]],
    ["waste_treatment", ["rac", "rac thai", "xu ly rac", "xu ly rac thai"]],
  ] as [string, string[]][]
)
  .flatMap(([id, words]) => words.map((word): [string, string] => [word, id]))
  .sort((a, b) => b[0].length - a[0].length);

/** Education levels by the words staff use; `grade` levels are read from "lớp N". */
const LEVEL_WORDS: [string, EducationLevel][] = (
  [
    ["preschool", ["mau giao", "mam non", "nha tre", "mg", "mn"]],
    ["primary", ["tieu hoc", "cap 1", "cap i", "cap mot", "c1", "th"]],
    ["lower_secondary", ["thcs", "cap 2", "cap ii", "cap hai", "c2", "trung hoc co so"]],
    ["upper_secondary", ["thpt", "cap 3", "cap iii", "cap ba", "c3", "trung hoc pho thong"]],
    ["vocational", ["trung cap nghe", "trung cap", "tc", "hoc nghe", "truong nghe", "nghe", "tcn"]],
    ["college", ["cao dang", "cd", "cdn"]],
    ["university", ["dai hoc", "dh", "sinh vien", "sv"]],
  ] as [EducationLevel, string[]][]
)
  .flatMap(([level, words]) => words.map((word): [string, EducationLevel] => [word, level]))
  .sort((a, b) => b[0].length - a[0].length);

/** Usual age at each level, used when the line gives none (an assumption, said in the notes). */
const TYPICAL_AGE: Record<EducationLevel, number> = {
  preschool: 4,
  primary: 8,
  lower_secondary: 13,
  upper_secondary: 16,
  vocational: 18,
  college: 19,
  university: 20,
};

const LEVEL_PATTERN = `(?:lop ?(?:1[0-2]|[1-9])(?!\\d)|${LEVEL_WORDS.map(([word]) => word.replace(/ /g, "\\s")).join("|")})`;

/** Ethnic groups commonly named instead of "DTTS" ("người Tày", "dân tộc Dao"). */
const ETHNIC_GROUPS =
  "tay|nung|muong|dao|hmong|h mong|mong|khmer|gia rai|e de|ba na|san chay|cham|xo dang|san diu|hre|co ho|raglai|ra glai|m nong|mnong|xtieng|kho mu|khmu|bru van kieu|co tu|giay|ta oi|gie trieng|cho ro|xinh mun|ha nhi|chu ru|la chi|khang|phu la|la hu|la ha|pa then|lo lo|co lao|bo y|si la|pu peo|ro mam|brau|o du|thai";

/** Words that carry nothing once the facts are taken out. */
const FILLER = new Set(
  "co la va ho gia dinh gd nha o dang song thi voi cua nhung van deu con van trong tai can hien nay hien moi tren duoi khoang tam chung chua khong ko k cac nhung mot so nguoi con cai ma nhung roi nua vay a nhe nha thong tin ca de duoc dc it nhieu thu nhap tn bq binh quan hang thang thang nam moi luc cung".split(
    " ",
  ),
);

// === The working text

interface Match {
  start: number;
  end: number;
  groups: (string | undefined)[];
  /** The original text of the match (with its diacritics). */
  text: string;
}

const FOLDED_CHARS = new Map<string, string>();

/** A letter without its diacritics, lower case; itself in lower case when folding would change its length. */
function foldChar(char: string): string {
  let folded = FOLDED_CHARS.get(char);
  if (folded === undefined) {
    const bare = foldDiacritics(char);
    folded = bare.length === char.length ? bare : char.toLowerCase();
    if (FOLDED_CHARS.size < 10_000) FOLDED_CHARS.set(char, folded);
  }
  return folded;
}

/** The readers' patterns, compiled once (most are fixed; a few depend on the provinces or indicators). */
const WORD_PATTERNS = new Map<string, RegExp>();

/** The line, its folded twin (same length) and which characters a reader has taken. */
class Line {
  readonly original: string;
  readonly folded: string;
  private readonly used: boolean[];

  constructor(text: string) {
    this.original = normalizeVietnamese(text)
      .replace(/[\s\u00a0]+/g, " ")
      .trim();
    // Folding letter by letter keeps positions, so a match in the folded text cuts the original.
    let folded = "";
    for (const char of this.original)
      folded += char.charCodeAt(0) < 0x80 ? char.toLowerCase() : foldChar(char);
    this.folded = folded;
    this.used = Array.from({ length: this.folded.length }, () => false);
  }

  /** Every match of `pattern` (a folded-text regex source, whole words) over characters not taken yet. */
  find(pattern: string): Match[] {
    let regex = WORD_PATTERNS.get(pattern);
    if (!regex) {
      regex = new RegExp(`(?<![\\p{L}\\p{N}])(?:${pattern})(?![\\p{L}\\p{N}])`, "gu");
      if (WORD_PATTERNS.size < 1_000) WORD_PATTERNS.set(pattern, regex);
    }
    regex.lastIndex = 0;
    const found: Match[] = [];
    for (let match = regex.exec(this.folded); match; match = regex.exec(this.folded)) {
      const start = match.index;
      const end = start + match[0].length;
      if (match[0].length === 0 || this.used.slice(start, end).some(Boolean)) {
        // A match over words already read may hide a shorter one just after: look again one step on.
        regex.lastIndex = start + 1;
        continue;
      }
      found.push({ start, end, groups: match.slice(1), text: this.original.slice(start, end) });
    }
    return found;
  }

  /** Marks a match as read. */
  take(match: { start: number; end: number }): void {
    for (let i = match.start; i < match.end; i++) this.used[i] = true;
  }

  /** Finds and takes every match. */
  takeAll(pattern: string): Match[] {
    const found = this.find(pattern);
    found.forEach((match) => this.take(match));
    return found;
  }

  /** What no reader took, as original-text chunks split at separators, filler words dropped. */
  leftovers(): string[] {
    const chunks: string[] = [];
    let current = "";
    let currentFolded = "";
    const flush = (): void => {
      const words = currentFolded.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
      if (words.some((word) => !FILLER.has(word) && !/^\d$/.test(word))) {
        const text = current.replace(/^[\s,.;:+&/()-]+|[\s,.;:+&/()-]+$/g, "").trim();
        if (text) chunks.push(text);
      }
      current = "";
      currentFolded = "";
    };
    for (let i = 0; i < this.original.length; i++) {
      if (this.used[i] || /[,;]/.test(this.original[i]!)) {
        flush();
        continue;
      }
      current += this.original[i];
      currentFolded += this.folded[i];
    }
    flush();
    return chunks;
  }
}

/** Reads a count written in digits or words ("4", "bốn"). */
function readCount(text: string): number | undefined {
  const tokens = classifyNumberTokens(numberWords(text)).filter((token) => token.type !== "other");
  const value = readNumber(tokens);
  return value !== undefined && Number.isInteger(value) ? value : undefined;
}

function shortDate(iso: string): string {
  const [year, month, day] = iso.split("-");
  return `${day}/${month}/${year}`;
}

const DATE_TEXT =
  "(?:ngay\\s?)?\\d{1,2}[/.-]\\d{1,2}[/.-]\\d{2,4}|(?:thang\\s?|t)?\\d{1,2}[/.-]\\d{4}|thang\\s\\d{1,2}\\s(?:nam\\s)?\\d{4}|(?:nam\\s)?(?:19|20)\\d{2}|nam\\s(?:ngoai|nay|truoc|roi|kia)";

/** A date as staff write it: a full date, a month (its last day, as the interview does) or a year (31/12). */
function readDate(
  text: string,
  today: string,
): { iso: string; precision: "day" | "month" | "year" } | undefined {
  const full = parseAnswer({ type: "date", not_future: false, min_year: 1990 }, text, {
    today,
    allowUnknown: false,
  });
  if (full.ok && full.value.answer.type === "value")
    return { iso: String(full.value.answer.value), precision: "day" };
  const month = parseAnswer({ type: "month_year", not_future: false, min_year: 1990 }, text, {
    today,
    allowUnknown: false,
  });
  if (month.ok && month.value.answer.type === "value") {
    const value = String(month.value.answer.value);
    return { iso: lastDayOf(value), precision: value.includes("-") ? "month" : "year" };
  }
  return undefined;
}

// === The readers

interface State {
  line: Line;
  context: QuickContext;
  household: Partial<HouseholdInput>;
  notes: QuickNote[];
  persons: Person[];
  /** Persons whose age was assumed from their level. */
  agesAssumed: Set<number>;
}

function note(state: State, kind: QuickNote["kind"], text: string): void {
  if (!state.notes.some((existing) => existing.text === text)) state.notes.push({ kind, text });
}

function readAssessmentDate(state: State): void {
  for (const match of state.line.takeAll(
    `(?:ngay danh gia|danh gia ngay|danh gia vao|xet ngay|xet tai ngay|tai ngay|ngay xet)\\s?:?\\s?(${DATE_TEXT})`,
  )) {
    const dateText = state.line.original.slice(match.end - (match.groups[0] ?? "").length, match.end);
    const date = readDate(dateText, state.context.today);
    if (date) state.household.assessedOn = date.iso;
    else note(state, "unread", `Chưa đọc được ngày đánh giá “${match.text}”.`);
  }
}

function readLeftList(state: State): void {
  const pattern = `(?:ho\\s)?(?:da\\s|moi\\s|vua\\s|duoc\\s)*(?:cong nhan\\s)?thoat\\s(?:khoi\\s)?(?:ho\\s)?(ngheo|can ngheo|cn|hn|hcn|ds|danh sach)(?:\\s(?:tu|vao|nam|thang|ngay|luc|hoi|tu thang|tu nam|vao thang|vao nam))*\\s?:?\\s?(${DATE_TEXT})?`;
  for (const match of state.line.takeAll(pattern)) {
    const which = match.groups[0]!;
    const nearPoor = /can|cn|hcn/.test(which);
    const dateText = match.groups[1]
      ? state.line.original.slice(match.end - match.groups[1].length, match.end)
      : "";
    const date = dateText ? readDate(dateText, state.context.today) : undefined;
    if (date) {
      state.household.leftListOn = date.iso;
      if (date.precision !== "day") {
        note(
          state,
          "assumed",
          `Ngày ${nearPoor ? "thoát cận nghèo" : "thoát nghèo"} tính là ${shortDate(date.iso)} (${date.precision === "month" ? "cuối tháng" : "cuối năm"}, có lợi cho hộ khi xét thời hạn 3 năm).`,
        );
      }
    } else {
      note(
        state,
        "unread",
        `Chưa có tháng/năm ${nearPoor ? "thoát cận nghèo" : "thoát nghèo"}: ghi thêm, ví dụ “thoát nghèo 3/2024”, để xét vay vốn hộ mới thoát nghèo.`,
      );
    }
    state.household.listedStatus ??= "none";
  }
}

function readListedStatus(state: State): void {
  const statuses: { status: "poor" | "near_poor" | "none" | "unknown"; text: string }[] = [];
  const add = (status: (typeof statuses)[number]["status"], pattern: string): void => {
    for (const match of state.line.takeAll(pattern)) statuses.push({ status, text: match.text });
  };
  const list =
    "(?:danh sach|ds|so)(?:\\s(?:ho\\s)?(?:ngheo|can ngheo|hn|hcn|ngheo\\s(?:va|,)\\scan ngheo))?(?:\\scua xa)?";
  add("unknown", `(?:khong|ko|k|chua)\\s(?:ro|biet)\\s(?:co\\s)?(?:ten\\s)?(?:trong\\s)?${list}|ds\\s?\\?`);
  add(
    "none",
    `(?:chua|khong|ko|k|kg|khg)\\s(?:co\\s)?(?:ten\\s)?(?:trong\\s|o\\s|thuoc\\s)?${list}|ngoai\\s(?:danh sach|ds)|khong\\s(?:phai|thuoc)\\s(?:ho\\s)?(?:ngheo|can ngheo|hn|hcn)(?:\\s(?:hay|hoac|va)\\s(?:can ngheo|hcn))?|ko\\s(?:phai|thuoc)\\s(?:ho\\s)?(?:ngheo|can ngheo|hn|hcn)|ho\\sbinh thuong|khong\\sco\\sten`,
  );
  add(
    "near_poor",
    "(?:co\\s(?:ten\\s)?trong\\s(?:danh sach|ds)\\s)?(?:ho\\s|so\\s|ds\\s)?can\\sngheo|hcn|h\\.cn",
  );
  add("poor", "(?:co\\s(?:ten\\s)?trong\\s(?:danh sach|ds)\\s)?(?:ho\\s|so\\s|ds\\s)ngheo|hn|ho ngheo|h\\.n");
  const distinct = [...new Set(statuses.map((entry) => entry.status))];
  if (distinct.length === 1) {
    state.household.listedStatus = distinct[0]!;
    if (distinct[0] === "poor" || distinct[0] === "near_poor") {
      note(
        state,
        "assumed",
        `“${statuses[0]!.text}” hiểu là hộ đang có tên trong danh sách ${distinct[0] === "poor" ? "hộ nghèo" : "hộ cận nghèo"} của xã.`,
      );
    }
  } else if (distinct.length > 1) {
    // "thoát nghèo … hcn": escaped poverty, now on the near-poor list.
    if (distinct.includes("near_poor") && !distinct.includes("poor"))
      state.household.listedStatus = "near_poor";
    else {
      delete state.household.listedStatus;
      note(
        state,
        "unread",
        `Tình trạng danh sách mâu thuẫn (${statuses.map((entry) => `“${entry.text}”`).join(", ")}): ghi một trong hn, hcn hoặc “chưa có trong danh sách”.`,
      );
    }
  }
}

function readFlags(state: State): void {
  const set = (flag: keyof HouseholdInput, value: boolean, pattern: string): void => {
    if (state.line.takeAll(pattern).length > 0) (state.household as Record<string, unknown>)[flag] = value;
  };
  set(
    "inExtremelyDifficultArea",
    true,
    "(?:thon|ban|xa|vung|ap)\\s(?:dac biet kho khan|dbkk|dbkhokhan)|(?:xa\\s)?khu vuc\\s(?:iii|3)|(?:xa\\s)?kv\\s?(?:iii|3)|bai ngang|hai dao",
  );
  if (state.household.inExtremelyDifficultArea) state.household.inDifficultArea = true;
  set("inPoorCommune", true, "xa\\sngheo|xa\\sthuoc\\sdanh sach\\sxa\\sngheo");
  set("inPoorCommune", false, "(?:khong|ko|k)\\sphai\\sxa\\sngheo");
  set(
    "inEthnicMinorityArea",
    true,
    "vung\\s(?:dtts|dong bao dtts|dan toc thieu so|dong bao dan toc thieu so|dan toc)(?:\\s?(?:&|va|va\\s)?\\s?(?:mien nui|mn))?|vung\\scao|mien nui",
  );
  set("inDifficultArea", true, "(?:vung|dia ban|xa)\\s(?:kho khan|kk)");
  set("agricultural", false, "(?:khong|ko|k)\\s(?:lam\\s)?(?:nong|nong nghiep|ruong)");
  set(
    "agricultural",
    true,
    "lam\\snong|nong nghiep|lam\\sruong|trong trot|chan nuoi|nong dan|lam nghiep|ngu nghiep|danh\\s(?:ca|bat)|nuoi trong thuy san|lam muoi|diem nghiep|nlng|nln|thuan nong",
  );
  set(
    "needsWaterSupply",
    true,
    "can\\s(?:lam|xay|khoan|dao|lap|sua)\\s(?:gieng|be nuoc|cong trinh nuoc|cong trinh cap nuoc|nuoc)",
  );
  set(
    "needsSanitation",
    true,
    "can\\s(?:lam|xay|sua)\\s(?:nha tieu|nha ve sinh|nvs|cong trinh ve sinh|ho xi)",
  );
}

function readProvince(state: State): void {
  const names = state.context.provinces ?? [];
  for (const name of names) {
    const folded = foldDiacritics(name).replace(/^(?:tinh|thanh pho)\s+/, "");
    const escaped = folded.replace(/[-–]/g, "\\s?[-–]?\\s?").replace(/ /g, "\\s");
    const found = state.line.takeAll(`(?:(?:o|tai|thuoc)\\s)?(?:tinh\\s|tp\\s|thanh pho\\s)?${escaped}`);
    if (found.length > 0) state.household.province = name;
  }
}

function readArea(state: State): void {
  const urban = state.line.takeAll(
    "thanh thi|tt|phuong|thi tran|do thi|noi thanh|noi thi|tp|thanh pho|thi xa|quan|khu pho|to dan pho|tdp",
  );
  const ruralCandidates = state.line.find(
    "nong thon|nt|xa|thon|ngoai thanh|vung que|que|lang|ban|ap|buon|soc",
  );
  // "xa" (far), "ban" (you), "que" are only places when typed as such: with their accents, or after "ở".
  const rural = ruralCandidates.filter((match) => {
    const word = state.line.folded.slice(match.start, match.end);
    if (["nong thon", "nt", "ngoai thanh", "vung que", "thon"].includes(word)) return true;
    const accented = { xa: "xã", lang: "làng", ban: "bản", ap: "ấp", buon: "buôn", soc: "sóc", que: "quê" }[
      word
    ];
    const before = state.line.folded.slice(Math.max(0, match.start - 3), match.start);
    return match.text.toLowerCase() === accented || /(?:^|\s)o\s$/.test(before);
  });
  rural.forEach((match) => state.line.take(match));
  if (urban.length > 0 && rural.length > 0) {
    note(
      state,
      "unread",
      `Khu vực mâu thuẫn (${[...urban, ...rural].map((m) => `“${m.text}”`).join(", ")}): ghi một trong “nt” (nông thôn, xã) hoặc “tt” (thành thị, phường).`,
    );
  } else if (urban.length > 0) state.household.area = "urban";
  else if (rural.length > 0) state.household.area = "rural";
}

function readMembers(state: State): void {
  const counts: { value: number; text: string }[] = [];
  const notHouseholdSize =
    "(?!\\s?(?:dang\\s|dang di\\s|di\\s|con\\s)?hoc|\\s(?:phu thuoc|gia|cao tuoi|khuyet tat|kt|di lam|lam|tren|duoi|thieu|bi|om|tre)\\b|\\s?tuoi)";
  for (const match of state.line.takeAll(
    `(?:(?:ho|nha|gia dinh|gd|gđ|so nguoi|co)\\s)?(${COUNT})\\s?(?:nguoi|ng|nk|nhan khau|khau|thanh vien|tv|mieng)${notHouseholdSize}`,
  )) {
    const value = readCount(match.groups[0]!);
    if (value !== undefined) counts.push({ value, text: match.text });
  }
  for (const match of state.line.takeAll(
    `(?:so nguoi|so nk|nhan khau|nk|so khau|so thanh vien)\\s?[:=]?\\s?(\\d{1,2})`,
  )) {
    counts.push({ value: Number(match.groups[0]), text: match.text });
  }
  // "500 người": more digits than a household has; said plainly rather than "no number of people".
  for (const match of state.line.takeAll("(\\d{3,})\\s?(?:nguoi|ng|nk|nhan khau|khau|thanh vien)")) {
    note(state, "unread", `Số người “${match.text}” không hợp lệ: một hộ ghi từ 1 đến 50 người.`);
  }
  for (const match of state.line.takeAll("song\\smot\\sminh|o\\smot\\sminh|doc than|1\\sminh")) {
    counts.push({ value: 1, text: match.text });
  }
  const distinct = [...new Set(counts.map((count) => count.value))];
  if (distinct.length === 1) state.household.members = distinct[0]!;
  else if (distinct.length > 1) {
    note(state, "unread", `Số người trong hộ mâu thuẫn (${counts.map((c) => `“${c.text}”`).join(", ")}).`);
  }
}

const MONEY_DIGITS = "\\d{1,3}(?:[.,]\\d{3})+|\\d+(?:[.,]\\d+)?";
const MONEY_UNIT = "trieu|tr|cu|m|k|nghin|ngan|ng|ty|ti";
// "5tr6" always; "5 triệu 600" only when what follows is not a count of something ("5tr 4 người").
const MONEY_AFTER_UNIT = `(?:\\d{1,3}(?!\\d|[.,]\\d)|\\s\\d{1,3}(?!\\d|[.,]\\d)(?!\\s?(?:nguoi|ng|nk|khau|con|chau|tuoi|t\\b|chi so|cs|thieu|hs|sv|em|be)))?(?:\\s?ruoi)?`;
const MONEY_CURRENCY = "(?:\\s?(?:d|dong|vnd|vnđ))?";
/** An amount with its unit: "5tr6", "5,6 triệu", "1.500.000đ", "1500k", "3 triệu rưỡi". */
const MONEY_WITH_UNIT = `(?:${MONEY_DIGITS})\\s?(?:${MONEY_UNIT})${MONEY_AFTER_UNIT}${MONEY_CURRENCY}|(?:${MONEY_DIGITS})\\s?(?:d|dong|vnd|vnđ)`;
/** An amount in words: "ba triệu rưỡi", "hai triệu năm trăm". */
const MONEY_WORDS = `(?:(?:${NUMBER_WORD}|tram|linh|le|ruoi)\\s)*(?:${NUMBER_WORD}|tram)\\s(?:trieu|nghin|ngan)(?:\\s(?:${NUMBER_WORD}|tram|ruoi|linh|le)(?!\\s(?:thang|nam|nguoi|ng|ho)))*`;
const PER_PERSON_BEFORE =
  "(?:tnbq|thu nhap binh quan|thu nhap bq|binh quan|bq|dau nguoi|tn\\sbq|tn\\sbinh quan|moi nguoi)";
const INCOME_KEY = `(?:${PER_PERSON_BEFORE}|thu nhap(?:\\sca ho|\\stoan ho|\\sho)?|tn(?:\\sca ho|\\sho)?|luong|thu)(?:\\s(?:hang thang|moi thang|thang|1 thang|mot thang|nam|1 nam|mot nam|moi nam|ca nam|khoang|tam|chung|la|duoi|tren|it hon))*\\s?[:=]?\\s?`;
const SUFFIX =
  "(?:\\s?/\\s?|\\s(?:moi|mot|1|tren|cho|ca|toan|hang|trong|mot)\\s|\\s)?(?:nguoi|ng|nk|khau|dau nguoi|ho|ca ho|toan ho|thang|th|nam|n)(?![\\p{L}\\p{N}])(?!\\s?(?:nguoi|ng|nk|khau))";

function readIncome(state: State): void {
  const { line } = state;
  let amountMatch: Match | undefined;
  let perPerson = false;
  let household = false;
  let yearly = false;
  let keyed = false;
  const unknown = line.takeAll(
    "(?:thu nhap|tn)\\s(?:khong ro|chua ro|ko ro|\\?|chua biet|khong biet|ko biet)",
  );
  if (unknown.length > 0) {
    note(state, "unread", "Thu nhập chưa rõ: quyết định sẽ nói cần thêm thông tin thu nhập.");
    return;
  }
  const nothing = line.takeAll(
    "(?:khong|ko|k|chua)\\s(?:co\\s)?(?:thu nhap|tn)(?:\\sgi)?|(?:thu nhap|tn)\\s(?:khong co|ko co|bang\\s0|=\\s?0|0\\s?d?)",
  );
  if (nothing.length > 0) {
    state.household.monthlyIncome = 0;
    return;
  }
  const keyedMatches = line.find(`(${INCOME_KEY})(${MONEY_WITH_UNIT}|${MONEY_WORDS}|${MONEY_DIGITS})`);
  if (keyedMatches.length > 0) {
    const match = keyedMatches[0]!;
    const key = match.groups[0]!;
    const amountStart = match.start + key.length;
    amountMatch = {
      start: amountStart,
      end: match.end,
      groups: [],
      text: line.original.slice(amountStart, match.end),
    };
    line.take(match);
    keyed = true;
    if (new RegExp(PER_PERSON_BEFORE).test(key)) perPerson = true;
    if (/ca ho|toan ho|\bho\b/.test(key)) household = true;
    if (/\bnam\b/.test(key) && !/thang/.test(key)) yearly = true;
  } else {
    const bare = line.find(`${MONEY_WITH_UNIT}|${MONEY_WORDS}`);
    if (bare.length > 0) {
      amountMatch = bare[0]!;
      line.take(amountMatch);
    }
  }
  if (!amountMatch) return;
  // Markers right after the amount: "/người/tháng", "mỗi năm", "cả hộ".
  let suffixEnd = amountMatch.end;
  for (;;) {
    const suffix = new RegExp(`^${SUFFIX}`, "u").exec(line.folded.slice(suffixEnd));
    if (!suffix) break;
    const word = suffix[0].replace(/^[\s/]*(?:moi|mot|1|tren|cho|ca|toan|hang|trong)?\s?/, "").trim();
    if (/^(?:nguoi|ng|nk|khau|dau nguoi)$/.test(word)) perPerson = true;
    else if (/^(?:ho|ca ho|toan ho)$/.test(word) || /(?:ca|toan) ho$/.test(suffix[0])) household = true;
    else if (/^(?:nam|n)$/.test(word)) yearly = true;
    line.take({ start: suffixEnd, end: suffixEnd + suffix[0].length });
    suffixEnd += suffix[0].length;
  }
  const amountOnly = line.original.slice(amountMatch.start, amountMatch.end).trim();
  const parsed = parseAnswer({ type: "money", min: 0, max: 10_000_000_000 }, amountOnly, {
    today: state.context.today,
    allowUnknown: false,
  });
  let monthly: number | undefined;
  if (parsed.ok && parsed.value.answer.type === "value") monthly = Number(parsed.value.answer.value);
  else if (!parsed.ok && parsed.error.type === "needs_unit" && keyed) {
    // "tn 5" from staff: a bare small number is millions, a hundreds figure thousands; said in the notes.
    const bare = Number(amountOnly.replace(",", "."));
    if (Number.isFinite(bare) && bare > 0) {
      monthly = bare < 100 ? Math.round(bare * 1_000_000) : Math.round(bare * 1_000);
      note(state, "assumed", `“${amountOnly}” hiểu là ${formatMoney(monthly)}.`);
    }
  }
  if (monthly === undefined) {
    note(
      state,
      "unread",
      `Chưa đọc được số tiền thu nhập “${amountMatch.text}”. Ví dụ: thu nhập 5tr6/tháng.`,
    );
    return;
  }
  if (yearly) {
    const perYear = monthly;
    monthly = Math.round(perYear / 12);
    note(
      state,
      "assumed",
      `Thu nhập ${formatMoney(perYear)} một năm tính ra ${formatMoney(monthly)} mỗi tháng.`,
    );
  }
  if (perPerson) {
    state.household.incomePerPerson = monthly;
  } else {
    state.household.monthlyIncome = monthly;
    if (!household) {
      const members = state.household.members;
      note(
        state,
        "assumed",
        `Thu nhập ${formatMoney(monthly)}/tháng hiểu là của cả hộ${members ? ` (khoảng ${formatMoney(monthly / members)}/người/tháng)` : ""}; nếu là bình quân đầu người, ghi “/người”.`,
      );
    }
  }
  const others = line.find(MONEY_WITH_UNIT);
  for (const other of others)
    note(state, "unread", `Có thêm một số tiền “${other.text}” chưa biết là gì; chỉ dùng số đầu tiên.`);
  others.forEach((other) => line.take(other));
}

/** The indicator whose words start at `at` in the folded text (the longest), with where they end. */
function indicatorAt(folded: string, at: number): { id: string; end: number } | undefined {
  const rest = folded.slice(at);
  for (const [word, id] of INDICATOR_WORDS) {
    if (rest.startsWith(word) && !/[\p{L}\p{N}]/u.test(rest.charAt(word.length)))
      return { id, end: at + word.length };
  }
  return undefined;
}

/** The indicator a phrase names, or undefined. */
function indicatorOf(folded: string): { id: string; word: string } | undefined {
  const cleaned = folded
    .replace(/^(?:thieu|khong co|ko co|k co|chua co|khong|ko|chua|co)\s+/, "")
    .replace(/[.()]/g, " ")
    .trim();
  for (const [word, id] of INDICATOR_WORDS) {
    if (cleaned === word || cleaned.startsWith(`${word} `)) {
      const rest = cleaned.slice(word.length).trim();
      // "nhà tiêu hợp vệ sinh", "nước sạch sinh hoạt": a few describing words may follow, not a new fact.
      if (rest.split(" ").filter(Boolean).length <= 3) return { id, word };
    }
  }
  return undefined;
}

function readDeprivations(state: State): void {
  const { line, context } = state;
  const indicators = context.indicators(state.household.assessedOn ?? context.today);
  const inForce = new Map(indicators.map((indicator) => [indicator.id, indicator.label]));
  const found = new Map<string, string>();
  let count: number | undefined;

  if (
    line.takeAll(
      "(?:khong|ko|k|chua)\\s(?:bi\\s)?thieu(?:\\shut)?(?:\\sgi|\\schi so nao|\\sgi ca|\\scai nao)?|du ca|khong co thieu hut",
    ).length > 0
  ) {
    count = 0;
  }
  for (const match of line.takeAll(
    `(?:thieu(?:\\shut)?|th)\\s?[:=]?\\s?(${COUNT})\\s?(?:chi so|cs|chieu|tieu chi|muc|chi tieu)?(?!\\s?(?:trieu|tr|k|nghin|nguoi|ng|tuoi))|(${COUNT})\\s(?:chi so|cs)\\s(?:thieu(?:\\shut)?)?`,
  )) {
    const value = readCount(match.groups[0] ?? match.groups[1] ?? "");
    if (value !== undefined) count = value;
  }

  // "thiếu: bhyt, nhà tiêu, nhà ở" (or without commas): the list runs while the next words name an indicator.
  for (const head of line.find("thieu(?:\\shut)?(?:\\scac\\schi so|\\schi so|\\sve|\\scac)?\\s?:?")) {
    let cursor = head.end;
    const taken: { start: number; end: number }[] = [head];
    for (;;) {
      const separator = /^(?:\s*(?:,|\+|&|\/|\bva\b|\bvoi\b)\s*|\s+)/u.exec(line.folded.slice(cursor));
      const at = cursor + (separator ? separator[0].length : 0);
      const indicator = indicatorAt(line.folded, at);
      if (!indicator) break;
      if (!found.has(indicator.id)) found.set(indicator.id, line.original.slice(at, indicator.end));
      taken.push({ start: cursor, end: indicator.end });
      cursor = indicator.end;
    }
    if (taken.length > 1) taken.forEach((span) => line.take(span));
  }
  // "không có bhyt", "chưa có nhà tiêu", "nhà tạm": a deprivation named on its own.
  const standalone = INDICATOR_WORDS.filter(
    ([word]) => word.length >= 4 && word !== "nha o" && word !== "thong tin",
  )
    .map(([word]) => word.replace(/ /g, "\\s"))
    .join("|");
  for (const match of line.takeAll(
    `(?:khong co|ko co|k co|chua co|thieu)\\s(?:${standalone})|nha tam|nha dot nat|nha chat`,
  )) {
    const indicator = indicatorOf(line.folded.slice(match.start, match.end));
    if (indicator && !found.has(indicator.id)) found.set(indicator.id, match.text);
  }

  const ids: string[] = [];
  for (const [id, text] of found) {
    if (inForce.size > 0 && !inForce.has(id)) {
      note(
        state,
        "ignored",
        `“${text}” không phải chỉ số thiếu hụt của chuẩn nghèo đang áp dụng, không tính.`,
      );
      continue;
    }
    ids.push(id);
    if (
      /^(?:nha o|nha)$/.test(
        foldDiacritics(text)
          .replace(/^(?:thieu|khong co|chua co)\s+/, "")
          .trim(),
      )
    ) {
      note(
        state,
        "assumed",
        `“${text}” hiểu là thiếu về chất lượng nhà ở (nhà tạm, dột nát); nếu là nhà chật, ghi “nhà chật”.`,
      );
    }
  }
  if (ids.length > 0) {
    state.household.deprivations = ids;
    if (count !== undefined && count !== ids.length) {
      note(
        state,
        "assumed",
        `Ghi ${count} chỉ số nhưng kể tên ${ids.length}: dùng ${ids.length} chỉ số đã kể tên.`,
      );
    }
  } else if (count !== undefined) {
    if (count > indicators.length && indicators.length > 0) {
      note(
        state,
        "unread",
        `Số chỉ số thiếu hụt ${count} lớn hơn số chỉ số của chuẩn (${indicators.length}).`,
      );
    } else state.household.deprivationCount = count;
  }
}

/** "lớp 7" → lower_secondary, with the usual age. */
function levelOf(folded: string): { level: EducationLevel; age?: number } | undefined {
  const grade = /^lop ?(\d{1,2})$/.exec(folded);
  if (grade) {
    const n = Number(grade[1]);
    const level: EducationLevel = n <= 5 ? "primary" : n <= 9 ? "lower_secondary" : "upper_secondary";
    return { level, age: n + 5 };
  }
  const compact = folded.replace(/\s+/g, " ");
  const entry = LEVEL_WORDS.find(([word]) => word === compact);
  return entry ? { level: entry[1] } : undefined;
}

function readPersons(state: State): void {
  const { line } = state;
  const school = "(?:\\s(?:cong lap|cl|truong cong|tu thuc|truong tu|dan lap|ngoai cong lap|tu))?";
  const head = `(?:(${COUNT})\\s?)?(?:con|chau|be|em|hs|hoc sinh|sv|sinh vien|dua|chau|nguoi)(?:\\s(?:dang|deu))?(?:\\s(?:di|dang di))?(?:\\shoc)?(?:\\s(?:o|tai|truong|bac|he))?\\s?:?`;
  const item = `(?:(${COUNT})\\s)?(${LEVEL_PATTERN})(${school})`;
  const schoolFlag = (text: string): boolean | undefined => {
    const folded = text.trim();
    if (!folded) return undefined;
    return /^(?:cong lap|cl|truong cong)$/.test(folded);
  };
  const addStudents = (
    n: number,
    level: { level: EducationLevel; age?: number },
    publicSchool: boolean | undefined,
  ): void => {
    for (let i = 0; i < n; i++) {
      const person: Person = { age: level.age ?? TYPICAL_AGE[level.level], education: level.level };
      if (publicSchool !== undefined) person.publicSchool = publicSchool;
      state.persons.push(person);
      state.agesAssumed.add(state.persons.length - 1);
    }
  };

  // "2 con: 1 cấp 2, 1 ĐH", "con học ĐH", "sv năm 2" — a head, then levels separated by "," "và" "+".
  for (const match of line.find(`${head}\\s?${item}(?:\\s?(?:,|va|\\+|&|;)\\s?${item})*`)) {
    const headCount = match.groups[0] ? readCount(match.groups[0]) : undefined;
    const inner = line.folded.slice(match.start, match.end);
    const items = [...inner.matchAll(new RegExp(`(?<![\\p{L}\\p{N}])${item}(?![\\p{L}\\p{N}])`, "gu"))];
    const read = items
      .map((entry) => ({
        n: entry[1] ? readCount(entry[1]) : undefined,
        level: levelOf(entry[2]!),
        publicSchool: schoolFlag(entry[3] ?? ""),
      }))
      .filter((entry) => entry.level !== undefined);
    // The head word itself may be a level ("sv", "sinh viên"): "2 sv" is two university students.
    if (read.length === 0) continue;
    const counted = read.reduce((sum, entry) => sum + (entry.n ?? 1), 0);
    for (const entry of read) {
      const n =
        read.length === 1 && entry.n === undefined && headCount !== undefined ? headCount : (entry.n ?? 1);
      addStudents(n, entry.level!, entry.publicSchool);
    }
    if (headCount !== undefined && read.length > 1 && counted < headCount) {
      note(state, "unread", `Ghi ${headCount} người đi học nhưng chỉ rõ bậc học của ${counted} người.`);
    }
    line.take(match);
  }
  // Ages: "con 5 tuổi", "bé 3t", "ông 72 tuổi khuyết tật", "cụ 85 tuổi", "con 17t học lớp 11".
  for (const match of line.takeAll(
    `(?:con|chau|be|em|ong|ba|me|bo|cha|vo|chong|nguoi gia|nct|nguoi cao tuoi|co|chu|bac|cu ong|cu ba|cu|anh|chi|nguoi)?\\s?(\\d{1,3})\\s?(?:tuoi|t)(?:\\s(?:dang\\s)?(?:di\\s)?hoc\\s?(${LEVEL_PATTERN})(${school}))?(\\s(?:khuyet tat|kt|nkt|tan tat))?`,
  )) {
    const age = Number(match.groups[0]);
    if (age > 120) {
      note(state, "unread", `Tuổi “${match.text}” không hợp lệ.`);
      continue;
    }
    const person: Person = { age };
    const level = match.groups[1] ? levelOf(match.groups[1]) : undefined;
    if (level) person.education = level.level;
    const publicSchool = schoolFlag(match.groups[2] ?? "");
    if (level && publicSchool !== undefined) person.publicSchool = publicSchool;
    if (match.groups[3]) person.disability = true;
    state.persons.push(person);
  }
  // "2 sv", "sinh viên", "1 hs cấp 3" without a level after the head word.
  for (const match of line.takeAll(`(?:(${COUNT})\\s)?(?:sv|sinh vien)(?!\\s?(?:${LEVEL_PATTERN}))`)) {
    addStudents(match.groups[0] ? (readCount(match.groups[0]) ?? 1) : 1, { level: "university" }, undefined);
  }
  // Levels named alone ("lớp 5", "THPT") count as one pupil each; short codes need a head word.
  for (const match of line.takeAll(
    `(?:(${COUNT})\\s)?(lop ?(?:1[0-2]|[1-9])|thcs|thpt|tieu hoc|mau giao|mam non|dai hoc|cao dang|trung cap nghe|trung cap|hoc nghe)(${school})`,
  )) {
    const level = levelOf(match.groups[1]!);
    if (level)
      addStudents(
        match.groups[0] ? (readCount(match.groups[0]) ?? 1) : 1,
        level,
        schoolFlag(match.groups[2] ?? ""),
      );
  }
  // "đều học trường công", "trường tư": for every pupil whose school was not said.
  for (const match of line.takeAll(
    "(?:deu\\s|ca hai\\s|tat ca\\s)?(?:hoc\\s)?(truong cong(?:\\slap)?|cong lap|truong tu(?:\\sthuc)?|tu thuc|dan lap|ngoai cong lap)",
  )) {
    const value = /cong/.test(match.groups[0]!) && !/ngoai/.test(match.groups[0]!);
    const students = state.persons.filter((person) => person.education && person.publicSchool === undefined);
    if (students.length === 0)
      note(state, "ignored", `“${match.text}”: chưa có người đi học nào để ghi trường.`);
    for (const person of students) person.publicSchool = value;
  }
  for (const match of line.takeAll("(?:co\\s)?(?:(?:1|mot)\\s)?(?:nguoi\\s)?(?:khuyet tat|nkt|tan tat)")) {
    note(state, "unread", `“${match.text}”: ghi kèm tuổi để tính, ví dụ “ông 70 tuổi khuyết tật”.`);
  }
  const studying = state.persons.filter((person, index) => person.education && state.agesAssumed.has(index));
  if (studying.length > 0) {
    note(
      state,
      "assumed",
      `Tuổi người đi học tạm tính theo bậc học (${studying
        .map((person) => `${EDUCATION_SHORT_LABEL[person.education!]}: ${person.age} tuổi`)
        .join(", ")}).`,
    );
  }
}

/** Takes the words saying a member is of an ethnic minority ("dtts", "người Tày") or Kinh. */
function takeEthnicity(line: Line): { minority: Match[]; majority: Match[] } {
  const minority = line.takeAll(
    `dtts|dan toc thieu so|dt thieu so|nguoi dan toc|dong bao dan toc|dan toc\\s(?:${ETHNIC_GROUPS})|nguoi\\s(?:${ETHNIC_GROUPS})`,
  );
  const majority = line.takeAll("(?:dan toc\\s|nguoi\\s)kinh");
  return { minority, majority };
}

function readEthnicity(state: State): void {
  const { line } = state;
  const { minority, majority } = takeEthnicity(line);
  if (minority.length === 0 && majority.length === 0) return;
  if (minority.length > 0 && majority.length > 0) {
    note(state, "unread", "Dân tộc mâu thuẫn (cả DTTS và Kinh); chưa tính.");
    return;
  }
  const value = minority.length > 0;
  if (state.persons.length === 0) {
    note(
      state,
      "ignored",
      `Đã ghi nhận ${value ? "dân tộc thiểu số" : "dân tộc Kinh"}, nhưng chưa có thành viên nào được mô tả (tuổi hoặc bậc học) nên chưa dùng được.`,
    );
    return;
  }
  for (const person of state.persons) person.ethnicMinority = value;
  // One word for several people: said, so staff can correct it when only some of them are.
  if (state.persons.length > 1) {
    note(
      state,
      "assumed",
      `${value ? "Dân tộc thiểu số" : "Dân tộc Kinh"} hiểu là của cả ${state.persons.length} người đã mô tả; nếu không phải tất cả, hãy ghi riêng cho từng người.`,
    );
  }
}

/**
 * Reads one line into a household. Fails only when the number of people is missing (the scorer needs it
 * and nothing stands in for it); everything else missing is for the scorer to report, and everything
 * guessed is in the notes.
 *
 * ```ts
 * parseQuickHousehold("nông thôn, 4 người, thu nhập 5tr6/tháng, thiếu: bhyt, nhà tiêu, nhà ở; chưa có trong danh sách; con học ĐH",
 *   { today: "2026-03-01", indicators: (date) => indicatorsOn(policy, date) });
 * // ok: { household: { area: "rural", members: 4, monthlyIncome: 5600000, deprivations: [...], listedStatus: "none",
 * //       persons: [{ age: 20, education: "university" }], assessedOn: "2026-03-01" }, notes: [...] }
 * ```
 */
export function parseQuickHousehold(
  text: string,
  context: QuickContext,
): Result<QuickHousehold, { message: string; notes: QuickNote[] }> {
  const line = new Line(text.replace(/^\s*\/nhanh(?:@\w+)?\b/i, ""));
  const state: State = { line, context, household: {}, notes: [], persons: [], agesAssumed: new Set() };
  if (!line.original) {
    return err({
      message:
        "Hãy ghi hộ trên một dòng, ví dụ: /nhanh nông thôn, 4 người, thu nhập 5tr6/tháng, thiếu: bhyt, nhà tiêu; chưa có trong danh sách; con học ĐH",
      notes: [],
    });
  }
  // Most specific first: dates and "thoát nghèo" before the list status, flags before the area ("xã
  // nghèo" is not just "xã"), the deprivation list before the area ("thiếu … nhà ở"), persons before the
  // members ("2 người đi học").
  readAssessmentDate(state);
  readLeftList(state);
  readFlags(state);
  readListedStatus(state);
  readProvince(state);
  readDeprivations(state);
  readPersons(state);
  readMembers(state);
  readIncome(state);
  readEthnicity(state);
  readArea(state);

  const household = state.household;
  if (household.members === undefined) {
    return err({
      message: "Chưa có số người trong hộ. Ghi thêm, ví dụ “4 người” hoặc “4 nk”.",
      notes: state.notes,
    });
  }
  if (household.area === undefined) {
    household.area = "rural";
    note(
      state,
      "assumed",
      "Chưa ghi nông thôn hay thành thị: tạm tính là nông thôn (xã). Ở phường, thêm “tt”.",
    );
  }
  if (state.persons.length > household.members) {
    note(
      state,
      "assumed",
      `Mô tả ${state.persons.length} thành viên nhưng hộ ghi ${household.members} người: tính hộ có ${state.persons.length} người.`,
    );
    household.members = state.persons.length;
  }
  if (state.persons.length > 0) household.persons = state.persons;
  household.assessedOn ??= context.today;
  if (household.leftListOn && household.leftListOn > household.assessedOn) {
    note(
      state,
      "unread",
      `Ngày thoát nghèo ${shortDate(household.leftListOn)} sau ngày đánh giá: chưa tính.`,
    );
    delete household.leftListOn;
  }
  // What was not read is shown back, never stored as typed: identifying numbers are masked.
  for (const chunk of line.leftovers())
    note(state, "unread", `Chưa đọc được: “${scrubPersonalData(chunk)}”.`);
  // Members first in the object, as the scorer's examples write it.
  const ordered: HouseholdInput = {
    assessedOn: household.assessedOn,
    area: household.area,
    members: household.members,
    ...household,
  };
  return ok({ household: ordered, notes: state.notes });
}

/** The parts of a household that {@link readQuickPart} reads on their own (a spreadsheet cell each). */
export type QuickPart = "area" | "members" | "listedStatus" | "deprivations" | "persons" | "province";

const PART_READERS: Record<QuickPart, ((state: State) => void)[]> = {
  area: [readArea],
  members: [readMembers],
  listedStatus: [readLeftList, readListedStatus],
  deprivations: [readDeprivations],
  persons: [readPersons, readEthnicity],
  province: [readProvince],
};

/**
 * Reads one part of a household from a short text with expert mode's vocabulary (a cell of a list kept in a
 * spreadsheet: "hcn", "thiếu: bhyt, nhà tiêu", "ông 72 tuổi, con học lớp 5"): the facts found, the notes,
 * and what was left over unread (scrubbed of identifying numbers). The persons part also reads ethnicity.
 */
export function readQuickPart(
  part: QuickPart,
  text: string,
  context: QuickContext,
): { household: Partial<HouseholdInput>; persons: Person[]; notes: QuickNote[]; unread: string[] } {
  const line = new Line(text);
  const state: State = { line, context, household: {}, notes: [], persons: [], agesAssumed: new Set() };
  for (const reader of PART_READERS[part]) reader(state);
  const unread = line.leftovers().map((chunk) => scrubPersonalData(chunk));
  return { household: state.household, persons: state.persons, notes: state.notes, unread };
}

/**
 * An ethnicity as a list's column gives it ("Kinh", "Tày", "H'Mông", "DTTS", "dân tộc Dao"): true for an
 * ethnic minority, false for Kinh, undefined when not read (or both named).
 */
export function readQuickEthnicity(text: string): boolean | undefined {
  const folded = foldDiacritics(normalizeVietnamese(text))
    .replace(/['’`-]/g, " ")
    .trim();
  const phrase = /^(?:dtts|dan toc|nguoi|dong bao)\b/.test(folded) ? folded : `dan toc ${folded}`;
  const line = new Line(phrase);
  const { minority, majority } = takeEthnicity(line);
  if (line.leftovers().length > 0 || minority.length + majority.length === 0) return undefined;
  if (minority.length > 0 && majority.length > 0) return undefined;
  return minority.length > 0;
}

/** A date as staff write it ("15/3/2024", "3/2024" as its last day, "2024" as 31/12), or undefined. */
export function readQuickDate(text: string, today: string): string | undefined {
  return readDate(text, today)?.iso;
}

/** The notes as lines for a reply: assumptions, then what was not read or left out. */
export function renderQuickNotes(notes: readonly QuickNote[]): string {
  if (notes.length === 0) return "Đã đọc hết, không phải giả định điều gì.";
  const assumed = notes.filter((entry) => entry.kind === "assumed").map((entry) => `• ${entry.text}`);
  const other = notes.filter((entry) => entry.kind !== "assumed").map((entry) => `• ${entry.text}`);
  return [
    ...(assumed.length > 0 ? ["Đã giả định:", ...assumed] : []),
    ...(other.length > 0 ? ["Chưa đọc được hoặc không tính:", ...other] : []),
  ].join("\n");
}
