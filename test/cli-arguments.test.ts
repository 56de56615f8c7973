/**
 * Argument and configuration checks of the CLI, in-process through its injectable I/O (no process spawned):
 * a bad command, option, date or variable exits 2 with a Vietnamese message, never a stack trace. What the
 * commands do with good arguments is tested on the real CLI (the *.e2e.test.ts files).
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runInProcess } from "./support/cli-in-process.ts";
import { FAKE_TELEGRAM_TOKEN } from "./support/fake-telegram-api.ts";
import { FAKE_ZALO_TOKEN } from "./support/fake-zalo-api.ts";

const STACK_TRACE = /\n\s+at |Error:/;
const dir = mkdtempSync(join(tmpdir(), "hcs-args-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** Nothing listens there: a command that wrongly went to the network would fail, not hang. */
const NOWHERE = "http://127.0.0.1:9";

const run = (argv: string[], env: Record<string, string> = {}, input = "") =>
  runInProcess(argv, input, { DATABASE_PATH: join(dir, "app.db"), ...env });

const channelEnv = {
  TELEGRAM_BOT_TOKEN: FAKE_TELEGRAM_TOKEN,
  TELEGRAM_API_ROOT: NOWHERE,
  TELEGRAM_WEBHOOK_SECRET: "telegram-secret-for-tests-0123456789",
  ZALO_BOT_TOKEN: FAKE_ZALO_TOKEN,
  ZALO_API_ROOT: NOWHERE,
  ZALO_WEBHOOK_SECRET: "zalo-secret-for-tests-0123456789",
  USER_KEY_SECRET: "test-user-key-secret-0123456789abcdef",
};

describe("the command", () => {
  it("prints the command table for --help (exit 0) and for no command (exit 2)", async () => {
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Cách dùng: hoichinhsach <lệnh>/);
    expect((await run([])).code).toBe(2);
  });

  it("names an unknown command (exit 2), suggesting the command a typo was meant to be", async () => {
    const unknown = await run(["hoi"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^Không có lệnh "hoi"\.\n/);
    const typo = await run(["chek", "--json"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^Không có lệnh "chek"\. Có phải bạn muốn gõ "check"\?\n/);
  });
});

describe("serve and webhooks: configuration", () => {
  it("refuses a bad configuration with one message per bad variable (exit 2), echoing no value", async () => {
    const result = await run(["serve"], {
      TELEGRAM_BOT_TOKEN: "oops-VALUE-THAT-MUST-NOT-APPEAR",
      PORT: "99999",
      LOG_LEVEL: "verbose",
      PUBLIC_URL: "ftp://x",
    });
    expect(result.code).toBe(2);
    for (const name of ["TELEGRAM_BOT_TOKEN", "PORT", "LOG_LEVEL", "PUBLIC_URL"])
      expect(result.stderr).toMatch(new RegExp(`^  - ${name}: `, "m"));
    expect(result.stderr).not.toContain("VALUE-THAT-MUST-NOT-APPEAR");
    expect(result.stderr).not.toMatch(STACK_TRACE);
  });

  it("refuses to serve with no channel configured (exit 2)", async () => {
    const result = await run(["serve"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("TELEGRAM_BOT_TOKEN");
  });

  it("refuses to serve without USER_KEY_SECRET (exit 2), saying how to make one", async () => {
    const { USER_KEY_SECRET: _secret, ...env } = channelEnv;
    const result = await run(["serve"], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^ {2}- USER_KEY_SECRET: .*openssl rand/m);
  });

  it("explains what is missing for webhooks, and an unknown action (exit 2)", async () => {
    const noUrl = await run(["webhooks", "set"], channelEnv);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain("PUBLIC_URL");
    expect((await run(["webhooks", "launch"], channelEnv)).code).toBe(2);
  });
});

describe("ask: bad input on the command line", () => {
  it.each([
    [["ask", ""], "chưa nhập câu hỏi"],
    [["ask", "   "], "chưa nhập câu hỏi"],
    [["ask", "😀🎉"], "chưa có chữ nào"],
    [["ask", "x".repeat(50_000)], "dài quá"],
    [["ask"], "Hãy nhập câu hỏi"],
    [["ask", "--limit", "abc", "vay vốn"], "--limit phải là số nguyên"],
    [["ask", "--bogus", "vay vốn"], "Tuỳ chọn không hợp lệ"],
  ])("%j exits 2 with a Vietnamese message", async (argv, message) => {
    const result = await run(argv as string[]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(STACK_TRACE);
  });

  it("--json on an unusable question still prints JSON, and exits 2", async () => {
    const result = await run(["ask", "--json", "😀"]);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ type: "invalid", results: [] });
  });
});

describe("staff commands: dates and options", () => {
  it("refuses a day that does not exist or a range out of order, with a clear message (exit 2)", async () => {
    const month = await run(["stats", "--from", "2026-13-01"]);
    expect(month.code).toBe(2);
    expect(month.stderr).toMatch(/^--from phải là một ngày có thật, dạng YYYY-MM-DD/);
    const order = await run(["stats", "--from", "2026-12-05", "--to", "2026-12-01"]);
    expect(order.code).toBe(2);
    expect(order.stderr).toMatch(
      /^--from \(05\/12\/2026\) phải trước hoặc cùng ngày với --to \(01\/12\/2026\)/,
    );
    expect((await run(["feedback", "export", "--to", "2026-02-29", "--out", join(dir, "none")])).code).toBe(
      2,
    );
    const date = await run(["watches", "check", "--date", "2027-02-30"]);
    expect(date.code).toBe(2);
    expect(date.stderr).not.toMatch(/at |Error/);
  });

  it("refuses --html without --quick, writing nothing (exit 2)", async () => {
    expect((await run(["check", "--html", join(dir, "x.html")])).code).toBe(2);
    expect(existsSync(join(dir, "x.html"))).toBe(false);
  });
});
