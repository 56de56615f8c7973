import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { storageDialects, type StorageDialect } from "../../../test/support/storage-dialects.ts";
import { openDatabase, type AppDatabase } from "../database.ts";
import { createDeliveryStore } from "./delivery.ts";

const T0 = Date.parse("2026-12-06T00:00:00Z");
const LEASE = 60_000;
const dialects = storageDialects();

const update = (updateId: string, platform = "telegram") => ({
  platform,
  updateId,
  payload: `{"id":"${updateId}"}`,
});
const reply = (target: string, text: string) => ({
  platform: "telegram",
  target,
  payload: JSON.stringify({ text }),
});

for (const dialect of dialects) {
  describe.runIf(dialect.available)(`delivery store: inbox (${dialect.name})`, () => inboxContract(dialect));
  describe.runIf(dialect.available)(`delivery store: outbox (${dialect.name})`, () =>
    outboxContract(dialect),
  );
}

async function open(dialect: StorageDialect) {
  const database = await dialect.open();
  return { database, store: database.delivery() };
}

function inboxContract(dialect: StorageDialect): void {
  it("records an update once per platform and id, and recognises a repeat after it was handled", async () => {
    const { store } = await open(dialect);
    const first = await store.receive(update("1"), "a", T0, T0 + LEASE);
    expect(first).toMatchObject({ updateId: "1", attempts: 1 });
    expect(await store.receive(update("1"), "a", T0, T0 + LEASE)).toBeUndefined();
    expect(await store.receive(update("1", "zalo"), "a", T0, T0 + LEASE)).toBeDefined();
    expect(await store.complete(first!.id, "a", [], T0 + 10, T0 + 10 + 15_000)).toBeDefined();
    expect(await store.receive(update("1"), "a", T0 + 20, T0 + LEASE)).toBeUndefined();
  });

  it("clears the payload once handled, keeps the key for the window, then forgets it", async () => {
    const { database, store } = await open(dialect);
    const item = (await store.receive(update("7"), "a", T0, T0 + LEASE))!;
    await store.complete(item.id, "a", [reply("42", "xin chào")], T0 + 5, T0 + 5 + 15_000);
    const rows = await database.rows(`select status, payload from inbox where id = ${Number(item.id)}`);
    expect(rows).toEqual([{ status: "done", payload: null }]);
    expect(await store.purgeHandled(T0)).toBe(0);
    expect(await store.purgeHandled(T0 + 6)).toBe(1);
    expect(await store.receive(update("7"), "a", T0 + 7, T0 + LEASE)).toBeDefined();
  });

  it("ties a waiting update and its replies to the sender's keyed digest only, cleared once handled", async () => {
    const { database, store } = await open(dialect);
    const digest = database.userKeys.digest("telegram:4242");
    const item = (await store.receive({ ...update("9"), userKey: "telegram:4242" }, "a", T0, T0 + LEASE))!;
    expect(item).not.toHaveProperty("userKey");
    const stored = async () => (await database.column("select user_key from inbox"))[0];
    expect(await stored()).toBe(digest);
    expect(JSON.stringify(await database.rows("select * from inbox"))).not.toContain("4242");
    await store.complete(item.id, "a", [reply("42", "một"), reply("42", "hai")], T0 + 5, T0 + 5 + 15_000);
    expect(await stored()).toBeNull();
    expect(await database.column("select user_key from outbox")).toEqual([digest, digest]);
    // An update of no one (no sender) queues replies of no one.
    const anonymous = (await store.receive(update("10"), "a", T0, T0 + LEASE))!;
    await store.complete(anonymous.id, "a", [reply("43", "ba")], T0 + 6, T0 + 6 + 15_000);
    expect(await database.column("select user_key from outbox where target = '43'")).toEqual([null]);
  });

  it("queues the replies in the transaction that marks the update handled, and only for the lease holder", async () => {
    const { store } = await open(dialect);
    const item = (await store.receive(update("3"), "a", T0, T0 + LEASE))!;
    expect(await store.complete(item.id, "b", [reply("42", "một")], T0, T0 + 15_000)).toBeUndefined();
    expect(await store.backlog()).toEqual({ updates: 1, messages: 0 });
    expect(
      await store.complete(item.id, "a", [reply("42", "một"), reply("42", "hai")], T0, T0 + 15_000),
    ).toBeDefined();
    expect(await store.backlog()).toEqual({ updates: 0, messages: 2 });
    expect(await store.complete(item.id, "a", [reply("42", "ba")], T0, T0 + 15_000)).toBeUndefined();
  });

  it("writes nothing of a completion whose own writes fail: the update waits to be handled again", async () => {
    const { store } = await open(dialect);
    const item = (await store.receive(update("4"), "a", T0, T0 + LEASE))!;
    const failing = () => {
      throw new Error("the turn's own write failed");
    };
    await expect(
      (async () => store.complete(item.id, "a", [reply("42", "một")], T0, T0 + 15_000, failing))(),
    ).rejects.toThrow("the turn's own write failed");
    expect(await store.backlog()).toEqual({ updates: 1, messages: 0 });
    expect(await store.complete(item.id, "a", [reply("42", "một")], T0, T0 + 15_000)).toHaveLength(1);
  });

  it("claims waiting updates, and a live lease only once it has run out", async () => {
    const { store } = await open(dialect);
    const held = (await store.receive(update("1"), "a", T0, T0 + LEASE))!;
    expect(await store.claimInbox("telegram", "b", T0 + 1, T0 + LEASE, 10)).toEqual([]);
    const taken = await store.claimInbox("telegram", "b", T0 + LEASE + 1, T0 + 2 * LEASE, 10);
    expect(taken).toMatchObject([{ id: held.id, attempts: 2 }]);
    // The first holder lost it: its completion is refused.
    expect(await store.complete(held.id, "a", [], T0 + LEASE + 2, T0 + LEASE + 2 + 15_000)).toBeUndefined();
    expect(await store.complete(held.id, "b", [], T0 + LEASE + 2, T0 + LEASE + 2 + 15_000)).toBeDefined();
  });

  it("gives back at once what a previous run of the same owner held", async () => {
    const { store } = await open(dialect);
    await store.receive(update("1"), "host:3000", T0, T0 + LEASE);
    await store.receive(update("2"), "other:3000", T0, T0 + LEASE);
    expect(await store.releaseOwn("host:3000")).toEqual({ updates: 1, messages: 0 });
    const claimed = await store.claimInbox("telegram", "host:3000", T0 + 1, T0 + LEASE, 10);
    expect(claimed.map((i) => i.updateId)).toEqual(["1"]);
  });

  // In memory, a SQLite database is one connection's own: its shared case is a file (at the end).
  if (dialect.name === "PostgreSQL")
    it("recognises a repeat delivered to another process on the same database", async () => {
      const one = await open(dialect);
      const two = await open(dialect);
      expect(await one.store.receive(update("9"), "a", T0, T0 + LEASE)).toBeDefined();
      expect(await two.store.receive(update("9"), "b", T0, T0 + LEASE)).toBeUndefined();
    });
}

function outboxContract(dialect: StorageDialect): void {
  async function queued(texts: Array<[string, string]>) {
    const opened = await open(dialect);
    const item = (await opened.store.receive(update("1"), "a", T0, T0 + LEASE))!;
    const claimed = (await opened.store.complete(
      item.id,
      "a",
      texts.map(([target, text]) => reply(target, text)),
      T0,
      T0 + 15_000,
    ))!;
    return { ...opened, claimed };
  }
  const text = (message: { payload: string } | undefined): string | undefined =>
    message && (JSON.parse(message.payload) as { text: string }).text;

  it("queues the first reply to an idle chat already claimed, and the chat's others for later, in order", async () => {
    const { store, claimed } = await queued([
      ["42", "một"],
      ["42", "hai"],
      ["43", "khác"],
    ]);
    expect(claimed.map(text)).toEqual(["một", "khác"]);
    // The chat's head is being sent: its next message waits, and no chat is due.
    expect(await store.claimNext("telegram", "42", "s", T0, T0 + 15_000)).toBeUndefined();
    expect(await store.dueChats(T0, 10)).toEqual([]);
    await store.finish(claimed[0]!.id, "a");
    expect(text(await store.claimNext("telegram", "42", "s", T0, T0 + 15_000))).toBe("hai");
    expect(await store.backlog()).toEqual({ updates: 0, messages: 2 });
  });

  it("does not claim a reply for a chat that still has one queued", async () => {
    const { store } = await queued([["42", "một"]]);
    const next = (await store.receive(update("2"), "a", T0, T0 + LEASE))!;
    expect(await store.complete(next.id, "a", [reply("42", "hai")], T0, T0 + 15_000)).toEqual([]);
  });

  it("holds a chat back until its failed message is due again", async () => {
    const { store, claimed } = await queued([
      ["42", "một"],
      ["42", "hai"],
    ]);
    await store.retryLater(claimed[0]!.id, "a", T0 + 1000, 1);
    expect(await store.claimNext("telegram", "42", "s", T0 + 999, T0 + 15_000)).toBeUndefined();
    expect(await store.dueChats(T0 + 999, 10)).toEqual([]);
    expect(await store.dueChats(T0 + 1000, 10)).toEqual([{ platform: "telegram", target: "42" }]);
    const again = (await store.claimNext("telegram", "42", "s", T0 + 1000, T0 + 16_000))!;
    expect(again).toMatchObject({ id: claimed[0]!.id, attempts: 2, ambiguous: 1 });
  });

  it("counts a message found mid-send under an expired lease, or left by the same owner, as ambiguous", async () => {
    const { store } = await queued([["42", "một"]]);
    expect(await store.claimNext("telegram", "42", "s", T0 + 15_001, T0 + 30_000)).toMatchObject({
      attempts: 2,
      ambiguous: 1,
    });
    expect(await store.releaseOwn("s")).toEqual({ updates: 0, messages: 1 });
    expect(await store.claimNext("telegram", "42", "s", T0 + 15_002, T0 + 30_000)).toMatchObject({
      attempts: 3,
      ambiguous: 2,
    });
  });

  it("never claims a sent message again, and deletes every sent one when flushed", async () => {
    const { database, store, claimed } = await queued([
      ["42", "một"],
      ["43", "khác"],
    ]);
    await Promise.all(claimed.map((message) => store.finish(message.id, "a")));
    // Even once its lease has run out.
    expect(await store.claimNext("telegram", "42", "a", T0 + 60_000, T0 + 75_000)).toBeUndefined();
    await store.flush();
    expect(await database.column("select count(*) from outbox")).toEqual([0]);
    expect(await store.backlog()).toEqual({ updates: 0, messages: 0 });
  });
}

describe("delivery store on a SQLite file", () => {
  const opened: AppDatabase[] = [];
  const folders: string[] = [];
  afterEach(() => {
    for (const database of opened.splice(0)) database.close();
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it("recognises a repeat delivered to another process on the same database file", () => {
    const folder = mkdtempSync(join(tmpdir(), "hcs-delivery-"));
    folders.push(folder);
    const [one, two] = [0, 1].map(() => {
      const database = openDatabase(join(folder, "db.sqlite"));
      opened.push(database);
      return createDeliveryStore(database);
    });
    expect(one!.receive(update("9"), "a", T0, T0 + LEASE)).toBeDefined();
    expect(two!.receive(update("9"), "b", T0, T0 + LEASE)).toBeUndefined();
  });
});

describe("delivery store on SQLite: group commit, and no write to find nothing", () => {
  const opened: AppDatabase[] = [];
  afterEach(() => {
    for (const database of opened.splice(0)) database.close();
  });
  function openMemory() {
    const database = openDatabase(":memory:");
    opened.push(database);
    return { database, store: createDeliveryStore(database) };
  }

  it("finds without a write that a chat's only message is the one just sent", () => {
    const { database, store } = openMemory();
    const item = store.receive(update("1"), "a", T0, T0 + LEASE)!;
    const claimed = store.complete(item.id, "a", [reply("42", "một")], T0, T0 + 15_000)!;
    store.finish(claimed[0]!.id, "a");
    const rows = () => database.sqlite.prepare("select count(*) from outbox").pluck().get();
    expect(store.claimNext("telegram", "42", "s", T0, T0 + 15_000)).toBeUndefined();
    // The delete still waits: nothing was written to find that out.
    expect(rows()).toBe(1);
    store.flush();
    expect(rows()).toBe(0);
  });

  it("receives and completes in one transaction, each as alone, a failing turn undone by itself", () => {
    const { database, store } = openMemory();
    const first = store.receive(update("1"), "a", T0, T0 + LEASE)!;
    const second = store.receive(update("2"), "a", T0, T0 + LEASE)!;
    database.sqlite.exec("create table probe_writes (n integer)");
    const save = database.sqlite.prepare("insert into probe_writes (n) values (?)");
    const { received, completed } = store.commitBatch(
      [
        { update: update("3"), owner: "a", now: T0, leaseUntil: T0 + LEASE },
        { update: update("3"), owner: "a", now: T0, leaseUntil: T0 + LEASE },
        { update: update("1"), owner: "a", now: T0, leaseUntil: T0 + LEASE },
      ],
      [
        {
          inboxId: first.id,
          owner: "a",
          messages: [reply("42", "một")],
          now: T0,
          leaseUntil: T0 + 15_000,
          within: () => void save.run(1),
        },
        {
          inboxId: second.id,
          owner: "a",
          messages: [reply("43", "hai")],
          now: T0,
          leaseUntil: T0 + 15_000,
          within: () => {
            save.run(2);
            throw new Error("the turn's write failed");
          },
        },
      ],
    );
    // A repeat is recognised within the batch, and against what was stored before.
    expect(received.map((r) => r.ok && r.value?.updateId)).toEqual(["3", undefined, undefined]);
    expect(completed[0]).toMatchObject({ ok: true, value: [{ target: "42" }] });
    expect(completed[1]).toMatchObject({ ok: false });
    expect(database.sqlite.prepare("select n from probe_writes").pluck().all()).toEqual([1]);
    expect(database.sqlite.prepare("select target from outbox").pluck().all()).toEqual(["42"]);
    // The failed turn's update still waits (for its lease to run out), with the new one.
    expect(store.backlog()).toEqual({ updates: 2, messages: 1 });
  });
});
