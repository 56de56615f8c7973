/**
 * What the inbox and outbox cost per update in SQLite, alone: a session save (what a turn wrote before) against
 * the durable path (the update received, completed with the same session save and one reply, the reply deleted
 * once sent), on a WAL file. Measured with SQLite's own checkpoints (made by whichever commit crosses the
 * threshold, fsyncs included) and without them (as under `serve`, whose checkpoints run on a thread of their own).
 */
import { join } from "node:path";
import { openDatabase } from "../../src/storage/database.ts";
import { createDeliveryStore } from "../../src/storage/repositories/delivery.ts";
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

/** CPU and wall time per update, in µs. */
export interface StoreCost {
  cpuMicros: number;
  wallMicros: number;
}

async function measure(
  path: string,
  durable: boolean,
  checkpoints: boolean,
  updates: number,
): Promise<StoreCost> {
  const database = openDatabase(path);
  if (!checkpoints) database.sqlite.pragma("wal_autocheckpoint = 0");
  const store = createDeliveryStore(database);
  const sessions = createSessionStore(database);
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < updates; i++) {
    const user = `telegram:${i % 1000}`;
    if (!durable) {
      sessions.save(user, STATE, null);
      continue;
    }
    const now = Date.now();
    const item = store.receive(
      { platform: "telegram", updateId: String(i), payload: UPDATE },
      "b",
      now,
      now + 60_000,
    );
    const message = { platform: "telegram", target: String(i % 1000), payload: REPLY };
    const claimed = store.complete(item!.id, "b", [message], now, now + 15_000, () =>
      sessions.save(user, STATE, null),
    );
    store.finish(claimed![0]!.id, "b");
    // Sends end on different turns of the event loop.
    if (i % 8 === 7) await new Promise((resolve) => setImmediate(resolve));
  }
  store.flush();
  const used = process.cpuUsage(cpu);
  const wall = performance.now() - started;
  database.close();
  return { cpuMicros: (used.user + used.system) / updates, wallMicros: (wall * 1000) / updates };
}

/** The four measurements, each on a fresh file in `folder`. */
export async function deliveryStoreCost(
  folder: string,
  updates: number,
): Promise<
  Record<"sessionOnly" | "durable" | "sessionOnlyNoCheckpoints" | "durableNoCheckpoints", StoreCost>
> {
  return {
    sessionOnly: await measure(join(folder, "store-1.db"), false, true, updates),
    durable: await measure(join(folder, "store-2.db"), true, true, updates),
    sessionOnlyNoCheckpoints: await measure(join(folder, "store-3.db"), false, false, updates),
    durableNoCheckpoints: await measure(join(folder, "store-4.db"), true, false, updates),
  };
}
