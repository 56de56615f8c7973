/**
 * `hoichinhsach check` as a process (the real CLI, stdin piped): one decision, a long list decided on worker
 * threads, and a reader that goes away. The options and bad input are tested in-process (check-cli.test.ts).
 */
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { decide } from "../src/domain/eligibility.ts";
import { parseHousehold } from "../src/domain/household.ts";
import { loadPolicyKnowledge } from "../src/knowledge/policy-load.ts";
import { runInProcess } from "./support/cli-in-process.ts";
import { generateHouseholds, household } from "./support/households.ts";

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

const inProcess = (args: string[], input: string) => runInProcess(["check", ...args], input);

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
