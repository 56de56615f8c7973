/**
 * `hoichinhsach check`: eligibility decisions for households given as JSON on stdin.
 *
 * - `--json` (default): one household (a JSON object) on stdin → the decision, pretty-printed.
 * - `--jsonl`: one household per line → one decision per line, in order. A bad line gets an error object
 *   `{"line": n, "error": {"message", "problems": [{field, message}]}}` instead; the others still get
 *   their decisions, and the exit code is 2 when any line was bad.
 * - `--summary` (with `--jsonl`): a short line per household for screening a whole list: category and
 *   status per programme (`{"assessedOn", "standard", "category", "basis", "programs": {id: status}, "missingFacts": [fact]}`).
 * - `--date YYYY-MM-DD`: the assessment date for households without `assessedOn` (default: today in Vietnam).
 * - `--knowledge DIR`: another knowledge folder (default: this checkout's knowledge/).
 * - `--quick "<dòng>"`: expert mode, one line as staff type it (see check-quick.ts); with `--html FILE` and
 *   `--name TÊN` for the printable case summary.
 */
import { parseArgs } from "node:util";
import { isIsoDate, vietnamDate } from "../../domain/dates.ts";
import { decide } from "../../domain/eligibility.ts";
import type { Decision } from "../../domain/decision.ts";
import { parseHousehold, type FieldProblem } from "../../domain/household.ts";
import type { PolicyKnowledge } from "../../domain/policy.ts";
import { loadPolicyKnowledge } from "../../knowledge/policy-load.ts";
import { UserInputError } from "../../shared/errors.ts";
import { CachingJsonSerializer } from "../../shared/json-cache.ts";
import { EXIT, readLines, type CliIO } from "../io.ts";

const USAGE = [
  "Cách dùng: hoichinhsach check [--json | --jsonl] [--date YYYY-MM-DD]",
  "  --json    đọc một hộ gia đình (JSON) từ stdin, in kết quả xét (mặc định)",
  "  --jsonl   đọc mỗi dòng một hộ, in mỗi dòng một kết quả theo đúng thứ tự",
  "  --summary (cùng --jsonl) chỉ in tóm tắt: diện hộ và kết quả từng chính sách",
  "  --date    ngày đánh giá cho các hộ không có assessedOn (mặc định: hôm nay)",
  '  --quick "DÒNG"  nhập cả hộ trên một dòng, ví dụ: --quick "nt, 4 người, tn 5tr6/tháng, thiếu: bhyt, nhà tiêu; hn"',
  "  --html TỆP      (cùng --quick) ghi bản tóm tắt hồ sơ để in; --name TÊN ghi tên người được hỗ trợ",
  'Ví dụ: echo \'{"area":"rural","members":4,"monthlyIncome":5000000}\' | hoichinhsach check --json',
  "",
].join("\n");

/** Flush output in chunks this large: one write per decision would be slow for a whole commune's list. */
const CHUNK_BYTES = 1 << 18;

/** The error object printed for a household that cannot be read. */
interface LineError {
  line?: number;
  error: { message: string; problems: FieldProblem[] };
}

function parseOptions(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        json: { type: "boolean" },
        jsonl: { type: "boolean" },
        summary: { type: "boolean" },
        date: { type: "string" },
        knowledge: { type: "string" },
        quick: { type: "string" },
        html: { type: "string" },
        name: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UserInputError(`Tuỳ chọn không hợp lệ (${(error as Error).message}).\n\n${USAGE}`);
  }
}

/** Parses one household from JSON text; a problem list (Vietnamese) when it cannot be used. */
function readHousehold(text: string, policy: PolicyKnowledge) {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const detail = (error as Error).message;
    return {
      ok: false as const,
      error: {
        message: `Dữ liệu không phải JSON hợp lệ (${detail}).`,
        problems: [] as FieldProblem[],
      },
    };
  }
  const parsed = parseHousehold(raw, { indicatorIds: policy.indicatorIds });
  if (parsed.ok) return parsed;
  return {
    ok: false as const,
    error: {
      message: `Dữ liệu hộ gia đình chưa hợp lệ: ${parsed.error.map((problem) => problem.message).join(" ")}`,
      problems: parsed.error,
    },
  };
}

/**
 * Writes to an output stream, waiting for it to drain. When the reader goes away (EPIPE: `| head`), `closed`
 * turns true and writes become no-ops, so a batch stops quietly instead of crashing with a stack trace.
 */
function createOutput(stream: NodeJS.WritableStream) {
  let closed = false;
  let failure: Error | undefined;
  stream.on("error", (error: NodeJS.ErrnoException) => {
    closed = true;
    if (error.code !== "EPIPE") failure = error;
  });
  return {
    get closed() {
      if (failure) throw failure;
      return closed;
    },
    write(text: string | Buffer): Promise<void> {
      if (closed) return Promise.resolve();
      return new Promise((resolve) => {
        if (stream.write(text)) return resolve();
        const done = () => {
          stream.off("drain", done);
          stream.off("error", done);
          stream.off("close", done);
          resolve();
        };
        stream.once("drain", done);
        stream.once("error", done);
        stream.once("close", done);
      });
    },
  };
}

/** The short screening line of `--summary`. */
function summarise(decision: Decision): unknown {
  return {
    assessedOn: decision.assessedOn,
    standard: decision.standard?.id ?? null,
    category: decision.classification.category,
    basis: decision.classification.basis,
    programs: Object.fromEntries(decision.programs.map((program) => [program.id, program.status])),
    missingFacts: decision.missingFacts.map((fact) => fact.fact),
  };
}

async function readAll(stdin: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stdin)
    text += typeof chunk === "string" ? chunk : (chunk as Buffer).toString("utf8");
  return text;
}

async function checkOne(io: CliIO, policy: PolicyKnowledge, today: string): Promise<number> {
  const out = createOutput(io.stdout);
  const err = createOutput(io.stderr);
  const text = (await readAll(io.stdin)).trim();
  if (!text)
    throw new UserInputError(`Không có dữ liệu: hãy đưa một hộ gia đình dạng JSON vào stdin.\n\n${USAGE}`);
  const household = readHousehold(text, policy);
  if (!household.ok) {
    const error: LineError = { error: household.error };
    await out.write(`${JSON.stringify(error, null, 2)}\n`);
    await err.write(
      `${household.error.problems.map((p) => p.message).join("\n") || household.error.message}\n`,
    );
    return EXIT.badInput;
  }
  await out.write(`${JSON.stringify(decide(household.value, policy, { today }), null, 2)}\n`);
  return EXIT.ok;
}

async function checkLines(
  io: CliIO,
  policy: PolicyKnowledge,
  today: string,
  summary: boolean,
): Promise<number> {
  const out = createOutput(io.stdout);
  const badLines: number[] = [];
  // Decisions share most of their content (references, next steps, whole programme outcomes): the
  // serialiser encodes each shared part once and copies its bytes afterwards.
  const json = new CachingJsonSerializer();
  let lineNumber = 0;
  for await (const line of readLines(io.stdin)) {
    lineNumber++;
    if (line.trim() === "") continue;
    const household = readHousehold(line, policy);
    if (household.ok) {
      const decision = decide(household.value, policy, { today });
      json.appendLine(summary ? summarise(decision) : decision);
    } else {
      badLines.push(lineNumber);
      const error: LineError = { line: lineNumber, error: household.error };
      json.appendText(`${JSON.stringify(error)}\n`);
    }
    if (json.pendingSize >= CHUNK_BYTES) {
      await out.write(json.take());
      if (out.closed) return EXIT.ok; // the reader stopped reading (e.g. `| head`)
    }
  }
  if (json.pendingSize > 0) await out.write(json.take());
  if (badLines.length === 0) return EXIT.ok;
  const shown = badLines.slice(0, 20).join(", ") + (badLines.length > 20 ? ", ..." : "");
  await createOutput(io.stderr).write(
    `${badLines.length} dòng có lỗi (dòng ${shown}); các dòng khác đã có kết quả.\n`,
  );
  return EXIT.badInput;
}

/** Runs `hoichinhsach check`; see the module comment for the options. */
export async function run(args: string[], io: CliIO): Promise<number> {
  const options = parseOptions(args);
  if (options.help) {
    await createOutput(io.stdout).write(USAGE);
    return EXIT.ok;
  }
  if (options.summary && !options.jsonl)
    throw new UserInputError(`Tuỳ chọn --summary chỉ dùng cùng --jsonl.\n\n${USAGE}`);
  if (options.json && options.jsonl)
    throw new UserInputError(`Chỉ dùng một trong hai tuỳ chọn --json hoặc --jsonl.\n\n${USAGE}`);
  if (options.date !== undefined && !isIsoDate(options.date)) {
    throw new UserInputError(
      `Tuỳ chọn --date phải là một ngày dạng YYYY-MM-DD (ví dụ 2026-03-15), bạn nhập "${options.date}".`,
    );
  }
  if ((options.html !== undefined || options.name !== undefined) && options.quick === undefined)
    throw new UserInputError(`Tuỳ chọn --html và --name chỉ dùng cùng --quick.\n\n${USAGE}`);
  if (options.quick !== undefined && (options.jsonl || options.summary))
    throw new UserInputError(`Tuỳ chọn --quick không dùng cùng --jsonl hay --summary.\n\n${USAGE}`);
  const knowledgeDir = options.knowledge ?? io.env.HOICHINHSACH_KNOWLEDGE_DIR ?? undefined;
  const policy = loadPolicyKnowledge(knowledgeDir);
  const today = options.date ?? vietnamDate(Date.now());
  if (options.quick !== undefined) {
    const { runQuick } = await import("./check-quick.ts");
    return runQuick(
      {
        line: options.quick,
        today,
        json: options.json ?? false,
        ...(options.html !== undefined ? { html: options.html } : {}),
        ...(options.name !== undefined ? { name: options.name } : {}),
        ...(knowledgeDir ? { knowledgeDir } : {}),
      },
      policy,
      io,
    );
  }
  return options.jsonl
    ? checkLines(io, policy, today, options.summary ?? false)
    : checkOne(io, policy, today);
}
