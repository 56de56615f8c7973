import { readFileSync } from "node:fs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type AppDatabase } from "../database.ts";
import {
  CODE_TTL_MS,
  createConsoleAuthStore,
  DEFAULT_IDLE_MS,
  FAILURE_WINDOW_MS,
  MAX_WRONG_CODES,
  SESSION_MAX_MS,
} from "./console-auth.ts";
import { createUserData } from "./user-data.ts";

const SECRET = "console-auth-test-secret-0123456789abcdef";
let database: AppDatabase;
let dir: string | undefined;
afterEach(() => {
  database?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function clocked(start = Date.parse("2026-03-01T02:00:00Z")) {
  const clock = { at: start };
  database ??= openDatabase(":memory:", { userKeySecret: SECRET });
  return { clock, auth: createConsoleAuthStore(database, { now: () => clock.at }) };
}

describe("console sign-in codes", () => {
  it("signs in once with a fresh code, and never again with the same code", () => {
    database = openDatabase(":memory:", { userKeySecret: SECRET });
    const { auth } = clocked();
    const { code } = auth.mintCode("telegram:123");
    expect(code).toMatch(/^\d{8}$/);
    const first = auth.redeem(`${code.slice(0, 4)} ${code.slice(4)}`, "10.0.0.1");
    expect(first.type).toBe("ok");
    if (first.type !== "ok") return;
    expect(first.userKey).toBe(database.userKeys.digest("telegram:123"));
    expect(auth.session(first.token)?.userKey).toBe(first.userKey);
    expect(auth.redeem(code, "10.0.0.1").type).toBe("wrong");
  });

  it("refuses a code after its 10 minutes, and a code replaced by a newer one", () => {
    database = openDatabase(":memory:", { userKeySecret: SECRET });
    const { clock, auth } = clocked();
    const old = auth.mintCode("zalo:abc").code;
    const fresh = auth.mintCode("zalo:abc").code;
    expect(auth.redeem(old, "c").type).toBe("wrong");
    clock.at += CODE_TTL_MS;
    expect(auth.redeem(fresh, "c").type).toBe("wrong");
  });

  it(`locks a client out after ${MAX_WRONG_CODES} wrong codes, even for a right one, until the lock ends`, () => {
    database = openDatabase(":memory:", { userKeySecret: SECRET });
    const { clock, auth } = clocked();
    const { code } = auth.mintCode("telegram:7");
    const wrong = code === "00000000" ? "11111111" : "00000000";
    for (let attempt = 1; attempt < MAX_WRONG_CODES; attempt++) {
      expect(auth.redeem(wrong, "203.0.113.9")).toEqual({
        type: "wrong",
        remaining: MAX_WRONG_CODES - attempt,
      });
    }
    expect(auth.redeem(wrong, "203.0.113.9").type).toBe("locked");
    expect(auth.redeem(code, "203.0.113.9").type).toBe("locked");
    expect(auth.lockedUntil("203.0.113.9")).toBe(clock.at + FAILURE_WINDOW_MS);
    // Another client is not locked out, and the code was not used up by the locked attempts.
    expect(auth.lockedUntil("198.51.100.1")).toBeNull();
    clock.at += FAILURE_WINDOW_MS;
    const again = auth.mintCode("telegram:7").code;
    expect(auth.redeem(again, "203.0.113.9").type).toBe("ok");
  });

  it("stores neither the code, nor the user key, nor the session token", () => {
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

describe("console sessions", () => {
  it("ends after the idle timeout, and at its absolute end however active", () => {
    database = openDatabase(":memory:", { userKeySecret: SECRET });
    const { clock, auth } = clocked();
    const signIn = (): string => {
      const result = auth.redeem(auth.mintCode("telegram:1").code, "c");
      if (result.type !== "ok") throw new Error("no session");
      return result.token;
    };
    const idle = signIn();
    clock.at += DEFAULT_IDLE_MS - 60_000;
    expect(auth.session(idle)).not.toBeNull();
    clock.at += DEFAULT_IDLE_MS - 60_000;
    expect(auth.session(idle)).not.toBeNull();
    clock.at += DEFAULT_IDLE_MS;
    expect(auth.session(idle)).toBeNull();

    const busy = signIn();
    for (let elapsed = 0; elapsed < SESSION_MAX_MS; elapsed += 20 * 60_000) {
      expect(auth.session(busy)).not.toBeNull();
      clock.at += 20 * 60_000;
    }
    expect(auth.session(busy)).toBeNull();
  });

  it("signs out, purges what expired, and /xoa erases a user's codes and sessions", () => {
    database = openDatabase(":memory:", { userKeySecret: SECRET });
    const { clock, auth } = clocked();
    const a = auth.redeem(auth.mintCode("telegram:1").code, "c");
    const b = auth.redeem(auth.mintCode("telegram:2").code, "c");
    if (a.type !== "ok" || b.type !== "ok") throw new Error("no session");
    auth.endSession(a.token);
    expect(auth.session(a.token)).toBeNull();

    auth.mintCode("telegram:2");
    createUserData(database).erase("telegram:2");
    expect(auth.session(b.token)).toBeNull();
    const count = (table: string): number =>
      database.sqlite.prepare(`select count(*) from ${table}`).pluck().get() as number;
    expect(count("console_codes")).toBe(0);
    expect(count("console_sessions")).toBe(0);

    auth.mintCode("telegram:3");
    auth.redeem("12345678", "c");
    clock.at += FAILURE_WINDOW_MS + CODE_TTL_MS;
    expect(auth.purgeExpired()).toBe(2);
    expect(count("console_codes")).toBe(0);
    expect(count("console_lockouts")).toBe(0);
  });
});
