import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type AppDatabase } from "../database.ts";
import { createHash } from "node:crypto";
import { createSessionStore, MAX_SESSION_TTL_DAYS } from "./sessions.ts";

const DAY = 24 * 60 * 60 * 1000;
let database: AppDatabase;
afterEach(() => database?.close());

function setup(ttlDays?: number) {
  database = openDatabase(":memory:");
  let now = new Date("2026-11-22T00:00:00Z").getTime();
  const store = createSessionStore(database, { ...(ttlDays ? { ttlDays } : {}), now: () => new Date(now) });
  return { store, advance: (ms: number) => (now += ms) };
}

describe("session store (SQLite, real migrations)", () => {
  it("stores keys that brute-forcing every id without the secret does not re-identify", () => {
    database = openDatabase(":memory:", { userKeySecret: "s".repeat(20) + "0123456789abcdef" });
    const store = createSessionStore(database);
    const ids = [7, 4242, 99_999, 123_456, 199_998];
    for (const id of ids) store.save(`telegram:${id}`, { mode: "menu" }, null);
    const stored = new Set(
      database.sqlite.prepare("select user_key from sessions").pluck().all() as string[],
    );
    expect(stored.size).toBe(ids.length);

    // The attack that worked on plain digests: hash every candidate id the ways a digest is usually written.
    const found: number[] = [];
    for (let id = 0; id < 200_000; id++) {
      for (const candidate of [`telegram:${id}`, `zalo:${id}`, String(id)]) {
        const hash = createHash("sha256").update(candidate, "utf8");
        const digest = hash.digest();
        if (
          stored.has(digest.toString("base64url")) ||
          stored.has(digest.toString("hex")) ||
          stored.has(digest.toString("base64"))
        )
          found.push(id);
      }
    }
    expect(found).toEqual([]);
    // With the secret the same search finds every one of them: the keys are still the users', only keyed.
    const withSecret = ids.filter((id) => stored.has(database.userKeys.digest(`telegram:${id}`)));
    expect(withSecret).toEqual(ids);
  });

  it("refuses a session lifetime beyond the configured bound", () => {
    database = openDatabase(":memory:");
    expect(() => createSessionStore(database, { ttlDays: MAX_SESSION_TTL_DAYS + 1 })).toThrow(RangeError);
    expect(() => createSessionStore(database, { ttlDays: 99_999_999 })).toThrow(RangeError);
  });

  it("creates the sessions table through the committed migrations", () => {
    setup();
    const columns = database.sqlite.prepare("select name from pragma_table_info('sessions')").all() as {
      name: string;
    }[];
    expect(columns.map((c) => c.name).sort()).toEqual([
      "expires_at",
      "flow_id",
      "flow_version",
      "state",
      "updated_at",
      "user_key",
    ]);
  });

  it("saves and loads a state, keyed by a digest of the user key", () => {
    const { store } = setup();
    store.save("telegram:42", { mode: "menu" }, { id: "eligibility", version: 3 });
    expect(store.load("telegram:42")).toMatchObject({
      state: { mode: "menu" },
      flowId: "eligibility",
      flowVersion: 3,
    });
    expect(store.load("telegram:43")).toBeUndefined();
    const keys = database.sqlite.prepare("select user_key from sessions").pluck().all();
    expect(keys).toEqual([database.userKeys.digest("telegram:42")]);
    expect(keys).not.toContain("telegram:42");
  });

  it("overwrites the state of the same user", () => {
    const { store } = setup();
    store.save("u", { n: 1 }, null);
    store.save("u", { n: 2 }, { id: "eligibility", version: 1 });
    expect(store.load("u")?.state).toEqual({ n: 2 });
    expect(database.sqlite.prepare("select count(*) from sessions").pluck().get()).toBe(1);
  });

  it("defaults to 30 days, and treats a session as gone once it expired (deleted on read)", () => {
    const { store, advance } = setup();
    expect(store.ttlDays).toBe(30);
    store.save("u", { n: 1 }, null);
    advance(30 * DAY - 1);
    expect(store.load("u")).toBeDefined();
    advance(1);
    expect(store.load("u")).toBeUndefined();
    expect(database.sqlite.prepare("select count(*) from sessions").pluck().get()).toBe(0);
  });

  it("pushes the expiry back on every save (kept ttl days after the last message)", () => {
    const { store, advance } = setup(2);
    store.save("u", { n: 1 }, null);
    advance(DAY + 1000);
    store.save("u", { n: 2 }, null);
    advance(DAY + 1000);
    expect(store.load("u")?.state).toEqual({ n: 2 });
  });

  it("purges expired sessions and keeps the others", () => {
    const { store, advance } = setup(1);
    store.save("old", {}, null);
    advance(DAY / 2);
    store.save("new", {}, null);
    advance(DAY / 2);
    expect(store.purgeExpired()).toBe(1);
    expect(store.load("new")).toBeDefined();
    expect(store.purgeExpired()).toBe(0);
  });

  it("deletes one user's session at once", () => {
    const { store } = setup();
    store.save("a", {}, null);
    store.save("b", {}, null);
    store.delete("a");
    expect(store.load("a")).toBeUndefined();
    expect(store.load("b")).toBeDefined();
  });

  it("refuses a ttl that is not positive", () => {
    database = openDatabase(":memory:");
    expect(() => createSessionStore(database, { ttlDays: 0 })).toThrow(RangeError);
  });
});
