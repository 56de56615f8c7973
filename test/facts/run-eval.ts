/**
 * `npm run eval` (second part): residents' questions of fact, the share whose reply states the expected
 * figure or phrase near its top, for the tuning set and the held-out set. `--misses` lists the tuning set's
 * misses only: the held-out set is not for tuning.
 */
import { openKnowledgeBase } from "../../src/knowledge/open.ts";
import { FACT_GOALS, loadFactQuestions, scoreFacts } from "./evaluation.ts";

const questions = loadFactQuestions();
const kb = openKnowledgeBase({ databasePath: ":memory:", today: () => questions.today });
try {
  console.log(
    `\nQuestions of fact, answered as of ${questions.today} (first ${questions.window} characters)`,
  );
  for (const part of ["tuning", "heldout"] as const) {
    const score = scoreFacts(kb, questions[part], questions.window);
    const share = score.passed / score.total;
    console.log(
      `  ${part.padEnd(8)} ${score.passed}/${score.total} = ${(share * 100).toFixed(1)}% (goal ≥ ${FACT_GOALS[part] * 100}%)`,
    );
    if (part === "tuning" && process.argv.includes("--misses"))
      for (const miss of score.misses)
        console.log(`    ✗ ${miss.q}\n      ${miss.reply.slice(0, 300).replace(/\n/g, "\n      ")}`);
  }
} finally {
  kb.close();
}
