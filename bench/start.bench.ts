/**
 * Start-up time of the real CLI: `hoichinhsach --help` and one `ask`, each spawned afresh, medians of
 * BENCH_START_RUNS runs (default 15). BENCH_START_BIN names the entry scripts to time, comma-separated (say,
 * bin/hoichinhsach.mjs and one that registers a TypeScript loader to compare with); their runs alternate, so
 * both see the same load on a shared machine.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { machineReferenceMs } from "./support/machine.ts";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const bins = (process.env.BENCH_START_BIN ?? join(repo, "bin", "hoichinhsach.mjs")).split(",");
const runs = Number(process.env.BENCH_START_RUNS ?? 15);
const data = mkdtempSync(join(tmpdir(), "hcs-start-"));
const env = {
  PATH: process.env.PATH ?? "",
  HOME: process.env.HOME ?? "",
  DATABASE_PATH: join(data, "db.sqlite"),
};

function time(bin: string, args: string[]): number {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [bin, ...args], { cwd: repo, env, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`${args.join(" ")} failed (${run.status}): ${run.stderr}`);
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

try {
  const cases: [string, string[]][] = [
    ["--help", ["--help"]],
    ['ask "lai suat vay ho ngheo"', ["ask", "lai suat vay ho ngheo"]],
  ];
  // Warm the file cache, dist/ and the search index.
  for (const bin of bins) for (const [, args] of cases) time(bin, args);
  console.log(`${runs} runs of each, alternating; machine reference ${machineReferenceMs().toFixed(0)} ms`);
  const samples = bins.map(() => cases.map(() => [] as number[]));
  for (let i = 0; i < runs; i++)
    bins.forEach((bin, b) => cases.forEach(([, args], c) => samples[b]![c]!.push(time(bin, args))));
  bins.forEach((bin, b) => {
    console.log(`\n${bin}`);
    cases.forEach(([name], c) => {
      const sorted = [...samples[b]![c]!].sort((x, y) => x - y);
      console.log(
        `  ${name.padEnd(30)} median ${(median(sorted) / 1000).toFixed(3)} s ` +
          `(min ${(sorted[0]! / 1000).toFixed(3)}, max ${(sorted.at(-1)! / 1000).toFixed(3)})`,
      );
    });
  });
  console.log(`machine reference at end ${machineReferenceMs().toFixed(0)} ms`);
} finally {
  rmSync(data, { recursive: true, force: true });
}
