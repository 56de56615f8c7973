import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../logging.ts";
import { openDatabase, type AppDatabase } from "../storage/database.ts";
import { createDeliveryStore } from "../storage/repositories/delivery.ts";
import { createOutboxSender, type OutboxTransport } from "./outbox-sender.ts";
import type { SendFailure } from "./send-policy.ts";

let database: AppDatabase | undefined;
afterEach(() => database?.close());

/** A transport that fails the attempts listed (by text, in order) with the given failure, and records the rest. */
function scripted(failures: Array<[text: string, failure: SendFailure]>) {
  const sent: string[] = [];
  const transport: OutboxTransport = {
    async send(_target, payload) {
      const text = (payload as { text: string }).text;
      const next = failures[0];
      if (next && next[0] === text) {
        failures.shift();
        throw next[1];
      }
      sent.push(text);
    },
    classify: (error) => error as SendFailure,
  };
  return { sent, transport };
}

/** A reply to Zalo chat 42. */
const message = (text: string) => ({ platform: "zalo", target: "42", payload: JSON.stringify({ text }) });

async function sendAll(texts: string[], transport: OutboxTransport) {
  database = openDatabase(":memory:");
  const store = createDeliveryStore(database);
  const sender = createOutboxSender({
    store,
    transports: { zalo: transport },
    owner: "a",
    logger: createLogger({ level: "silent" }),
    pollMs: 5,
    policy: { backoff: { initialMs: 10, maxMs: 20 }, maxAmbiguousRetries: 1 },
  });
  const stop = new AbortController();
  const running = sender.run(stop.signal);
  const item = store.receive(
    { platform: "zalo", updateId: "m1", payload: "{}" },
    "a",
    Date.now(),
    Date.now() + 60_000,
  );
  const messages = texts.map((text) => ({
    platform: "zalo",
    target: "1",
    payload: JSON.stringify({ text }),
  }));
  const claimed = store.complete(item!.id, "a", messages, Date.now(), Date.now() + sender.leaseMs)!;
  // As the inbox does: the first reply handed over, the chat kicked for those queued behind it.
  sender.handOver(claimed);
  sender.kick("zalo", "1");
  const deadline = Date.now() + 3000;
  while (store.backlog().messages > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  stop.abort();
  await running;
  await sender.drain(1000);
  return { counts: sender.counts(), left: store.backlog().messages };
}

describe("outbox sender", () => {
  it("keeps a chat's messages in order when one has to wait for its retry", async () => {
    const { sent, transport } = scripted([
      ["hai", { kind: "before", reason: "api_429", retryAfterMs: 30 }],
      ["hai", { kind: "before", reason: "api_500" }],
    ]);
    const { counts, left } = await sendAll(["một", "hai", "ba"], transport);
    expect(sent).toEqual(["một", "hai", "ba"]);
    expect(counts).toMatchObject({ sent: 3, retriedBefore: 2, retriedAmbiguous: 0 });
    expect(left).toBe(0);
  });

  it("sends once more after an ambiguous failure, then takes the message as delivered and goes on", async () => {
    const { sent, transport } = scripted([
      ["một", { kind: "ambiguous", reason: "timeout" }],
      ["một", { kind: "ambiguous", reason: "reset" }],
    ]);
    const { counts, left } = await sendAll(["một", "hai"], transport);
    expect(sent).toEqual(["hai"]);
    expect(counts).toMatchObject({ sent: 1, retriedAmbiguous: 1, assumedDelivered: 1 });
    expect(left).toBe(0);
  });

  it("drops a message the platform refuses for good, and sends the next", async () => {
    const { sent, transport } = scripted([["một", { kind: "permanent", reason: "api_403" }]]);
    const { counts } = await sendAll(["một", "hai"], transport);
    expect(sent).toEqual(["hai"]);
    expect(counts).toMatchObject({ sent: 1, undeliverable: 1 });
  });
});

describe("outbox sender: claims", () => {
  it("looks in the store for more of a chat's messages only when told some may be queued", async () => {
    database = openDatabase(":memory:");
    const store = createDeliveryStore(database);
    let claims = 0;
    const counted = {
      ...store,
      claimNext: (...args: Parameters<typeof store.claimNext>) => {
        claims++;
        return store.claimNext(...args);
      },
    };
    const { sent, transport } = scripted([]);
    // No poll: only handOver and kick move the sender.
    const sender = createOutboxSender({
      store: counted,
      transports: { zalo: transport },
      owner: "a",
      logger: createLogger({ level: "silent" }),
    });
    const turn = (updateId: string, texts: string[]) => {
      const item = store.receive({ platform: "zalo", updateId, payload: "{}" }, "a", 0, 60_000)!;
      return store.complete(item.id, "a", texts.map(message), Date.now(), Date.now() + sender.leaseMs)!;
    };
    const until = async (count: number) => {
      const deadline = Date.now() + 3000;
      while (sent.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, 20));
    };

    // One reply, handed over: nothing else to look for.
    sender.handOver(turn("u1", ["một"]));
    await until(1);
    expect(claims).toBe(0);

    // Two replies: the first handed over, the chat kicked for the second.
    sender.handOver(turn("u2", ["hai", "ba"]));
    sender.kick("zalo", "42");
    await until(3);
    expect(sent).toEqual(["một", "hai", "ba"]);
    // One claim found "ba", the next found nothing.
    expect(claims).toBe(2);
    await sender.drain(1000);
  });
});

describe("outbox sender: storage failing under a worker", () => {
  it("gives back a message whose claim's answer was lost, as it was, so that it is sent and not taken as delivered", async () => {
    database = openDatabase(":memory:");
    const store = createDeliveryStore(database);
    const item = store.receive({ platform: "zalo", updateId: "u1", payload: "{}" }, "a", 0, 60_000)!;
    const claimed = store.complete(item.id, "a", [message("một"), message("hai")], 0, 15_000)!;
    // The claim of "hai" is made, and its answer lost (the connection broke), once.
    let lost = 1;
    const failing = {
      ...store,
      claimNext: (...args: Parameters<typeof store.claimNext>) => {
        const result = store.claimNext(...args);
        if (result && lost-- > 0) throw new Error("Connection terminated unexpectedly");
        return result;
      },
    };
    const { sent, transport } = scripted([]);
    const sender = createOutboxSender({
      store: failing,
      transports: { zalo: transport },
      owner: "a",
      logger: createLogger({ level: "silent" }),
      pollMs: 5,
    });
    const stop = new AbortController();
    const running = sender.run(stop.signal);
    sender.handOver(claimed);
    sender.kick("zalo", "42");
    const deadline = Date.now() + 5000;
    while (sent.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    stop.abort();
    await running;
    await sender.drain(1000);
    expect(sent).toEqual(["một", "hai"]);
    expect(sender.counts()).toMatchObject({ sent: 2, assumedDelivered: 0 });
  });
});
