/**
 * Worker threads for screening a long list: reading and deciding a household is pure CPU work, so batches
 * of rows are decided on the other cores while the first thread reads the file and writes the result. The
 * pool only computes; the caller keeps the batches in order.
 */
import { Worker } from "node:worker_threads";
import type { BatchResult, RowBatch } from "./batch.ts";
import type { WorkerReply, WorkerSetup, WorkerTask } from "./worker.ts";
import { workerEntry } from "../shared/worker-entry.ts";

/** A larger young generation: far fewer collections of a decision's short-lived objects. */
const YOUNG_GENERATION_MB = 64;

interface Slot {
  worker: Worker;
  inFlight: number;
  ready: boolean;
}

/** A fixed set of worker threads screening batches. */
export class ScreeningPool {
  private readonly slots: Slot[] = [];
  private readonly waiting = new Map<
    number,
    { resolve: (result: BatchResult) => void; reject: (error: Error) => void; slot: Slot }
  >();
  private nextId = 0;
  private failure: Error | undefined;
  private closing = false;

  constructor(workers: number, setup: WorkerSetup) {
    const entry = workerEntry(import.meta.url, "./worker");
    for (let i = 0; i < workers; i++) {
      const slot: Slot = {
        worker: new Worker(entry, {
          workerData: setup,
          resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
        }),
        inFlight: 0,
        ready: false,
      };
      slot.worker.on("message", (reply: WorkerReply) => this.receive(slot, reply));
      slot.worker.on("error", (error) => this.fail(error));
      slot.worker.on("exit", (code) => {
        if (!this.closing) this.fail(new Error(`screening worker stopped (exit code ${code})`));
      });
      this.slots.push(slot);
    }
  }

  /** True when a started worker has fewer than `waiting` batches in flight (or after a failure, to report it). */
  wantsBatch(waiting: number): boolean {
    if (this.failure) return true;
    return this.slots.some((slot) => slot.ready && slot.inFlight < waiting);
  }

  /** Screens a batch on the least busy started worker. The promise is marked handled: await it to see a failure. */
  run(batch: RowBatch): Promise<BatchResult> {
    if (this.failure) return Promise.reject(this.failure);
    const slot = this.slots.reduce((best, candidate) =>
      candidate.ready > best.ready || (candidate.ready === best.ready && candidate.inFlight < best.inFlight)
        ? candidate
        : best,
    );
    const id = this.nextId++;
    const result = new Promise<BatchResult>((resolve, reject) =>
      this.waiting.set(id, { resolve, reject, slot }),
    );
    result.catch(() => undefined);
    slot.inFlight++;
    const task: WorkerTask = { id, ...batch };
    slot.worker.postMessage(task);
    return result;
  }

  /** Stops the workers (batches still in flight are dropped). */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private receive(slot: Slot, reply: WorkerReply): void {
    if (reply.type === "ready") {
      slot.ready = true;
      return;
    }
    const waiter = this.waiting.get(reply.id);
    if (!waiter) return;
    this.waiting.delete(reply.id);
    slot.inFlight--;
    waiter.resolve(reply.result);
  }

  private fail(error: Error): void {
    if (this.closing || this.failure) return;
    this.failure = error;
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}
