/**
 * `hoichinhsach chat` (what `npm start` runs until the conversation flows exist): a simple question-and-answer
 * loop in the terminal. One question per line; works with piped input and ends at the end of input.
 */
import { formatSearchOutcome } from "../../knowledge/format.ts";
import { openKnowledgeBase } from "../../knowledge/open.ts";
import { EXIT, readLines, write, type CliIO } from "../io.ts";

const GREETING =
  "Hỏi Chính Sách: hỏi về các kế hoạch giảm nghèo (vay vốn, bảo hiểm y tế, học phí, nhà ở...).\n" +
  'Gõ câu hỏi rồi nhấn Enter; gõ "thoát" để kết thúc.\n';
const QUIT = new Set(["thoát", "thoat", "exit", "quit"]);

/** Runs `chat`. */
export async function run(_args: string[], io: CliIO): Promise<number> {
  const kb = openKnowledgeBase({ databasePath: io.env.DATABASE_PATH });
  try {
    if (io.interactive) await write(io.stdout, `${GREETING}\n> `);
    for await (const line of readLines(io.stdin)) {
      const question = line.trim();
      if (QUIT.has(question.toLowerCase())) break;
      if (question) await write(io.stdout, `${formatSearchOutcome(kb.search(question), { further: 2 })}\n\n`);
      if (io.interactive) await write(io.stdout, "> ");
    }
    return EXIT.ok;
  } finally {
    kb.close();
  }
}
