/**
 * `hoichinhsach check`: the real CLI end to end (spawned, stdin piped), plus in-process runs of the same
 * command for the option edge cases. Bad input exits 2 with a Vietnamese message naming the field, never a
 * stack trace; in a batch, the other households still get their decisions, in order.
 */
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../src/cli/main.ts";
import { BatchDecider } from "../src/cli/commands/check-batch.ts";
import { DecisionPool } from "../src/cli/commands/check-pool.ts";
import type { CliIO } from "../src/cli/io.ts";
import type { PolicyKnowledge } from "../src/domain/policy.ts";
import { decide } from "../src/domain/eligibility.ts";
import { EDUCATION_LEVELS, parseHousehold } from "../src/domain/household.ts";
import { DEFAULT_KNOWLEDGE_DIR, loadPolicyKnowledge, POLICY_FOLDERS } from "../src/knowledge/policy-load.ts";

const BIN = fileURLToPath(new URL("../bin/hoichinhsach.mjs", import.meta.url));
const STACK_TRACE = /\n\s+at |Error:/;

function cli(args: string[], input: string, env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [BIN, "check", ...args], {
    input,
    encoding: "utf8",
    env: { ...process.env, HOICHINHSACH_DEBUG: "", ...env },
    maxBuffer: 1 << 30,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Runs the command as a process, writing `parts` of its input 3 s apart. */
function cliInParts(args: string[], parts: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, "check", ...args], {
    env: { ...process.env, HOICHINHSACH_DEBUG: "", ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  void (async () => {
    for (const [index, part] of parts.entries()) {
      if (index > 0) await new Promise((resolve) => setTimeout(resolve, 3_000));
      child.stdin.write(part);
    }
    child.stdin.end();
  })();
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code) => resolve({ code, stdout, stderr })),
  );
}

/** Runs the command in-process with in-memory streams; `input` as text, or as chunks written one by one. */
async function inProcess(args: string[], input: string | Buffer[], env: Record<string, string> = {}) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.setEncoding("utf8").on("data", (chunk) => (out += chunk));
  stderr.setEncoding("utf8").on("data", (chunk) => (err += chunk));
  if (typeof input === "string") stdin.end(input);
  else {
    for (const chunk of input) stdin.write(chunk);
    stdin.end();
  }
  const io: CliIO = { stdin, stdout, stderr, env, interactive: false };
  const code = await main(["check", ...args], io);
  return { code, stdout: out, stderr: err };
}

const household = {
  area: "rural",
  members: 4,
  monthlyIncome: 5_000_000,
  deprivationCount: 3,
  listedStatus: "none",
};
const temporary: string[] = [];

/** Varied households (deterministic), shaped like a commune's list: the scorer's paths, with and without members. */
function generateHouseholds(count: number): Record<string, unknown>[] {
  let state = 7;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return Array.from({ length: count }, () => {
    const members = 1 + Math.floor(next() * 7);
    const household: Record<string, unknown> = { area: pick(["rural", "urban"]), members };
    if (next() < 0.85) household.monthlyIncome = Math.round(next() * 3_500_000 * members);
    if (next() < 0.5) household.deprivationCount = Math.floor(next() * 6);
    if (next() < 0.8) household.listedStatus = pick(["poor", "near_poor", "none", "unknown"]);
    if (next() < 0.1) household.leftListOn = pick(["2023-01-15", "2024-06-01", "2025-03-20"]);
    if (next() < 0.2) household.assessedOn = pick(["2025-06-30", "2026-12-31", "2027-01-01"]);
    if (next() < 0.5) household.agricultural = next() < 0.6;
    if (next() < 0.2) household.inExtremelyDifficultArea = next() < 0.5;
    if (next() < 0.1) household.province = pick(["Thái Bình", "thai binh", "Hà Nội"]);
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
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

describe("hoichinhsach check (real CLI)", () => {
  it("--json prints the decision for one household", () => {
    const run = cli(["--json", "--date", "2026-03-01"], JSON.stringify(household));
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const decision = JSON.parse(run.stdout);
    expect(decision.assessedOn).toBe("2026-03-01");
    expect(decision.classification).toMatchObject({ category: "poor", basis: "estimated" });
    expect(decision.programs.find((p: { id: string }) => p.id === "credit.poor_household")).toMatchObject({
      status: "possible",
      interestRatePerYear: 6.24,
    });
  });

  it("--json with a bad field exits 2 with a Vietnamese message naming it, and no stack trace", () => {
    const run = cli(["--json"], JSON.stringify({ area: "rural", members: 0 }));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Trường "members" (số người trong hộ) phải từ 1 đến 50 người, bạn nhập 0.');
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(JSON.parse(run.stdout).error.problems).toEqual([
      {
        field: "members",
        message: 'Trường "members" (số người trong hộ) phải từ 1 đến 50 người, bạn nhập 0.',
      },
    ]);
  });

  it("--jsonl answers every line in order; bad lines get an error naming the field and exit code 2", () => {
    const lines = [
      JSON.stringify({ ...household, assessedOn: "2026-03-01" }),
      JSON.stringify({ area: "rural", members: 3, monthlyIncome: -100 }),
      "",
      "{not json",
      JSON.stringify({ area: "urban", members: 2, deprivations: ["water_sorce"] }),
      JSON.stringify({ area: "urban", members: 2, listedStatus: "poor", assessedOn: "2026-02-30" }),
      JSON.stringify({ area: "urban", members: 2, listedStatus: "near_poor", assessedOn: "2025-11-30" }),
    ];
    const run = cli(["--jsonl"], `${lines.join("\n")}\n`);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("4 dòng có lỗi (dòng 2, 4, 5, 6); các dòng khác đã có kết quả.\n");
    const out = run.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(out).toHaveLength(6);
    expect(out[0].assessedOn).toBe("2026-03-01");
    expect(out[1]).toMatchObject({ line: 2, error: { problems: [{ field: "monthlyIncome" }] } });
    expect(out[1].error.message).toContain('Trường "monthlyIncome"');
    expect(out[2]).toMatchObject({ line: 4, error: { problems: [] } });
    expect(out[2].error.message).toMatch(/^Dữ liệu không phải JSON hợp lệ/);
    expect(out[3]).toMatchObject({ line: 5, error: { problems: [{ field: "deprivations[0]" }] } });
    expect(out[3].error.message).toContain('có phải "water_source"?');
    expect(out[4]).toMatchObject({ line: 6, error: { problems: [{ field: "assessedOn" }] } });
    expect(out[5]).toMatchObject({
      assessedOn: "2025-11-30",
      classification: { category: "near_poor", basis: "listed" },
    });
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });

  it("--jsonl gives a line nested 5,000 deep, or an infinite income, its own error and goes on", () => {
    const deep = `{"area":"rural","members":${"[".repeat(5000)}${"]".repeat(5000)}}`;
    const lines = [deep, '{"area":"rural","members":2,"monthlyIncome":1e999}', JSON.stringify(household)];
    const run = cli(["--jsonl"], `${lines.join("\n")}\n`);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("2 dòng có lỗi (dòng 1, 2); các dòng khác đã có kết quả.\n");
    const out = run.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(out[0].error.message).toContain("lồng nhau quá sâu");
    expect(out[1].error.message).toContain("bạn nhập một số quá lớn");
    expect(out[1].error.message).not.toContain("null");
    expect(out[2]).toHaveProperty("classification");
  });

  it("--jsonl on worker threads prints, line for line, what --json prints for each household", async () => {
    // Long enough for the worker threads to take over (after the first 1,000 lines), with bad lines among
    // the good ones on both sides of that point. The list comes in two parts, the second once the workers
    // have had time to start: until then this thread decides the lines itself.
    const households = generateHouseholds(2_600);
    const lines = households.map((household) => JSON.stringify(household));
    const bad = new Map([
      [5, JSON.stringify({ area: "rural", members: 0 })],
      [1_800, JSON.stringify({ area: "rural", members: 2, persons: [{ age: -3 }] })],
      [2_400, "{not json"],
    ]);
    for (const [index, line] of bad) lines[index] = line;
    const run = await cliInParts(
      ["--jsonl", "--date", "2026-03-01"],
      [`${lines.slice(0, 1_200).join("\n")}\n`, `${lines.slice(1_200).join("\n")}\n`],
      { HOICHINHSACH_CHECK_WORKERS: "2" },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("3 dòng có lỗi (dòng 6, 1801, 2401); các dòng khác đã có kết quả.\n");
    const out = run.stdout.split("\n");
    expect(out.pop()).toBe("");
    expect(out).toHaveLength(lines.length);

    // Every line: what decide() gives for that household, serialised the plain way.
    const policy = loadPolicyKnowledge();
    lines.forEach((line, index) => {
      if (bad.has(index)) {
        expect(JSON.parse(out[index]!)).toMatchObject({
          line: index + 1,
          error: { message: expect.any(String) },
        });
        return;
      }
      const parsed = parseHousehold(JSON.parse(line), { indicatorIds: policy.indicatorIds });
      if (!parsed.ok) throw new Error(`generated household ${index} is invalid: ${parsed.error[0]!.message}`);
      expect(out[index]).toBe(JSON.stringify(decide(parsed.value, policy, { today: "2026-03-01" })));
    });
    expect(JSON.parse(out[1_800]!).error.problems).toEqual([
      expect.objectContaining({ field: "persons[0].age" }),
    ]);

    // A sample, through `check --json` itself (one household each).
    for (const index of [0, 1, 2, 999, 1_000, 1_500, 2_001, 2_599]) {
      const single = await inProcess(["--json", "--date", "2026-03-01"], lines[index]!);
      expect(single.code).toBe(0);
      expect(JSON.stringify(JSON.parse(single.stdout))).toBe(out[index]);
    }
  });

  it("a broken knowledge file stops the command (exit 1) naming the file and the path", () => {
    const dir = mkdtempSync(join(tmpdir(), "hcs-cli-"));
    temporary.push(dir);
    for (const folder of POLICY_FOLDERS)
      cpSync(join(DEFAULT_KNOWLEDGE_DIR, folder), join(dir, folder), { recursive: true });
    writeFileSync(join(dir, "rules", "guidance.yaml"), "description: x\nnext_steps: {}\nnotes: []\n");
    const run = cli(["--json", "--knowledge", dir], JSON.stringify(household));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Tệp dữ liệu bị lỗi, cần sửa trước khi chạy:");
    expect(run.stderr).toContain("rules/guidance.yaml");
    expect(run.stderr).toMatch(/notes \(line 3\): /);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("stops quietly when the reader goes away (| head)", async () => {
    const child = spawn(process.execPath, [BIN, "check", "--jsonl", "--date", "2026-03-01"], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.stdout.once("data", () => child.stdout.destroy());
    const line = `${JSON.stringify(household)}\n`;
    child.stdin.on("error", () => undefined);
    child.stdin.end(line.repeat(3000));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).not.toMatch(STACK_TRACE);
    expect(code).toBe(0);
  });
});

describe("hoichinhsach check (options, in-process)", () => {
  it("defaults to --json", async () => {
    const run = await inProcess(["--date", "2027-01-01"], JSON.stringify({ area: "urban", members: 1 }));
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).standard.id).toBe("nd_351_2025");
  });

  it("--jsonl --summary prints a short line per household", async () => {
    const run = await inProcess(
      ["--jsonl", "--summary", "--date", "2026-03-01"],
      `${JSON.stringify(household)}\n`,
    );
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({
      assessedOn: "2026-03-01",
      standard: "nd_07_2021",
      category: "poor",
      basis: "estimated",
    });
    expect(summary.programs["credit.poor_household"]).toBe("possible");
    expect(summary.missingFacts[0]).toBe("persons");
  });

  it.each([
    [["--json", "--jsonl"], "", /Chỉ dùng một trong hai tuỳ chọn --json hoặc --jsonl/],
    [["--summary"], "", /--summary chỉ dùng cùng --jsonl/],
    [["--date", "31/12/2026"], "{}", /--date phải là một ngày dạng YYYY-MM-DD/],
    [["--verbose"], "", /Tuỳ chọn không hợp lệ/],
    [["--json"], "   ", /Không có dữ liệu/],
  ])("rejects %j with exit code 2 and a Vietnamese message", async (args, input, message) => {
    const run = await inProcess(args, input);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it("--jsonl reads CRLF lines, a last line without newline, and characters split across chunks", async () => {
    const first = JSON.stringify({ ...household, province: "Thái Bình" });
    const second = JSON.stringify({ area: "urban", members: 1, listedStatus: "poor" });
    const bytes = Buffer.from(`${first}\r\n\r\n${second}`);
    const split = bytes.indexOf(Buffer.from("á")) + 1; // inside the two bytes of "á"
    const run = await inProcess(
      ["--jsonl", "--date", "2026-03-01"],
      [bytes.subarray(0, split), bytes.subarray(split)],
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const out = run.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(out).toHaveLength(2);
    expect(out[0].province).toMatchObject({ input: "Thái Bình", id: "thai_binh" });
    expect(out[1].classification).toMatchObject({ category: "poor", basis: "listed" });
  });

  it("a started worker decides a batch exactly as this thread does", async () => {
    const policy = loadPolicyKnowledge();
    const options = { today: "2026-03-01", summary: false };
    const pool = new DecisionPool(1, { ...options, policy });
    try {
      const started = Date.now();
      // Until the worker has started, the pool does not ask for batches.
      while (!pool.wantsBatch(1) && Date.now() - started < 20_000)
        await new Promise((r) => setTimeout(r, 20));
      expect(pool.wantsBatch(1)).toBe(true);
      const batch = {
        firstLine: 7,
        lines: [...generateHouseholds(300).map((h) => JSON.stringify(h)), "", '{"area":"rural"}'],
      };
      const fromWorker = await pool.run(batch);
      const here = new BatchDecider(policy, options).run(batch);
      expect(Buffer.from(fromWorker.bytes).toString("utf8")).toBe(Buffer.from(here.bytes).toString("utf8"));
      expect(fromWorker.badLines).toEqual([308]);
      expect(here.badLines).toEqual([308]);
    } finally {
      await pool.close();
    }
  });

  it("a worker that fails fails the batches sent to it (no hang, the error is the worker's)", async () => {
    // A policy without its programmes: the worker throws on the first household.
    const broken = { ...loadPolicyKnowledge(), programs: undefined } as unknown as PolicyKnowledge;
    const pool = new DecisionPool(1, { today: "2026-03-01", summary: false, policy: broken });
    try {
      await expect(pool.run({ firstLine: 1, lines: [JSON.stringify(household)] })).rejects.toThrow(
        /Cannot read properties of undefined/,
      );
      await expect(pool.run({ firstLine: 2, lines: ["{}"] })).rejects.toThrow(
        /Cannot read properties of undefined/,
      );
    } finally {
      await pool.close();
    }
  });

  it("rejects a HOICHINHSACH_CHECK_WORKERS that is not a number of threads", async () => {
    const run = await inProcess(["--jsonl"], "", { HOICHINHSACH_CHECK_WORKERS: "many" });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/HOICHINHSACH_CHECK_WORKERS phải là số luồng/);
  });

  it("--json with something that is not JSON exits 2", async () => {
    const run = await inProcess(["--json"], "hộ nghèo");
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error.message).toMatch(/^Dữ liệu không phải JSON hợp lệ/);
  });
});
