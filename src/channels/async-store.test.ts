import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../logging.ts";
import { openDatabase, type AppDatabase } from "../storage/database.ts";
import { createDeferredWrites } from "../storage/deferred-writes.ts";
import {
  createDeliveryStore,
  type DeliveryStore,
  type SqliteDeliveryStore,
} from "../storage/repositories/delivery.ts";
import { createSessionStore } from "../storage/repositories/sessions.ts";
import { createDispatcher } from "./dispatcher.ts";
import { createInbox } from "./inbox.ts";
import { createOutboxSender, type OutboxSender } from "./outbox-sender.ts";

let database: AppDatabase | undefined;
afterEach(() => database?.close());

const logger = createLogger({ level: "silent" });

/** The SQLite store behind a port that answers every call a few milliseconds later, as a networked one would. */
function answeringLater(
  store: SqliteDeliveryStore,
  onClaim?: (done: Promise<unknown>) => void,
): DeliveryStore {
  const later = <T>(run: () => T): Promise<T> =>
    new Promise((resolve, reject) =>
      setTimeout(() => {
        try {
          resolve(run());
        } catch (error) {
          reject(error as Error);
        }
      }, 5),
    );
  return {
    receive: (...args) => later(() => store.receive(...args)),
    claimInbox: (...args) => later(() => store.claimInbox(...args)),
    complete: (...args) => later(() => store.complete(...args)),
    claimNext: (...args) => {
      const claim = later(() => store.claimNext(...args));
      onClaim?.(claim);
      return claim;
    },
    dueChats: (...args) => later(() => store.dueChats(...args)),
    finish: (...args) => later(() => store.finish(...args)),
    flush: () => later(() => store.flush()),
    retryLater: (...args) => later(() => store.retryLater(...args)),
    releaseOwn: (...args) => later(() => store.releaseOwn(...args)),
    releaseChat: (...args) => later(() => store.releaseChat(...args)),
    purgeHandled: (...args) => later(() => store.purgeHandled(...args)),
    backlog: () => later(() => store.backlog()),
  };
}

const texts = (): string[] =>
  (
    database?.sqlite.prepare("select payload from outbox order by id").all() as Array<{ payload: string }>
  ).map((row) => (JSON.parse(row.payload) as { text: string }).text);

describe("delivery over a store that answers later", () => {
  it("the SQLite store refuses an asynchronous `within`, and writes nothing", () => {
    database = openDatabase(":memory:");
    const store = createDeliveryStore(database);
    const now = Date.now();
    const item = store.receive({ platform: "zalo", updateId: "m1", payload: "{}" }, "a", now, now + 60_000)!;
    const message = { platform: "zalo", target: "1", payload: JSON.stringify({ text: "một" }) };
    expect(() => store.complete(item.id, "a", [message], now, now + 15_000, async () => undefined)).toThrow(
      /synchronous/,
    );
    expect(store.backlog()).toEqual({ updates: 1, messages: 0 });
    expect(store.complete(item.id, "a", [message], now, now + 15_000, () => undefined)).toHaveLength(1);
  });

  it("a user's next message waits until the turn before it is committed", async () => {
    database = openDatabase(":memory:");
    const store = answeringLater(createDeliveryStore(database));
    const sessions = createSessionStore(database);
    const writes = createDeferredWrites();
    // A core counting the user's messages in the session, its save held for the turn's commit.
    const dispatcher = createDispatcher({
      channel: "zalo",
      logger,
      typingDelayMs: -1,
      core: {
        async handle(userKey) {
          const n = ((sessions.load(userKey)?.state as { n?: number } | undefined)?.n ?? 0) + 1;
          const save = () => sessions.save(userKey, { n }, null);
          if (!writes.defer(userKey, save)) save();
          return [{ text: String(n) }];
        },
      },
    });
    const sender = {
      kick: () => undefined,
      handOver: () => undefined,
      leaseMs: 15_000,
    } as unknown as OutboxSender;
    const inbox = createInbox({
      store,
      sender,
      owner: "a",
      logger,
      writes,
      handlers: {
        zalo: {
          ready: () => true,
          async process(update, outbox) {
            const { text } = update as { text: string };
            await dispatcher.dispatch(
              { updateId: text, userKey: "zalo:1", input: { type: "text", text } },
              {
                typing: async () => undefined,
                async send(reply) {
                  outbox.add("1", [{ text: reply.text }]);
                },
                begin: (userKey) => outbox.begin(userKey),
                settled: () => outbox.settle(),
              },
            );
          },
        },
      },
    });
    expect(await inbox.accept("zalo", "m1", { text: "a" })).toBe("accepted");
    expect(await inbox.accept("zalo", "m2", { text: "b" })).toBe("accepted");
    expect(await inbox.drain(2000)).toBe(true);
    expect(texts()).toEqual(["1", "2"]);
    expect(sessions.load("zalo:1")?.state).toEqual({ n: 2 });
  });

  it("the outbox sender keeps a message handed over while a claim of its chat is awaited", async () => {
    database = openDatabase(":memory:");
    const sqlite = createDeliveryStore(database);
    let claiming: Promise<unknown> | undefined;
    const store = answeringLater(sqlite, (claim) => (claiming = claim));
    const sent: string[] = [];
    const sender = createOutboxSender({
      store,
      owner: "a",
      logger,
      transports: {
        zalo: {
          async send(_target, payload) {
            sent.push((payload as { text: string }).text);
          },
          classify: () => ({ kind: "before", reason: "test" }),
        },
      },
    });
    // The chat's worker starts a claim and finds nothing; a reply is handed over before that answer comes.
    sender.kick("zalo", "1");
    expect(claiming).toBeDefined();
    const now = Date.now();
    const item = sqlite.receive({ platform: "zalo", updateId: "m1", payload: "{}" }, "a", now, now + 60_000)!;
    const message = { platform: "zalo", target: "1", payload: JSON.stringify({ text: "một" }) };
    sender.handOver(sqlite.complete(item.id, "a", [message], now, now + sender.leaseMs)!);
    await claiming;
    expect(await sender.drain(2000)).toBe(true);
    expect(sent).toEqual(["một"]);
    expect(sqlite.backlog()).toEqual({ updates: 0, messages: 0 });
  });
});
