import { describe, expect, it } from "vitest";
import { createLogger } from "../logging.ts";
import { openDatabase } from "../storage/database.ts";
import { createConsoleApp, PRE_COOKIE, SESSION_COOKIE } from "./app.ts";
import { createConsoleServices } from "./services.ts";

const logger = createLogger({ level: "silent" });

function consoleWith(options: { httpsPublicUrl?: boolean; trustProxy?: boolean }) {
  const database = openDatabase(":memory:");
  const services = createConsoleServices(database, { staffIds: ["telegram:5"], today: () => "2026-03-01" });
  const app = createConsoleApp({
    services,
    logger,
    printPdf: () => Promise.reject(new Error("not in this test")),
    ...options,
  });
  return { app, services, database };
}

async function signIn(
  app: ReturnType<typeof consoleWith>["app"],
  code: string,
  headers: Record<string, string> = {},
) {
  const form = await app.request("/console/dangnhap", { headers });
  const pre = form.headers.get("set-cookie")!.split(";")[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  return app.request("/console/dangnhap", {
    method: "POST",
    headers: {
      ...headers,
      cookie: pre,
      "content-type": "application/x-www-form-urlencoded",
      "content-length": String(new URLSearchParams({ _csrf: csrf, ma: code }).toString().length),
    },
    body: new URLSearchParams({ _csrf: csrf, ma: code }).toString(),
  });
}

describe("console cookies", () => {
  it("are always Secure when PUBLIC_URL is https://", async () => {
    const { app, services, database } = consoleWith({ httpsPublicUrl: true });
    const form = await app.request("/console/dangnhap");
    expect(form.headers.get("set-cookie")).toMatch(new RegExp(`^${PRE_COOKIE}=.*; Secure`));
    const res = await signIn(app, (await services.auth.mintCode("telegram:5")).code);
    expect(res.status).toBe(303);
    const cookie = res.headers.getSetCookie().find((line) => line.startsWith(`${SESSION_COOKIE}=`))!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    database.close();
  });

  it("ignore X-Forwarded-Proto unless the proxy is trusted", async () => {
    const { app, services, database } = consoleWith({});
    const res = await signIn(app, (await services.auth.mintCode("telegram:5")).code, {
      "x-forwarded-proto": "https",
    });
    expect(res.status).toBe(303);
    expect(res.headers.getSetCookie().join("\n")).not.toMatch(/Secure/);
    database.close();
  });

  it("refuse a chunked form without a length, before reading it", async () => {
    const { app, database } = consoleWith({});
    const res = await app.request("/console/dangnhap", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "transfer-encoding": "chunked" },
      body: "ma=12345678",
    });
    expect(res.status).toBe(403);
    database.close();
  });

  it("says plainly when the PDF cannot be printed, and points to the printable page", async () => {
    const { app, services, database } = consoleWith({});
    const signedIn = await signIn(app, (await services.auth.mintCode("telegram:5")).code);
    const cookie = signedIn.headers
      .getSetCookie()
      .find((line) => line.startsWith(`${SESSION_COOKIE}=`))!
      .split(";")[0]!;
    const home = await app.request("/console", { headers: { cookie } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await home.text())![1]!;
    const body = new URLSearchParams({
      _csrf: csrf,
      ho: JSON.stringify({ area: "rural", members: 3 }),
    }).toString();
    const res = await app.request("/console/check/pdf", {
      method: "POST",
      headers: {
        cookie,
        "content-type": "application/x-www-form-urlencoded",
        "content-length": String(Buffer.byteLength(body)),
      },
      body,
    });
    expect(res.status).toBe(503);
    const page = await res.text();
    expect(page).toContain("Máy chủ chưa tạo được tệp PDF");
    expect(page).toContain("Xem bản tóm tắt để in");
    database.close();
  });
});
