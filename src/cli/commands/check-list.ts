/**
 * `hoichinhsach check --csv FILE | --xlsx FILE [--out FILE]`: screens a commune's household list (see
 * src/screening/). The result goes to `--out` (CSV or XLSX by its extension), written to a temporary file
 * beside it and renamed when complete; without `--out`, CSV on stdout. The rows that could not be read are
 * listed on stderr (row, column, reason) and the exit code is then 2; the others still get decisions.
 * `check --template FILE.csv|FILE.xlsx` writes the template with its example row.
 */
import {
  accessSync,
  constants,
  createReadStream,
  createWriteStream,
  existsSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import type { PolicyKnowledge } from "../../domain/policy.ts";
import { UserInputError } from "../../shared/errors.ts";
import {
  defaultWorkers,
  screenList,
  templateFile,
  type ListFormat,
  type ScreeningReport,
} from "../../screening/index.ts";
import { EXIT, write, type CliIO } from "../io.ts";

/** What `check` passes on for a list. */
export interface ListOptions {
  input: string;
  format: ListFormat;
  out?: string;
  today: string;
  workers?: number;
}

const FORMATS: Record<string, ListFormat> = { ".csv": "csv", ".xlsx": "xlsx" };

/** The format a file's extension names, or a Vietnamese error saying what is expected. */
export function formatOf(file: string, what: string): ListFormat {
  const format = FORMATS[extname(file).toLowerCase()];
  if (!format) {
    throw new UserInputError(
      `${what} “${basename(file)}” phải có đuôi .csv hoặc .xlsx${extname(file) ? `, không phải ${extname(file)}` : ""}.`,
    );
  }
  return format;
}

/** Checks that the list exists, is a file and matches the option that names it. */
function checkInput(file: string, format: ListFormat): void {
  const named = FORMATS[extname(file).toLowerCase()];
  if (named && named !== format) {
    throw new UserInputError(
      `Tệp “${basename(file)}” là tệp ${named.toUpperCase()}: dùng --${named} ${basename(file)} thay cho --${format}.`,
    );
  }
  if (!named && extname(file).toLowerCase() === ".xls") {
    throw new UserInputError(
      `Tệp “${basename(file)}” là Excel cũ (.xls): hãy mở trong Excel và lưu lại dạng .xlsx (hoặc CSV UTF-8).`,
    );
  }
  if (!named) {
    throw new UserInputError(
      `Tệp danh sách “${basename(file)}” phải có đuôi .${format}${extname(file) ? `, không phải ${extname(file)}` : ""}.`,
    );
  }
  let stats;
  try {
    stats = statSync(file);
  } catch {
    throw new UserInputError(`Không tìm thấy tệp “${file}”. Kiểm tra lại tên và thư mục.`);
  }
  if (!stats.isFile()) throw new UserInputError(`“${file}” không phải một tệp (có thể là thư mục).`);
  try {
    accessSync(file, constants.R_OK);
  } catch {
    throw new UserInputError(`Không có quyền đọc tệp “${file}”.`);
  }
}

/** Rows and reasons shown on stderr: the first ones, then a count. */
const SHOWN_PROBLEMS = 20;

function reportText(report: ScreeningReport, out: string | undefined): string {
  const lines = [
    `Đã xét ${report.decided.toLocaleString("vi-VN")} hộ${report.unreadable > 0 ? `; ${report.unreadable.toLocaleString("vi-VN")} dòng không đọc được` : ""}${out ? `. Kết quả: ${out}` : ""}.`,
  ];
  if (report.ignoredColumns.length > 0)
    lines.push(
      `Bỏ qua các cột không dùng đến: ${report.ignoredColumns.map((heading) => `“${heading}”`).join(", ")}.`,
    );
  const problems = report.problems.slice(0, SHOWN_PROBLEMS);
  for (const problem of problems)
    lines.push(`Dòng ${problem.row}${problem.column ? `, cột “${problem.column}”` : ""}: ${problem.message}`);
  const more = report.problems.length - problems.length + report.moreProblems;
  if (more > 0)
    lines.push(`… và ${more.toLocaleString("vi-VN")} lỗi khác (xem cột “Lỗi dữ liệu” trong tệp kết quả).`);
  return `${lines.join("\n")}\n`;
}

/** Runs `check --csv/--xlsx`. */
export async function runList(options: ListOptions, policy: PolicyKnowledge, io: CliIO): Promise<number> {
  checkInput(options.input, options.format);
  const outputFormat = options.out ? formatOf(options.out, "Tệp kết quả (--out)") : "csv";
  if (options.out && !existsSync(dirname(options.out) || ".")) {
    throw new UserInputError(`Thư mục “${dirname(options.out)}” của tệp kết quả không tồn tại.`);
  }
  const temporary = options.out
    ? join(dirname(options.out), `.${basename(options.out)}.${process.pid}.tmp`)
    : undefined;
  const output = temporary ? createWriteStream(temporary, { mode: 0o600 }) : io.stdout;
  const showProgress = Boolean((io.stderr as { isTTY?: boolean }).isTTY);
  let shown = 0;
  try {
    const report = await screenList({
      input: createReadStream(options.input),
      inputFormat: options.format,
      output,
      outputFormat,
      policy,
      today: options.today,
      workers: options.workers ?? defaultWorkers(),
      onProgress: ({ rowsDone, done }) => {
        if (!showProgress || (!done && rowsDone - shown < 5_000)) return;
        shown = rowsDone;
        io.stderr.write(`\rĐã xét ${rowsDone.toLocaleString("vi-VN")} hộ…${done ? "\n" : ""}`);
      },
    });
    if (temporary) renameSync(temporary, options.out!);
    await write(io.stderr, reportText(report, options.out));
    return report.unreadable > 0 ? EXIT.badInput : EXIT.ok;
  } catch (error) {
    if (temporary) {
      (output as NodeJS.WritableStream & { destroy(): void }).destroy();
      rmSync(temporary, { force: true });
    }
    throw error;
  }
}

/** Runs `check --template FILE`. */
export async function runTemplate(file: string, io: CliIO): Promise<number> {
  const format = formatOf(file, "Tệp mẫu (--template)");
  if (!existsSync(dirname(file) || "."))
    throw new UserInputError(`Thư mục “${dirname(file)}” không tồn tại.`);
  writeFileSync(file, await templateFile(format));
  await write(io.stdout, `Đã ghi tệp mẫu ${file}: dòng tiêu đề và một dòng ví dụ; mỗi dòng sau là một hộ.\n`);
  return EXIT.ok;
}
