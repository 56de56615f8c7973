/**
 * End-to-end: the real `hoichinhsach` CLI in a child process, on a temporary database (DATABASE_PATH).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = join(ROOT, "bin", "hoichinhsach.mjs");
let dir: string;

function cli(args: string[], input = ""): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    input,
    encoding: "utf8",
    env: { ...process.env, DATABASE_PATH: join(dir, "kb.db"), HOICHINHSACH_DEBUG: "" },
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const RESULT_KEYS = [
  "citation",
  "documentId",
  "excerpt",
  "score",
  "sectionPath",
  "text",
  "title",
  "warnings",
];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "kb-cli-"));
  const run = cli(["index"]);
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout).toMatch(/^Đã lập chỉ mục: 5 văn bản, \d+ đoạn/);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("hoichinhsach ask --json", () => {
  it("prints {query, results} with the documented result fields, best first", () => {
    const run = cli(["ask", "--json", "Hộ nghèo ở Thái Bình được cấp thẻ bảo hiểm y tế không?"]);
    expect(run.status, run.stderr).toBe(0);
    const json = JSON.parse(run.stdout) as {
      query: string;
      results: Record<string, unknown>[];
      answer: { id: string; facts: Record<string, unknown>[] };
    };
    expect(Object.keys(json).sort()).toEqual(["answer", "query", "results"]);
    // A question of fact: the rule in force beside the passages, with each dated figure it states.
    expect(json.answer.id).toBe("bhyt_poor");
    expect(json.answer.facts).toEqual([
      expect.objectContaining({
        id: "health_insurance.poor_household",
        value: 100,
        unit: "percent",
        confidence: "high",
      }),
    ]);
    expect(json.query).toBe("Hộ nghèo ở Thái Bình được cấp thẻ bảo hiểm y tế không?");
    expect(json.results.length).toBeGreaterThanOrEqual(3);
    for (const result of json.results) {
      expect(Object.keys(result).sort()).toEqual(RESULT_KEYS);
      expect(typeof result.text).toBe("string");
      expect(Array.isArray(result.sectionPath)).toBe(true);
      expect(typeof result.score).toBe("number");
    }
    expect(json.results[0]).toMatchObject({ documentId: "thai-binh-2017-2020" });
    const scores = json.results.map((r) => r.score as number);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it("adds type and message when nothing answers the question", () => {
    const run = cli(["ask", "--json", "cách nấu phở bò ngon"]);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      type: "no_match",
      message: expect.stringContaining("/kiemtra"),
    });
  });

  it("survives query-syntax characters", () => {
    const run = cli(["ask", "--json", '" * NEAR( - : hộ nghèo']);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveProperty("results");
  });
});

describe("hoichinhsach ask --jsonl", () => {
  it("answers one JSON line per input line, in order, bad lines included", () => {
    const questions = [
      "vay vốn NHCSXH hộ mới thoát nghèo",
      "",
      "😀",
      "ho can ngheo co dc ho tro BHYT k",
      "giá vàng hôm nay",
    ];
    const run = cli(["ask", "--jsonl"], `${questions.join("\n")}\n`);
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as { query: string; type?: string });
    expect(lines.map((line) => line.query)).toEqual(questions);
    expect(lines.map((line) => line.type ?? "results")).toEqual([
      "results",
      "invalid",
      "invalid",
      "results",
      "no_match",
    ]);
  });
});

describe("hoichinhsach chat (npm start) with piped input", () => {
  it("answers a question with its passage and citation, an empty or emoji-only line politely, and exits 0", () => {
    const run = cli(["chat"], "hộ nghèo vay vốn mua giống cây trồng\n\n😀\n");
    expect(run.status, run.stderr).toBe(0);
    // Each line is echoed after "> ", then the replies.
    const turns = run.stdout.split(/^> /m).slice(1);
    expect(turns).toHaveLength(3);
    // The rule in force first, then the plan's passage as local context.
    expect(turns[0]).toMatch(
      /^hộ nghèo vay vốn mua giống cây trồng\nHộ nghèo được vay vốn Ngân hàng Chính sách xã hội/,
    );
    expect(turns[0]).toContain("Trong kế hoạch giảm nghèo của địa phương");
    expect(turns[0]).toContain("giống cây trồng, vật nuôi");
    expect(turns[0]).toContain(
      "Nguồn: Kế hoạch số 02/KH-UBND, ngày 05/01/2017, của Ủy ban nhân dân tỉnh Thái Bình",
    );
    expect(turns[0]).toContain("Lưu ý: Kế hoạch này áp dụng cho giai đoạn 2017–2020, nay đã hết thời hạn");
    expect(turns[0]).toContain("/kiemtra");
    expect(turns[1]).toContain("Bạn chưa gõ gì.");
    expect(turns[2]).toContain("Xin chào!");
    expect(turns[2]).toContain("Bạn muốn làm gì?");
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at |Error:/);
  });
});

describe("hoichinhsach ask (readable)", () => {
  it("shows the passage, its citation and cautions, then further passages", () => {
    const run = cli(["ask", "nhóm hộ có lao động nhưng thiếu việc làm"]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("phường Hưng Thành");
    expect(run.stdout).toMatch(/Nguồn: Kế hoạch số \/KH-UBND \(số để trống\)/);
    expect(run.stdout).toContain("Lưu ý:");
    expect(run.stdout).toMatch(/Các đoạn khác( có thể liên quan)?:/);
  });
});
