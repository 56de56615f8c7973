/**
 * `hoichinhsach check --csv/--xlsx/--template`, the real CLI spawned: a 1,000-row XLSX list with bad rows
 * screened to XLSX and read back; the same decisions as `check --jsonl` on the same households (on worker
 * threads too); the template; clear Vietnamese errors for a missing or unreadable file, a wrong extension and
 * missing columns, with no stack trace and no file left behind.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import type ExcelJSTypes from "exceljs";
import { ExcelJS } from "../src/screening/exceljs.ts";
import { afterAll, describe, expect, it } from "vitest";
import { loadPolicyKnowledge } from "../src/knowledge/policy-load.ts";
import { STATUS_LABEL } from "../src/staff/case-summary.ts";
import {
  generateList,
  LIST_HEADINGS,
  rowCells,
  type ListRow,
  SPOILED_CELLS,
} from "./support/household-list.ts";

const BIN = fileURLToPath(new URL("../bin/hoichinhsach.mjs", import.meta.url));
const STACK_TRACE = /\n\s+at |Error:/;
const DATE = "2026-03-01";
const scratch = mkdtempSync(join(tmpdir(), "hcs-screening-e2e-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const policy = loadPolicyKnowledge();
const PROGRAMS = [...policy.programs].sort((a, b) => a.order - b.order).map((program) => program.id);
const LABEL_STATUS = new Map(Object.entries(STATUS_LABEL).map(([status, label]) => [label, status]));

function cli(args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  const run = spawnSync(process.execPath, [BIN, "check", ...args], {
    input: options.input ?? "",
    encoding: "utf8",
    cwd: scratch,
    env: { ...process.env, HOICHINHSACH_DEBUG: "", ...options.env },
    maxBuffer: 1 << 28,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** `check --jsonl --summary` of the households: category and status per programme, in order. */
function jsonlSummaries(rows: readonly ListRow[]): { category: string; programs: Record<string, string> }[] {
  const run = cli(["--jsonl", "--summary", "--date", DATE], {
    input: rows.map((row) => JSON.stringify(row.household)).join("\n"),
  });
  expect(run.code, run.stderr).toBe(0);
  return run.stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { category: string; programs: Record<string, string> });
}

/** The statuses of a result row (by programme id) read back from the labels. */
function statusesOf(row: readonly unknown[], first: number): Record<string, string> {
  return Object.fromEntries(PROGRAMS.map((id, index) => [id, LABEL_STATUS.get(String(row[first + index]))!]));
}

async function readXlsx(file: string) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  return workbook;
}

function sheetRows(sheet: ExcelJSTypes.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

describe("check --xlsx: a 1,000-row list with bad rows", () => {
  const rows = generateList(1_000, 7);
  const spoiled = SPOILED_CELLS;
  const input = join(scratch, "danh-sach.xlsx");
  const output = join(scratch, "ket-qua.xlsx");

  it("decides the others, lists each bad row with its column and reason, and writes three sheets", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Danh sách");
    sheet.addRow(["DANH SÁCH HỘ GIA ĐÌNH NĂM 2026"]); // a title above the header, as communes write
    sheet.addRow(LIST_HEADINGS);
    rows.forEach((row, index) => {
      const cells = { ...row.cells };
      for (const [at, key, value] of spoiled) if (at === index) cells[key] = value;
      sheet.addRow(rowCells({ ...row, cells }));
    });
    await workbook.xlsx.writeFile(input);

    const run = cli(["--xlsx", input, "--out", output, "--date", DATE]);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.stderr).toContain("Đã xét 996 hộ; 4 dòng không đọc được. Kết quả: ");
    // The title is row 1 and the header row 2: household i is on row i + 3.
    for (const [at, , , heading] of spoiled)
      expect(run.stderr).toContain(`Dòng ${at + 3}, cột “${heading}”: `);
    expect(run.stderr).not.toContain("Chủ hộ");

    const result = await readXlsx(output);
    expect(result.worksheets.map((sheet) => sheet.name)).toEqual(["Kết quả", "Căn cứ pháp lý", "Dòng lỗi"]);
    const table = sheetRows(result.getWorksheet("Kết quả")!);
    expect(table).toHaveLength(1_001);
    const header = table[0]!.map(String);
    expect(header.slice(0, 4)).toEqual(["Dòng", "Mã hộ", "Họ tên chủ hộ", "Diện hộ"]);
    expect(header.slice(-4)).toEqual(["Lý do chính", "Còn thiếu thông tin", "Ghi chú", "Lỗi dữ liệu"]);
    const errorColumn = header.indexOf("Lỗi dữ liệu");

    const summaries = jsonlSummaries(rows);
    rows.forEach((row, index) => {
      const line = table[index + 1]!;
      expect(line[0]).toBe(index + 3);
      expect(line[1]).toBe(row.cells.householdId);
      const bad = spoiled.find(([at]) => at === index);
      if (bad) {
        expect(String(line[errorColumn])).toContain(`Cột “${bad[3]}”`);
        expect(line[3]).toBe("không xét được (lỗi dữ liệu)");
        return;
      }
      expect(line[errorColumn] ?? "").toBe("");
      expect(statusesOf(line, 4)).toEqual(summaries[index]!.programs);
    });

    const basis = sheetRows(result.getWorksheet("Căn cứ pháp lý")!);
    expect(basis[0]).toEqual(["Áp dụng cho", "Căn cứ pháp lý"]);
    expect(basis.some((line) => String(line[1]).startsWith("Nghị định 07/2021/NĐ-CP"))).toBe(true);
    const errors = sheetRows(result.getWorksheet("Dòng lỗi")!);
    expect(errors.slice(1).map((line) => [line[0], line[1]])).toEqual(
      spoiled.map(([at, , , heading]) => [at + 3, heading]),
    );
    // Nothing but the list and the result in the folder: no temporary file left.
    expect(readdirSync(scratch).filter((name) => name.startsWith("."))).toEqual([]);
  }, 120_000);

  it("writes the same list's result as CSV with --out FILE.csv, and as CSV on stdout without --out", () => {
    const csvOut = join(scratch, "ket-qua.csv");
    const run = cli(["--xlsx", input, "--out", csvOut, "--date", DATE]);
    expect(run.code).toBe(2);
    const fromFile = parse(readFileSync(csvOut), { bom: true }) as string[][];
    expect(fromFile).toHaveLength(1_001);
    const stdout = cli(["--xlsx", input, "--date", DATE]);
    expect(stdout.code).toBe(2);
    expect(parse(stdout.stdout, { bom: true })).toEqual(fromFile);
    expect(stdout.stdout.startsWith("\ufeffDòng,Mã hộ,")).toBe(true);
  }, 120_000);
});

describe("check --csv: the same decisions as check --jsonl", () => {
  it("on 2,500 households, with and without worker threads", () => {
    const rows = generateList(2_500, 11);
    const input = join(scratch, "hai-nghin.csv");
    writeFileSync(input, stringify([LIST_HEADINGS, ...rows.map(rowCells)]));
    const summaries = jsonlSummaries(rows);
    const outputs = ["1", "0"].map((workers) => {
      const run = cli(["--csv", input, "--date", DATE], { env: { HOICHINHSACH_CHECK_WORKERS: workers } });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain("Đã xét 2.500 hộ");
      return run.stdout;
    });
    expect(outputs[0]).toBe(outputs[1]);
    const table = parse(outputs[0]!, { bom: true }) as string[][];
    rows.forEach((_, index) => {
      const line = table[index + 1]!;
      expect(statusesOf(line, 4)).toEqual(summaries[index]!.programs);
      const category = summaries[index]!.category;
      expect(line[3]).toContain(
        category === "unknown"
          ? "chưa xác định"
          : {
              poor: "nghèo",
              near_poor: "cận nghèo",
              average_living: "mức sống trung bình",
              none: "không thuộc diện",
            }[category],
      );
    });
  }, 180_000);
});

describe("check --template", () => {
  it("writes the XLSX template (headings, an example row, a help sheet), which screens as it is", async () => {
    const file = join(scratch, "mau.xlsx");
    const run = cli(["--template", file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Đã ghi tệp mẫu");
    const workbook = await readXlsx(file);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(["Danh sách hộ", "Hướng dẫn"]);
    const rows = sheetRows(workbook.getWorksheet("Danh sách hộ")!);
    expect(rows[0]).toEqual(LIST_HEADINGS);
    expect(rows).toHaveLength(2);
    const screened = cli(["--xlsx", file, "--date", DATE]);
    expect(screened.code, screened.stderr).toBe(0);
    expect(screened.stderr).toContain("Đã xét 1 hộ");
    expect(screened.stdout).toContain("HGD-001,Nguyễn Văn A,hộ cận nghèo (theo danh sách của xã)");
  }, 60_000);

  it("writes the CSV template in UTF-8 with a BOM", () => {
    const file = join(scratch, "mau.csv");
    expect(cli(["--template", file]).code).toBe(0);
    const text = readFileSync(file, "utf8");
    expect(text.startsWith(`\ufeff${stringify([LIST_HEADINGS])}`)).toBe(true);
    expect(parse(text, { bom: true })).toHaveLength(2);
  });
});

describe("clear errors", () => {
  const cases: [string, string[], RegExp][] = [
    ["a missing file", ["--csv", "khong-co.csv"], /Không tìm thấy tệp “khong-co\.csv”/],
    ["a folder", ["--csv", "."], /phải có đuôi \.csv/],
    ["an XLSX named with --csv", ["--csv", "ds.xlsx"], /là tệp XLSX: dùng --xlsx ds\.xlsx/],
    ["an old .xls", ["--xlsx", "ds.xls"], /Excel cũ \(\.xls\)/],
    [
      "a result file of another kind",
      ["--csv", "mau.csv", "--out", "kq.pdf"],
      /phải có đuôi \.csv hoặc \.xlsx, không phải \.pdf/,
    ],
    ["a template of another kind", ["--template", "mau.txt"], /phải có đuôi \.csv hoặc \.xlsx/],
    ["--out alone", ["--out", "kq.csv"], /--out chỉ dùng cùng --csv hoặc --xlsx/],
    ["--csv with --jsonl", ["--csv", "mau.csv", "--jsonl"], /không dùng cùng --json/],
  ];
  for (const [what, args, message] of cases) {
    it(`for ${what}`, () => {
      writeFileSync(join(scratch, "mau.csv"), stringify([LIST_HEADINGS, rowCells(generateList(1)[0]!)]));
      const run = cli(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(STACK_TRACE);
    });
  }

  it("for missing required columns, and leaves no result file", () => {
    writeFileSync(join(scratch, "thieu-cot.csv"), "Mã hộ;Thu nhập\nA;5tr\n");
    const run = cli(["--csv", "thieu-cot.csv", "--out", "kq-thieu.xlsx"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Tệp thiếu cột bắt buộc: “Khu vực”, “Số người”.");
    expect(run.stderr).toContain("Các cột trong tệp: “Mã hộ”, “Thu nhập”.");
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(readdirSync(scratch).filter((name) => name.includes("kq-thieu"))).toEqual([]);
  });

  it("for a file that is not an XLSX, and for an empty CSV", () => {
    writeFileSync(join(scratch, "hong.xlsx"), "Khu vực,Số người\nxã,3\n");
    const broken = cli(["--xlsx", "hong.xlsx", "--out", "kq-hong.csv"]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain("Không đọc được tệp XLSX");
    expect(broken.stderr).not.toMatch(STACK_TRACE);
    expect(readdirSync(scratch).filter((name) => name.includes("kq-hong"))).toEqual([]);
    writeFileSync(join(scratch, "rong.csv"), "");
    const empty = cli(["--csv", "rong.csv"]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("Tệp không có dữ liệu");
  });
});
