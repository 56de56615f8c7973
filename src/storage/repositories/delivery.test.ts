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
    expect(store.complete(first!.id, "a", [], T0 + 10)).toBe(true);
    expect(store.receive(update("1"), "a", T0 + 20, T0 + LEASE)).toBeUndefined();
  });

  it("clears the payload once handled, keeps the key for the window, then forgets it", () => {
    const { database, store } = open();
    const item = store.receive(update("7"), "a", T0, T0 + LEASE)!;
    store.complete(item.id, "a", [reply("42", "xin chào")], T0 + 5);
    const row = database.sqlite.prepare("select status, payload from inbox where id = ?").get(item.id);
    expect(row).toEqual({ status: "done", payload: null });
    expect(store.purgeHandled(T0)).toBe(0);
    expect(store.purgeHandled(T0 + 6)).toBe(1);
    expect(store.receive(update("7"), "a", T0 + 7, T0 + LEASE)).toBeDefined();
  });

  it("queues the replies in the transaction that marks the update handled, and only for the lease holder", () => {
    const { store } = open();
    const item = store.receive(update("3"), "a", T0, T0 + LEASE)!;
    expect(store.complete(item.id, "b", [reply("42", "một")], T0)).toBe(false);
    expect(store.backlog()).toEqual({ updates: 1, messages: 0 });
    expect(store.complete(item.id, "a", [reply("42", "một"), reply("42", "hai")], T0)).toBe(true);
    expect(store.backlog()).toEqual({ updates: 0, messages: 2 });
    expect(store.complete(item.id, "a", [reply("42", "ba")], T0)).toBe(false);
  });

  it("claims waiting updates, and a live lease only once it has run out", () => {
    const { store } = open();
    const held = store.receive(update("1"), "a", T0, T0 + LEASE)!;
    expect(store.claimInbox("telegram", "b", T0 + 1, T0 + LEASE, 10)).toEqual([]);
    const taken = store.claimInbox("telegram", "b", T0 + LEASE + 1, T0 + 2 * LEASE, 10);
    expect(taken).toMatchObject([{ id: held.id, attempts: 2 }]);
    // The first holder lost it: its completion is refused.
    expect(store.complete(held.id, "a", [], T0 + LEASE + 2)).toBe(false);
    expect(store.complete(held.id, "b", [], T0 + LEASE + 2)).toBe(true);
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
    opened.store.complete(
      item.id,
      "a",
      texts.map(([target, text]) => reply(target, text)),
      T0,
    );
    return opened;
  }

  it("hands out a chat's messages one at a time, in order, and other chats alongside", () => {
    const { store } = queued([
      ["42", "một"],
      ["42", "hai"],
      ["43", "khác"],
    ]);
    expect(store.dueChats(T0, 10)).toEqual([
      { platform: "telegram", target: "42" },
      { platform: "telegram", target: "43" },
    ]);
    const first = store.claimNext("telegram", "42", "s", T0, T0 + 15_000)!;
    expect(JSON.parse(first.payload)).toEqual({ text: "một" });
    // The head is being sent: the chat's next message waits for it.
    expect(store.claimNext("telegram", "42", "s", T0, T0 + 15_000)).toBeUndefined();
    expect(store.dueChats(T0, 10)).toEqual([{ platform: "telegram", target: "43" }]);
    store.finish(first.id, "s");
    expect(JSON.parse(store.claimNext("telegram", "42", "s", T0, T0 + 15_000)!.payload)).toEqual({
      text: "hai",
    });
  });

  it("holds a chat back until its failed message is due again", () => {
    const { store } = queued([
      ["42", "một"],
      ["42", "hai"],
    ]);
    const first = store.claimNext("telegram", "42", "s", T0, T0 + 15_000)!;
    store.retryLater(first.id, "s", T0 + 1000, 1);
    expect(store.claimNext("telegram", "42", "s", T0 + 999, T0 + 15_000)).toBeUndefined();
    expect(store.dueChats(T0 + 999, 10)).toEqual([]);
    const again = store.claimNext("telegram", "42", "s", T0 + 1000, T0 + 16_000)!;
    expect(again).toMatchObject({ id: first.id, attempts: 2, ambiguous: 1 });
  });

  it("counts a message found mid-send under an expired lease, or left by the same owner, as ambiguous", () => {
    const { store } = queued([["42", "một"]]);
    store.claimNext("telegram", "42", "dead", T0, T0 + 15_000);
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
});
