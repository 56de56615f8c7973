import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../logging.ts";
import { openDatabase, type AppDatabase } from "../storage/database.ts";
import { createDeferredWrites } from "../storage/deferred-writes.ts";
import { createDeliveryStore } from "../storage/repositories/delivery.ts";
import { createSessionStore } from "../storage/repositories/sessions.ts";
import { createInbox, type InboxHandler } from "./inbox.ts";
import type { OutboxSender } from "./outbox-sender.ts";

let database: AppDatabase | undefined;
afterEach(() => database?.close());

const logger = createLogger({ level: "silent" });

function setup(process: InboxHandler["process"], owner = "a") {
  database = openDatabase(":memory:");
  const store = createDeliveryStore(database);
  const sessions = createSessionStore(database);
  const writes = createDeferredWrites();
  const kicked: string[] = [];
  const sender = {
    kick: (_platform: string, target: string) => void kicked.push(target),
    handOver: (messages: ReadonlyArray<{ target: string }>) => {
      for (const m of messages) kicked.push(`claimed ${m.target}`);
    },
    leaseMs: 15_000,
  } as unknown as OutboxSender;
  const inbox = createInbox({
    store,
    handlers: { zalo: { ready: () => true, process } },
    sender,
    owner,
    logger,
    writes,
  });
  const outbox = (): string[] =>
    (
      database?.sqlite.prepare("select payload from outbox order by id").all() as Array<{ payload: string }>
    ).map((row) => (JSON.parse(row.payload) as { text: string }).text);
  return { store, sessions, writes, inbox, kicked, outbox, database };
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 10));

describe("inbox", () => {
  it("commits a turn's session change with its replies, and recognises the update when it comes again", async () => {
    const s = setup(async (update, outbox) => {
      outbox.begin("zalo:1");
      s.writes.defer("zalo:1", () => s.sessions.save("zalo:1", { step: (update as { n: number }).n }, null));
      outbox.add("1", [{ text: "một" }, { text: "hai" }]);
      await outbox.settle();
    });
    expect(await s.inbox.accept("zalo", "m1", { n: 7 })).toBe("accepted");
    await tick();
    expect(s.sessions.load("zalo:1")?.state).toEqual({ step: 7 });
    expect(s.outbox()).toEqual(["một", "hai"]);
    // The first reply is handed over already claimed; the chat's worker takes the second.
    expect(s.kicked).toEqual(["claimed 1", "1"]);
    expect(await s.inbox.accept("zalo", "m1", { n: 7 })).toBe("duplicate");
  });

  it("writes neither the session nor a reply when the turn fails, and keeps the update to handle again", async () => {
    const s = setup(async (_update, outbox) => {
      outbox.begin("zalo:1");
      s.writes.defer("zalo:1", () => s.sessions.save("zalo:1", { step: 1 }, null));
      outbox.add("1", [{ text: "một" }]);
      throw new Error("the handler broke");
    });
    await s.inbox.accept("zalo", "m1", {});
    await tick();
    expect(s.sessions.load("zalo:1")).toBeUndefined();
    expect(s.outbox()).toEqual([]);
    expect(s.store.backlog()).toEqual({ updates: 1, messages: 0 });
    // After the turn, a write for the user is no longer held.
    expect(s.writes.defer("zalo:1", () => undefined)).toBe(false);
  });

  it("drops the turn when another process took the update over meanwhile", async () => {
    let release: () => void = () => undefined;
    const s = setup(async (_update, outbox) => {
      outbox.begin("zalo:1");
      s.writes.defer("zalo:1", () => s.sessions.save("zalo:1", { step: 1 }, null));
      outbox.add("1", [{ text: "một" }]);
      await new Promise<void>((resolve) => (release = resolve));
    });
    await s.inbox.accept("zalo", "m1", {});
    await tick();
    const later = Date.now() + 120_000;
    expect(s.store.claimInbox("zalo", "b", later, later + 60_000, 10)).toHaveLength(1);
    release();
    await tick();
    expect(s.sessions.load("zalo:1")).toBeUndefined();
    expect(s.outbox()).toEqual([]);
  });

  it("commits what one turn of the event loop received in one transaction, and answers only after it", async () => {
    const s = setup(() => new Promise<void>(() => undefined));
    const commits: number[] = [];
    const commitBatch = s.store.commitBatch;
    s.store.commitBatch = (receives, completes) => {
      commits.push(receives.length + completes.length);
      return commitBatch(receives, completes);
    };
    const answers = ["m1", "m2", "m3"].map((id) => s.inbox.accept("zalo", id, {}));
    // Nothing is stored, nor answered, before the commit at the end of this turn.
    expect(s.store.backlog().updates).toBe(0);
    let answered = false;
    void Promise.all(answers).then(() => (answered = true));
    await Promise.resolve();
    expect(answered).toBe(false);
    expect(await Promise.all(answers)).toEqual(["accepted", "accepted", "accepted"]);
    expect(commits).toEqual([3]);
    expect(s.store.backlog().updates).toBe(3);
  });

  it("commits a user's turn before the user's next one reads the session, and a failing turn alone", async () => {
    const seen: unknown[] = [];
    const s = setup(async (update, outbox) => {
      const { n, user } = update as { n: number; user: string };
      outbox.begin(user);
      seen.push(s.sessions.load(user)?.state);
      s.writes.defer(user, () => {
        if (n === 3) throw new Error("the session could not be saved");
        s.sessions.save(user, { step: n }, null);
      });
      outbox.add(user, [{ text: `trả lời ${n}` }]);
      outbox.settle();
    });
    await Promise.all([
      s.inbox.accept("zalo", "m1", { n: 1, user: "zalo:1" }),
      s.inbox.accept("zalo", "m2", { n: 2, user: "zalo:1" }),
      s.inbox.accept("zalo", "m3", { n: 3, user: "zalo:2" }),
    ]);
    await tick();
    // The second turn of zalo:1 saw the first one's session, though that was waiting for the group commit.
    expect(seen).toEqual([undefined, { step: 1 }, undefined]);
    expect(s.sessions.load("zalo:1")?.state).toEqual({ step: 2 });
    expect(s.outbox()).toEqual(["trả lời 1", "trả lời 2"]);
    // The failed turn left nothing but its update, handled again once its lease runs out.
    expect(s.sessions.load("zalo:2")).toBeUndefined();
    expect(s.store.backlog()).toEqual({ updates: 1, messages: 2 });
  });

  it("handles after a restart what the same owner had accepted and not finished", async () => {
    const first = setup(() => new Promise<void>(() => undefined));
    await first.inbox.accept("zalo", "m1", { n: 1 });
    await tick();
    const handled: unknown[] = [];
    const second = createInbox({
      store: first.store,
      handlers: {
        zalo: {
          ready: () => true,
          async process(update, outbox) {
            handled.push(update);
            outbox.add("1", [{ text: "trả lời" }]);
          },
        },
      },
      sender: {
        kick: () => undefined,
        handOver: () => undefined,
        leaseMs: 15_000,
      } as unknown as OutboxSender,
      owner: "a",
      logger,
    });
    const stop = new AbortController();
    const running = second.run(stop.signal);
    await tick();
    stop.abort();
    await running;
    expect(handled).toEqual([{ n: 1 }]);
    expect(first.outbox()).toEqual(["trả lời"]);
  });
});
