/**
 * Worker threads for `hoichinhsach check --jsonl`: deciding and serialising a household is pure CPU work, so
 * a long list is split into batches decided on every core (see check-worker.ts).
 */
import { workerEntry } from "../../shared/worker-entry.ts";
import { WorkerPool } from "../../shared/worker-pool.ts";
import type { Batch, WrittenOnce } from "./check-batch.ts";
import type { WorkerReply, WorkerSetup, WorkerTask } from "./check-worker.ts";

/** A fixed set of worker threads deciding batches. */
export class DecisionPool extends WorkerPool<
  { type: "batch" } & Batch,
  Extract<WorkerReply, { id: number }>,
  WrittenOnce
> {
  constructor(workers: number, setup: WorkerSetup) {
    super(
      workerEntry(import.meta.url, "./check-worker"),
      workers,
      setup,
      ({ bytes, badLines }, sendBack) => ({
        bytes,
        badLines,
        // The buffer goes back to the worker that wrote it (transferred again, not copied).
        release: () =>
          sendBack({ type: "recycle", bytes } satisfies WorkerTask, [bytes.buffer as ArrayBuffer]),
      }),
      "check",
    );
  }

  /** Decides a batch (see {@link WorkerPool.run}). */
  override run(batch: Batch): Promise<WrittenOnce> {
    return super.run({ type: "batch", ...batch });
  }
}
