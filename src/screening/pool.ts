/**
 * Worker threads for screening a long list: reading and deciding a household is pure CPU work, so batches
 * of rows are decided on the other cores while the first thread reads the file and writes the result.
 */
import { workerEntry } from "../shared/worker-entry.ts";
import { WorkerPool } from "../shared/worker-pool.ts";
import type { BatchResult, RowBatch } from "./batch.ts";
import type { WorkerReply, WorkerSetup } from "./worker.ts";

/** A fixed set of worker threads screening batches of rows. */
export class ScreeningPool extends WorkerPool<RowBatch, Extract<WorkerReply, { id: number }>, BatchResult> {
  constructor(workers: number, setup: WorkerSetup) {
    super(workerEntry(import.meta.url, "./worker"), workers, setup, (reply) => reply.result, "screening");
  }
}
