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
import type { CliIO } from "../src/cli/io.ts";
import { DEFAULT_KNOWLEDGE_DIR } from "../src/knowledge/policy-load.ts";

const BIN = fileURLToPath(new URL("../bin/hoichinhsach.mjs", import.meta.url));
const STACK_TRACE = /\n\s+at |Error:/;

function cli(args: string[], input: string) {
  const run = spawnSync(process.execPath, [BIN, "check", ...args], {
    input,
    encoding: "utf8",
    env: { ...process.env, HOICHINHSACH_DEBUG: "" },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Runs the command in-process with in-memory streams. */
async function inProcess(args: string[], input: string) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (chunk) => (out += chunk));
  stderr.on("data", (chunk) => (err += chunk));
  stdin.end(input);
  const io: CliIO = { stdin, stdout, stderr, env: {}, interactive: false };
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

  it("a broken knowledge file stops the command (exit 1) naming the file and the path", () => {
    const dir = mkdtempSync(join(tmpdir(), "hcs-cli-"));
    temporary.push(dir);
    for (const folder of ["parameters", "rules"])
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

  it("--json with something that is not JSON exits 2", async () => {
    const run = await inProcess(["--json"], "hộ nghèo");
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error.message).toMatch(/^Dữ liệu không phải JSON hợp lệ/);
  });
});
