/**
 * Eligibility scorer benchmark (`npm run bench -- scorer`).
 *
 * 1. The real CLI path: 100,000 generated households piped into `hoichinhsach check --jsonl`, every output
 *    line read back and counted; total wall time and decisions per second (goal: the whole batch under 10 s,
 *    so commune staff can screen a whole commune's list). The same with `--summary`.
 * 2. In-process `decide()` for comparison (median of 3 passes), with and without serialising the decisions.
 *
 * The machine is shared and noisy: the load average at the start is printed with the figures.
 */
import { spawn } from "node:child_process";
import { loadavg } from "node:os";
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

/** Deterministic households shaped like a commune's list: mixed areas, incomes, list statuses and members. */
function generate(count: number): HouseholdInput[] {
  let state = 20_260_301;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
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

/** Pipes the lines through the CLI and counts what comes back. */
async function runCli(
  args: string[],
  input: string,
): Promise<{ seconds: number; lines: number; bytes: number; code: number | null }> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, "check", ...args], { stdio: ["pipe", "pipe", "inherit"] });
  let lines = 0;
  let bytes = 0;
  child.stdout.on("data", (chunk: Buffer) => {
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  });
  child.stdin.end(input);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { seconds: (performance.now() - started) / 1000, lines, bytes, code };
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
const full = await runCli(["--jsonl", "--date", DATE], input);
if (full.code !== 0 || full.lines !== COUNT)
  throw new Error(`check --jsonl: exit ${full.code}, ${full.lines} lines for ${COUNT}`);
console.log(
  `check --jsonl:           ${full.seconds.toFixed(2)} s total, ${rate(COUNT, full.seconds)} decisions/s, ` +
    `${(full.bytes / 1e6).toFixed(0)} MB out (${Math.round(full.bytes / COUNT).toLocaleString("en-US")} B per decision)` +
    ` — goal < 10 s: ${full.seconds < 10 ? "met" : "NOT met"}`,
);
const summary = await runCli(["--jsonl", "--summary", "--date", DATE], input);
if (summary.code !== 0 || summary.lines !== COUNT)
  throw new Error(`check --jsonl --summary: exit ${summary.code}, ${summary.lines} lines`);
console.log(
  `check --jsonl --summary: ${summary.seconds.toFixed(2)} s total, ${rate(COUNT, summary.seconds)} decisions/s, ` +
    `${(summary.bytes / 1e6).toFixed(0)} MB out`,
);

// === 2. In-process, for comparison
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
  `CLI / in-process ratio: ${(full.seconds / ds).toFixed(1)}× (start-up, parsing, validation, pipe)`,
);
