/**
 * Public types of the knowledge base: what a search returns. This shape is a contract with the conversation
 * flows and the `ask --json` interface; fields may be added, never renamed or removed.
 */

import type { DirectAnswer } from "../answers/compose.ts";

export type { DirectAnswer };

/** One passage found for a question: a whole section of a plan document, with its citation. */
export interface SearchResult {
  /** Document id, the plan file's name without extension, e.g. "thai-binh-2017-2020". */
  documentId: string;
  /** The document's title as recorded in knowledge/plans/sources.yaml. */
  title: string;
  /** Heading path from the top of the document, e.g. ["IV. CÁC GIẢI PHÁP THỰC HIỆN", "1.2. Hỗ trợ về y tế"]. */
  sectionPath: string[];
  /** The whole section exactly as it stands in the document (a slice of the file, markup included). */
  text: string;
  /** The best-matching sentence(s) of the section, page-break artefacts joined, markup removed. */
  excerpt: string;
  /** Relevance, higher is better; only comparable within one search. */
  score: number;
  /** One line: which document (number, date, issuer, area, period) and where in it. */
  citation: string;
  /** Plain Vietnamese cautions, e.g. the plan's period is over, its area was merged since 1/7/2025. */
  warnings: string[];
}

/**
 * The outcome of one search: results, an honest "nothing good found", or unusable input. A question of fact
 * also gets `answer`: today's rule (or the rule on the date asked) stated from the dated policy data, shown
 * above the passages.
 */
export type SearchOutcome =
  | { type: "results"; query: string; results: SearchResult[]; answer?: DirectAnswer }
  | { type: "no_match"; query: string; message: string; results: SearchResult[]; answer?: DirectAnswer }
  | { type: "invalid"; query: string; message: string };

/** Narrows or shapes a search. */
export interface SearchOptions {
  /** Maximum number of results (default 5, at most 20). */
  limit?: number;
  /** Only this document. */
  documentId?: string;
  /** Only documents of this province, by its name then or now (e.g. "Thái Bình" or "Hưng Yên"). */
  province?: string;
  /** Only documents whose period covers this year. */
  year?: number;
  /** Date the answer is given for, ISO YYYY-MM-DD: decides the "period is over" warnings. Default: today. */
  onDate?: string;
}

/** An open, searchable knowledge base. Synchronous: a search is a few milliseconds of SQLite work. */
export interface KnowledgeBase {
  /** Finds the passages that answer a question; never throws on bad input (returns "invalid"). */
  search(query: string, options?: SearchOptions): SearchOutcome;
  /** Releases prepared statements and, when the knowledge base opened the database itself, the database. */
  close(): void;
}
