/**
 * Worker threads for `hoichinhsach check --jsonl`: deciding and serialising a household is pure CPU work, so
 * a long list is split into batches decided on every core (see check-worker.ts). The pool only computes;
 * the caller keeps the batches in order and writes them.
 */
import { Worker } from "node:worker_threads";
import type { Batch, WrittenOnce } from "./check-batch.ts";
import type { WorkerReply, WorkerSetup, WorkerTask } from "./check-worker.ts";
import { workerEntry } from "../../shared/worker-entry.ts";

/**
 * A worker's young generation, where a decision's short-lived objects live: larger than the default, so far
 * fewer collections run (measured: about a fifth less CPU for 100,000 households).
 */
const YOUNG_GENERATION_MB = 64;

interface Slot {
  worker: Worker;
  inFlight: number;
  /** True once the worker has loaded its modules and can decide at full speed. */
  ready: boolean;
}

/** A fixed set of worker threads deciding batches. */
export class DecisionPool {
  private readonly slots: Slot[] = [];
  private readonly waiting = new Map<
    number,
    { resolve: (output: WrittenOnce) => void; reject: (error: Error) => void; slot: Slot }
  >();
  private nextId = 0;
  private failure: Error | undefined;
  private closing = false;

  constructor(workers: number, setup: WorkerSetup) {
    const entry = workerEntry(import.meta.url, "./check-worker");
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
        if (!this.closing) this.fail(new Error(`check worker stopped (exit code ${code})`));
      });
      this.slots.push(slot);
    }
  }

  /**
   * True when a started worker has fewer than `waiting` batches in flight, so a batch sent now is decided
   * soon (loading a worker's modules takes about a second); also true after a failure, so that `run`
   * reports it. Otherwise the caller does better to decide the batch itself.
   */
  wantsBatch(waiting: number): boolean {
    if (this.failure) return true;
    return this.slots.some((slot) => slot.ready && slot.inFlight < waiting);
  }

  /**
   * Decides a batch on the least busy worker, preferring started ones (a worker still starting queues it).
   * The promise is marked handled: await it to see a failure.
   */
  run(batch: Batch): Promise<WrittenOnce> {
    if (this.failure) return Promise.reject(this.failure);
    const slot = this.slots.reduce((best, candidate) =>
      candidate.ready > best.ready || (candidate.ready === best.ready && candidate.inFlight < best.inFlight)
        ? candidate
        : best,
    );
    const id = this.nextId++;
    const output = new Promise<WrittenOnce>((resolve, reject) =>
      this.waiting.set(id, { resolve, reject, slot }),
    );
    output.catch(() => undefined);
    slot.inFlight++;
    const task: WorkerTask = { type: "batch", id, ...batch };
    slot.worker.postMessage(task);
    return output;
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
    const { bytes, badLines } = reply;
    const release = () => {
      // Back to the worker that wrote them (transferred again, not copied), unless it is gone.
      if (this.closing || this.failure) return;
      const task: WorkerTask = { type: "recycle", bytes };
      slot.worker.postMessage(task, [bytes.buffer as ArrayBuffer]);
    };
    waiter.resolve({ bytes, badLines, release });
  }

  /** A worker failed (a data file broke, or a bug): every batch still waiting fails with it. */
  private fail(error: Error): void {
    if (this.closing || this.failure) return;
    this.failure = error;
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}
