/**
 * `hoichinhsach check` in-process, through the CLI's injectable I/O: options, bad input (exit 2 with a Vietnamese
 * message naming the field, never a stack trace; in a batch, the other households still get their decisions, in
 * order), broken data files, and the worker pool. The real CLI as a process: check-cli.e2e.test.ts.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BatchDecider } from "../src/cli/commands/check-batch.ts";
import { DecisionPool } from "../src/cli/commands/check-pool.ts";
import type { PolicyKnowledge } from "../src/domain/policy.ts";
import { DEFAULT_KNOWLEDGE_DIR, loadPolicyKnowledge, POLICY_FOLDERS } from "../src/knowledge/policy-load.ts";
import { runInProcess } from "./support/cli-in-process.ts";
import { generateHouseholds, household } from "./support/households.ts";

const STACK_TRACE = /\n\s+at |Error:/;
const temporary: string[] = [];

/** Runs `check <args>` in-process; `input` as text, or as chunks written one by one. */
const inProcess = (args: string[], input: string | Buffer[], env: Record<string, string> = {}) =>
  runInProcess(["check", ...args], input, env);

afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

describe("hoichinhsach check (bad input, in-process)", () => {
  it("--json with a bad field exits 2 with a Vietnamese message naming it, and no stack trace", async () => {
    const run = await inProcess(["--json"], JSON.stringify({ area: "rural", members: 0 }));
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

  it("--jsonl answers every line in order; bad lines get an error naming the field and exit code 2", async () => {
    const lines = [
      JSON.stringify({ ...household, assessedOn: "2026-03-01" }),
      JSON.stringify({ area: "rural", members: 3, monthlyIncome: -100 }),
      "",
      "{not json",
      JSON.stringify({ area: "urban", members: 2, deprivations: ["water_sorce"] }),
      JSON.stringify({ area: "urban", members: 2, listedStatus: "poor", assessedOn: "2026-02-30" }),
      JSON.stringify({ area: "urban", members: 2, listedStatus: "near_poor", assessedOn: "2025-11-30" }),
    ];
    const run = await inProcess(["--jsonl"], `${lines.join("\n")}\n`);
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

  it("--jsonl gives a line nested 5,000 deep, or an infinite income, its own error and goes on", async () => {
    const deep = `{"area":"rural","members":${"[".repeat(5000)}${"]".repeat(5000)}}`;
    const lines = [deep, '{"area":"rural","members":2,"monthlyIncome":1e999}', JSON.stringify(household)];
    const run = await inProcess(["--jsonl"], `${lines.join("\n")}\n`);
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

  it("a broken knowledge file stops the command (exit 1) naming the file and the path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hcs-cli-"));
    temporary.push(dir);
    for (const folder of POLICY_FOLDERS)
      cpSync(join(DEFAULT_KNOWLEDGE_DIR, folder), join(dir, folder), { recursive: true });
    writeFileSync(join(dir, "rules", "guidance.yaml"), "description: x\nnext_steps: {}\nnotes: []\n");
    const run = await inProcess(["--json", "--knowledge", dir], JSON.stringify(household));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Tệp dữ liệu bị lỗi, cần sửa trước khi chạy:");
    expect(run.stderr).toContain("rules/guidance.yaml");
    expect(run.stderr).toMatch(/notes \(line 3\): /);
    expect(run.stderr).not.toMatch(/\n\s+at /);
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
