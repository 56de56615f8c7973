/**
 * End-to-end: the staff commands of the real `hoichinhsach` CLI in a child process, on a temporary database.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { decide } from "../src/domain/eligibility.ts";
import { testFileSchema } from "../src/domain/policy-schema.ts";
import { loadPolicyKnowledge } from "../src/knowledge/policy-load.ts";
import { openDatabase } from "../src/storage/database.ts";
import {
  createFeedbackStore,
  createUsageStats,
  decisionFeedback,
  searchFeedback,
} from "../src/staff/services/feedback.ts";
import { createRuleWatchStore } from "../src/staff/services/rule-watches.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "bin", "hoichinhsach.mjs");
let dir: string;

function cli(
  args: string[],
  input = "",
  env: Record<string, string> = {},
): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    input,
    encoding: "utf8",
    env: { ...process.env, DATABASE_PATH: join(dir, "app.db"), HOICHINHSACH_DEBUG: "", ...env },
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "staff-cli-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("hoichinhsach ask with filters and citations", () => {
  it("finds the Thái Bình plan from Hưng Yên, says so, and cites it the legal way", () => {
    const run = cli([
      "ask",
      "--json",
      "--cite",
      "--province",
      "Hưng Yên",
      "hộ cận nghèo hỗ trợ bảo hiểm y tế",
    ]);
    expect(run.status, run.stderr).toBe(0);
    const json = JSON.parse(run.stdout) as {
      notes: string[];
      results: { documentId: string; legalCitation: string }[];
    };
    expect(json.notes).toEqual([
      "tỉnh Hưng Yên hiện nay gồm cả tỉnh Thái Bình cũ (từ 01/07/2025): kết quả lấy từ kế hoạch của tỉnh Thái Bình.",
    ]);
    expect(new Set(json.results.map((result) => result.documentId))).toEqual(
      new Set(["thai-binh-2017-2020"]),
    );
    expect(json.results[0]!.legalCitation).toBe(
      "Theo khoản 1.2 Mục IV Kế hoạch số 02/KH-UBND ngày 05/01/2017 của UBND tỉnh Thái Bình",
    );
  });

  it("prints the citation lines after the readable answer, with each plan's status", () => {
    const run = cli([
      "ask",
      "--cite",
      "--document",
      "bach-thong",
      "--year",
      "2023",
      "hỗ trợ phát triển sản xuất",
    ]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /Trích dẫn \(để dán vào văn bản\):\nĐoạn phù hợp nhất: Theo khoản 2\.2\.1 Mục III Kế hoạch số \.\.\.\/KH-UBND \(số để trống trong văn bản\)/,
    );
    expect(run.stdout).toMatch(
      /Tình trạng bach-thong-2023: Kế hoạch này áp dụng cho năm 2023, nay đã hết thời hạn/,
    );
  });

  it("says what exists when a filter matches nothing (exit 2)", () => {
    const run = cli(["ask", "--province", "Hà Giang", "vay vốn"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/Chưa có kế hoạch nào của tỉnh Hà Giang cũ\..*thuộc tỉnh Tuyên Quang/);
    const year = cli(["ask", "--year", "2016", "vay vốn"]);
    expect(year.status).toBe(2);
    expect(year.stderr).toMatch(/Không có kế hoạch nào áp dụng cho năm 2016/);
  });
});

describe("hoichinhsach docs / doc", () => {
  it("lists the plans with number or blank, date, issuer, area then and now, period and state", () => {
    const run = cli(["docs", "--date", "2026-03-01"]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("Địa bàn: tỉnh Thái Bình (nay thuộc tỉnh Hưng Yên, từ 01/07/2025)");
    expect(run.stdout).toContain("Kế hoạch, số để trống trong văn bản (in là “Số: /KH-UBND”)");
    const json = JSON.parse(cli(["docs", "--json", "--date", "2026-03-01"]).stdout) as {
      id: string;
      over: boolean;
      reference: string;
    }[];
    expect(json.map((row) => [row.id, row.over])).toEqual([
      ["thai-binh-2017-2020", true],
      ["nam-dinh-ct05-2030", false],
      ["ba-ria-vung-tau-ct01-2017", true],
      ["tuyen-quang-city-2020", true],
      ["bach-thong-2023", true],
    ]);
  });

  it("shows a whole section with its citation, and the table of contents", () => {
    const run = cli(["doc", "thai-binh-2017-2020", "IV.1.2"]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^1\.2\. Hỗ trợ về y tế/);
    expect(run.stdout).toContain(
      "Trích dẫn: Theo khoản 1.2 Mục IV Kế hoạch số 02/KH-UBND ngày 05/01/2017 của UBND tỉnh Thái Bình",
    );
    const toc = cli(["doc", "nam-dinh"]);
    expect(toc.status).toBe(0);
    expect(toc.stdout).toContain("  III.2  Tập trung thực hiện các chính sách thuộc các lĩnh vực");
  });

  it("refuses an ambiguous section or an unknown document with a message (exit 2)", () => {
    const ambiguous = cli(["doc", "thai-binh-2017-2020", "1"]);
    expect(ambiguous.status).toBe(2);
    expect(ambiguous.stderr).toMatch(/^Có 5 mục số “1”/);
    const unknown = cli(["doc", "ha-noi-2026", "I"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/Không có văn bản mã “ha-noi-2026”/);
  });
});

describe("hoichinhsach check --quick", () => {
  const line =
    "nông thôn, 4 người, thu nhập 5tr6/tháng, thiếu: bhyt, nhà tiêu, nhà ở; chưa có trong danh sách; con học ĐH";

  it("prints the decision in readable Vietnamese with citations and what it assumed", () => {
    const run = cli(["check", "--date", "2026-03-01", "--quick", line]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Đã đọc dòng nhập:\nĐã giả định:\n• “nhà ở” hiểu là/);
    expect(run.stdout).toContain("KẾT QUẢ: hộ có thể thuộc diện hộ nghèo (ước tính theo số liệu đã khai).");
    expect(run.stdout).toContain(
      "Vay vốn ưu đãi hộ nghèo (Ngân hàng Chính sách xã hội): Có thể được, sau khi UBND xã công nhận",
    );
    expect(run.stdout).toMatch(/Căn cứ: Nghị định 07\/2021\/NĐ-CP, Điều 3, khoản 1, điểm a/);
    expect(run.stdout).toContain("Nơi liên hệ:");
  });

  it("gives the same decision as check --json on the same household", () => {
    const quick = JSON.parse(cli(["check", "--date", "2026-03-01", "--json", "--quick", line]).stdout) as {
      household: Record<string, unknown>;
      decision: unknown;
    };
    expect(quick.household).toMatchObject({
      area: "rural",
      members: 4,
      monthlyIncome: 5_600_000,
      listedStatus: "none",
    });
    const plain = cli(["check", "--json"], JSON.stringify(quick.household));
    expect(plain.status, plain.stderr).toBe(0);
    expect(JSON.parse(plain.stdout)).toEqual(quick.decision);
  });

  it("writes the printable case summary, named only when asked", () => {
    const named = join(dir, "named.html");
    expect(
      cli(["check", "--date", "2026-03-01", "--quick", line, "--html", named, "--name", "Nguyễn Thị Lan"])
        .status,
    ).toBe(0);
    expect(readFileSync(named, "utf8")).toContain("Người được hỗ trợ:</strong> Nguyễn Thị Lan");
    const anonymous = join(dir, "anonymous.html");
    expect(cli(["check", "--date", "2026-03-01", "--quick", line, "--html", anonymous]).status).toBe(0);
    expect(readFileSync(anonymous, "utf8")).not.toContain("Người được hỗ trợ:</strong>");
  });

  it("says what is missing when the line cannot be used (exit 2)", () => {
    const run = cli(["check", "--quick", "nt, hn, tn 3tr"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/Chưa có số người trong hộ/);
  });
});

describe("hoichinhsach feedback export / stats / referrals", () => {
  beforeAll(() => {
    const policy = loadPolicyKnowledge();
    const database = openDatabase(join(dir, "app.db"));
    const household = {
      area: "rural" as const,
      members: 4,
      monthlyIncome: 5_600_000,
      deprivationCount: 3,
      assessedOn: "2026-03-01",
    };
    const decision = decide(household, policy);
    const outcome = { type: "no_match" as const, query: "giá vàng hôm nay", message: "…", results: [] };
    const versions = { rules: "r1", knowledge: "k1" };
    const store = createFeedbackStore(database);
    store.record({
      ...searchFeedback(outcome, "hộ cận nghèo được hỗ trợ gì ở Hưng Yên?"),
      verdict: "wrong",
      role: "staff",
      versions,
    });
    const id = store.record({
      ...decisionFeedback(household, decision),
      verdict: "wrong",
      role: "staff",
      versions,
    });
    store.addExpected(id, "cận nghèo; vay hộ cận nghèo: được");
    const stats = createUsageStats(database);
    stats.recordScreening(decision);
    stats.recordSearch(outcome, "zalo:someone");
    database.close();
  });

  it("exports the disputed answers as draft test files", () => {
    const out = join(dir, "drafts");
    const run = cli(["feedback", "export", "--out", out]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /^Đã ghi 1 câu hỏi vào .*kb-questions\.draft\.yaml và 1 hộ vào .*household-cases\.draft\.yaml\./,
    );
    const questions = parse(readFileSync(join(out, "kb-questions.draft.yaml"), "utf8")) as { q: string }[];
    expect(questions[0]!.q).toBe("hộ cận nghèo được hỗ trợ gì ở Hưng Yên?");
    const cases = testFileSchema.parse(parse(readFileSync(join(out, "household-cases.draft.yaml"), "utf8")));
    expect(cases.cases[0]!.output).toEqual({
      classification: { category: "near_poor" },
      programs: { "credit.near_poor_household": { status: "eligible" } },
    });
    expect(cli(["feedback", "import"]).status).toBe(2);
  });

  it("prints anonymous statistics", () => {
    const run = cli(["stats"]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Thống kê ẩn danh \(toàn bộ thời gian\)/);
    expect(run.stdout).toContain("Lượt kiểm tra điều kiện: 1");
    expect(run.stdout).toContain("• giá vàng hôm nay");
    expect(run.stdout).toContain("Kết quả kiểm tra: 0 / 1 / 0");
    const json = JSON.parse(cli(["stats", "--json"]).stdout) as { screenings: number; unanswered: number };
    expect(json).toMatchObject({ screenings: 1, unanswered: 1 });
  });

  /** A household whose category changes with the 2027 standard: rural, 4 people, 7 million a month. */
  const WATCHED_HOUSEHOLD = {
    area: "rural" as const,
    members: 4,
    monthlyIncome: 7_000_000,
    deprivationCount: 1,
    assessedOn: "2026-12-30",
  };

  it("checks the rule-change watches and prints the notices for the sender", () => {
    const policy = loadPolicyKnowledge();
    const database = openDatabase(join(dir, "app.db"));
    const household = WATCHED_HOUSEHOLD;
    createRuleWatchStore(database, { now: () => Date.parse("2026-12-30T03:00:00Z") }).watch(
      "zalo:abc",
      household,
      decide(household, policy),
      "v1",
    );
    database.close();
    const dry = cli(["watches", "check", "--dry-run", "--date", "2027-01-02"]);
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toBe("1 hộ đăng ký nhận thông báo; 1 hộ có kết quả thay đổi (chạy thử, chưa ghi).\n");
    const run = cli(["watches", "check", "--jsonl", "--date", "2027-01-02"]);
    const notices = run.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { userKey: string; text: string });
    expect(notices).toHaveLength(1);
    expect(notices[0]!.userKey).toBe("zalo:abc");
    expect(notices[0]!.text).toContain("nay có thể thuộc diện hộ cận nghèo");
    expect(cli(["watches", "check", "--date", "2027-01-02"]).stdout).toMatch(/; 0 hộ có kết quả thay đổi\./);
  });

  it("opens the accounts of watches stored by serve with USER_KEY_SECRET, and only with it", () => {
    const policy = loadPolicyKnowledge();
    const path = join(dir, "served.db");
    const secret = "served-secret-0123456789-abcdefghij";
    const database = openDatabase(path, { userKeySecret: secret });
    const household = WATCHED_HOUSEHOLD;
    createRuleWatchStore(database, { now: () => Date.parse("2026-12-30T03:00:00Z") }).watch(
      "telegram:31337",
      household,
      decide(household, policy),
      "v1",
    );
    database.close();
    const args = ["watches", "check", "--jsonl", "--dry-run", "--date", "2027-01-02", "--db", path];
    const run = cli(args, "", { USER_KEY_SECRET: secret });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('"userKey":"telegram:31337"');
    // Another secret cannot open the account: no notice rather than one to the wrong place.
    expect(cli(args, "", { USER_KEY_SECRET: "another-secret-0123456789-abcdefghij" }).stdout).toBe("");
  });

  it("lists the places to contact for a province as it is now", () => {
    const run = cli(["referrals", "--province", "Thái Bình"]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Nơi liên hệ tiếp theo:\nℹ️ tỉnh Thái Bình nay thuộc tỉnh Hưng Yên/);
    expect(run.stdout).toContain("Trung tâm Trợ giúp pháp lý nhà nước tỉnh Hưng Yên");
    expect(run.stdout).toContain("Điện thoại: chưa có số đã kiểm tra");
  });
});
