import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { AppDatabase } from "./database.ts";

/** The checkpointer's thread: its own connection, a passive checkpoint at each tick, never in anyone's way. */
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma("busy_timeout = 1000");
const tick = () => {
  try { db.pragma("wal_checkpoint(PASSIVE)"); } catch { /* busy: the next tick will do */ }
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on("message", () => {
  clearInterval(timer);
  tick();
  db.close();
  parentPort.close();
});
`;

/** A running checkpointer; see {@link startCheckpointer}. */
export interface Checkpointer {
  /** Stops the thread after a last checkpoint; the connection checkpoints by itself again. */
  stop(): Promise<void>;
}

/**
 * Moves SQLite's WAL checkpoints off the main thread. A checkpoint copies the WAL back into the database file and
 * waits for two fsyncs; made by whichever commit crosses the threshold, it stalls the event loop. Here the
 * connection's automatic checkpoints are turned off and a worker thread, on its own connection, checkpoints every
 * `intervalMs`. If the thread fails, the connection checkpoints by itself again.
 *
 * ```ts
 * const checkpointer = startCheckpointer(database, "./data/hoichinhsach.db");
 * await checkpointer.stop();
 * ```
 */
export function startCheckpointer(database: AppDatabase, path: string, intervalMs = 500): Checkpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER, { eval: true, workerData: { driver, path, intervalMs } });
  worker.unref();
  database.sqlite.pragma("wal_autocheckpoint = 0");
  const restore = (): void => {
    if (database.sqlite.open) database.sqlite.pragma("wal_autocheckpoint = 1000");
  };
  const exited = new Promise<void>((resolve) => {
    worker.once("exit", () => {
      restore();
      resolve();
    });
    worker.once("error", restore);
  });
  return {
    async stop() {
      // Held by the thread until it is gone: otherwise a process with nothing else to do would not wait for it.
      worker.ref();
      worker.postMessage("stop");
      await exited;
    },
  };
}
