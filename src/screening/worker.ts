/**
 * A worker thread of list screening (started by pool.ts for long lists): decides the batches of rows it is
 * sent, in the order sent, and posts back each batch's result.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { PolicyKnowledge } from "../domain/policy.ts";
import { BatchScreener, type BatchResult, type BatchSetup, type RowBatch } from "./batch.ts";

/** What a worker is started with: the setup of the list, and the policy the first thread loaded (copied). */
export interface WorkerSetup extends BatchSetup {
  policy: PolicyKnowledge;
}

/** What a worker is sent. */
export type WorkerTask = { id: number } & RowBatch;

/** What a worker posts back: that it is ready (once), then one reply per batch, in the order sent. */
export type WorkerReply = { type: "ready" } | { type: "result"; id: number; result: BatchResult };

const port = parentPort;
if (port) {
  const setup = workerData as WorkerSetup;
  const screener = new BatchScreener(setup.policy, setup);
  port.on("message", (task: WorkerTask) => {
    const reply: WorkerReply = { type: "result", id: task.id, result: screener.run(task) };
    port.postMessage(reply);
  });
  port.postMessage({ type: "ready" } satisfies WorkerReply);
}
