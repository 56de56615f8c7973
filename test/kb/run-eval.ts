/**
 * `npm run eval`: builds the knowledge base in memory from knowledge/, asks every evaluation question three
 * ways and prints hit@1, hit@3 and MRR per form (overall, tuning half, held-out half). `--misses` lists the
 * questions whose answer is not in the top 3.
 */
import { openKnowledgeBase } from "../../src/knowledge/open.ts";
import { evaluate, FORM_NAMES, formatEvaluation, HIT3_GOALS, loadQuestions } from "./evaluation.ts";

const kb = openKnowledgeBase({ databasePath: ":memory:", today: () => "2026-11-22" });
try {
  const questions = loadQuestions();
  const evaluation = evaluate(kb, questions);
  console.log(`Knowledge-base retrieval, ${questions.length} questions × 3 forms\n`);
  console.log(formatEvaluation(evaluation));
  console.log(
    `\nGoals (hit@3 on the held-out questions, gated by test/kb/eval.test.ts): ${Object.entries(HIT3_GOALS)
      .map(([form, goal]) => `${FORM_NAMES[form as keyof typeof FORM_NAMES]} ≥ ${goal}`)
      .join(", ")}`,
  );
  if (process.argv.includes("--misses")) {
    console.log("\nMisses (answer not in top 3):");
    for (const o of evaluation.outcomes.filter((o) => o.rank === null || o.rank > 3)) {
      console.log(
        `  ${o.id} [${o.split}/${o.form}] rank=${o.rank ?? "-"} ${o.type} «${o.query}»\n      ${o.top.join("\n      ")}`,
      );
    }
  }
} finally {
  kb.close();
}
