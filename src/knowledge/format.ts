/**
 * Plain-text Vietnamese rendering of search outcomes for the terminal and chat channels: the passage, where
 * it comes from, the cautions, then two or three further passages. Pure.
 */
import { HOUSEHOLD_ANSWER_ID } from "../answers/household.ts";
import { stripMarkup } from "./structure.ts";
import type { SearchOutcome, SearchResult } from "./types.ts";

/** How much to show. */
export interface FormatOptions {
  /** Show the whole section of the best result instead of its best-matching sentences (commune staff). */
  fullText?: boolean;
  /** How many further passages to offer after the best one (default 3). */
  further?: number;
}

function clip(text: string, length: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= length) return flat;
  const cut = flat.lastIndexOf(" ", length - 1);
  return `${flat.slice(0, cut > length / 2 ? cut : length - 1)}…`;
}

function best(result: SearchResult, fullText: boolean): string[] {
  const passage = fullText ? stripMarkup(result.text) : `“${result.excerpt}”`;
  return [passage, `Nguồn: ${result.citation}`, ...result.warnings.map((warning) => `Lưu ý: ${warning}`)];
}

function further(results: readonly SearchResult[], heading: string): string[] {
  if (results.length === 0) return [];
  const lines = ["", heading];
  results.forEach((result, index) => {
    lines.push(`${index + 1}. “${clip(result.excerpt, 180)}”`);
    lines.push(`   Nguồn: ${result.citation}`);
  });
  return lines;
}

/**
 * Renders an outcome as a message.
 *
 * ```ts
 * write(stdout, formatSearchOutcome(kb.search("hộ cận nghèo có được hỗ trợ BHYT không")));
 * ```
 */
export function formatSearchOutcome(outcome: SearchOutcome, options: FormatOptions = {}): string {
  const count = options.further ?? 3;
  if (outcome.type === "invalid") return outcome.message;
  const answer = outcome.answer;
  // Weak passages are noise to a reader who asked something the plans do not cover: say so plainly. (The
  // JSON interface still carries them, marked no_match, for staff tools.)
  if (outcome.type === "no_match") return answer ? answer.text : outcome.message;
  const [first, ...rest] = outcome.results;
  if (!first) return answer ? answer.text : "Chưa tìm thấy đoạn nào phù hợp.";
  // A household's own figures, decided: plan passages matched on its numbers would only be noise.
  if (answer?.id === HOUSEHOLD_ANSWER_ID) return answer.text;
  if (answer) {
    // The rule in force comes first; the plans are local context, each with its period.
    return [
      answer.text,
      "",
      LOCAL_CONTEXT,
      ...best(first, options.fullText === true),
      ...further(rest.slice(0, Math.min(count, 2)), "Các đoạn khác:"),
    ].join("\n");
  }
  return [
    "Đoạn trả lời phù hợp nhất:",
    ...best(first, options.fullText === true),
    ...further(rest.slice(0, count), "Các đoạn khác có thể liên quan:"),
  ].join("\n");
}

/** Heading of the plan passages under a direct answer. */
export const LOCAL_CONTEXT =
  "Trong kế hoạch giảm nghèo của địa phương (để tham khảo; quy định đang áp dụng là câu trả lời ở trên):";
