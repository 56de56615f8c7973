/**
 * List screening benchmark (`npm run bench -- screening`).
 *
 * 1. The real CLI: a generated commune list of 100,000 households (test/support/household-list.ts: Vietnamese
 *    headings and words, members described in words) screened by `hoichinhsach check --csv FILE --out FILE`,
 *    to CSV and to XLSX, three rounds each; wall time (medians) against the goals (CSV < 10 s, XLSX < 30 s),
 *    with the process's CPU time and peak RSS (polled from /proc); memory: the peak RSS for a tenth of the list,
 *    and the whole list with V8's old generation capped at 64 MB. Every output of the first round is read back
 *    and its rows counted. The same list through `check --jsonl --summary` for comparison.
 * 2. In-process, where the time goes per household (medians of 3): parsing the CSV, reading a row into the
 *    scorer's input, `decide()`, and writing the result row.
 *
 * The machine is shared with other work: the load average is printed with the figures.
 */
import { spawn, spawnSync } from "node:child_process";
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { ExcelJS } from "../src/screening/exceljs.ts";
import { decide } from "../src/domain/eligibility.ts";
import { loadPolicyKnowledge } from "../src/knowledge/policy-load.ts";
import { mapHeader } from "../src/screening/columns.ts";
import { decidedRow, resultLayout } from "../src/screening/result.ts";
import { RowReader } from "../src/screening/row.ts";
import { generateList, LIST_HEADINGS, rowCells } from "../test/support/household-list.ts";

const COUNT = Number(process.env.BENCH_HOUSEHOLDS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DATE = "2026-03-01";
const BIN = fileURLToPath(new URL("../bin/hoichinhsach.mjs", import.meta.url));

interface Run {
  seconds: number;
  /** CPU time of the process, all threads (user + system), as last seen in /proc. */
  cpuSeconds: number;
  peakRssMb: number;
  code: number | null;
}

const TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

/** Runs the CLI with `args`, stdin from `stdinFile` (or nothing), polling its peak RSS. */
function runCli(args: string[], stdinFile?: string, env: Record<string, string> = {}): Promise<Run> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: [stdinFile ? "pipe" : "ignore", "pipe", "pipe"],
    env: { ...process.env, HOICHINHSACH_DEBUG: "1", ...env },
  });
  if (stdinFile) createReadStream(stdinFile).pipe(child.stdin!);
  let peak = 0;
  let cpu = 0;
  const poll = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      if (kb > peak) peak = kb;
      const fields = readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      cpu = (Number(fields[11]) + Number(fields[12])) / TICKS;
    } catch {
      // gone
    }
  }, 25);
  child.stdout!.resume();
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  return new Promise((resolve) =>
    child.on("close", (code) => {
      clearInterval(poll);
      if (code !== 0 && code !== 2) process.stderr.write(stderr);
      resolve({
        seconds: (performance.now() - started) / 1000,
        cpuSeconds: cpu,
        peakRssMb: peak / 1024,
        code,
      });
    }),
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const format = (runs: Run[]) =>
  `${median(runs.map((run) => run.seconds)).toFixed(2)} s (median of ${runs.map((run) => run.seconds.toFixed(1)).join(", ")}), ` +
  `CPU ${median(runs.map((run) => run.cpuSeconds)).toFixed(1)} s, peak RSS ${Math.max(...runs.map((run) => run.peakRssMb)).toFixed(0)} MB`;

async function xlsxRowCount(file: string): Promise<number> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {});
  let rows = 0;
  for await (const sheet of reader) {
    for await (const row of sheet) if (row.number > 0) rows++;
    break;
  }
  return rows;
}

console.log(
  `load average at start: ${loadavg()
    .map((n) => n.toFixed(2))
    .join(" ")} (2 cores; other work shares them)`,
);
const scratch = mkdtempSync(join(tmpdir(), "hcs-screening-"));
try {
  const list = generateList(COUNT);
  const input = join(scratch, "danh-sach.csv");
  writeFileSync(input, `\ufeff${stringify([LIST_HEADINGS, ...list.map(rowCells)])}`);
  const jsonl = join(scratch, "households.jsonl");
  writeFileSync(jsonl, `${list.map((row) => JSON.stringify(row.household)).join("\n")}\n`);
  console.log(
    `${COUNT.toLocaleString("en-US")} households, ${(readFileSync(input).length / 1e6).toFixed(1)} MB of CSV`,
  );

  // === 1. The real CLI
  const startup = await runCli(["check", "--template", join(scratch, "mau.csv")]);
  console.log(`CLI start-up (writing the template): ${startup.seconds.toFixed(2)} s`);
  const toCsv: Run[] = [];
  const toXlsx: Run[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const csvOut = join(scratch, "ket-qua.csv");
    const xlsxOut = join(scratch, "ket-qua.xlsx");
    toCsv.push(await runCli(["check", "--csv", input, "--out", csvOut, "--date", DATE]));
    toXlsx.push(await runCli(["check", "--csv", input, "--out", xlsxOut, "--date", DATE]));
    if (round === 0) {
      const csvRows = parse(readFileSync(csvOut), { bom: true }).length - 1;
      const xlsxRows = (await xlsxRowCount(xlsxOut)) - 1;
      if (csvRows !== COUNT || xlsxRows !== COUNT)
        throw new Error(`rows out: CSV ${csvRows}, XLSX ${xlsxRows}`);
    }
  }
  for (const run of [...toCsv, ...toXlsx]) if (run.code !== 0) throw new Error(`exit code ${run.code}`);
  // Memory against the list's length: the same runs on the first tenth of the list.
  const tenth = join(scratch, "mot-phan-muoi.csv");
  writeFileSync(tenth, `\ufeff${stringify([LIST_HEADINGS, ...list.slice(0, COUNT / 10).map(rowCells)])}`);
  const smallCsv = await runCli(["check", "--csv", tenth, "--out", join(scratch, "nho.csv"), "--date", DATE]);
  const smallXlsx = await runCli([
    "check",
    "--csv",
    tenth,
    "--out",
    join(scratch, "nho.xlsx"),
    "--date",
    DATE,
  ]);
  const csvSeconds = median(toCsv.map((run) => run.seconds));
  const xlsxSeconds = median(toXlsx.map((run) => run.seconds));
  console.log(`check --csv → CSV:  ${format(toCsv)} — goal < 10 s: ${csvSeconds < 10 ? "met" : "NOT met"}`);
  console.log(`check --csv → XLSX: ${format(toXlsx)} — goal < 30 s: ${xlsxSeconds < 30 ? "met" : "NOT met"}`);
  // And the whole list with V8's old generation capped at 64 MB (per thread): it completes only if the list is
  // never held in memory.
  const capped = await runCli(
    ["check", "--csv", input, "--out", join(scratch, "gioi-han.csv"), "--date", DATE],
    undefined,
    {
      NODE_OPTIONS: "--max-old-space-size=64",
    },
  );
  if (capped.code !== 0) throw new Error(`with a 64 MB old generation: exit code ${capped.code}`);
  console.log(
    `peak RSS for ${(COUNT / 10).toLocaleString("en-US")} households: CSV ${smallCsv.peakRssMb.toFixed(0)} MB, XLSX ${smallXlsx.peakRssMb.toFixed(0)} MB; ` +
      `the whole list to CSV with the old generation capped at 64 MB: completes in ${capped.seconds.toFixed(1)} s, peak RSS ${capped.peakRssMb.toFixed(0)} MB`,
  );
  const summary = await runCli(["check", "--jsonl", "--summary", "--date", DATE], jsonl);
  console.log(
    `check --jsonl --summary (same households as JSON lines, for comparison): ${summary.seconds.toFixed(2)} s, CPU ${summary.cpuSeconds.toFixed(1)} s`,
  );

  // === 2. In-process, per stage
  const policy = loadPolicyKnowledge();
  const csvText = readFileSync(input, "utf8");
  const stages: Record<string, number[]> = {
    "parse CSV": [],
    "read rows": [],
    "decide()": [],
    "result rows": [],
  };
  for (let pass = 0; pass < 3; pass++) {
    let started = performance.now();
    const records = parse(csvText, { bom: true, relax_column_count: true }) as string[][];
    stages["parse CSV"]!.push(performance.now() - started);
    const headings = records[0]!;
    const reader = new RowReader(mapHeader(headings), headings, { policy, today: DATE });
    started = performance.now();
    const households = records.slice(1).map((cells) => {
      const read = reader.read(cells);
      if (!read.ok) throw new Error(JSON.stringify(read.problems));
      return read;
    });
    stages["read rows"]!.push(performance.now() - started);
    started = performance.now();
    const decisions = households.map((read) => decide(read.household, policy, { today: DATE }));
    stages["decide()"]!.push(performance.now() - started);
    const layout = resultLayout(policy, ["householdId", "householdHead"]);
    started = performance.now();
    let bytes = 0;
    for (let i = 0; i < decisions.length; i += 256) {
      const rows = decisions
        .slice(i, i + 256)
        .map((decision, j) =>
          decidedRow(
            layout,
            i + j + 2,
            households[i + j]!.kept,
            decision,
            households[i + j]!.ok ? households[i + j]!.notes : [],
          ),
        );
      bytes += stringify(rows).length;
    }
    stages["result rows"]!.push(performance.now() - started);
    if (bytes === 0) throw new Error("nothing written");
  }
  for (const [stage, times] of Object.entries(stages)) {
    const ms = median(times);
    console.log(
      `in-process ${stage.padEnd(12)} ${((ms / COUNT) * 1000).toFixed(1)} µs per household (${(ms / 1000).toFixed(2)} s for all)`,
    );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
console.log(
  `load average at end: ${loadavg()
    .map((n) => n.toFixed(2))
    .join(" ")}`,
);
