import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type AppDatabase } from "../database.ts";
import { createDeliveryStore } from "./delivery.ts";

const T0 = Date.parse("2026-12-06T00:00:00Z");
const LEASE = 60_000;
const opened: AppDatabase[] = [];
const folders: string[] = [];
afterEach(() => {
  for (const database of opened.splice(0)) database.close();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function open(path = ":memory:") {
  const database = openDatabase(path);
  opened.push(database);
  return { database, store: createDeliveryStore(database) };
}

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

describe("delivery store: inbox", () => {
  it("records an update once per platform and id, and recognises a repeat after it was handled", () => {
    const { store } = open();
    const first = store.receive(update("1"), "a", T0, T0 + LEASE);
    expect(first).toMatchObject({ updateId: "1", attempts: 1 });
    expect(store.receive(update("1"), "a", T0, T0 + LEASE)).toBeUndefined();
    expect(store.receive(update("1", "zalo"), "a", T0, T0 + LEASE)).toBeDefined();
    expect(store.complete(first!.id, "a", [], T0 + 10, T0 + 10 + 15_000)).toBeDefined();
    expect(store.receive(update("1"), "a", T0 + 20, T0 + LEASE)).toBeUndefined();
  });

  it("clears the payload once handled, keeps the key for the window, then forgets it", () => {
    const { database, store } = open();
    const item = store.receive(update("7"), "a", T0, T0 + LEASE)!;
    store.complete(item.id, "a", [reply("42", "xin chào")], T0 + 5, T0 + 5 + 15_000);
    const row = database.sqlite.prepare("select status, payload from inbox where id = ?").get(item.id);
    expect(row).toEqual({ status: "done", payload: null });
    expect(store.purgeHandled(T0)).toBe(0);
    expect(store.purgeHandled(T0 + 6)).toBe(1);
    expect(store.receive(update("7"), "a", T0 + 7, T0 + LEASE)).toBeDefined();
  });

  it("ties a waiting update and its replies to the sender's keyed digest only, cleared once handled", () => {
    const { database, store } = open();
    const digest = database.userKeys.digest("telegram:4242");
    const item = store.receive({ ...update("9"), userKey: "telegram:4242" }, "a", T0, T0 + LEASE)!;
    expect(item).not.toHaveProperty("userKey");
    const stored = () => database.sqlite.prepare("select user_key as userKey from inbox").pluck().get();
    expect(stored()).toBe(digest);
    expect(JSON.stringify(database.sqlite.prepare("select * from inbox").all())).not.toContain("4242");
    store.complete(item.id, "a", [reply("42", "một"), reply("42", "hai")], T0 + 5, T0 + 5 + 15_000);
    expect(stored()).toBeNull();
    expect(database.sqlite.prepare("select user_key from outbox").pluck().all()).toEqual([digest, digest]);
    // An update of no one (no sender) queues replies of no one.
    const anonymous = store.receive(update("10"), "a", T0, T0 + LEASE)!;
    store.complete(anonymous.id, "a", [reply("43", "ba")], T0 + 6, T0 + 6 + 15_000);
    expect(
      database.sqlite.prepare("select user_key from outbox where target = '43'").pluck().get(),
    ).toBeNull();
  });

  it("queues the replies in the transaction that marks the update handled, and only for the lease holder", () => {
    const { store } = open();
    const item = store.receive(update("3"), "a", T0, T0 + LEASE)!;
    expect(store.complete(item.id, "b", [reply("42", "một")], T0, T0 + 15_000)).toBeUndefined();
    expect(store.backlog()).toEqual({ updates: 1, messages: 0 });
    expect(
      store.complete(item.id, "a", [reply("42", "một"), reply("42", "hai")], T0, T0 + 15_000),
    ).toBeDefined();
    expect(store.backlog()).toEqual({ updates: 0, messages: 2 });
    expect(store.complete(item.id, "a", [reply("42", "ba")], T0, T0 + 15_000)).toBeUndefined();
  });

  it("claims waiting updates, and a live lease only once it has run out", () => {
    const { store } = open();
    const held = store.receive(update("1"), "a", T0, T0 + LEASE)!;
    expect(store.claimInbox("telegram", "b", T0 + 1, T0 + LEASE, 10)).toEqual([]);
    const taken = store.claimInbox("telegram", "b", T0 + LEASE + 1, T0 + 2 * LEASE, 10);
    expect(taken).toMatchObject([{ id: held.id, attempts: 2 }]);
    // The first holder lost it: its completion is refused.
    expect(store.complete(held.id, "a", [], T0 + LEASE + 2, T0 + LEASE + 2 + 15_000)).toBeUndefined();
    expect(store.complete(held.id, "b", [], T0 + LEASE + 2, T0 + LEASE + 2 + 15_000)).toBeDefined();
  });

  it("gives back at once what a previous run of the same owner held", () => {
    const { store } = open();
    store.receive(update("1"), "host:3000", T0, T0 + LEASE);
    store.receive(update("2"), "other:3000", T0, T0 + LEASE);
    expect(store.releaseOwn("host:3000")).toEqual({ updates: 1, messages: 0 });
    expect(store.claimInbox("telegram", "host:3000", T0 + 1, T0 + LEASE, 10).map((i) => i.updateId)).toEqual([
      "1",
    ]);
  });

  it("recognises a repeat delivered to another process on the same database file", () => {
    const folder = mkdtempSync(join(tmpdir(), "hcs-delivery-"));
    folders.push(folder);
    const one = open(join(folder, "db.sqlite")).store;
    const two = open(join(folder, "db.sqlite")).store;
    expect(one.receive(update("9"), "a", T0, T0 + LEASE)).toBeDefined();
    expect(two.receive(update("9"), "b", T0, T0 + LEASE)).toBeUndefined();
  });
});

describe("delivery store: outbox", () => {
  function queued(texts: Array<[string, string]>) {
    const opened = open();
    const item = opened.store.receive(update("1"), "a", T0, T0 + LEASE)!;
    const claimed = opened.store.complete(
      item.id,
      "a",
      texts.map(([target, text]) => reply(target, text)),
      T0,
      T0 + 15_000,
    )!;
    return { ...opened, claimed };
  }
  const text = (message: { payload: string } | undefined): string | undefined =>
    message && (JSON.parse(message.payload) as { text: string }).text;

  it("queues the first reply to an idle chat already claimed, and the chat's others for later, in order", () => {
    const { store, claimed } = queued([
      ["42", "một"],
      ["42", "hai"],
      ["43", "khác"],
    ]);
    expect(claimed.map(text)).toEqual(["một", "khác"]);
    // The chat's head is being sent: its next message waits, and no chat is due.
    expect(store.claimNext("telegram", "42", "s", T0, T0 + 15_000)).toBeUndefined();
    expect(store.dueChats(T0, 10)).toEqual([]);
    store.finish(claimed[0]!.id, "a");
    expect(text(store.claimNext("telegram", "42", "s", T0, T0 + 15_000))).toBe("hai");
    expect(store.backlog()).toEqual({ updates: 0, messages: 2 });
  });

  it("does not claim a reply for a chat that still has one queued", () => {
    const { store } = queued([["42", "một"]]);
    const next = store.receive(update("2"), "a", T0, T0 + LEASE)!;
    expect(store.complete(next.id, "a", [reply("42", "hai")], T0, T0 + 15_000)).toEqual([]);
  });

  it("holds a chat back until its failed message is due again", () => {
    const { store, claimed } = queued([
      ["42", "một"],
      ["42", "hai"],
    ]);
    store.retryLater(claimed[0]!.id, "a", T0 + 1000, 1);
    expect(store.claimNext("telegram", "42", "s", T0 + 999, T0 + 15_000)).toBeUndefined();
    expect(store.dueChats(T0 + 999, 10)).toEqual([]);
    expect(store.dueChats(T0 + 1000, 10)).toEqual([{ platform: "telegram", target: "42" }]);
    const again = store.claimNext("telegram", "42", "s", T0 + 1000, T0 + 16_000)!;
    expect(again).toMatchObject({ id: claimed[0]!.id, attempts: 2, ambiguous: 1 });
  });

  it("counts a message found mid-send under an expired lease, or left by the same owner, as ambiguous", () => {
    const { store } = queued([["42", "một"]]);
    expect(store.claimNext("telegram", "42", "s", T0 + 15_001, T0 + 30_000)).toMatchObject({
      attempts: 2,
      ambiguous: 1,
    });
    expect(store.releaseOwn("s")).toEqual({ updates: 0, messages: 1 });
    expect(store.claimNext("telegram", "42", "s", T0 + 15_002, T0 + 30_000)).toMatchObject({
      attempts: 3,
      ambiguous: 2,
    });
  });

  it("finds without a write that a chat's only message is the one just sent", () => {
    const { database, store, claimed } = queued([["42", "một"]]);
    store.finish(claimed[0]!.id, "a");
    const rows = () => database.sqlite.prepare("select count(*) from outbox").pluck().get();
    expect(store.claimNext("telegram", "42", "s", T0, T0 + 15_000)).toBeUndefined();
    // The delete still waits: nothing was written to find that out.
    expect(rows()).toBe(1);
    store.flush();
    expect(rows()).toBe(0);
  });

  it("deletes sent messages with the next write, or at the end of the turn", async () => {
    const { store, claimed } = queued([
      ["42", "một"],
      ["43", "khác"],
    ]);
    for (const message of claimed) store.finish(message.id, "a");
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.backlog()).toEqual({ updates: 0, messages: 0 });
  });
});

describe("delivery store: group commit", () => {
  it("receives and completes in one transaction, each as alone, a failing turn undone by itself", () => {
    const { database, store } = open();
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
