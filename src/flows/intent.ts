/**
 * What a message is, before it is read as an answer: a command (/kiemtra, or the plain words "kiểm tra",
 * "làm lại", "thôi" as the whole message, with or without diacritics), a question for the knowledge base,
 * or something else. Pure.
 */

import { suggest } from "../shared/did-you-mean.ts";
import { foldForMatch } from "./answers.ts";
import type { AssistantDefinition, CommandName } from "./schema.ts";

/** A message that is a command, with whatever follows a slash command ("/hoi vay vốn" → "vay vốn"). */
export type CommandIntent =
  | { type: "command"; command: CommandName; argument: string }
  | { type: "unknown_command"; slash: string; suggestion?: string };

/** Commands by slash name and by folded plain word, built once from the assistant file. */
export interface CommandIndex {
  bySlash: ReadonlyMap<string, CommandName>;
  byWords: ReadonlyMap<string, CommandName>;
}

/** Builds the lookup tables for {@link readCommand}. */
export function indexCommands(assistant: AssistantDefinition): CommandIndex {
  const bySlash = new Map<string, CommandName>();
  const byWords = new Map<string, CommandName>();
  for (const [name, command] of Object.entries(assistant.commands) as [
    CommandName,
    AssistantDefinition["commands"][CommandName],
  ][]) {
    bySlash.set(command.slash, name);
    byWords.set(foldForMatch(command.slash), name);
    for (const word of command.words) byWords.set(foldForMatch(word), name);
  }
  return { bySlash, byWords };
}

/** Particles around a command word that do not change it: "làm lại đi", "cho mình kiểm tra nhé". */
const TRAILING = new Set([
  "a",
  "di",
  "nhe",
  "nha",
  "nhen",
  "voi",
  "giup",
  "gium",
  "ho",
  "minh",
  "toi",
  "em",
  "ban",
  "oi",
  "thoi",
  "lai",
  "ngay",
]);
const LEADING = [
  /^(?:cho|de) (?:toi|minh|em|tui|chau|con) /,
  /^(?:toi|minh|em|tui|chau|con) (?:muon|can|xin) /,
  /^(?:muon|xin) /,
];

/**
 * Reads a command: a slash command anywhere Telegram may put it ("/kiemtra", "/kiemtra@HoiBot", "/hoi vay
 * vốn"), or a whole message that is one of the command's plain words. Undefined for anything else.
 */
export function readCommand(text: string, index: CommandIndex): CommandIntent | undefined {
  const trimmed = text.trim();
  const slash = /^\/([\p{L}\p{N}_]+)(?:@\w+)?(?:\s+([\s\S]*))?$/u.exec(trimmed);
  if (slash) {
    const name = foldForMatch(slash[1]!).replace(/ /g, "");
    const command = index.bySlash.get(name) ?? index.byWords.get(foldForMatch(slash[1]!));
    if (command) return { type: "command", command, argument: (slash[2] ?? "").trim() };
    return { type: "unknown_command", slash: slash[1]!, suggestion: suggest(name, index.bySlash.keys()) };
  }
  let folded = foldForMatch(trimmed);
  if (!folded || folded.length > 40) return undefined;
  const direct = index.byWords.get(folded);
  if (direct) return { type: "command", command: direct, argument: "" };
  for (const pattern of LEADING) folded = folded.replace(pattern, "");
  const words = folded.split(" ");
  while (words.length > 1) {
    const found = index.byWords.get(words.join(" "));
    if (found) return { type: "command", command: found, argument: "" };
    if (!TRAILING.has(words.at(-1)!)) break;
    words.pop();
  }
  const found = index.byWords.get(words.join(" "));
  return found ? { type: "command", command: found, argument: "" } : undefined;
}

// === Questions

/** Phrases that make a message a question, after folding. */
const QUESTION_PHRASES = [
  "bao nhieu",
  "bao lau",
  "the nao",
  "nhu nao",
  "la gi",
  "gi khong",
  "o dau",
  "cho nao",
  "khi nao",
  "luc nao",
  "lam sao",
  "tai sao",
  "vi sao",
  "duoc khong",
  "duoc ko",
  "dc khong",
  "dc ko",
  "co duoc",
  "co phai",
  "phai khong",
  "hay khong",
  "can gi",
  "can nhung gi",
  "nhung ai",
  "ai duoc",
  "muc nao",
];

/** Words about the policies themselves: a long message with one of these is probably a question. */
const POLICY_WORDS = [
  "vay",
  "von",
  "lai suat",
  "bao hiem",
  "bhyt",
  "hoc phi",
  "ho tro",
  "chinh sach",
  "ngan hang",
  "nhcsxh",
  "mien",
  "tro cap",
  "dieu kien",
  "chuan ngheo",
  "thoat ngheo",
  "thu tuc",
  "giay to",
  "ho so",
  "dang ky",
  "ke hoach",
  "tien dien",
  "nha o",
  "tro giup phap ly",
];

const ASKING_OPENERS =
  /^(?:cho (?:toi|minh|em|tui|chau|con|hoi)|xin hoi|hoi|muon hoi|toi muon hoi|minh muon hoi|em muon hoi|cho hoi|hoi ve|toi hoi)\b/;

function containsPhrase(folded: string, phrases: readonly string[]): boolean {
  const padded = ` ${folded} `;
  return phrases.some((phrase) => padded.includes(` ${phrase} `));
}

/**
 * How much a message looks like a question rather than an answer:
 * - `strong`: a question mark with at least three words, an opener like "cho hỏi", or a question phrase
 *   ("bao nhiêu", "thế nào", "được không") with at least four words; asked of the knowledge base even in the
 *   middle of an interview, before trying to read it as an answer;
 * - `weak`: at least four words with a question phrase or a policy word; asked of the knowledge base only
 *   when it cannot be read as an answer;
 * - `none`: short answers and everything else.
 */
export function questionStrength(text: string): "strong" | "weak" | "none" {
  const folded = foldForMatch(text);
  const words = folded ? folded.split(" ").length : 0;
  if (words === 0) return "none";
  const hasPhrase = containsPhrase(folded, QUESTION_PHRASES);
  if ((text.includes("?") && words >= 3) || ASKING_OPENERS.test(folded) || (hasPhrase && words >= 4))
    return "strong";
  if (words >= 4 && (hasPhrase || containsPhrase(folded, POLICY_WORDS))) return "weak";
  if (words >= 2 && text.includes("?")) return "weak";
  return "none";
}

/** "Cảm ơn", "thanks", "ok cảm ơn nhé": a thank-you that needs a short, kind reply rather than a search. */
export function isThanks(text: string): boolean {
  const folded = foldForMatch(text);
  return (
    /^(?:(?:ok|da|vang|thank|thanks)\s+)?(?:cam on|camon|cam ơn|thank|thanks|thank you|tks|ty|c on|cm on)\b/.test(
      folded,
    ) && folded.split(" ").length <= 8
  );
}
