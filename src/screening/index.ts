/**
 * Screening a commune's household list: an uploaded CSV or XLSX in, a result file (CSV or XLSX) out, one row
 * per household with its category, each programme's status, the main reason and what is missing; rows that
 * cannot be read are listed with their row number, column and a Vietnamese reason, and the others still get
 * decisions. The list is personal data: it is read as a stream and never logged or kept; only the counts
 * and the problems (row, column, reason) come back.
 *
 * ```ts
 * const report = await screenList({
 *   input: uploadedBuffer, inputFormat: "xlsx",
 *   output: response, outputFormat: "xlsx",
 *   onProgress: ({ rowsDone, bytesRead, totalBytes }) => ...,
 * });
 * report.problems; // [{ row: 7, column: "Số người", message: "bắt buộc phải có (...)" }, ...]
 * ```
 */
import { availableParallelism } from "node:os";
import { vietnamDate } from "../domain/dates.ts";
import type { PolicyKnowledge } from "../domain/policy.ts";
import { loadPolicyKnowledge } from "../knowledge/policy-load.ts";
import { BatchScreener, type BatchResult, type BatchSetup, type RowBatch, type RowProblem } from "./batch.ts";
import { COLUMNS, mapHeader } from "./columns.ts";
import {
  ScreeningFileError,
  csvResultWriter,
  inputStream,
  readCsvRows,
  readXlsxRows,
  xlsxResultWriter,
  type ByteCounter,
  type FileRow,
  type ListFormat,
  type ResultWriter,
} from "./files.ts";
import { resultHeadings, resultLayout, type CitedReference } from "./result.ts";
import { cellText } from "./row.ts";
import { ScreeningPool } from "./pool.ts";

export { ScreeningFileError, templateFile, templateRows, type ListFormat } from "./files.ts";
export { COLUMNS, type ColumnSpec } from "./columns.ts";
export type { RowProblem } from "./batch.ts";

/** How far screening has got (for a progress bar: `bytesRead / totalBytes`, known for a Buffer input). */
export interface ScreeningProgress {
  /** Households read from the file so far. */
  rowsRead: number;
  /** Households decided (or found unreadable) and written. */
  rowsDone: number;
  bytesRead: number;
  /** The input's size when known (a Buffer), else null. */
  totalBytes: number | null;
  done: boolean;
}

/** What `screenList` is given. */
export interface ScreenOptions {
  /** The uploaded list: its bytes, or a stream of them. */
  input: Uint8Array | NodeJS.ReadableStream;
  inputFormat: ListFormat;
  /** Where the result file is written; ended when done. Nothing is written before the header is checked. */
  output: NodeJS.WritableStream;
  outputFormat: ListFormat;
  /** The rules (default: loaded from the knowledge folder). */
  policy?: PolicyKnowledge;
  knowledgeDir?: string;
  /** Assessment date of households without their own (default: today in Vietnam). */
  today?: string;
  /** Called after each batch of rows is written, and once at the end. */
  onProgress?: (progress: ScreeningProgress) => void;
  /** Worker threads for long lists (default: one per core but one; 0 for this thread alone). */
  workers?: number;
}

/** What screening found: counts, and the rows that could not be read. Holds no household data. */
export interface ScreeningReport {
  households: number;
  decided: number;
  unreadable: number;
  /** The problems of unreadable rows, in row order (the first {@link MAX_REPORTED_PROBLEMS}). */
  problems: RowProblem[];
  /** Problems beyond those listed. */
  moreProblems: number;
  /** Headings of the file that are not columns of the list (ignored). */
  ignoredColumns: string[];
  /** Households per category ("poor", "near_poor", "average_living", "none", "unknown"). */
  categories: Record<string, number>;
  /** Households found eligible, per programme id. */
  eligible: Record<string, number>;
}

/** Problems kept in the report and the XLSX's error sheet; every one is also in its row's “Lỗi dữ liệu”. */
export const MAX_REPORTED_PROBLEMS = 10_000;
/** Rows looked at for the header row (titles may stand above it). */
const HEADER_SEARCH_ROWS = 20;
/** Rows per batch. */
const BATCH_ROWS = 256;
/** Lists longer than this are also decided on worker threads (starting them costs about a second). */
const PARALLEL_AFTER_ROWS = 2_000;
/** Batches decided but not yet written, at most. */
const MAX_IN_FLIGHT = 8;
/** Batches a worker may have waiting; past that, this thread decides the next batch itself. */
const WORKER_QUEUE = 2;

/** Worker threads by default: one per core but one (none on a single core), at most 8. */
export function defaultWorkers(): number {
  const cores = availableParallelism();
  return cores > 1 ? Math.min(cores - 1, 8) : 0;
}

function missingColumnsMessage(missing: readonly string[], found: readonly string[]): string {
  return [
    `Tệp thiếu cột bắt buộc: ${missing.map((heading) => `“${heading}”`).join(", ")}.`,
    `Dòng tiêu đề cần có ít nhất các cột “Khu vực” và “Số người”; tải mẫu bằng: hoichinhsach check --template mau.xlsx.`,
    found.length > 0 ? `Các cột trong tệp: ${found.map((heading) => `“${heading}”`).join(", ")}.` : "",
  ]
    .filter(Boolean)
    .join("\n");
}

/**
 * Screens a list. Throws {@link ScreeningFileError} (a Vietnamese message) when the file cannot be used as a
 * list: not CSV or XLSX, empty, no header row, a required column missing. Rows that cannot be read do not
 * throw: they are in the report and in the result file.
 */
export async function screenList(options: ScreenOptions): Promise<ScreeningReport> {
  const policy = options.policy ?? loadPolicyKnowledge(options.knowledgeDir);
  const today = options.today ?? vietnamDate(Date.now());
  const counter: ByteCounter = { bytes: 0 };
  const totalBytes = options.input instanceof Uint8Array ? options.input.byteLength : null;
  const source = inputStream(options.input, counter);
  const rows: AsyncGenerator<FileRow> =
    options.inputFormat === "csv" ? readCsvRows(source) : readXlsxRows(source);

  // The header: the first row naming the required columns, among the first rows with text (a title or a
  // commune's name may stand above it); failing that, the row naming the most columns says what is missing.
  // (read by hand: leaving a for-await loop would close the generator)
  let best: { headings: string[]; header: ReturnType<typeof mapHeader> } | undefined;
  let found: typeof best;
  let looked = 0;
  for (let next = await rows.next(); !next.done; next = await rows.next()) {
    const texts = next.value.cells.map(cellText);
    if (!texts.some(Boolean)) continue;
    const candidate = { headings: texts, header: mapHeader(texts) };
    if (candidate.header.missing.length === 0) {
      found = candidate;
      break;
    }
    if (!best || candidate.header.positions.size > best.header.positions.size) best = candidate;
    if (++looked === HEADER_SEARCH_ROWS) break;
  }
  if (!found) {
    await rows.return(undefined);
    if (!best) {
      throw new ScreeningFileError(
        "Tệp không có dữ liệu: cần một dòng tiêu đề (Khu vực, Số người, …) và mỗi dòng sau là một hộ. Tải mẫu bằng: hoichinhsach check --template mau.xlsx.",
      );
    }
    const known = best.headings.filter((heading) => heading && !best.header.unknown.includes(heading));
    const named = best.header.positions.size > 0 ? known : best.headings.filter(Boolean);
    throw new ScreeningFileError(
      missingColumnsMessage(
        best.header.missing.map((column) => column.heading),
        named.slice(0, 30),
      ),
    );
  }
  const { headings, header } = found;
  const kept = COLUMNS.filter(
    (column) => column.kind === "passthrough" && header.positions.has(column.key),
  ).map((column) => column.key);
  const setup: BatchSetup = {
    positions: [...header.positions],
    headings,
    kept,
    today,
    csv: options.outputFormat === "csv",
  };
  const writer: ResultWriter =
    options.outputFormat === "csv" ? csvResultWriter(options.output) : xlsxResultWriter(options.output);
  await writer.header(resultHeadings(resultLayout(policy, kept)));

  const report: ScreeningReport = {
    households: 0,
    decided: 0,
    unreadable: 0,
    problems: [],
    moreProblems: 0,
    ignoredColumns: [...header.unknown, ...header.duplicates],
    categories: {},
    eligible: {},
  };
  const references = new Map<string, CitedReference>();
  const local = new BatchScreener(policy, setup);
  const workers = options.workers ?? defaultWorkers();
  let pool: ScreeningPool | undefined;
  const inFlight: { result: BatchResult | undefined; done: Promise<BatchResult> }[] = [];
  let rowsRead = 0;
  const progress = (done: boolean) =>
    options.onProgress?.({
      rowsRead,
      rowsDone: report.households,
      bytesRead: counter.bytes,
      totalBytes,
      done,
    });

  const absorb = async (result: BatchResult, count: number) => {
    await writer.rows(result.rows, result.csv);
    report.households += count;
    report.decided += result.decided;
    report.unreadable += result.unreadable;
    for (const problem of result.problems) {
      if (report.problems.length < MAX_REPORTED_PROBLEMS) report.problems.push(problem);
      else report.moreProblems++;
    }
    for (const [category, n] of Object.entries(result.categories))
      report.categories[category] = (report.categories[category] ?? 0) + n;
    for (const [id, n] of Object.entries(result.eligible))
      report.eligible[id] = (report.eligible[id] ?? 0) + n;
    for (const [key, reference] of result.references)
      if (!references.has(key)) references.set(key, reference);
    progress(false);
  };
  const sizes: number[] = [];
  const writeReady = async (keep: number) => {
    while (inFlight.length > 0 && (inFlight[0]!.result !== undefined || inFlight.length > keep)) {
      const result = inFlight[0]!.result ?? (await inFlight[0]!.done);
      inFlight.shift();
      await absorb(result, sizes.shift()!);
    }
  };
  const submit = async (batch: RowBatch) => {
    if (!pool && workers > 0 && rowsRead > PARALLEL_AFTER_ROWS)
      pool = new ScreeningPool(workers, { ...setup, policy });
    sizes.push(batch.rows.length);
    if (pool?.wantsBatch(WORKER_QUEUE)) {
      const entry: (typeof inFlight)[number] = { result: undefined, done: pool.run(batch) };
      entry.done.then(
        (result) => (entry.result = result),
        () => undefined,
      );
      inFlight.push(entry);
    } else {
      const result = local.run(batch);
      inFlight.push({ result, done: Promise.resolve(result) });
    }
    await writeReady(pool ? MAX_IN_FLIGHT : 0);
  };

  try {
    let batch: RowBatch = { rows: [] };
    for await (const row of rows) {
      if (!row.cells.some((cell) => cellText(cell) !== "")) continue;
      rowsRead++;
      batch.rows.push(row);
      if (batch.rows.length === BATCH_ROWS) {
        await submit(batch);
        batch = { rows: [] };
      }
    }
    if (batch.rows.length > 0) await submit(batch);
    await writeReady(0);
  } finally {
    await pool?.close();
  }
  const sections = [...references.values()];
  await writer.finish(sections, report.problems, report.moreProblems);
  progress(true);
  return report;
}
