/**
 * The residents' questions of fact (test/facts/questions.yaml): each asked of the knowledge base as the chat
 * asks it, the reply rendered as the chat shows it, and every expected pattern looked for near its top.
 * The `heldout` part was written from the policy facts by someone who did not tune the answers on it.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { formatSearchOutcome } from "../../src/knowledge/format.ts";
import type { KnowledgeBase } from "../../src/knowledge/types.ts";

/** One question and the patterns its reply must contain near the top. */
export interface FactQuestion {
  q: string;
  all: string[];
}

/** The question file. */
export interface FactQuestions {
  today: string;
  window: number;
  dev: FactQuestion[];
  heldout: FactQuestion[];
}

export const FACT_QUESTIONS_FILE = fileURLToPath(new URL("./questions.yaml", import.meta.url));

/** Share of each part to reach: the held-out part is the measure. */
export const FACT_GOALS = { dev: 0.95, heldout: 0.9 } as const;

export function loadFactQuestions(path = FACT_QUESTIONS_FILE): FactQuestions {
  const data = parse(readFileSync(path, "utf8")) as FactQuestions & { today: string | Date };
  return { ...data, today: String(data.today).slice(0, 10) };
}

/** How one part went. */
export interface FactScore {
  passed: number;
  total: number;
  misses: { q: string; reply: string }[];
}

/** Asks each question and checks its reply's first `window` characters. */
export function scoreFacts(kb: KnowledgeBase, questions: readonly FactQuestion[], window: number): FactScore {
  const misses: FactScore["misses"] = [];
  let passed = 0;
  for (const { q, all } of questions) {
    const reply = formatSearchOutcome(kb.search(q)).normalize("NFC").slice(0, window);
    if (all.every((pattern) => new RegExp(pattern, "iu").test(reply))) passed += 1;
    else misses.push({ q, reply });
  }
  return { passed, total: questions.length, misses };
}
