/**
 * `hoichinhsach ask`: looks a question up in the plan documents.
 *
 * - `ask "câu hỏi"`: readable answer (the whole best section, its citation and cautions, further passages);
 * - `ask --json "câu hỏi"`: one JSON object `{ query, results: [{ documentId, title, sectionPath, text,
 *   excerpt, score, citation, warnings }] }` (plus `type` and `message` when there is no good match or the
 *   question is unusable);
 * - `ask --jsonl`: one question per stdin line, one JSON object per stdout line, in order, index opened once.
 */
import { parseArgs } from "node:util";
import { formatSearchOutcome } from "../../knowledge/format.ts";
import { openKnowledgeBase } from "../../knowledge/open.ts";
import type { SearchOptions, SearchOutcome } from "../../knowledge/types.ts";
import { UserInputError } from "../../shared/errors.ts";
import { EXIT, readLines, write, type CliIO } from "../io.ts";

const USAGE =
  'Cách dùng: hoichinhsach ask [--json] [--limit N] [--doc MÃ] [--province TỈNH] [--year NĂM] "câu hỏi"\n' +
  "           hoichinhsach ask --jsonl   (mỗi dòng vào là một câu hỏi, mỗi dòng ra là một kết quả JSON)";

/** The stable JSON form of an outcome (documented in README.md). */
export function outcomeJson(outcome: SearchOutcome): Record<string, unknown> {
  if (outcome.type === "invalid") {
    return { query: outcome.query, results: [], type: outcome.type, message: outcome.message };
  }
  const results = outcome.results.map((result) => ({
    documentId: result.documentId,
    title: result.title,
    sectionPath: result.sectionPath,
    text: result.text,
    excerpt: result.excerpt,
    score: result.score,
    citation: result.citation,
    warnings: result.warnings,
  }));
  if (outcome.type === "no_match") {
    return { query: outcome.query, results, type: outcome.type, message: outcome.message };
  }
  return { query: outcome.query, results };
}

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: {
        json: { type: "boolean", default: false },
        jsonl: { type: "boolean", default: false },
        limit: { type: "string" },
        doc: { type: "string" },
        province: { type: "string" },
        year: { type: "string" },
      },
    });
  } catch (error) {
    throw new UserInputError(`Tuỳ chọn không hợp lệ: ${(error as Error).message}\n${USAGE}`);
  }
}

function integer(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new UserInputError(`--${name} phải là số nguyên từ ${min} đến ${max}, không phải "${value}".`);
  }
  return number;
}

/** Runs `ask`. */
export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args);
  const question = positionals.join(" ");
  if (values.jsonl && question)
    throw new UserInputError(
      `--jsonl đọc câu hỏi từ đầu vào chuẩn, không nhận câu hỏi trên dòng lệnh.\n${USAGE}`,
    );
  if (!values.jsonl && positionals.length === 0) throw new UserInputError(`Hãy nhập câu hỏi.\n${USAGE}`);
  const options: SearchOptions = {
    limit: integer(values.limit, "limit", 1, 20),
    documentId: values.doc,
    province: values.province,
    year: integer(values.year, "year", 1945, 2100),
  };

  const kb = openKnowledgeBase({ databasePath: io.env.DATABASE_PATH });
  try {
    if (values.jsonl) {
      for await (const line of readLines(io.stdin)) {
        await write(io.stdout, `${JSON.stringify(outcomeJson(kb.search(line, options)))}\n`);
      }
      return EXIT.ok;
    }
    const outcome = kb.search(question, options);
    if (values.json) await write(io.stdout, `${JSON.stringify(outcomeJson(outcome), null, 2)}\n`);
    else
      await write(
        outcome.type === "invalid" ? io.stderr : io.stdout,
        `${formatSearchOutcome(outcome, { fullText: true })}\n`,
      );
    if (outcome.type === "invalid") {
      if (values.json) await write(io.stderr, `${outcome.message}\n`);
      return EXIT.badInput;
    }
    return EXIT.ok;
  } finally {
    kb.close();
  }
}
