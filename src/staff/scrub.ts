/**
 * The harder scrubbing of a question that is kept (asked without a good answer, or judged in a feedback):
 * on top of {@link scrubPersonalData}, every figure, house addresses, names typed in lower case after "tên" or
 * a title or with a family name, and health conditions are masked. What stays is the topic of the question,
 * which is what the statistics need.
 */

import { foldDiacritics, normalizeVietnamese } from "../text/vietnamese.ts";
import { scrubPersonalData } from "../text/personal-data.ts";

const FAMILY_NAMES = new Set([
  "nguyen",
  "tran",
  "le",
  "pham",
  "hoang",
  "huynh",
  "phan",
  "vu",
  "vo",
  "dang",
  "bui",
  "do",
  "ho",
  "ngo",
  "duong",
  "ly",
  "dinh",
  "dao",
  "luong",
  "trinh",
  "mai",
  "cao",
  "ha",
  "lam",
  "ta",
  "trieu",
  "quach",
  "lu",
  "kieu",
  "thai",
  "tong",
  "la",
  "luu",
  "chu",
  "doan",
  "vuong",
  "ton",
  "khuat",
  "giang",
]);
/** Middle names that mark a full name after a family name ("nguyen van an", "tran thi mai"). */
const MIDDLE_NAMES = new Set(["van", "thi", "duc", "huu", "dinh", "quoc", "cong", "xuan", "ngoc", "thanh"]);
/** Words that speak of a person and may be followed by their name. */
const TITLES = new Set([
  "ong",
  "ba",
  "anh",
  "chi",
  "co",
  "chu",
  "bac",
  "cu",
  "em",
  "chau",
  "vo",
  "chong",
  "me",
  "bo",
  "cha",
]);
/** Words that end a name: what comes after them is the rest of the sentence. */
const STOP_WORDS = new Set([
  "o",
  "bi",
  "va",
  "co",
  "la",
  "duoc",
  "thuoc",
  "nha",
  "toi",
  "em",
  "minh",
  "dang",
  "da",
  "se",
  "can",
  "muon",
  "hoi",
  "xin",
  "khong",
  "ko",
  "k",
  "nam",
  "tuoi",
  "sinh",
  "hien",
  "nay",
  "vay",
  "lam",
  "hay",
  "voi",
  "cua",
  "cho",
  "nhu",
  "the",
  "nao",
  "gi",
  "sao",
  "ho",
  "ngheo",
  "ngo",
  "thon",
  "xom",
]);
/** Words that start an address; followed by a number or a name, they and it are masked. */
const ADDRESS_WORDS = new Set([
  "so",
  "ngo",
  "ngach",
  "hem",
  "kiet",
  "thon",
  "xom",
  "ap",
  "to",
  "khom",
  "duong",
  "pho",
  "phuong",
  "ban",
  "lo",
  "can",
  "phong",
]);
/** Health conditions, folded, one or two words; a question about them is kept without them. */
const HEALTH_TERMS = [
  "hiv",
  "aids",
  "ung thu",
  "ung buou",
  "tam than",
  "tram cam",
  "dong kinh",
  "viem gan",
  "suy than",
  "chay than",
  "dot quy",
  "tai bien",
  "nghien",
  "ma tuy",
  "lao phoi",
  "thieu nang",
  "tu ky",
  "xo gan",
  "benh tim",
  "tieu duong",
  "sa sut tri tue",
  "tam than phan liet",
].map((term) => term.split(" "));

const NUMBER = /\p{N}/u;
const YEAR = /^(?:19|20)\d\d$/;

/**
 * Masks what could identify someone in a question that is kept; cuts it to 300 characters.
 *
 * ```ts
 * scrubStoredQuestion("toi ten nguyen van an, nha so 5 ngo 12, chong toi bi HIV va no 50 trieu")
 * // "toi ten [tên], nha [địa chỉ], chong toi bi [sức khoẻ] va no [số] trieu"
 * ```
 */
export function scrubStoredQuestion(text: string): string {
  // The first pass masks e-mails, links, phone numbers and capitalised names.
  const parts = scrubPersonalData(normalizeVietnamese(text)).split(/([\p{L}\p{N}]+)/u);
  // Odd indexes are words; even indexes the separators between them.
  const words: { text: string; folded: string; mask?: string }[] = [];
  for (let i = 1; i < parts.length; i += 2)
    words.push({ text: parts[i]!, folded: foldDiacritics(parts[i]!) });
  const separatorAfter = (i: number): string => parts[2 * i + 2] ?? "";
  // A name or an address runs on only across spaces, never across a comma or a full stop.
  const joined = (i: number): boolean => /^\s+$/.test(separatorAfter(i));
  const mask = (from: number, to: number, label: string): void => {
    for (let i = from; i <= to; i++) words[i]!.mask = label;
  };
  /** The last index of a name starting at `from` (at most `max` words), or -1 when there is none. */
  const nameEnd = (from: number, max: number): number => {
    let end = -1;
    for (let i = from; i < words.length && i < from + max; i++) {
      const word = words[i]!;
      if (NUMBER.test(word.text) || word.mask || STOP_WORDS.has(word.folded)) break;
      end = i;
      if (!joined(i)) break;
    }
    return end;
  };

  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word.mask) continue;
    const health = HEALTH_TERMS.find((term) => term.every((part, k) => words[i + k]?.folded === part));
    if (health) {
      mask(i, i + health.length - 1, "[sức khoẻ]");
      continue;
    }
    // "tên (tôi|em|của tôi)? (là)? X Y Z", "tôi tên X".
    if (word.folded === "ten" && joined(i)) {
      let start = i + 1;
      while (
        ["toi", "em", "minh", "cua", "la", "chong", "vo", "con", "me", "bo"].includes(
          words[start]?.folded ?? "",
        )
      )
        start++;
      const end = nameEnd(start, 4);
      if (end >= start) mask(start, end, "[tên]");
      continue;
    }
    // A family name followed by a middle name, or after a title: "nguyen van an", "ba tran mai".
    const next = words[i + 1];
    const familyNameHere =
      FAMILY_NAMES.has(word.folded) &&
      joined(i) &&
      next !== undefined &&
      (MIDDLE_NAMES.has(next.folded) || TITLES.has(words[i - 1]?.folded ?? ""));
    if (familyNameHere) {
      const end = nameEnd(i + 1, 3);
      if (end > i) {
        mask(i, end, "[tên]");
        i = end;
        continue;
      }
    }
    // "nhà số 5", "ngõ 12", "thôn Đông Hà", "tổ 3".
    if (ADDRESS_WORDS.has(word.folded) && joined(i) && next) {
      let end = i;
      for (let k = i + 1; k < words.length && k <= i + 3; k++) {
        const candidate = words[k]!;
        const capitalised = /^\p{Lu}/u.test(candidate.text);
        if (!(NUMBER.test(candidate.text) || capitalised) || STOP_WORDS.has(candidate.folded)) break;
        end = k;
        if (!joined(k)) break;
      }
      if (end > i) {
        mask(i, end, "[địa chỉ]");
        i = end;
        continue;
      }
    }
    if (NUMBER.test(word.text) && !YEAR.test(word.text)) word.mask = "[số]";
  }

  let out = parts[0] ?? "";
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const previous = words[i - 1];
    const continues = previous?.mask !== undefined && previous.mask === word.mask && joined(i - 1);
    if (continues) {
      // One placeholder for a run: drop the separator written before this word too.
      out = out.slice(0, out.length - separatorAfter(i - 1).length);
    } else {
      out += word.mask ?? word.text;
    }
    out += separatorAfter(i);
  }
  // Figures written with separators ("1.500.000", "3,5") leave a run of placeholders joined by punctuation.
  return out
    .replace(/\[số\](?:[.,/-]\[số\])+/g, "[số]")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 300);
}
