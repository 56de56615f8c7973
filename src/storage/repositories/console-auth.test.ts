import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { storageDialects, type StorageDialect } from "../../../test/support/storage-dialects.ts";
import { openDatabase, type AppDatabase } from "../database.ts";
import {
  CODE_TTL_MS,
  createConsoleAuthStore,
  DEFAULT_IDLE_MS,
  FAILURE_WINDOW_MS,
  MAX_WRONG_CODES,
  SESSION_MAX_MS,
} from "./console-auth.ts";

const SECRET = "console-auth-test-secret-0123456789abcdef";
const dialects = storageDialects();

for (const dialect of dialects) {
  describe.runIf(dialect.available)(`console sign-in codes (${dialect.name})`, () => codes(dialect));
  describe.runIf(dialect.available)(`console sessions (${dialect.name})`, () => sessions(dialect));
}

async function clocked(dialect: StorageDialect, start = Date.parse("2026-03-01T02:00:00Z")) {
  const clock = { at: start };
  const database = await dialect.open({ userKeySecret: SECRET });
  return { database, clock, auth: database.consoleAuth({ now: () => clock.at }) };
}

function codes(dialect: StorageDialect): void {
  it("signs in once with a fresh code, and never again with the same code", async () => {
    const { database, auth } = await clocked(dialect);
    const { code } = await auth.mintCode("telegram:123");
    expect(code).toMatch(/^\d{8}$/);
    const first = await auth.redeem(`${code.slice(0, 4)} ${code.slice(4)}`, "10.0.0.1");
    expect(first.type).toBe("ok");
    if (first.type !== "ok") return;
    expect(first.userKey).toBe(database.userKeys.digest("telegram:123"));
    expect((await auth.session(first.token))?.userKey).toBe(first.userKey);
    expect((await auth.redeem(code, "10.0.0.1")).type).toBe("wrong");
  });

  it("refuses a code after its 10 minutes, and a code replaced by a newer one", async () => {
    const { clock, auth } = await clocked(dialect);
    const old = (await auth.mintCode("zalo:abc")).code;
    const fresh = (await auth.mintCode("zalo:abc")).code;
    expect((await auth.redeem(old, "c")).type).toBe("wrong");
    clock.at += CODE_TTL_MS;
    expect((await auth.redeem(fresh, "c")).type).toBe("wrong");
  });

  it(`locks a client out after ${MAX_WRONG_CODES} wrong codes, even for a right one, until the lock ends`, async () => {
    const { clock, auth } = await clocked(dialect);
    const { code } = await auth.mintCode("telegram:7");
    const wrong = code === "00000000" ? "11111111" : "00000000";
    for (let attempt = 1; attempt < MAX_WRONG_CODES; attempt++) {
      expect(await auth.redeem(wrong, "203.0.113.9")).toEqual({
        type: "wrong",
        remaining: MAX_WRONG_CODES - attempt,
      });
    }
    expect((await auth.redeem(wrong, "203.0.113.9")).type).toBe("locked");
    expect((await auth.redeem(code, "203.0.113.9")).type).toBe("locked");
    expect(await auth.lockedUntil("203.0.113.9")).toBe(clock.at + FAILURE_WINDOW_MS);
    // Another client is not locked out, and the code was not used up by the locked attempts.
    expect(await auth.lockedUntil("198.51.100.1")).toBeNull();
    clock.at += FAILURE_WINDOW_MS;
    const again = (await auth.mintCode("telegram:7")).code;
    expect((await auth.redeem(again, "203.0.113.9")).type).toBe("ok");
  });

  it("counts wrong codes afresh once their window has passed", async () => {
    const { clock, auth } = await clocked(dialect);
    for (let attempt = 1; attempt < MAX_WRONG_CODES; attempt++) await auth.redeem("00000000", "c");
    clock.at += FAILURE_WINDOW_MS;
    expect(await auth.redeem("00000000", "c")).toEqual({ type: "wrong", remaining: MAX_WRONG_CODES - 1 });
  });

  it("stores neither the code, nor the user key, nor the session token in any row", async () => {
    const { database, auth } = await clocked(dialect);
    const { code } = await auth.mintCode("telegram:424242");
    const other = (await auth.mintCode("telegram:515151")).code;
    const signedIn = await auth.redeem(other, "c");
    if (signedIn.type !== "ok") throw new Error("no session");
    const rows = JSON.stringify([
      await database.rows("select * from console_codes"),
      await database.rows("select * from console_sessions"),
      await database.rows("select * from console_lockouts"),
    ]);
    expect(rows).toContain(database.userKeys.digest("telegram:515151"));
    for (const secret of [code, "424242", "515151", signedIn.token]) expect(rows).not.toContain(secret);
  });
}

function sessions(dialect: StorageDialect): void {
  it("ends after the idle timeout, and at its absolute end however active", async () => {
    const { clock, auth } = await clocked(dialect);
    const signIn = async (): Promise<string> => {
      const result = await auth.redeem((await auth.mintCode("telegram:1")).code, "c");
      if (result.type !== "ok") throw new Error("no session");
      return result.token;
    };
    const idle = await signIn();
    clock.at += DEFAULT_IDLE_MS - 60_000;
    expect(await auth.session(idle)).not.toBeNull();
    clock.at += DEFAULT_IDLE_MS - 60_000;
    expect(await auth.session(idle)).not.toBeNull();
    clock.at += DEFAULT_IDLE_MS;
    expect(await auth.session(idle)).toBeNull();

    const busy = await signIn();
    for (let elapsed = 0; elapsed < SESSION_MAX_MS; elapsed += 20 * 60_000) {
      expect(await auth.session(busy)).not.toBeNull();
      clock.at += 20 * 60_000;
    }
    expect(await auth.session(busy)).toBeNull();
  });

  it("signs out, purges what expired, and /xoa erases a user's codes and sessions", async () => {
    const { database, clock, auth } = await clocked(dialect);
    const a = await auth.redeem((await auth.mintCode("telegram:1")).code, "c");
    const b = await auth.redeem((await auth.mintCode("telegram:2")).code, "c");
    if (a.type !== "ok" || b.type !== "ok") throw new Error("no session");
    await auth.endSession(a.token);
    expect(await auth.session(a.token)).toBeNull();

    await auth.mintCode("telegram:2");
    await database.userData().erase("telegram:2");
    expect(await auth.session(b.token)).toBeNull();
    const count = async (table: string): Promise<number> =>
      Number((await database.column(`select count(*) from ${table}`))[0]);
    expect(await count("console_codes")).toBe(0);
    expect(await count("console_sessions")).toBe(0);

    await auth.mintCode("telegram:3");
    await auth.redeem("12345678", "c");
    clock.at += FAILURE_WINDOW_MS + CODE_TTL_MS;
    expect(await auth.purgeExpired()).toBe(2);
    expect(await count("console_codes")).toBe(0);
    expect(await count("console_lockouts")).toBe(0);
  });
}

describe("console sign-in on a SQLite file", () => {
  let database: AppDatabase | undefined;
  let dir: string | undefined;
  afterEach(() => {
    database?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it("leaves neither the code, nor the user key, nor the session token in the file or its log", () => {
    dir = mkdtempSync(join(tmpdir(), "console-auth-"));
    const file = join(dir, "db.sqlite");
    database = openDatabase(file, { userKeySecret: SECRET });
    const auth = createConsoleAuthStore(database);
    const { code } = auth.mintCode("telegram:424242");
    const other = auth.mintCode("telegram:515151").code;
    const signedIn = auth.redeem(other, "c");
    if (signedIn.type !== "ok") throw new Error("no session");
    database.checkpoint();
    const bytes = Buffer.concat([readFileSync(file), readFileSync(`${file}-wal`, { flag: "a+" })]).toString(
      "latin1",
    );
    expect(bytes).not.toContain(code);
    expect(bytes).not.toContain("424242");
    expect(bytes).not.toContain("515151");
    expect(bytes).not.toContain(signedIn.token);
  });
});
