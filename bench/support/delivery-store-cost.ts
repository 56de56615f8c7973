/**
 * What the inbox and outbox cost per update in SQLite, alone: a session save (what a turn writes without them)
 * against the durable path (the update received, completed with the same session save and one reply, the reply
 * deleted once sent), on a WAL file, two ways: one commit per step (receive, complete, and the deletes of each
 * event loop turn), and group commits as the inbox makes them (the updates of one turn of the event loop received
 * in one transaction, their completions in the next, the deletes with the batch after). Measured with SQLite's own
 * checkpoints (made by whichever commit crosses the threshold, fsyncs included) and without them (as under
 * `serve`, whose checkpoints run on a thread of their own); without them the WAL only grows, so its size tells
 * how many pages each update wrote.
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import { openDatabase } from "../../src/storage/database.ts";
import {
  createDeliveryStore,
  type ClaimedMessage,
  type CompleteRequest,
  type ReceiveRequest,
} from "../../src/storage/repositories/delivery.ts";
import { createSessionStore } from "../../src/storage/repositories/sessions.ts";

const STATE = {
  interview: { flowId: "eligibility", step: "ask_income", answers: { members: 4, poor: true } },
};
const UPDATE = JSON.stringify({
  update_id: 1,
  message: {
    message_id: 1,
    date: 0,
    chat: { id: 1, type: "private" },
    from: { id: 1 },
    text: "vay vốn hộ nghèo",
  },
});
const REPLY = JSON.stringify({
  text: "Theo Kế hoạch giảm nghèo của tỉnh, mục 2.1: hộ nghèo được vay vốn ưu đãi. ",
});
/** Updates per group commit: about what one turn of the event loop brings under 40 connections. */
const GROUP = 8;

/** CPU and wall time per update, in µs, and WAL pages written per update (measured without checkpoints). */
export interface StoreCost {
  cpuMicros: number;
  wallMicros: number;
  walPages?: number;
}

type Mode = "session" | "single" | "group";

async function measure(path: string, mode: Mode, checkpoints: boolean, updates: number): Promise<StoreCost> {
  const database = openDatabase(path);
  if (!checkpoints) database.sqlite.pragma("wal_autocheckpoint = 0");
  const pageSize = database.sqlite.pragma("page_size", { simple: true }) as number;
  const walBefore = statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0;
  const store = createDeliveryStore(database);
  const sessions = createSessionStore(database);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const user = (i: number): string => `telegram:${i % 1000}`;
  const message = (i: number) => ({ platform: "telegram", target: String(i % 1000), payload: REPLY });
  for (let i = 0; i < updates; i += mode === "group" ? GROUP : 1) {
    const now = Date.now();
    if (mode === "session") {
      sessions.save(user(i), STATE, null);
    } else if (mode === "single") {
      const item = store.receive(
        { platform: "telegram", updateId: String(i), payload: UPDATE },
        "b",
        now,
        now + 60_000,
      );
      const claimed = store.complete(item!.id, "b", [message(i)], now, now + 15_000, () =>
        sessions.save(user(i), STATE, null),
      );
      store.finish(claimed![0]!.id, "b");
      // Sends end on different turns of the event loop.
      if (i % 8 === 7) await new Promise((resolve) => setImmediate(resolve));
    } else {
      const receives: ReceiveRequest[] = [];
      for (let j = i; j < Math.min(updates, i + GROUP); j++) {
        receives.push({
          update: { platform: "telegram", updateId: String(j), payload: UPDATE },
          owner: "b",
          now,
          leaseUntil: now + 60_000,
        });
      }
      const { received } = store.commitBatch(receives, []);
      const completes: CompleteRequest[] = received.map((outcome, k) => ({
        inboxId: outcome.ok ? outcome.value!.id : -1,
        owner: "b",
        messages: [message(i + k)],
        now,
        leaseUntil: now + 15_000,
        within: () => sessions.save(user(i + k), STATE, null),
      }));
      const { completed } = store.commitBatch([], completes);
      for (const outcome of completed) {
        const claimed = outcome.ok ? (outcome.value as ClaimedMessage[]) : [];
        for (const sent of claimed) store.finish(sent.id, "b");
      }
    }
  }
  store.flush();
  const used = process.cpuUsage(cpu);
  const wall = performance.now() - started;
  const walAfter = statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0;
  database.close();
  return {
    cpuMicros: (used.user + used.system) / updates,
    wallMicros: (wall * 1000) / updates,
    ...(checkpoints ? {} : { walPages: (walAfter - walBefore) / (pageSize + 24) / updates }),
  };
}

/** The six measurements, each on a fresh file in `folder`. */
export async function deliveryStoreCost(
  folder: string,
  updates: number,
): Promise<Record<`${Mode}${"" | "NoCheckpoints"}`, StoreCost>> {
  let n = 0;
  const file = (): string => join(folder, `store-${++n}.db`);
  return {
    session: await measure(file(), "session", true, updates),
    single: await measure(file(), "single", true, updates),
    group: await measure(file(), "group", true, updates),
    sessionNoCheckpoints: await measure(file(), "session", false, updates),
    singleNoCheckpoints: await measure(file(), "single", false, updates),
    groupNoCheckpoints: await measure(file(), "group", false, updates),
  };
}
