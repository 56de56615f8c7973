/**
 * Eligibility scorer benchmark (`npm run bench -- scorer`).
 *
 * 1. The real CLI path: 100,000 generated households piped into `hoichinhsach check --jsonl`, every output
 *    line read back and counted; total wall time and decisions per second (goal: the whole batch under 10 s,
 *    so commune staff can screen a whole commune's list). Three rounds, each running the default (worker
 *    threads) and a single thread (`HOICHINHSACH_CHECK_WORKERS=0`) back to back; medians. The same with
 *    `--summary`.
 * 2. The pipe's own cost: `cat` of the same output bytes into the same reader (median of 3), so a figure
 *    can be read as "CLI time over what merely moving 1.8 GB through a pipe costs on this machine now".
 * 3. In-process `decide()` for comparison (median of 3 passes), with and without serialising the decisions.
 *
 * The machine is shared and noisy: the load average is printed with the figures; compare figures of one run.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, openSync, closeSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { decide } from "../src/domain/eligibility.ts";
import { EDUCATION_LEVELS, parseHousehold, type HouseholdInput } from "../src/domain/household.ts";
import { loadPolicyKnowledge } from "../src/knowledge/policy-load.ts";
import { CachingJsonSerializer } from "../src/shared/json-cache.ts";

const COUNT = Number(process.env.BENCH_HOUSEHOLDS ?? 100_000);
const DATE = "2026-03-01";
const BIN = fileURLToPath(new URL("../bin/hoichinhsach.mjs", import.meta.url));
const INDICATORS = [
  "employment",
  "dependants",
  "nutrition",
  "health_insurance",
  "adult_education",
  "child_school_attendance",
  "housing_quality",
  "housing_area",
  "water_source",
  "hygienic_latrine",
  "telecom_use",
  "information_assets",
];

/**
 * Deterministic households shaped like a commune's list: mixed areas, incomes, list statuses and members.
 * The generator works in 32-bit integers (Math.imul): in doubles the product overflows 2^53 and the sequence
 * collapses into a short cycle (only 560 distinct households in 100,000), which flatters every memo.
 */
function generate(count: number): HouseholdInput[] {
  let state = 20_260_301;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return Array.from({ length: count }, () => {
    const members = 1 + Math.floor(next() * 7);
    const household: HouseholdInput = { area: pick(["rural", "urban"] as const), members };
    if (next() < 0.85) household.monthlyIncome = Math.round(next() * 3_500_000 * members);
    const deprivations = next();
    if (deprivations < 0.5) household.deprivations = INDICATORS.filter(() => next() < 0.15);
    else if (deprivations < 0.8) household.deprivationCount = Math.floor(next() * 6);
    if (next() < 0.8)
      household.listedStatus = pick(["poor", "near_poor", "none", "none", "none", "unknown"] as const);
    if (next() < 0.1) household.leftListOn = pick(["2023-01-15", "2024-06-01", "2025-03-20"]);
    if (next() < 0.6) household.agricultural = next() < 0.6;
    if (next() < 0.3) household.inPoorCommune = next() < 0.2;
    if (next() < 0.3) household.inDifficultArea = next() < 0.3;
    if (next() < 0.6) {
      household.persons = Array.from({ length: Math.min(members, 1 + Math.floor(next() * 4)) }, () => {
        const studying = next() < 0.4;
        return {
          age: Math.floor(next() * 80),
          ethnicMinority: next() < 0.15,
          ...(studying ? { education: pick(EDUCATION_LEVELS), publicSchool: next() < 0.85 } : {}),
        };
      });
    }
    return household;
  });
}

interface Run {
  seconds: number;
  lines: number;
  bytes: number;
  code: number | null;
}

/** Runs `command`, pipes `input` into it, and counts the lines and bytes of its output. */
async function piped(command: string, args: string[], input: string | null, env = process.env): Promise<Run> {
  const started = performance.now();
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "inherit"], env });
  let lines = 0;
  let bytes = 0;
  child.stdout.on("data", (chunk: Buffer) => {
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  });
  child.stdin.end(input ?? undefined);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { seconds: (performance.now() - started) / 1000, lines, bytes, code };
}

/** Pipes the lines through the CLI and counts what comes back. `workers`: HOICHINHSACH_CHECK_WORKERS. */
function runCli(args: string[], input: string, workers?: number): Promise<Run> {
  const env = { ...process.env, HOICHINHSACH_CHECK_WORKERS: workers === undefined ? "" : String(workers) };
  return piped(process.execPath, [BIN, "check", ...args], input, env);
}

function checked(run: Run, what: string): Run {
  if (run.code !== 0 || run.lines !== COUNT)
    throw new Error(`${what}: exit ${run.code}, ${run.lines} lines for ${COUNT}`);
  return run;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const rate = (count: number, seconds: number) => Math.round(count / seconds).toLocaleString("en-US");

console.log(
  `load average at start: ${loadavg()
    .map((n) => n.toFixed(2))
    .join(" ")} (2 cores; other work shares them)`,
);
const households = generate(COUNT);
const input = `${households.map((household) => JSON.stringify(household)).join("\n")}\n`;
console.log(
  `${COUNT.toLocaleString("en-US")} households, ${(input.length / 1e6).toFixed(1)} MB of JSON lines`,
);

// === 1. The real CLI path
const startup = await runCli(["--jsonl", "--date", DATE], "");
console.log(`CLI start-up (load + validate knowledge, no input): ${startup.seconds.toFixed(2)} s`);
const parallel: Run[] = [];
const single: Run[] = [];
for (let round = 0; round < 3; round++) {
  parallel.push(checked(await runCli(["--jsonl", "--date", DATE], input), "check --jsonl"));
  single.push(checked(await runCli(["--jsonl", "--date", DATE], input, 0), "check --jsonl (1 thread)"));
}
const full = parallel[0]!;
const parallelSeconds = median(parallel.map((run) => run.seconds));
const singleSeconds = median(single.map((run) => run.seconds));
console.log(
  `check --jsonl:             ${parallelSeconds.toFixed(2)} s (median of ${parallel.map((r) => r.seconds.toFixed(1)).join(", ")}), ` +
    `${rate(COUNT, parallelSeconds)} decisions/s, ${(full.bytes / 1e6).toFixed(0)} MB out ` +
    `(${Math.round(full.bytes / COUNT).toLocaleString("en-US")} B per decision) — goal < 10 s: ${parallelSeconds < 10 ? "met" : "NOT met"}`,
);
console.log(
  `check --jsonl, 1 thread:   ${singleSeconds.toFixed(2)} s (median of ${single.map((r) => r.seconds.toFixed(1)).join(", ")}), ` +
    `${rate(COUNT, singleSeconds)} decisions/s; worker threads: ${(singleSeconds / parallelSeconds).toFixed(2)}× faster`,
);
const summary = checked(await runCli(["--jsonl", "--summary", "--date", DATE], input), "check --summary");
console.log(
  `check --jsonl --summary:   ${summary.seconds.toFixed(2)} s total, ${rate(COUNT, summary.seconds)} decisions/s, ` +
    `${(summary.bytes / 1e6).toFixed(0)} MB out`,
);

// === 2. The pipe floor: the same bytes through `cat` into the same reader
const scratch = mkdtempSync(join(tmpdir(), "hcs-bench-"));
try {
  const outputFile = join(scratch, "decisions.jsonl");
  const fd = openSync(outputFile, "w");
  spawnSync(process.execPath, [BIN, "check", "--jsonl", "--date", DATE], {
    input,
    stdio: ["pipe", fd, "inherit"],
    maxBuffer: 1 << 30,
  });
  closeSync(fd);
  const cats: number[] = [];
  for (let round = 0; round < 3; round++)
    cats.push(checked(await piped("cat", [outputFile], null), "cat").seconds);
  const floor = median(cats);
  console.log(
    `pipe floor (cat of the same ${(full.bytes / 1e9).toFixed(2)} GB into the same reader): ${floor.toFixed(2)} s; ` +
      `CLI / floor: ${(parallelSeconds / floor).toFixed(1)}× (1 thread: ${(singleSeconds / floor).toFixed(1)}×)`,
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

// === 3. In-process, for comparison
const policy = loadPolicyKnowledge();
const parsed = households.map((household) => {
  const result = parseHousehold(JSON.parse(JSON.stringify(household)), { indicatorIds: policy.indicatorIds });
  if (!result.ok) throw new Error(result.error[0]!.message);
  return result.value;
});
const decideOnly: number[] = [];
const decideAndSerialise: number[] = [];
for (let pass = 0; pass < 3; pass++) {
  (globalThis as { gc?: () => void }).gc?.();
  let started = performance.now();
  let programs = 0;
  for (const household of parsed) programs += decide(household, policy, { today: DATE }).programs.length;
  decideOnly.push((performance.now() - started) / 1000);
  if (programs === 0) throw new Error("no programmes decided");
  // Serialised the way the CLI does it: lines appended, taken as bytes in chunks.
  const serializer = new CachingJsonSerializer();
  started = performance.now();
  let bytes = 0;
  for (const household of parsed) {
    serializer.appendLine(decide(household, policy, { today: DATE }));
    if (serializer.pendingSize >= 1 << 18) bytes += serializer.take().length;
  }
  bytes += serializer.take().length;
  decideAndSerialise.push((performance.now() - started) / 1000);
  if (bytes === 0) throw new Error("nothing serialised");
}
const d = median(decideOnly);
const ds = median(decideAndSerialise);
console.log(
  `in-process decide():             ${rate(COUNT, d)} decisions/s (${((d / COUNT) * 1e6).toFixed(1)} µs each, median of 3)`,
);
console.log(
  `in-process decide() + serialise: ${rate(COUNT, ds)} decisions/s (${((ds / COUNT) * 1e6).toFixed(1)} µs each, median of 3)`,
);
console.log(
  `CLI 1 thread / in-process ratio: ${(singleSeconds / ds).toFixed(1)}× (start-up, parsing, validation, pipe); ` +
    `CLI default / in-process: ${(parallelSeconds / ds).toFixed(1)}×`,
);
console.log(
  `load average at end: ${loadavg()
    .map((n) => n.toFixed(2))
    .join(" ")}`,
);
