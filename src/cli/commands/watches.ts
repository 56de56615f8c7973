/**
 * `hoichinhsach watches check`: re-runs the decision of every resident who asked to be told when the rules
 * change, under the rules in force on the day, and reports the changes. By default it prints counts only;
 * `--jsonl` prints one `{ "userKey", "text" }` line per notice for the sender (the channels); `--dry-run`
 * changes nothing (the same change is reported again next time).
 */
import { parseArgs } from "node:util";
import { loadPolicyKnowledge } from "../../knowledge/policy-load.ts";
import { UserInputError } from "../../shared/errors.ts";
import { rulesVersion } from "../../staff/versions.ts";
import { DEFAULT_DATABASE_PATH, openDatabase } from "../../storage/database.ts";
import { createRuleWatchStore, type RuleWatchStorePort } from "../../staff/services/rule-watches.ts";
import { dayOption } from "../days.ts";
import { EXIT, write, type CliIO } from "../io.ts";

const USAGE = "Cách dùng: hoichinhsach watches check [--dry-run] [--jsonl] [--date YYYY-MM-DD] [--db TỆP]";

/** Runs `watches`. */
export async function run(args: string[], io: CliIO): Promise<number> {
  let parsed: {
    values: { "dry-run"?: boolean; jsonl?: boolean; date?: string; db?: string };
    positionals: string[];
  };
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        "dry-run": { type: "boolean" },
        jsonl: { type: "boolean" },
        date: { type: "string" },
        db: { type: "string" },
      },
    });
  } catch (error) {
    throw new UserInputError(`Tuỳ chọn không hợp lệ: ${(error as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1 || positionals[0] !== "check") throw new UserInputError(USAGE);
  dayOption(values.date, "date", USAGE);
  const policy = loadPolicyKnowledge();
  // The accounts are sealed with the secret `serve` runs with: the same one must open them here.
  const userKeySecret = io.env.USER_KEY_SECRET?.trim();
  const database = openDatabase(
    values.db ?? io.env.DATABASE_PATH ?? DEFAULT_DATABASE_PATH,
    userKeySecret ? { userKeySecret } : {},
  );
  try {
    const now = values.date ? () => Date.parse(`${values.date}T05:00:00Z`) : undefined;
    const store: RuleWatchStorePort = createRuleWatchStore(database, now ? { now } : {});
    const watched = await store.count();
    const notices = await store.check(policy, rulesVersion(), { dryRun: values["dry-run"] === true });
    if (values.jsonl) {
      for (const notice of notices) await write(io.stdout, `${JSON.stringify(notice)}\n`);
    } else {
      await write(
        io.stdout,
        `${watched} hộ đăng ký nhận thông báo; ${notices.length} hộ có kết quả thay đổi${values["dry-run"] ? " (chạy thử, chưa ghi)" : ""}.\n`,
      );
    }
    return EXIT.ok;
  } finally {
    database.close();
  }
}
