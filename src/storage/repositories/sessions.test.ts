import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { storageDialects, type StorageDialect } from "../../../test/support/storage-dialects.ts";
import { MAX_SESSION_TTL_DAYS } from "./sessions.ts";

const DAY = 24 * 60 * 60 * 1000;
const dialects = storageDialects();

for (const dialect of dialects) {
  describe.runIf(dialect.available)(`session store (${dialect.name}, real migrations)`, () => {
    sessionContract(dialect);
  });
}

function sessionContract(dialect: StorageDialect): void {
  async function setup(ttlDays?: number) {
    const database = await dialect.open();
    let now = new Date("2026-11-22T00:00:00Z").getTime();
    const store = database.sessions({ ...(ttlDays ? { ttlDays } : {}), now: () => new Date(now) });
    const count = async () => Number((await database.column("select count(*) from sessions"))[0]);
    return { database, store, count, advance: (ms: number) => (now += ms) };
  }

  it("stores keys that brute-forcing every id without the secret does not re-identify", async () => {
    const database = await dialect.open({ userKeySecret: "s".repeat(20) + "0123456789abcdef" });
    const store = database.sessions();
    const ids = [7, 4242, 99_999, 123_456, 199_998];
    for (const id of ids) await store.save(`telegram:${id}`, { mode: "menu" }, null);
    const stored = new Set(await database.column<string>("select user_key from sessions"));
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

  it("refuses a session lifetime beyond the configured bound, and one that is not positive", async () => {
    const database = await dialect.open();
    expect(() => database.sessions({ ttlDays: MAX_SESSION_TTL_DAYS + 1 })).toThrow(RangeError);
    expect(() => database.sessions({ ttlDays: 99_999_999 })).toThrow(RangeError);
    expect(() => database.sessions({ ttlDays: -1 })).toThrow(RangeError);
  });

  it("creates the sessions table through the committed migrations", async () => {
    const { database } = await setup();
    const columns = await database.column<string>(
      database.dialect === "sqlite"
        ? "select name from pragma_table_info('sessions')"
        : "select column_name from information_schema.columns where table_name = 'sessions'",
    );
    expect(columns.sort()).toEqual([
      "expires_at",
      "flow_id",
      "flow_version",
      "state",
      "updated_at",
      "user_key",
    ]);
  });

  it("saves and loads a state, keyed by a digest of the user key", async () => {
    const { database, store } = await setup();
    await store.save("telegram:42", { mode: "menu" }, { id: "eligibility", version: 3 });
    expect(await store.load("telegram:42")).toMatchObject({
      state: { mode: "menu" },
      flowId: "eligibility",
      flowVersion: 3,
    });
    expect(await store.load("telegram:43")).toBeUndefined();
    const keys = await database.column("select user_key from sessions");
    expect(keys).toEqual([database.userKeys.digest("telegram:42")]);
    expect(keys).not.toContain("telegram:42");
  });

  it("overwrites the state of the same user", async () => {
    const { store, count } = await setup();
    await store.save("u", { n: 1 }, null);
    await store.save("u", { n: 2 }, { id: "eligibility", version: 1 });
    expect((await store.load("u"))?.state).toEqual({ n: 2 });
    expect(await count()).toBe(1);
  });

  it("defaults to 30 days, and treats a session as gone once it expired (deleted on read)", async () => {
    const { store, advance, count } = await setup();
    expect(store.ttlDays).toBe(30);
    await store.save("u", { n: 1 }, null);
    advance(30 * DAY - 1);
    expect(await store.load("u")).toBeDefined();
    advance(1);
    expect(await store.load("u")).toBeUndefined();
    expect(await count()).toBe(0);
  });

  it("pushes the expiry back on every save (kept ttl days after the last message)", async () => {
    const { store, advance } = await setup(2);
    await store.save("u", { n: 1 }, null);
    advance(DAY + 1000);
    await store.save("u", { n: 2 }, null);
    advance(DAY + 1000);
    expect((await store.load("u"))?.state).toEqual({ n: 2 });
  });

  it("purges expired sessions and keeps the others", async () => {
    const { store, advance } = await setup(1);
    await store.save("old", {}, null);
    advance(DAY / 2);
    await store.save("new", {}, null);
    advance(DAY / 2);
    expect(await store.purgeExpired()).toBe(1);
    expect(await store.load("new")).toBeDefined();
    expect(await store.purgeExpired()).toBe(0);
  });

  it("deletes one user's session at once", async () => {
    const { store } = await setup();
    await store.save("a", {}, null);
    await store.save("b", {}, null);
    await store.delete("a");
    expect(await store.load("a")).toBeUndefined();
    expect(await store.load("b")).toBeDefined();
  });

  it("refuses a ttl of zero", async () => {
    const database = await dialect.open();
    expect(() => database.sessions({ ttlDays: 0 })).toThrow(RangeError);
  });
}
