/**
 * `hoichinhsach console` and `hoichinhsach console-login`, as the operator of a single office PC runs them: the
 * real CLI in child processes over one embedded SQLite file, no token. The code printed by console-login signs a
 * staff member in; an account not in STAFF_IDS gets no code; without STAFF_IDS the console does not start.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO, spawnNode } from "./support/process.ts";

const scratch = mkdtempSync(join(tmpdir(), "hcs-console-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const BIN = join(REPO, "bin", "hoichinhsach.mjs");
const env = {
  DATABASE_PATH: join(scratch, "office.db"),
  STAFF_IDS: "zalo:can-bo-xa,telegram:42",
  PORT: "0",
  LOG_LEVEL: "info",
};

function cli(args: string[], extra: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env, ...extra },
    encoding: "utf8",
  });
}

describe("console on a single PC", () => {
  it("serves the console alone on 127.0.0.1, and a console-login code signs the staff member in", async () => {
    const server = spawnNode([BIN, "console"], env);
    try {
      const line = await server.waitForOutput(/"msg":"console started"/, 30_000);
      const started = JSON.parse(line.split("\n").find((entry) => entry.includes("console started"))!) as {
        port: number;
        host: string;
      };
      expect(started.host).toBe("127.0.0.1");
      const base = `http://127.0.0.1:${started.port}`;
      expect((await fetch(`${base}/`, { redirect: "manual" })).headers.get("location")).toBe("/console");
      expect((await fetch(`${base}/console/api/documents`)).status).toBe(401);

      const login = cli(["console-login", "zalo:can-bo-xa"]);
      expect(login.status).toBe(0);
      const code = /(\d{4} \d{4})/.exec(login.stdout)![1]!;
      expect(login.stdout).toContain("10 phút");

      const form = await fetch(`${base}/console/dangnhap`);
      const pre = form.headers.get("set-cookie")!.split(";")[0]!;
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
      const signedIn = await fetch(`${base}/console/dangnhap`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie: pre, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ _csrf: csrf, ma: code }).toString(),
      });
      expect(signedIn.status).toBe(303);
      const cookie = signedIn.headers
        .getSetCookie()
        .find((c) => c.startsWith("hcs_console="))!
        .split(";")[0]!;
      const documents = await fetch(`${base}/console/documents`, { headers: { cookie } });
      expect(documents.status).toBe(200);
      expect(await documents.text()).toContain("02/KH-UBND");
      // The log never carries the code.
      expect(server.stdout()).not.toContain(code);
      expect(server.stdout().replace(/\s/g, "")).not.toContain(code.replace(" ", ""));
    } finally {
      server.child.kill("SIGTERM");
      expect(await server.exited).toBe(0);
    }
  }, 60_000);

  it("gives no code to an account that is not staff, and does not start without STAFF_IDS", () => {
    const refused = cli(["console-login", "telegram:43"]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("không có trong STAFF_IDS");
    expect(refused.stdout).not.toMatch(/\d{4} \d{4}/);
    const noStaff = cli(["console"], { STAFF_IDS: "" });
    expect(noStaff.status).toBe(2);
    expect(noStaff.stderr).toContain("Chưa có cán bộ nào");
  });
});
