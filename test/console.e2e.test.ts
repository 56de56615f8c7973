/**
 * The staff web console, end to end: `serve` with the real conversation core behind the fake Telegram Bot API,
 * the console under /console on the same server and database. A staff member gets a sign-in code by sending
 * /dangnhap to the bot; the security rules are checked over HTTP, then the pages in a real browser
 * (playwright-core driving Debian's Chromium, as test/case-summary-pdf.test.ts does): search and copy a
 * citation, open a section, check a household and download its PDF (read back with pdftotext), see a chart,
 * axe-core on every page (no serious or critical violation), and screenshots of every page at 1366×768 and
 * 390×844 kept in test-artifacts/console/.
 *
 * Needs /usr/bin/chromium and pdftotext (.ci/run installs them); skipped with that message without them,
 * except on CI (CI=true), where it fails.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "csv-stringify/sync";
import type ExcelJSTypes from "exceljs";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCore, startApp, type RunningApp } from "../src/app.ts";
import type { AppConfig } from "../src/config.ts";
import { decide } from "../src/domain/eligibility.ts";
import { decisionFeedback, searchFeedback } from "../src/staff/services/feedback.ts";
import { createLogger } from "../src/logging.ts";
import { loadPolicyKnowledge } from "../src/knowledge/policy-load.ts";
import { ExcelJS } from "../src/screening/exceljs.ts";
import { STATUS_LABEL } from "../src/staff/case-summary.ts";
import { openDatabase } from "../src/storage/database.ts";
import { createConsoleAuthStore } from "../src/storage/repositories/console-auth.ts";
import { createFeedbackStore } from "../src/staff/services/feedback.ts";
import { FakeTelegramApi } from "./support/fake-telegram-api.ts";
import { FakeZaloApi } from "./support/fake-zalo-api.ts";
import { TEST_SECRET, testTuning } from "./support/harness.ts";
import { generateList, LIST_HEADINGS, rowCells, SPOILED_CELLS } from "./support/household-list.ts";

const CHROMIUM = "/usr/bin/chromium";
const available = existsSync(CHROMIUM) && spawnSync("pdftotext", ["-v"]).status === 0;
const MISSING = `${CHROMIUM} or pdftotext is absent: apt-get install -y chromium poppler-utils`;
if (!available && process.env.CI === "true")
  throw new Error(`Console browser test cannot run on CI: ${MISSING}`);

const STAFF = 701;
const RESIDENT = 702;
const USER_KEY_SECRET = "console-e2e-user-key-secret-0123456789abcdef";
const ARTIFACTS = join(import.meta.dirname, "..", "test-artifacts", "console");
const VIEWPORTS = [
  { name: "1366x768", width: 1366, height: 768 },
  { name: "390x844", width: 390, height: 844 },
] as const;

const scratch = mkdtempSync(join(tmpdir(), "hcs-console-"));
const databasePath = join(scratch, "console.db");

let api: FakeTelegramApi;
let zalo: FakeZaloApi;
const ZALO_STAFF = "zalo-can-bo";
let app: RunningApp;
let closeCore: () => void;
let base: string;
/** What the server logged (to check no household data is). */
const logLines: string[] = [];

/** A distinct client address per test (the server trusts X-Forwarded-For here), so lock-outs stay apart. */
let nextClient = 1;
const client = (): string => `198.51.100.${nextClient++}`;

/** A code from the bot, as a staff member gets it: /dangnhap on Telegram. */
async function codeFromTelegram(user = STAFF): Promise<string> {
  const seen = api.sentTo(user).length;
  api.enqueue(api.userSends(user, "/dangnhap"));
  await api.waitFor(() => api.sentTo(user).length > seen, 15_000, "the /dangnhap reply");
  const text = api.sentTo(user).at(-1)!.text;
  const match = /(\d{4}) (\d{4})/.exec(text);
  if (!match) throw new Error(`no code in: ${text}`);
  return `${match[1]} ${match[2]}`;
}

/** The sign-in form's cookie and CSRF token. */
async function signInForm(headers: Record<string, string> = {}): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${base}/console/dangnhap`, { headers });
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await res.text())![1]!;
  return { cookie, csrf };
}

/** Types a code on the sign-in page; returns the response (not followed). */
async function submitCode(code: string, headers: Record<string, string>): Promise<Response> {
  const form = await signInForm(headers);
  return fetch(`${base}/console/dangnhap`, {
    method: "POST",
    redirect: "manual",
    headers: { ...headers, cookie: form.cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: form.csrf, ma: code }).toString(),
  });
}

/** Signs in over HTTP; returns the session cookie and the page's CSRF token. */
async function signIn(): Promise<{ cookie: string; csrf: string; setCookie: string }> {
  const res = await submitCode(await codeFromTelegram(), { "x-forwarded-for": client() });
  expect(res.status).toBe(303);
  const setCookie = res.headers.getSetCookie().find((line) => line.startsWith("hcs_console="))!;
  const cookie = setCookie.split(";")[0]!;
  const home = await fetch(`${base}/console`, { headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await home.text())![1]!;
  return { cookie, csrf, setCookie };
}

beforeAll(async () => {
  // Disputed answers for the feedback queue, as the chat would have stored them.
  const seed = openDatabase(databasePath, { userKeySecret: USER_KEY_SECRET });
  const policy = loadPolicyKnowledge();
  const household = {
    area: "rural" as const,
    members: 4,
    monthlyIncome: 5_000_000,
    assessedOn: "2026-03-01",
  };
  const feedback = createFeedbackStore(seed);
  const versions = { rules: "r", knowledge: "k" };
  feedback.record({
    ...searchFeedback(
      { type: "no_match", query: "mức hỗ trợ tiền điện cho hộ nghèo", message: "…", results: [] },
      "mức hỗ trợ tiền điện cho hộ nghèo",
    ),
    verdict: "wrong",
    role: "staff",
    versions,
  });
  feedback.record({
    ...decisionFeedback(household, decide(household, policy)),
    verdict: "unclear",
    role: "staff",
    versions,
  });
  seed.close();

  api = await FakeTelegramApi.start();
  zalo = await FakeZaloApi.start();
  const config: AppConfig = {
    mode: "polling",
    port: 0,
    host: "127.0.0.1",
    databasePath,
    logLevel: "warn",
    sessionTtlDays: 30,
    userKeySecret: USER_KEY_SECRET,
    staffIds: [`telegram:${STAFF}`, `zalo:${ZALO_STAFF}`],
    trustProxy: true,
    telegram: { token: api.token, apiRoot: api.apiRoot },
    zalo: { token: zalo.token, apiRoot: zalo.apiRoot },
  };
  const logger = createLogger({
    level: "info",
    secrets: [TEST_SECRET],
    destination: { write: (line: string) => logLines.push(line) > 0 },
  });
  const core = await createCore(config, { logger });
  closeCore = () => core.close?.();
  app = await startApp({
    config,
    core,
    logger,
    tuning: testTuning({ telegram: { limits: { coreTimeoutMs: 10_000 } } }),
  });
  base = `http://127.0.0.1:${app.port}`;
});

afterAll(async () => {
  await app?.stop();
  closeCore?.();
  await api?.close();
  await zalo?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const PAGES = [
  "/console",
  "/console/search?q=bhyt",
  "/console/documents",
  "/console/documents/thai-binh-2017-2020",
  "/console/documents/thai-binh-2017-2020/IV.1.2",
  "/console/check",
  "/console/screen",
  "/console/screen/mau.xlsx",
  "/console/stats",
  "/console/feedback",
  "/console/feedback/kb-questions.draft.yaml",
];
const APIS = [
  "/console/api/search?q=bhyt",
  "/console/api/stats",
  "/console/api/documents",
  "/console/api/screen/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
];
const POSTS = [
  "/console/check",
  "/console/screen",
  "/console/check/pdf",
  "/console/check/summary",
  "/console/feedback/1",
  "/console/dangxuat",
];

describe("console security", () => {
  it("sends every page to sign-in and answers every API and form 401 without a session", async () => {
    for (const path of PAGES) {
      const res = await fetch(`${base}${path}`, { redirect: "manual" });
      expect(res.status, path).toBe(303);
      expect(res.headers.get("location"), path).toBe("/console/dangnhap");
    }
    for (const path of APIS) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(401);
      expect(await res.json()).toEqual({ ok: false, error: "unauthenticated" });
    }
    for (const path of POSTS) {
      const res = await fetch(`${base}${path}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "ho=%7B%7D",
      });
      expect(res.status, path).toBe(401);
    }
    // A made-up session cookie is no session.
    const forged = await fetch(`${base}/console/api/stats`, { headers: { cookie: "hcs_console=forged" } });
    expect(forged.status).toBe(401);
  });

  it("signs a staff member in with the /dangnhap code: HttpOnly, SameSite=Strict cookie on /console, used once", async () => {
    const code = await codeFromTelegram();
    expect(api.sentTo(STAFF).at(-1)!.text).toMatch(/một lần, trong 10 phút/);
    const res = await submitCode(code, { "x-forwarded-for": client() });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/console");
    const cookie = res.headers.getSetCookie().find((line) => line.startsWith("hcs_console="))!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Path=\/console/);
    // Plain HTTP without a proxy saying otherwise: not Secure (the browser would drop it).
    expect(cookie).not.toMatch(/Secure/);
    const home = await fetch(`${base}/console`, { headers: { cookie: cookie.split(";")[0]! } });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain(`telegram:${STAFF}`);
    expect(home.headers.get("cache-control")).toBe("no-store");
    expect(home.headers.get("content-security-policy")).toContain("script-src 'self'");
    const again = await submitCode(code, { "x-forwarded-for": client() });
    expect(again.status).toBe(401);
    expect(await again.text()).toContain("Mã không đúng hoặc đã hết hạn");
  });

  it("gives the code on Zalo too, and it signs in", async () => {
    zalo.enqueue(zalo.userSends(ZALO_STAFF, "/dangnhap"));
    await zalo.waitFor(() => zalo.sentTo(ZALO_STAFF).length > 0, 15_000, "the Zalo /dangnhap reply");
    const code = /(\d{4} \d{4})/.exec(zalo.sentTo(ZALO_STAFF).join("\n"))![1]!;
    const res = await submitCode(code, { "x-forwarded-for": client() });
    expect(res.status).toBe(303);
    const cookie = res.headers
      .getSetCookie()
      .find((line) => line.startsWith("hcs_console="))!
      .split(";")[0]!;
    const home = await fetch(`${base}/console`, { headers: { cookie } });
    expect(await home.text()).toContain(`zalo:${ZALO_STAFF}`);
  });

  it("marks the cookie Secure when the trusted proxy says the request came over HTTPS", async () => {
    const res = await submitCode(await codeFromTelegram(), {
      "x-forwarded-for": client(),
      "x-forwarded-proto": "https",
    });
    expect(res.status).toBe(303);
    const cookie = res.headers.getSetCookie().find((line) => line.startsWith("hcs_console="))!;
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; HttpOnly/);
  });

  it("refuses a resident's /dangnhap, and a code of an account that is not staff", async () => {
    api.enqueue(api.userSends(RESIDENT, "/dangnhap"));
    await api.waitFor(() => api.sentTo(RESIDENT).length > 0, 15_000, "the resident's reply");
    const reply = api
      .sentTo(RESIDENT)
      .map((sent) => sent.text)
      .join("\n");
    expect(reply).toMatch(/chỉ dành cho cán bộ xã/);
    expect(reply).not.toMatch(/\d{4} \d{4}/);

    // A code minted for someone not (or no longer) in STAFF_IDS signs no one in.
    const other = openDatabase(databasePath, { userKeySecret: USER_KEY_SECRET });
    const { code } = createConsoleAuthStore(other).mintCode(`telegram:${RESIDENT}`);
    other.close();
    const res = await submitCode(code, { "x-forwarded-for": client() });
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie().some((line) => line.startsWith("hcs_console="))).toBe(false);
    expect(await res.text()).toContain("không có quyền dùng trang làm việc");
  });

  it("answers 403 to a form or sign-in without its CSRF token, or with another session's", async () => {
    const session = await signIn();
    const other = await signIn();
    const post = (path: string, body: Record<string, string>, cookie = session.cookie) =>
      fetch(`${base}${path}`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(body).toString(),
      });
    const household = { khu_vuc: "rural", so_nguoi: "4" };
    expect((await post("/console/check", household)).status).toBe(403);
    expect((await post("/console/check", { ...household, _csrf: other.csrf })).status).toBe(403);
    expect((await post("/console/dangxuat", {})).status).toBe(403);
    expect((await post("/console/check", { ...household, _csrf: session.csrf })).status).toBe(200);
    const signInWithout = await fetch(`${base}/console/dangnhap`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": client() },
      body: new URLSearchParams({ ma: "1234 5678" }).toString(),
    });
    expect(signInWithout.status).toBe(403);
    // Sign-out with the token ends the session.
    const out = await post("/console/dangxuat", { _csrf: session.csrf });
    expect(out.status).toBe(303);
    expect((await fetch(`${base}/console/api/stats`, { headers: { cookie: session.cookie } })).status).toBe(
      401,
    );
  });

  it("refuses a list over 20 MB before reading it, with a Vietnamese message", async () => {
    const { cookie, csrf } = await signIn();
    const form = new FormData();
    form.set("_csrf", csrf);
    form.set("tep", new File([new Uint8Array(21 * 1024 * 1024).fill(44)], "danh-sach.csv"));
    const res = await fetch(`${base}/console/screen`, { method: "POST", headers: { cookie }, body: form });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain("Tệp quá lớn: tối đa 20 MB");
  });

  it("locks a client out after 10 wrong codes, even for the right code, and tells it so", async () => {
    const headers = { "x-forwarded-for": client() };
    const right = await codeFromTelegram();
    const wrong = right === "0000 0000" ? "1111 1111" : "0000 0000";
    for (let attempt = 1; attempt <= 9; attempt++) {
      const res = await submitCode(wrong, headers);
      expect(res.status, `attempt ${attempt}`).toBe(401);
      expect(await res.text()).toContain(`Còn ${10 - attempt} lần thử`);
    }
    const tenth = await submitCode(wrong, headers);
    expect(tenth.status).toBe(429);
    expect(await tenth.text()).toContain("Đã nhập sai mã quá nhiều lần");
    const rightButLocked = await submitCode(right, headers);
    expect(rightButLocked.status).toBe(429);
    // Another client still signs in with that same code.
    expect((await submitCode(right, { "x-forwarded-for": client() })).status).toBe(303);
  });

  it("gives the search API the chat's answers with paste-ready citations", async () => {
    const { cookie } = await signIn();
    const res = await fetch(
      `${base}/console/api/search?q=${encodeURIComponent("hộ cận nghèo hỗ trợ bảo hiểm y tế")}&tinh=${encodeURIComponent("Hưng Yên")}`,
      {
        headers: { cookie },
      },
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      outcome: { type: string; answer?: { text: string } };
      citations: string[];
      notes: string[];
    };
    expect(body.outcome.type).toBe("results");
    expect(body.outcome.answer?.text).toMatch(/bảo hiểm y tế/);
    expect(body.citations[0]).toMatch(
      /^Theo .*Kế hoạch số 02\/KH-UBND ngày 05\/01\/2017 của UBND tỉnh Thái Bình/,
    );
    // The plans of Thái Bình, merged into Hưng Yên on 1/7/2025, are found by the province's name now, and said so.
    expect(body.notes.join(" ")).toMatch(/Thái Bình/);
  });
});

describe.skipIf(!available)(`console in a real browser${available ? "" : ` (skipped: ${MISSING})`}`, () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  const cspViolations: string[] = [];

  beforeAll(async () => {
    rmSync(ARTIFACTS, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    context = await browser.newContext({
      viewport: VIEWPORTS[0],
      acceptDownloads: true,
      locale: "vi-VN",
      extraHTTPHeaders: { "x-forwarded-for": client() },
    });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
    page = await context.newPage();
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** axe-core on the page as it is: no serious or critical violation. */
  async function accessible(what: string): Promise<void> {
    await page.evaluate(axeSource);
    // A string: the test has no DOM types; it runs in the page.
    const violations = (await page.evaluate(`axe.run().then((result) => result.violations
        .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
        .map((violation) => violation.id + " (" + violation.impact + "): " +
          violation.nodes.slice(0, 3).map((node) => node.target.join(" ")).join(", ")))`)) as string[];
    expect(violations, what).toEqual([]);
  }

  function sheetRows(sheet: ExcelJSTypes.Worksheet): unknown[][] {
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    return rows;
  }

  /** Screenshots at both sizes, and axe at each. */
  async function capture(name: string): Promise<void> {
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
      await accessible(`${name} at ${viewport.name}`);
      await page.screenshot({ path: join(ARTIFACTS, `${name}-${viewport.name}.png`), fullPage: true });
    }
    await page.setViewportSize(VIEWPORTS[0]);
  }

  it("signs in with the code from Telegram", async () => {
    await page.goto(`${base}/console/search`);
    expect(new URL(page.url()).pathname).toBe("/console/dangnhap");
    await capture("dang-nhap");
    await page.getByLabel("Mã đăng nhập").fill(await codeFromTelegram());
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await page.waitForURL(`${base}/console`);
    expect(await page.textContent("h1")).toBe("Trang làm việc");
    const cookies = await context.cookies(`${base}/console`);
    const session = cookies.find((cookie) => cookie.name === "hcs_console")!;
    expect(session.httpOnly).toBe(true);
    expect(session.sameSite).toBe("Strict");
    expect(session.path).toBe("/console");
    await capture("trang-chinh");
  });

  it("searches with a province filter, pages, and copies a paste-ready citation", async () => {
    await page.goto(`${base}/console/search`);
    await page.getByLabel("Câu hỏi hoặc từ khoá").fill("hộ cận nghèo hỗ trợ bảo hiểm y tế");
    await page.getByLabel("Tỉnh, thành phố").fill("Thái Bình");
    await page.getByRole("button", { name: "Tìm" }).click();
    await page.waitForSelector("ol.results");
    expect(await page.textContent("main")).toContain("Quy định đang áp dụng");
    expect(await page.locator(".warning").first().textContent()).toMatch(/Lưu ý:/);
    await capture("tra-cuu");
    const citation = (await page.locator("ol.results .cite-text").first().textContent())!;
    expect(citation).toMatch(/^Theo .* Kế hoạch số 02\/KH-UBND ngày 05\/01\/2017 của UBND tỉnh Thái Bình/);
    await page.locator("ol.results button.copy").first().click();
    await expect
      .poll(() => page.evaluate("navigator.clipboard.readText()"), { timeout: 5000 })
      .toBe(citation);
    expect(await page.locator("ol.results button.copy").first().textContent()).toBe("Đã sao chép");
    const next = page.getByRole("link", { name: "Trang sau →" });
    if (await next.count()) {
      await next.click();
      expect(await page.textContent(".pager")).toMatch(/Trang 2\//);
    }
  });

  it("lists the plans and opens a section at its own address", async () => {
    await page.goto(`${base}/console/documents`);
    const table = (await page.textContent("table"))!;
    expect(table).toContain("02/KH-UBND");
    expect(table).toMatch(/Đã hết thời hạn/);
    await capture("van-ban");
    await page
      .getByRole("link", { name: /Thái Bình/ })
      .first()
      .click();
    await page.waitForSelector("nav.outline");
    await capture("muc-luc");
    await page.getByRole("link", { name: /^IV\.1\.2 / }).click();
    expect(new URL(page.url()).pathname).toBe("/console/documents/thai-binh-2017-2020/IV.1.2");
    expect(await page.textContent(".section-text")).toMatch(/Hỗ trợ về y tế/);
    expect(await page.textContent(".citation")).toContain("Theo khoản 1.2 Mục IV Kế hoạch số 02/KH-UBND");
    await capture("mot-muc");
  });

  it("checks a household, shows the decision with its basis, and downloads the summary as PDF", async () => {
    await page.goto(`${base}/console/check`);
    await capture("kiem-tra");
    await page.getByLabel("Nông thôn (xã)").check();
    await page.getByLabel("Số người trong hộ").fill("4");
    await page.getByLabel("Thu nhập", { exact: true }).fill("5tr6");
    await page.getByLabel("Đã hỏi hộ về các chỉ số").check();
    await page.getByLabel("Bảo hiểm y tế", { exact: false }).first().check();
    await page
      .getByLabel("Học sinh, sinh viên, người cao tuổi, người khuyết tật, dân tộc")
      .fill("con học ĐH");
    await page.getByLabel("Tên người dân (không bắt buộc)").fill("Nguyễn Thị Lan");
    await page.getByRole("button", { name: "Kiểm tra" }).click();
    await page.waitForSelector("#ket-qua");
    const result = (await page.textContent("#ket-qua"))!;
    expect(result).toContain("KẾT QUẢ: hộ");
    expect(result).toContain("Căn cứ:");
    expect(result).toMatch(/→ /);
    await capture("ket-qua");
    // The click waits for the form's response, which is the PDF: as long as the rendering takes on a busy machine.
    const [download] = await Promise.all([
      page.waitForEvent("download", { timeout: 90_000 }),
      page.getByRole("button", { name: "Tải bản tóm tắt (PDF)" }).click({ timeout: 90_000 }),
    ]);
    expect(download.suggestedFilename()).toMatch(/^tom-tat-ho-so-\d{4}-\d{2}-\d{2}\.pdf$/);
    const file = join(scratch, "download.pdf");
    await download.saveAs(file);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe("%PDF-");
    const text = spawnSync("pdftotext", ["-enc", "UTF-8", file, "-"], { encoding: "utf8" })
      .stdout.normalize("NFC")
      .replace(/\s+/g, " ");
    expect(text).toContain("TÓM TẮT HỒ SƠ KIỂM TRA CHÍNH SÁCH GIẢM NGHÈO");
    expect(text).toContain("Người được hỗ trợ: Nguyễn Thị Lan");
    expect(text).toContain("Thu nhập cả hộ 5.600.000 đ/tháng");
    expect(text).toContain("Nghị định 07/2021/NĐ-CP");
    // Nothing about the household was stored on the way (the screening is counted, anonymously).
    const stored = openDatabase(databasePath, { userKeySecret: USER_KEY_SECRET });
    const bytes = JSON.stringify(stored.sqlite.prepare("select * from usage_events").all());
    stored.close();
    expect(bytes).not.toContain("Lan");
    expect(bytes).not.toContain("5600000");
  }, 180_000);

  it("shows the statistics as charts drawn by the local Chart.js, with the numbers beside them", async () => {
    const scripts: string[] = [];
    page.on("request", (request) => {
      if (request.resourceType() === "script") scripts.push(request.url());
    });
    await page.goto(`${base}/console/stats`);
    await page.waitForSelector("canvas[data-drawn]");
    expect(scripts.every((url) => url.startsWith(`${base}/console/static/`))).toBe(true);
    expect(scripts).toContain(`${base}/console/static/chart.umd.min.js`);
    const painted = (await page.evaluate(`(() => {
        const canvas = document.querySelector("canvas[data-drawn]");
        const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
        let inked = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) inked++;
        return inked;
      })()`)) as number;
    expect(painted).toBeGreaterThan(100);
    const categories = (await page.locator("section.chart", { hasText: "Diện hộ" }).textContent())!;
    expect(categories).toMatch(/Số lượng/);
    expect(categories).toMatch(/\d/);
    await capture("thong-ke");
  });

  it("lists disputed answers, takes the right answer, and exports draft test cases", async () => {
    await page.goto(`${base}/console/feedback`);
    expect(await page.textContent("main")).toContain("mức hỗ trợ tiền điện cho hộ nghèo");
    await capture("phan-hoi");
    const first = page.locator("ol.feedback li").filter({ hasText: "tiền điện" });
    await first.getByLabel("Đoạn đúng (mã văn bản và mục)").fill("thai-binh-2017-2020 IV.1.2");
    await first.getByRole("button", { name: "Ghi" }).click();
    await page.waitForSelector("[role=status]");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Tải câu hỏi tra cứu (YAML)" }).click(),
    ]);
    const file = join(scratch, "kb.yaml");
    await download.saveAs(file);
    const yaml = readFileSync(file, "utf8");
    expect(yaml).toContain("mức hỗ trợ tiền điện cho hộ nghèo");
    expect(yaml).toContain("thai-binh-2017-2020");
  });

  it("shows a long list's progress while it is screened, then its summary", async () => {
    // 40,000 households as CSV: long enough to watch the bar move.
    const file = join(scratch, "danh-sach-dai.csv");
    writeFileSync(file, stringify([LIST_HEADINGS, ...generateList(40_000, 3).map(rowCells)]));
    // The progress answers are the server's own; those that say "done" wait until the page has been looked at.
    const answers: { state: string; rowsDone: number; expectedRows: number | null }[] = [];
    let release!: () => void;
    const looked = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/console/api/screen/*", async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as (typeof answers)[number];
      answers.push(body);
      if (body.state !== "running" && body.state !== "waiting") await looked;
      await route.fulfill({ response });
    });
    await page.goto(`${base}/console/screen`);
    await page.getByLabel("Tệp danh sách (.xlsx hoặc .csv)").setInputFiles(file);
    await page.getByLabel("CSV (UTF-8, mở được bằng Excel)").check();
    await page.getByRole("button", { name: "Sàng lọc" }).click();
    await page.waitForURL(/\/console\/screen\/[A-Za-z0-9_-]{32}$/);
    // Polled from the test (a predicate evaluated in the page would be refused by its CSP, no eval).
    await expect
      .poll(
        () =>
          page
            .locator("#tien-do")
            .evaluate((bar) => {
              const progress = bar as unknown as { value: number; max: number };
              return progress.value > 0 && progress.value < progress.max;
            })
            .catch(() => false),
        { timeout: 60_000, interval: 100 },
      )
      .toBe(true);
    expect(await page.textContent("#tien-do-chu")).toMatch(/^Đã xét [\d.]+ hộ…$/);
    await capture("sang-loc-tien-do");
    release();
    await page.waitForSelector("#ket-qua", { timeout: 120_000 });
    await page.unroute("**/console/api/screen/*");
    const running = answers.filter((answer) => answer.state === "running");
    expect(running.length).toBeGreaterThan(0);
    expect(running.every((answer) => answer.expectedRows === 40_001)).toBe(true);
    expect(answers.at(-1)!.state).toBe("done");
    expect(await page.textContent("#ket-qua .summary")).toMatch(
      /40\.000 hộ trong danh sách: 40\.000 hộ\s+đã xét, 0 dòng không đọc được/,
    );
  }, 180_000);

  it("screens a 1,000-row XLSX with bad rows, lists them, and downloads the result and the template", async () => {
    const rows = generateList(1_000, 7);
    const spoiled = SPOILED_CELLS;
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Danh sách");
    sheet.addRow(["DANH SÁCH HỘ GIA ĐÌNH NĂM 2026"]);
    sheet.addRow(LIST_HEADINGS);
    rows.forEach((row, index) => {
      const cells = { ...row.cells };
      for (const [at, key, value] of spoiled) if (at === index) cells[key] = value;
      sheet.addRow(rowCells({ ...row, cells }));
    });
    const input = join(scratch, "danh-sach-xa.xlsx");
    await workbook.xlsx.writeFile(input);

    await page.goto(`${base}/console/screen`);
    await capture("sang-loc");
    // The template, with its example row.
    const [template] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Tải tệp mẫu (XLSX)" }).click(),
    ]);
    expect(template.suggestedFilename()).toBe("mau-danh-sach-ho.xlsx");
    const templateFile = join(scratch, "mau.xlsx");
    await template.saveAs(templateFile);
    const mau = new ExcelJS.Workbook();
    await mau.xlsx.readFile(templateFile);
    const templateRows = sheetRows(mau.worksheets[0]!);
    expect(templateRows[0]).toEqual(LIST_HEADINGS);
    expect(templateRows).toHaveLength(2);
    const [templateCsv] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Tải tệp mẫu (CSV)" }).click(),
    ]);
    const csvFile = join(scratch, "mau.csv");
    await templateCsv.saveAs(csvFile);
    expect(readFileSync(csvFile, "utf8")).toMatch(/^\ufeffMã hộ,/);

    await page.getByLabel("Tệp danh sách (.xlsx hoặc .csv)").setInputFiles(input);
    await page.getByRole("button", { name: "Sàng lọc" }).click();
    await page.waitForSelector("#ket-qua", { timeout: 60_000 });
    expect(await page.textContent("#ket-qua .summary")).toMatch(
      /1\.000 hộ trong danh sách: 996 hộ\s+đã xét, 4 dòng không đọc được/,
    );
    // Each bad row with its row number (the title is row 1, the header row 2), column and reason.
    const problems = (await page.evaluate(`Array.from(document.querySelectorAll("table.problems tbody tr"),
        (tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent.trim()))`)) as string[][];
    expect(problems.map(([row, column]) => [Number(row), column])).toEqual(
      spoiled.map(([at, , , heading]) => [at + 3, heading]),
    );
    expect(problems[0]![2]).toMatch(/số người/);
    expect(await page.textContent("main")).toContain("Chính sách đủ điều kiện nhiều nhất");
    await capture("sang-loc-ket-qua");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Tải tệp kết quả (XLSX)" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^ket-qua-sang-loc-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const output = join(scratch, "ket-qua.xlsx");
    await download.saveAs(output);
    const result = new ExcelJS.Workbook();
    await result.xlsx.readFile(output);
    expect(result.worksheets.map((sheet) => sheet.name)).toEqual(["Kết quả", "Căn cứ pháp lý", "Dòng lỗi"]);
    const table = sheetRows(result.getWorksheet("Kết quả")!);
    expect(table).toHaveLength(1_001);
    const header = table[0]!.map(String);
    const errorColumn = header.indexOf("Lỗi dữ liệu");
    const statuses = new Set(Object.values(STATUS_LABEL));
    rows.forEach((row, index) => {
      const line = table[index + 1]!;
      expect(line[0]).toBe(index + 3);
      expect(line[1]).toBe(row.cells.householdId);
      const bad = spoiled.find(([at]) => at === index);
      if (bad) expect(String(line[errorColumn])).toContain(`Cột “${bad[3]}”`);
      else expect(statuses.has(String(line[4]))).toBe(true);
    });
    const errors = sheetRows(result.getWorksheet("Dòng lỗi")!);
    expect(errors.slice(1).map((line) => [line[0], line[1]])).toEqual(
      spoiled.map(([at, , , heading]) => [at + 3, heading]),
    );

    // Handed over once: the page says the file is gone from the server.
    await page.reload();
    expect(await page.textContent("#ket-qua")).toContain("đã được tải về và đã xoá khỏi máy chủ");
    // Nothing about the households was stored or logged.
    const stored = openDatabase(databasePath, { userKeySecret: USER_KEY_SECRET });
    const tables = stored.sqlite.prepare("select name from sqlite_master where type = 'table'").all() as {
      name: string;
    }[];
    const dump = JSON.stringify(
      tables.map(({ name }) => stored.sqlite.prepare(`select * from "${name}"`).all()),
    );
    stored.close();
    expect(dump).not.toContain("Chủ hộ");
    expect(dump).not.toContain("HGD-");
    expect(logLines.join("")).not.toMatch(/Chủ hộ|HGD-|danh-sach-xa/);
  }, 180_000);

  it("signs out, and the pages send to sign-in again; no page broke its content security policy", async () => {
    await page.goto(`${base}/console`);
    await page.getByRole("button", { name: "Đăng xuất" }).click();
    await page.waitForURL(`${base}/console/dangnhap`);
    await page.goto(`${base}/console/stats`);
    expect(new URL(page.url()).pathname).toBe("/console/dangnhap");
    expect(cspViolations).toEqual([]);
  });
});
