import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "../logging.ts";
import { templateRows } from "../screening/index.ts";
import { openDatabase, type AppDatabase } from "../storage/database.ts";
import { createConsoleApp, SESSION_COOKIE } from "./app.ts";
import { ScreeningJobs } from "./screen-jobs.ts";
import { createConsoleServices } from "./services.ts";
import { stringify } from "csv-stringify/sync";

const logger = createLogger({ level: "silent" });
const tempRoot = mkdtempSync(join(tmpdir(), "hcs-screen-test-"));
afterAll(() => rmSync(tempRoot, { recursive: true, force: true }));

let clock = Date.parse("2026-03-01T03:00:00Z");

function consoleOver(database: AppDatabase, staffIds: string[], jobs?: ScreeningJobs) {
  const services = createConsoleServices(database, { staffIds, today: () => "2026-03-01" });
  const screening =
    jobs ??
    new ScreeningJobs({
      policy: services.policy,
      logger,
      today: () => "2026-03-01",
      now: () => clock,
      tempRoot,
      workers: 0,
    });
  const app = createConsoleApp({
    services,
    logger,
    printPdf: () => Promise.reject(new Error("not in this test")),
    screening,
    maxUploadBytes: 64 * 1024,
  });
  return { app, services, screening };
}

type App = ReturnType<typeof consoleOver>["app"];

async function signIn(app: App, code: string): Promise<{ cookie: string; csrf: string }> {
  const form = await app.request("/console/dangnhap");
  const pre = form.headers.get("set-cookie")!.split(";")[0]!;
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const body = new URLSearchParams({ _csrf: token, ma: code }).toString();
  const res = await app.request("/console/dangnhap", {
    method: "POST",
    headers: {
      cookie: pre,
      "content-type": "application/x-www-form-urlencoded",
      "content-length": String(body.length),
    },
    body,
  });
  expect(res.status).toBe(303);
  const cookie = res.headers
    .getSetCookie()
    .find((line) => line.startsWith(`${SESSION_COOKIE}=`))!
    .split(";")[0]!;
  const home = await app.request("/console/screen", { headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await home.text())![1]!;
  return { cookie, csrf };
}

/** A multipart upload as a browser sends it (with its length). */
async function upload(
  app: App,
  cookie: string,
  fields: Record<string, string>,
  file?: { name: string; content: string | Uint8Array },
): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  if (file) form.set("tep", new File([file.content], file.name));
  const request = new Request("http://console.test/console/screen", { method: "POST", body: form });
  const body = new Uint8Array(await request.arrayBuffer());
  return app.request("/console/screen", {
    method: "POST",
    headers: {
      cookie,
      "content-type": request.headers.get("content-type")!,
      "content-length": String(body.byteLength),
    },
    body,
  });
}

/** A CSV list: the template's headings and example row, then `rows` more households (row 4 is bad). */
async function csvList(rows: number): Promise<string> {
  const { headings, example } = templateRows();
  const lines: unknown[][] = [headings, example];
  for (let i = 0; i < rows; i++) {
    const line = [...example];
    line[0] = `HGD-${100 + i}`;
    lines.push(line);
  }
  lines[3]![headings.indexOf("Số người")] = "nhiều";
  return stringify(lines);
}

async function settle(screening: ScreeningJobs, location: string): Promise<string> {
  const id = location.split("/").at(-1)!;
  await screening.settled(id);
  return id;
}

describe("/console/screen", () => {
  const database = openDatabase(":memory:");
  const { app, services, screening } = consoleOver(database, ["telegram:5", "telegram:6"]);
  afterAll(() => {
    screening.close();
    database.close();
  });

  it("sends to sign-in without a session, and answers its API and upload 401", async () => {
    const page = await app.request("/console/screen");
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/console/dangnhap");
    expect((await app.request("/console/screen/mau.xlsx")).status).toBe(303);
    const api = await app.request("/console/api/screen/abc");
    expect(api.status).toBe(401);
    expect((await upload(app, "", {}, { name: "ds.csv", content: "a" })).status).toBe(401);
  });

  it("refuses an upload without its CSRF token, or with another session's (403)", async () => {
    const mine = await signIn(app, (await services.auth.mintCode("telegram:5")).code);
    const other = await signIn(app, (await services.auth.mintCode("telegram:6")).code);
    const list = { name: "ds.csv", content: await csvList(2) };
    expect((await upload(app, mine.cookie, {}, list)).status).toBe(403);
    expect((await upload(app, mine.cookie, { _csrf: other.csrf }, list)).status).toBe(403);
    expect((await upload(app, mine.cookie, { _csrf: mine.csrf }, list)).status).toBe(303);
    // Not a readable form at all: refused the same way, not a server error.
    const garbled = await app.request("/console/screen", {
      method: "POST",
      headers: {
        cookie: mine.cookie,
        "content-type": "multipart/form-data; boundary=x",
        "content-length": "9",
      },
      body: "no parts!",
    });
    expect(garbled.status).toBe(403);
  });

  it("refuses a signed-in account that is no longer staff (403)", async () => {
    const { cookie } = await signIn(app, (await services.auth.mintCode("telegram:6")).code);
    // The same database, restarted with STAFF_IDS without telegram:6.
    const after = consoleOver(database, ["telegram:5"]);
    const page = await after.app.request("/console/screen", { headers: { cookie } });
    expect(page.status).toBe(403);
    expect(await page.text()).toContain("không có quyền dùng trang làm việc");
    const api = await after.app.request("/console/api/screen/abc", { headers: { cookie } });
    expect(api.status).toBe(403);
    expect((await after.app.request("/console/screen/mau.csv", { headers: { cookie } })).status).toBe(403);
    after.screening.close();
  });

  it("says plainly when the file is too large, before reading it", async () => {
    const { cookie, csrf } = await signIn(app, (await services.auth.mintCode("telegram:5")).code);
    const res = await upload(
      app,
      cookie,
      { _csrf: csrf },
      { name: "ds.csv", content: new Uint8Array(200 * 1024).fill(65) },
    );
    expect(res.status).toBe(413);
    const text = await res.text();
    expect(text).toContain("Tệp quá lớn: tối đa 0,1 MB");
    expect(text).toContain('enctype="multipart/form-data"');
  });

  it("shows the Vietnamese message of a file that is not a list, and makes no result", async () => {
    const { cookie, csrf } = await signIn(app, (await services.auth.mintCode("telegram:5")).code);
    const old = await upload(app, cookie, { _csrf: csrf }, { name: "ds.xls", content: "x" });
    expect(old.status).toBe(400);
    expect(await old.text()).toContain("là Excel cũ (.xls)");
    const none = await upload(app, cookie, { _csrf: csrf });
    expect(none.status).toBe(400);
    expect(await none.text()).toContain("Hãy chọn tệp danh sách");

    const broken = await upload(
      app,
      cookie,
      { _csrf: csrf },
      { name: "ds.xlsx", content: "không phải xlsx" },
    );
    expect(broken.status).toBe(303);
    const id = await settle(screening, broken.headers.get("location")!);
    const page = await app.request(`/console/screen/${id}`, { headers: { cookie } });
    const text = await page.text();
    expect(text).toContain("Không đọc được tệp XLSX");
    expect(text).not.toMatch(/\n\s+at |Error:/);
    expect((await app.request(`/console/screen/${id}/ket-qua.xlsx`, { headers: { cookie } })).status).toBe(
      410,
    );

    const columns = await upload(
      app,
      cookie,
      { _csrf: csrf },
      { name: "ds.csv", content: "Họ tên,Địa chỉ\nA,B\n" },
    );
    const missing = await settle(screening, columns.headers.get("location")!);
    const missingPage = await (
      await app.request(`/console/screen/${missing}`, { headers: { cookie } })
    ).text();
    expect(missingPage).toContain("Tệp thiếu cột bắt buộc: “Khu vực”, “Số người”.");
  });

  it("screens a list, shows the summary, hands the result over once to its session, and deletes it", async () => {
    const { cookie, csrf } = await signIn(app, (await services.auth.mintCode("telegram:5")).code);
    const res = await upload(
      app,
      cookie,
      { _csrf: csrf, dang: "csv" },
      { name: "xa-an-binh.csv", content: await csvList(30) },
    );
    expect(res.status).toBe(303);
    const location = res.headers.get("location")!;
    expect(location).toMatch(/^\/console\/screen\/[A-Za-z0-9_-]{32}$/);
    const id = await settle(screening, location);

    const progress = await app.request(`/console/api/screen/${id}`, { headers: { cookie } });
    expect(await progress.json()).toMatchObject({ ok: true, state: "done", expectedRows: 32 });
    const page = await (await app.request(location, { headers: { cookie } })).text();
    expect(page).toContain("Kết quả sàng lọc “xa-an-binh.csv”");
    expect(page).toMatch(/<strong>31<\/strong> hộ trong danh sách: <strong>30<\/strong> hộ\s+đã xét/);
    expect(page).toMatch(/<td class="num">4<\/td>\s*<td>Số người<\/td>\s*<td>phải là số người/);
    expect(page).toContain("Có thể thuộc diện hộ cận nghèo");

    // The result waits in a private file until it is fetched.
    expect(readdirSync(screening.folder!)).toContain(`${id}.csv`);
    expect(statSync(join(screening.folder!, `${id}.csv`)).mode & 0o777).toBe(0o600);
    expect(statSync(screening.folder!).mode & 0o777).toBe(0o700);

    // Another session (even of the same person) sees nothing.
    const other = await signIn(app, (await services.auth.mintCode("telegram:5")).code);
    expect((await app.request(location, { headers: { cookie: other.cookie } })).status).toBe(404);
    expect((await app.request(`${location}/ket-qua.csv`, { headers: { cookie: other.cookie } })).status).toBe(
      410,
    );
    expect(
      (await app.request(`/console/api/screen/${id}`, { headers: { cookie: other.cookie } })).status,
    ).toBe(404);

    const download = await app.request(`${location}/ket-qua.csv`, { headers: { cookie } });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toBe(
      'attachment; filename="ket-qua-sang-loc-2026-03-01.csv"',
    );
    const table = parse(Buffer.from(await download.arrayBuffer()), { bom: true }) as string[][];
    expect(table).toHaveLength(32);
    expect(table[3]!.at(-1)).toContain("Số người");
    expect(readdirSync(screening.folder!)).not.toContain(`${id}.csv`);
    expect((await app.request(`${location}/ket-qua.csv`, { headers: { cookie } })).status).toBe(410);
    expect(await (await app.request(location, { headers: { cookie } })).text()).toContain(
      "đã được tải về và đã xoá khỏi máy chủ",
    );
  });

  it("forgets a result nobody fetched after 15 minutes, with its file", async () => {
    const { cookie, csrf } = await signIn(app, (await services.auth.mintCode("telegram:5")).code);
    const res = await upload(app, cookie, { _csrf: csrf }, { name: "ds.csv", content: await csvList(3) });
    const id = await settle(screening, res.headers.get("location")!);
    expect(readdirSync(screening.folder!)).toContain(`${id}.xlsx`);
    clock += 14 * 60_000;
    expect((await app.request(`/console/screen/${id}`, { headers: { cookie } })).status).toBe(200);
    clock += 2 * 60_000;
    expect((await app.request(`/console/screen/${id}`, { headers: { cookie } })).status).toBe(404);
    // Every result file is older than 15 minutes by now.
    expect(readdirSync(screening.folder!)).toEqual([]);
  });

  it("gives the templates, with their example row", async () => {
    const { cookie } = await signIn(app, (await services.auth.mintCode("telegram:5")).code);
    const csv = await app.request("/console/screen/mau.csv", { headers: { cookie } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-disposition")).toBe('attachment; filename="mau-danh-sach-ho.csv"');
    const rows = parse(Buffer.from(await csv.arrayBuffer()), { bom: true }) as string[][];
    const { headings, example } = templateRows();
    expect(rows).toEqual([headings, example.map(String)]);
    const xlsx = await app.request("/console/screen/mau.xlsx", { headers: { cookie } });
    expect(xlsx.headers.get("content-type")).toContain("spreadsheetml");
    expect(
      Buffer.from(await xlsx.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe("PK");
  });
});

describe("ScreeningJobs at start", () => {
  it("deletes the folders left by a console process that no longer runs", () => {
    const root = mkdtempSync(join(tempRoot, "start-"));
    const gone = join(root, "hcs-screen-999999999-abc");
    const other = join(root, "something-else");
    for (const dir of [gone, other]) mkdtempSync(`${dir}`);
    const before = readdirSync(root).sort();
    expect(before).toHaveLength(2);
    const jobs = new ScreeningJobs({
      policy: undefined as never,
      logger,
      today: () => "2026-03-01",
      tempRoot: root,
    });
    expect(readdirSync(root).some((name) => name.startsWith("hcs-screen-999999999-"))).toBe(false);
    expect(readdirSync(root).some((name) => name.startsWith("something-else"))).toBe(true);
    jobs.close();
  });
});
