/**
 * `hoichinhsach stats`: anonymous aggregate statistics for staff — screenings per day, share of each
 * category, programmes most often eligible, questions with no good answer, feedback counts. Never per person.
 */
import { parseArgs } from "node:util";
import { loadPolicyKnowledge } from "../../knowledge/policy-load.ts";
import { UserInputError } from "../../shared/errors.ts";
import { renderStats } from "../../staff/stats.ts";
import { DEFAULT_DATABASE_PATH, openDatabase } from "../../storage/database.ts";
import { createUsageStats, type UsageStatsPort } from "../../staff/services/feedback.ts";
import { dayRangeOptions } from "../days.ts";
import { EXIT, write, type CliIO } from "../io.ts";

const USAGE = "Cách dùng: hoichinhsach stats [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json] [--db TỆP]";

/** Runs `stats`. */
export async function run(args: string[], io: CliIO): Promise<number> {
  let values: { from?: string; to?: string; json?: boolean; db?: string };
  try {
    values = parseArgs({
      args,
      options: {
        from: { type: "string" },
        to: { type: "string" },
        json: { type: "boolean" },
        db: { type: "string" },
      },
    }).values;
  } catch (error) {
    throw new UserInputError(`Tuỳ chọn không hợp lệ: ${(error as Error).message}\n${USAGE}`);
  }
  const range = dayRangeOptions(values, USAGE);
  const database = openDatabase(values.db ?? io.env.DATABASE_PATH ?? DEFAULT_DATABASE_PATH);
  try {
    const stats: UsageStatsPort = createUsageStats(database);
    const summary = await stats.summary(range);
    if (values.json) await write(io.stdout, `${JSON.stringify(summary, null, 2)}\n`);
    else {
      const titles = new Map(loadPolicyKnowledge().programs.map((program) => [program.id, program.title]));
      await write(io.stdout, `${renderStats(summary, titles)}\n`);
    }
    return EXIT.ok;
  } finally {
    database.close();
  }
}
