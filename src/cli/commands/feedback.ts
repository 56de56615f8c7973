/**
 * `hoichinhsach feedback export`: the disputed answers ("Sai", "Chưa rõ") as draft test cases, so that a
 * wrong answer becomes a regression test — knowledge-base questions in the format of test/kb/questions.yaml
 * (the expected passage left to fill), households in the format of knowledge/tests/*.yaml (with the decision
 * the staff member said is right).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadCorpus } from "../../knowledge/load.ts";
import { UserInputError } from "../../shared/errors.ts";
import { householdCaseDrafts, kbQuestionDrafts } from "../../staff/feedback.ts";
import { DEFAULT_DATABASE_PATH, openDatabase } from "../../storage/database.ts";
import { createFeedbackStore, type FeedbackStorePort } from "../../staff/services/feedback.ts";
import { dayRangeOptions } from "../days.ts";
import { EXIT, write, type CliIO } from "../io.ts";

const USAGE = [
  "Cách dùng: hoichinhsach feedback export [--out THƯ_MỤC] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--db TỆP]",
  "  ghi THƯ_MỤC/kb-questions.draft.yaml và THƯ_MỤC/household-cases.draft.yaml (mặc định ./feedback-drafts)",
].join("\n");

/** Runs `feedback`. */
export async function run(args: string[], io: CliIO): Promise<number> {
  let parsed: { values: { out?: string; from?: string; to?: string; db?: string }; positionals: string[] };
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        out: { type: "string" },
        from: { type: "string" },
        to: { type: "string" },
        db: { type: "string" },
      },
    });
  } catch (error) {
    throw new UserInputError(`Tuỳ chọn không hợp lệ: ${(error as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1 || positionals[0] !== "export") throw new UserInputError(USAGE);
  const range = dayRangeOptions(values, USAGE);
  const database = openDatabase(values.db ?? io.env.DATABASE_PATH ?? DEFAULT_DATABASE_PATH);
  try {
    const feedback: FeedbackStorePort = createFeedbackStore(database);
    const records = await feedback.disputed(range);
    const out = values.out ?? "feedback-drafts";
    mkdirSync(out, { recursive: true });
    const kbFile = join(out, "kb-questions.draft.yaml");
    const casesFile = join(out, "household-cases.draft.yaml");
    writeFileSync(
      kbFile,
      kbQuestionDrafts(
        records,
        loadCorpus().documents.map((document) => document.metadata.id),
      ),
    );
    writeFileSync(casesFile, householdCaseDrafts(records));
    const questions = records.filter((record) => record.kind === "search" && record.question).length;
    const households = records.filter((record) => record.kind === "decision" && record.household).length;
    await write(
      io.stdout,
      `Đã ghi ${questions} câu hỏi vào ${kbFile} và ${households} hộ vào ${casesFile}.\n` +
        "Điền đoạn trả lời đúng (accept) và kết quả đúng (output), rồi chuyển vào test/kb/questions.yaml và knowledge/tests/.\n",
    );
    return EXIT.ok;
  } finally {
    database.close();
  }
}
