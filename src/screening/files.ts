/**
 * Reading a household list from CSV (csv-parse, streamed) or XLSX (exceljs's streaming reader), and writing
 * the results and the template as CSV or XLSX (exceljs's streaming writer). The I/O of screening; the rows
 * themselves are read and decided in row.ts and batch.ts.
 */
import { Readable, type Writable } from "node:stream";
import { parse, type CsvError } from "csv-parse";
import { stringify } from "csv-stringify/sync";
import type ExcelJSTypes from "exceljs";
import { UserInputError } from "../shared/errors.ts";
import { ExcelJS, xlsxReaderIsSafe } from "./exceljs.ts";
import { COLUMNS } from "./columns.ts";
import type { CellValue } from "./row.ts";
import type { CitedReference, ResultCell } from "./result.ts";
import type { RowProblem } from "./batch.ts";

/** A list's file format. */
export type ListFormat = "csv" | "xlsx";

/** The file cannot be used as a list (not CSV or XLSX, no header, required columns missing). Vietnamese. */
export class ScreeningFileError extends UserInputError {}

/** A row of the file: its number as a spreadsheet shows it (the header is row 1 when it is on top). */
export interface FileRow {
  row: number;
  cells: CellValue[];
}

/** Counts the bytes read from the input, for progress. */
export interface ByteCounter {
  bytes: number;
}

/** The input as a stream of bytes, counted. */
export function inputStream(input: Uint8Array | NodeJS.ReadableStream, counter: ByteCounter): Readable {
  const source =
    input instanceof Uint8Array
      ? Readable.from([Buffer.from(input.buffer, input.byteOffset, input.byteLength)])
      : (input as Readable);
  return source.map(
    (chunk: Buffer | string) => {
      counter.bytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length;
      return chunk;
    },
    { concurrency: 1 },
  );
}

/** The delimiter of a CSV from its first line: the most frequent of , ; and tab outside quotes. */
function sniffDelimiter(head: string): string {
  const line = head.split(/\r?\n/, 1)[0] ?? "";
  const counts = new Map<string, number>([
    [",", 0],
    [";", 0],
    ["\t", 0],
  ]);
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]![1] > 0
    ? [...counts].sort((a, b) => b[1] - a[1])[0]![0]
    : ",";
}

/** Rows of a CSV file (UTF-8, with or without BOM; comma, semicolon or tab), streamed. */
export async function* readCsvRows(source: Readable): AsyncGenerator<FileRow> {
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const first = await iterator.next();
  if (first.done) return;
  const head =
    typeof first.value === "string" ? first.value : first.value.subarray(0, 64 * 1024).toString("utf8");
  const delimiter = sniffDelimiter(head.replace(/^\ufeff/, ""));
  const rest = Readable.from(
    (async function* () {
      yield first.value;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    })(),
  );
  const parser = parse({
    bom: true,
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
  });
  rest.on("error", (error) => parser.destroy(error));
  rest.pipe(parser);
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row++;
      if (row === 1 && record.some((cell) => cell.includes("\ufffd"))) {
        throw new ScreeningFileError(
          "Tệp CSV không ở dạng UTF-8 (chữ có dấu bị lỗi). Trong Excel, chọn Lưu thành → “CSV UTF-8 (Comma delimited)”, hoặc dùng tệp XLSX.",
        );
      }
      yield { row, cells: record };
    }
  } catch (error) {
    if (error instanceof ScreeningFileError) throw error;
    if ((error as CsvError).code?.startsWith?.("CSV_")) {
      throw new ScreeningFileError(
        `Tệp CSV bị lỗi ở dòng ${(error as CsvError & { lines?: number }).lines ?? row + 1}, không đọc tiếp được (ví dụ một dấu ngoặc kép không đóng). Hãy mở tệp trong Excel và lưu lại dạng CSV UTF-8.`,
      );
    }
    throw error;
  } finally {
    rest.destroy();
  }
}

/** A cell of exceljs as a plain value: rich text joined, a formula's result, a link's text. */
function plainCell(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (value instanceof Date) return value;
  if (typeof value === "object") {
    const object = value as {
      richText?: { text: string }[];
      result?: unknown;
      text?: unknown;
      error?: unknown;
    };
    if (Array.isArray(object.richText)) return object.richText.map((part) => part.text).join("");
    if ("result" in object) return plainCell(object.result);
    if ("text" in object) return plainCell(object.text);
    if ("error" in object) return null;
  }
  return null;
}

/** Rows of the first worksheet of an XLSX file, streamed. */
export async function* readXlsxRows(source: Readable): AsyncGenerator<FileRow> {
  // Without the safe reader some letters would come out garbled: better no result than a wrong one.
  if (!xlsxReaderIsSafe) throw new Error("exceljs was loaded before src/screening/exceljs.ts");
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, {
    worksheets: "emit",
    sharedStrings: "cache",
    hyperlinks: "ignore",
    styles: "cache",
    entries: "ignore",
  });
  let sheets = 0;
  try {
    // The other sheets are passed over, not left: exceljs deletes the temporary copy of a sheet that came
    // before the shared strings in the zip only once its reader goes on to the next.
    for await (const sheet of reader) {
      if (++sheets > 1) continue;
      for await (const row of sheet) {
        const values = row.values as unknown[];
        const cells: CellValue[] = [];
        for (let i = 1; i < values.length; i++) cells.push(plainCell(values[i]));
        yield { row: row.number, cells };
      }
    }
  } catch (error) {
    if (error instanceof ScreeningFileError) throw error;
    throw new ScreeningFileError(
      "Không đọc được tệp XLSX (tệp hỏng, hoặc không phải tệp Excel .xlsx). Hãy mở trong Excel và lưu lại dạng “Excel Workbook (.xlsx)”, hoặc dùng CSV UTF-8.",
      { cause: error },
    );
  } finally {
    source.destroy();
  }
  if (sheets === 0) throw new ScreeningFileError("Tệp XLSX không có trang tính nào.");
}

/** Writes to a stream and waits until it takes more (back-pressure), or fails. */
function writeChunk(output: Writable | NodeJS.WritableStream, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    output.once("error", onError);
    const flushed = output.write(chunk, () => undefined);
    const done = () => {
      output.off("error", onError);
      resolve();
    };
    if (flushed) done();
    else output.once("drain", done);
  });
}

/** Where the results go, row batch by row batch. */
export interface ResultWriter {
  header(headings: readonly string[]): Promise<void>;
  /** A batch of rows, as rows or already as CSV text. */
  rows(rows: readonly ResultCell[][] | null, csv: string | null): Promise<void>;
  /** The end: the legal bases (XLSX: a second sheet) and the rows that could not be read (XLSX: a third). */
  finish(
    references: readonly CitedReference[],
    problems: readonly RowProblem[],
    moreProblems: number,
  ): Promise<void>;
}

/** The result as CSV (UTF-8 with BOM, so that Excel shows the diacritics): one row per household. */
export function csvResultWriter(output: NodeJS.WritableStream): ResultWriter {
  return {
    header: (headings) => writeChunk(output, `\ufeff${stringify([headings])}`),
    rows: async (rows, csv) => {
      const text = csv ?? (rows && rows.length > 0 ? stringify(rows as ResultCell[][]) : "");
      if (text) await writeChunk(output, text);
    },
    finish: async () => {
      await new Promise<void>((resolve, reject) => {
        output.once("error", reject);
        output.end(() => resolve());
      });
    },
  };
}

const HEADER_FILL: ExcelJSTypes.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDDEBF7" } };

/** Bytes of a sheet written but not yet compressed, at most, before writing more. */
const MAX_ZIP_BACKLOG = 4 << 20;

/**
 * Bytes of a streamed sheet waiting for the compressor: exceljs pipes the sheet into the zip's entry (a
 * PassThrough of readable-stream) and ignores back-pressure. 0 when the shape is not the expected one.
 */
function zipBacklog(sheet: unknown): number {
  const entry = (sheet as { stream?: { pipes?: { _writableState?: { length?: unknown } }[] } }).stream
    ?.pipes?.[0];
  const length = entry?._writableState?.length;
  return typeof length === "number" ? length : 0;
}

/** The result as XLSX: “Kết quả” (one row per household), “Căn cứ pháp lý”, and “Dòng lỗi” when any. */
export function xlsxResultWriter(output: NodeJS.WritableStream): ResultWriter {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: output as unknown as import("node:stream").Stream,
    useSharedStrings: false,
    useStyles: true,
    zip: { zlib: { level: 1 } },
  });
  workbook.creator = "Hỏi Chính Sách";
  const results = workbook.addWorksheet("Kết quả", { views: [{ state: "frozen", ySplit: 1 }] });
  return {
    header: async (headings) => {
      results.columns = headings.map((heading, index) => ({
        header: heading,
        width:
          index === 0
            ? 7
            : heading === "Lý do chính" || heading === "Lỗi dữ liệu"
              ? 60
              : heading === "Còn thiếu thông tin"
                ? 45
                : 22,
      }));
      const row = results.getRow(1);
      row.font = { bold: true };
      row.fill = HEADER_FILL;
      row.alignment = { wrapText: true, vertical: "top" };
      row.commit();
    },
    rows: async (rows) => {
      for (const values of rows ?? []) {
        results.addRow(values as ResultCell[]).commit();
      }
      // exceljs writes a sheet into the zip without waiting for it: wait here while the compressor is behind,
      // so that memory stays flat however long the list.
      await new Promise((resolve) => setImmediate(resolve));
      while (zipBacklog(results) > MAX_ZIP_BACKLOG) await new Promise((resolve) => setTimeout(resolve, 2));
    },
    finish: async (references, problems, moreProblems) => {
      results.commit();
      const basis = workbook.addWorksheet("Căn cứ pháp lý");
      basis.columns = [
        { header: "Áp dụng cho", width: 50 },
        { header: "Căn cứ pháp lý", width: 110 },
      ];
      basis.getRow(1).font = { bold: true };
      for (const reference of references) basis.addRow([reference.section, reference.citation]).commit();
      basis.commit();
      if (problems.length > 0) {
        const errors = workbook.addWorksheet("Dòng lỗi");
        errors.columns = [
          { header: "Dòng", width: 8 },
          { header: "Cột", width: 30 },
          { header: "Lý do", width: 100 },
        ];
        errors.getRow(1).font = { bold: true };
        for (const problem of problems)
          errors.addRow([problem.row, problem.column, problem.message]).commit();
        if (moreProblems > 0)
          errors
            .addRow(["", "", `… và ${moreProblems} lỗi khác: xem cột “Lỗi dữ liệu” ở trang Kết quả.`])
            .commit();
        errors.commit();
      }
      await workbook.commit();
    },
  };
}

/** The template's header row and example row. */
export function templateRows(): { headings: string[]; example: (string | number)[] } {
  return {
    headings: COLUMNS.map((column) => column.heading),
    example: COLUMNS.map((column) => column.example),
  };
}

/** The template as a file: the Vietnamese headings and one example row (XLSX: and a sheet explaining each column). */
export async function templateFile(format: ListFormat): Promise<Buffer> {
  const { headings, example } = templateRows();
  if (format === "csv") return Buffer.from(`\ufeff${stringify([headings, example])}`, "utf8");
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Hỏi Chính Sách";
  const list = workbook.addWorksheet("Danh sách hộ", { views: [{ state: "frozen", ySplit: 1 }] });
  list.columns = headings.map((heading) => ({
    header: heading,
    width: Math.max(14, Math.min(40, heading.length + 4)),
  }));
  list.getRow(1).font = { bold: true };
  list.getRow(1).fill = HEADER_FILL;
  list.addRow(example);
  const help = workbook.addWorksheet("Hướng dẫn");
  help.columns = [
    { header: "Cột", width: 45 },
    { header: "Bắt buộc", width: 10 },
    { header: "Cách ghi", width: 110 },
  ];
  help.getRow(1).font = { bold: true };
  for (const column of COLUMNS) help.addRow([column.heading, column.required ? "có" : "", column.help]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
