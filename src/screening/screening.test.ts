import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { PassThrough } from "node:stream";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { describe, expect, it } from "vitest";
import { decide } from "../domain/eligibility.ts";
import { parseHousehold } from "../domain/household.ts";
import { loadPolicyKnowledge } from "../knowledge/policy-load.ts";
import { STATUS_LABEL } from "../staff/case-summary.ts";
import { generateList, LIST_HEADINGS, rowCells } from "../../test/support/household-list.ts";
import { COLUMNS, mapHeader } from "./columns.ts";
import { ExcelJS } from "./exceljs.ts";
import { screenList, ScreeningFileError, templateFile } from "./index.ts";
import { RowReader, type CellValue } from "./row.ts";

const policy = loadPolicyKnowledge();
const TODAY = "2026-03-01";

function readerFor(headings: string[]) {
  return new RowReader(mapHeader(headings), headings, { policy, today: TODAY });
}

/** Reads one row given as { heading: cell }. */
function readOne(cells: Record<string, CellValue>) {
  const headings = Object.keys(cells);
  return readerFor(headings).read(Object.values(cells));
}

async function screenCsv(csv: string, workers = 0) {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on("data", (chunk: Buffer) => chunks.push(chunk));
  const progress: number[] = [];
  const report = await screenList({
    input: Buffer.from(csv, "utf8"),
    inputFormat: "csv",
    output,
    outputFormat: "csv",
    policy,
    today: TODAY,
    workers,
    onProgress: (p) => progress.push(p.rowsDone),
  });
  const text = Buffer.concat(chunks).toString("utf8");
  return { report, text, rows: parse(text, { bom: true }) as string[][], progress };
}

describe("list headings", () => {
  it("accepts headings without diacritics, in other case, with notes in brackets", () => {
    const header = mapHeader([
      "STT",
      "KHU VUC",
      "so nguoi",
      "Thu nhap ca ho (VND/thang)",
      "Ghi chú riêng",
      "Số người",
    ]);
    expect([...header.positions]).toEqual([
      ["householdId", 0],
      ["area", 1],
      ["members", 2],
      ["monthlyIncome", 3],
    ]);
    expect(header.unknown).toEqual(["Ghi chú riêng"]);
    expect(header.duplicates).toEqual(["Số người"]);
    expect(header.missing).toEqual([]);
  });

  it("names the required columns missing", () => {
    expect(mapHeader(["Khu vực", "Thu nhập"]).missing.map((column) => column.heading)).toEqual(["Số người"]);
  });

  it("every column's heading and aliases lead back to it", () => {
    for (const column of COLUMNS) {
      for (const name of [column.heading, ...column.aliases])
        expect(mapHeader([name]).positions.get(column.key), name).toBe(0);
    }
  });
});

describe("reading a row", () => {
  it("reads 3,000 generated rows into exactly the households they stand for", () => {
    const reader = readerFor(LIST_HEADINGS);
    for (const row of generateList(3_000)) {
      const read = reader.read(rowCells(row));
      if (!read.ok) throw new Error(`${JSON.stringify(row.cells)}: ${JSON.stringify(read.problems)}`);
      const expected = parseHousehold(row.household, { indicatorIds: policy.indicatorIds });
      expect(expected.ok).toBe(true);
      expect(read.household).toEqual(expected.ok ? expected.value : null);
    }
  });

  it("reads amounts, counts, lists and words as staff write them", () => {
    const read = readOne({
      "Khu vực": "Phường",
      "Số người": "4 người",
      "Thu nhập cả hộ": "5tr6",
      "Chỉ số thiếu hụt": "thiếu 3 chỉ số",
      "Danh sách": "HCN",
      "Ngày thoát nghèo": "3/2024",
      "Xã nghèo": "x",
      "Vùng khó khăn": "Không",
      "Thành viên": "2 con: 1 cấp 2, 1 ĐH công lập",
      "Dân tộc": "Tày",
    });
    expect(read.ok && read.household).toEqual({
      area: "urban",
      members: 4,
      monthlyIncome: 5_600_000,
      deprivationCount: 3,
      listedStatus: "near_poor",
      leftListOn: "2024-03-31",
      inPoorCommune: true,
      inDifficultArea: false,
      persons: [
        { age: 13, education: "lower_secondary", ethnicMinority: true },
        { age: 20, education: "university", publicSchool: true, ethnicMinority: true },
      ],
    });
    expect(read.ok && read.notes.join(" ")).toContain("Tuổi người đi học tạm tính theo bậc học");
  });

  it("takes spreadsheet values as they are: numbers, dates, booleans, indicator ids", () => {
    const read = readOne({
      "Khu vực": "rural",
      "Số người": 3,
      "Thu nhập bình quân đầu người": 1_200_000,
      "Chỉ số thiếu hụt": "health_insurance, water_source",
      "Ngày đánh giá": new Date(Date.UTC(2026, 1, 15)),
      "Làm nông, lâm, ngư, diêm nghiệp": true,
    });
    expect(read.ok && read.household).toEqual({
      area: "rural",
      members: 3,
      incomePerPerson: 1_200_000,
      deprivations: ["health_insurance", "water_source"],
      assessedOn: "2026-02-15",
      agricultural: true,
    });
  });

  it("names the column and the reason of each cell it cannot read, and keeps the id", () => {
    const read = readOne({
      "Mã hộ": "HGD-9",
      "Khu vực": "trên núi",
      "Số người": "",
      "Thu nhập": "abc",
      "Ngày thoát nghèo": "32/13/2024",
      "Xã nghèo": "có lẽ hay không",
      "Chỉ số thiếu hụt": "bhyt, máy bay",
    });
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.kept).toEqual({ householdId: "HGD-9" });
    expect(read.problems.map((problem) => problem.column)).toEqual([
      "Khu vực",
      "Số người",
      "Ngày thoát nghèo",
      "Thu nhập",
      "Chỉ số thiếu hụt",
      "Xã nghèo",
    ]);
    expect(read.problems[0]!.message).toContain("“nông thôn”");
    expect(read.problems[1]!.message).toContain("bắt buộc");
    expect(read.problems[3]!.message).toContain("“abc”");
    expect(read.problems[4]!.message).toContain("máy bay");
  });

  it("checks the household as a whole like check --jsonl (more members described than in the household)", () => {
    const read = readOne({ "Khu vực": "xã", "Số người": 1, "Thành viên": "ông 70 tuổi, bà 68 tuổi" });
    expect(read.ok).toBe(false);
    if (!read.ok)
      expect(read.problems).toEqual([
        { column: "Thành viên", message: expect.stringContaining("nhiều hơn số người") },
      ]);
  });

  it("a bare small amount is not guessed", () => {
    const read = readOne({ "Khu vực": "xã", "Số người": 2, "Thu nhập": "5" });
    expect(!read.ok && read.problems[0]!.message).toContain("quá nhỏ");
    const decimal = readOne({ "Khu vực": "xã", "Số người": 2, "Thu nhập": "5,5" });
    expect(!decimal.ok && decimal.problems[0]!.message).toContain("thiếu đơn vị");
  });
});

describe("screenList", () => {
  it("decides every readable row as decide() does, lists the others, and reports progress", async () => {
    const rows = generateList(600);
    const lines = rows.map(rowCells);
    lines[10] = [...lines[10]!];
    lines[10][3] = "nhiều"; // Số người
    const csv = stringify([LIST_HEADINGS, ...lines]);
    const { report, rows: result, progress } = await screenCsv(csv);
    expect(report).toMatchObject({ households: 600, decided: 599, unreadable: 1 });
    expect(report.problems).toEqual([
      { row: 12, column: "Số người", message: expect.stringContaining("“nhiều”") },
    ]);
    expect(progress.at(-1)).toBe(600);
    const header = result[0]!;
    const programs = [...policy.programs].sort((a, b) => a.order - b.order);
    expect(header.slice(0, 4)).toEqual(["Dòng", "Mã hộ", "Họ tên chủ hộ", "Diện hộ"]);
    for (const [index, row] of rows.entries()) {
      const line = result[index + 1]!;
      expect(line[0]).toBe(String(index + 2));
      expect(line[1]).toBe(row.cells.householdId);
      if (index === 10) {
        expect(line.at(-1)).toContain("Cột “Số người”");
        continue;
      }
      const decision = decide(row.household, policy, { today: TODAY });
      const statuses = programs.map((program) => {
        const status = decision.programs.find((candidate) => candidate.id === program.id)!.status;
        return STATUS_LABEL[status];
      });
      expect(line.slice(4, 4 + programs.length)).toEqual(statuses);
    }
  });

  it("gives the same result on worker threads", async () => {
    const csv = stringify([LIST_HEADINGS, ...generateList(2_600).map(rowCells)]);
    const alone = await screenCsv(csv, 0);
    const shared = await screenCsv(csv, 1);
    expect(shared.text).toBe(alone.text);
    expect(shared.report).toEqual(alone.report);
  }, 60_000);

  it("reads semicolon-separated CSV with a BOM, skips blank rows, and the template's example row", async () => {
    const template = (await templateFile("csv")).toString("utf8");
    const semicolons = template.replace(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/gm, ";");
    const { report } = await screenCsv(`${semicolons};;\n\n`);
    expect(report).toMatchObject({ households: 1, decided: 1, unreadable: 0 });
  });

  it("refuses a file without the required columns, or without anything", async () => {
    await expect(screenCsv("Mã hộ,Thu nhập\nA,5tr\n")).rejects.toThrow(ScreeningFileError);
    await expect(screenCsv("Mã hộ,Thu nhập\nA,5tr\n")).rejects.toThrow(
      /thiếu cột bắt buộc: “Khu vực”, “Số người”/,
    );
    await expect(screenCsv("\n\n")).rejects.toThrow(/không có dữ liệu/);
  });

  it("refuses a CSV not in UTF-8", async () => {
    const latin1 = Buffer.from("Khu v\xe1»c,S\xe1 ng\xe1\xbbi\nxa,3\n", "latin1").toString("utf8");
    await expect(screenCsv(latin1)).rejects.toThrow(/UTF-8/);
  });

  it("reads an XLSX list streamed, every Vietnamese letter intact, dates and numbers as such", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Hộ");
    sheet.addRow(["Họ tên chủ hộ", "Khu vực", "Số người", "Ngày thoát nghèo", "Thành viên"]);
    const names: string[] = [];
    for (let i = 0; i < 3_000; i++) {
      names.push(`Nguyễn Thị Hồng Nhung Đặng Văn Trường ${i}`);
      sheet.addRow([names[i], "nông thôn", 2 + (i % 5), new Date(Date.UTC(2024, i % 12, 1)), "ông 70 tuổi"]);
    }
    workbook.addWorksheet("Ghi chú").addRow(["Khu vực", "Số người"]); // a second sheet, not read
    const input = Buffer.from(await workbook.xlsx.writeBuffer());
    const temporary = () => readdirSync(tmpdir()).filter((name) => name.startsWith(`tmp-${process.pid}-`));
    const before = temporary();
    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on("data", (chunk: Buffer) => chunks.push(chunk));
    const report = await screenList({
      input,
      inputFormat: "xlsx",
      output,
      outputFormat: "csv",
      policy,
      today: TODAY,
      workers: 0,
    });
    expect(report).toMatchObject({ households: 3_000, decided: 3_000, unreadable: 0 });
    // exceljs copies a sheet that comes before the shared strings to a temporary file: deleted once read.
    // (deleted asynchronously: given a moment)
    await expect.poll(temporary, { timeout: 2_000 }).toEqual(before);
    const rows = parse(Buffer.concat(chunks).toString("utf8"), { bom: true }) as string[][];
    expect(rows.slice(1).map((row) => row[1])).toEqual(names);
  }, 60_000);
});
