/**
 * The residents' questions of fact: each asked of the knowledge base as the chat asks it, the reply rendered
 * as the chat shows it, and every expected pattern looked for near its top. `questions.yaml` holds the parts
 * used for tuning; `questions-heldout.yaml` the part written last and not tuned on.
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

/** Both sets, with the day their expected figures hold on and how much of a reply counts as its top. */
export interface FactQuestions {
  today: string;
  window: number;
  tuning: FactQuestion[];
  heldout: FactQuestion[];
}

const TUNING_FILE = fileURLToPath(new URL("./questions.yaml", import.meta.url));
const HELDOUT_FILE = fileURLToPath(new URL("./questions-heldout.yaml", import.meta.url));

/** Share of each set to reach: the held-out set is the measure. */
export const FACT_GOALS = { tuning: 0.95, heldout: 0.9 } as const;

function read(path: string): { today: string; window: number } & Record<string, unknown> {
  const data = parse(readFileSync(path, "utf8")) as { today: string | Date; window: number };
  return {
    ...data,
    today: String(data.today instanceof Date ? data.today.toISOString() : data.today).slice(0, 10),
  };
}

export function loadFactQuestions(): FactQuestions {
  const tuning = read(TUNING_FILE);
  const heldout = read(HELDOUT_FILE);
  if (tuning.today !== heldout.today || tuning.window !== heldout.window)
    throw new Error("questions.yaml and questions-heldout.yaml must share `today` and `window`");
  return {
    today: tuning.today,
    window: tuning.window,
    tuning: tuning.tuning as FactQuestion[],
    heldout: heldout.questions as FactQuestion[],
  };
}

/** How one set went. */
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
