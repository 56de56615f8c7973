/**
 * Retrieval evaluation of the knowledge base over test/kb/questions.yaml: hit@1, hit@3 and mean reciprocal
 * rank for each way of asking (with diacritics, without, with a typo), overall and per split. Shared by
 * `npm run eval` (prints the table) and test/kb/eval.test.ts (fails below the goals).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { stripMarkup } from "../../src/knowledge/structure.ts";
import type { KnowledgeBase, SearchResult } from "../../src/knowledge/types.ts";

/** The three ways each question is asked. */
export const FORMS = ["q", "plain", "typo"] as const;
export type Form = (typeof FORMS)[number];
export const FORM_NAMES: Record<Form, string> = { q: "diacritics", plain: "no diacritics", typo: "typo" };

/** Retrieval goals: hit@3 at least this, per form. */
export const HIT3_GOALS: Record<Form, number> = { q: 0.95, plain: 0.9, typo: 0.8 };

const questionSchema = z
  .object({
    id: z.string().min(1),
    split: z.enum(["tune", "heldout"]),
    q: z.string().min(1),
    plain: z.string().min(1),
    typo: z.string().min(1),
    accept: z.array(z.tuple([z.string().min(1), z.string().min(1)])).min(1),
  })
  .strict();

export type EvalQuestion = z.infer<typeof questionSchema>;

export const QUESTIONS_FILE = join(dirname(fileURLToPath(import.meta.url)), "questions.yaml");

/** Reads and validates the question set. */
export function loadQuestions(file: string = QUESTIONS_FILE): EvalQuestion[] {
  return z.array(questionSchema).parse(parseYaml(readFileSync(file, "utf8")));
}

function comparable(text: string): string {
  return stripMarkup(text).normalize("NFC").toLowerCase().replace(/\s+/g, " ");
}

/** 1-based rank of the first result that answers the question, or null. */
export function firstHit(results: readonly SearchResult[], accept: EvalQuestion["accept"]): number | null {
  const index = results.findIndex((result) =>
    accept.some(
      ([documentId, passage]) =>
        result.documentId === documentId && comparable(result.text).includes(comparable(passage)),
    ),
  );
  return index < 0 ? null : index + 1;
}

/** Figures for one group of questions asked one way. */
export interface Figures {
  questions: number;
  hit1: number;
  hit3: number;
  mrr: number;
  /** Questions the search judged to have no good match. */
  noMatch: number;
}

/** Per-question outcome, for diagnosing misses. */
export interface QuestionOutcome {
  id: string;
  split: EvalQuestion["split"];
  form: Form;
  query: string;
  rank: number | null;
  type: string;
  top: string[];
}

export interface Evaluation {
  overall: Record<Form, Figures>;
  bySplit: Record<EvalQuestion["split"], Record<Form, Figures>>;
  outcomes: QuestionOutcome[];
}

function figures(outcomes: readonly QuestionOutcome[]): Figures {
  const n = outcomes.length;
  const sum = (f: (o: QuestionOutcome) => number): number => outcomes.reduce((total, o) => total + f(o), 0);
  return {
    questions: n,
    hit1: n ? sum((o) => (o.rank === 1 ? 1 : 0)) / n : 0,
    hit3: n ? sum((o) => (o.rank !== null && o.rank <= 3 ? 1 : 0)) / n : 0,
    mrr: n ? sum((o) => (o.rank ? 1 / o.rank : 0)) / n : 0,
    noMatch: sum((o) => (o.type === "no_match" ? 1 : 0)),
  };
}

/** Asks every question three ways and scores the answers (top 10 results; weak results of "no match" count). */
export function evaluate(kb: KnowledgeBase, questions: readonly EvalQuestion[]): Evaluation {
  const outcomes: QuestionOutcome[] = [];
  for (const question of questions) {
    for (const form of FORMS) {
      const outcome = kb.search(question[form], { limit: 10 });
      const results = outcome.type === "invalid" ? [] : outcome.results;
      outcomes.push({
        id: question.id,
        split: question.split,
        form,
        query: question[form],
        rank: firstHit(results, question.accept),
        type: outcome.type,
        top: results.slice(0, 3).map((r) => `${r.documentId} › ${r.sectionPath.at(-1) ?? "(mở đầu)"}`),
      });
    }
  }
  const byForm = (list: QuestionOutcome[]): Record<Form, Figures> =>
    Object.fromEntries(FORMS.map((form) => [form, figures(list.filter((o) => o.form === form))])) as Record<
      Form,
      Figures
    >;
  return {
    overall: byForm(outcomes),
    bySplit: {
      tune: byForm(outcomes.filter((o) => o.split === "tune")),
      heldout: byForm(outcomes.filter((o) => o.split === "heldout")),
    },
    outcomes,
  };
}

/** The evaluation as a small plain-text table. */
export function formatEvaluation(evaluation: Evaluation): string {
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`.padStart(7);
  const lines = [
    `${"form".padEnd(15)}${"set".padEnd(9)}${"n".padStart(4)}  hit@1    hit@3    MRR    no_match`,
  ];
  const row = (form: Form, set: string, f: Figures): string =>
    `${FORM_NAMES[form].padEnd(15)}${set.padEnd(9)}${String(f.questions).padStart(4)} ${pct(f.hit1)}  ${pct(f.hit3)}  ${f.mrr.toFixed(3)}  ${String(f.noMatch).padStart(5)}`;
  for (const form of FORMS) {
    lines.push(row(form, "all", evaluation.overall[form]));
    lines.push(row(form, "tune", evaluation.bySplit.tune[form]));
    lines.push(row(form, "heldout", evaluation.bySplit.heldout[form]));
  }
  return lines.join("\n");
}
