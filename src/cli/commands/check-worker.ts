/**
 * A worker thread of `hoichinhsach check --jsonl` (started by check.ts for long lists): decides the batches
 * of lines it is sent, in the order sent, and posts back each batch's encoded output (the bytes are
 * transferred, not copied).
 */
import { parentPort, workerData } from "node:worker_threads";
import type { PolicyKnowledge } from "../../domain/policy.ts";
import { BatchDecider, type Batch, type BatchOptions, type BatchOutput } from "./check-batch.ts";

/** What a worker is started with. */
export interface WorkerSetup extends BatchOptions {
  /**
   * The policy the main thread loaded and validated, copied (structured clone): reading and validating the
   * rule files again in every worker would cost each of them far more than the copy.
   */
  policy: PolicyKnowledge;
}

/** What a worker is sent: a batch to decide, or the memory of an output the main thread has written. */
export type WorkerTask = ({ type: "batch"; id: number } & Batch) | { type: "recycle"; bytes: Uint8Array };

/** What a worker posts back: that it is ready (once), then one reply per batch, in the order sent. */
export type WorkerReply = { type: "ready" } | ({ type: "output"; id: number } & BatchOutput);

const port = parentPort;
if (port) {
  const setup = workerData as WorkerSetup;
  const decider = new BatchDecider(setup.policy, setup);
  port.on("message", (task: WorkerTask) => {
    if (task.type === "recycle") return decider.recycle(task.bytes);
    const output = decider.run(task);
    const reply: WorkerReply = { type: "output", id: task.id, ...output };
    port.postMessage(reply, [output.bytes.buffer as ArrayBuffer]);
  });
  port.postMessage({ type: "ready" } satisfies WorkerReply);
}
