/**
 * A fixed set of worker threads taking numbered tasks, for CPU work split in batches (deciding a list of
 * households). A worker says `{ type: "ready" }` once its modules are loaded, then answers each task with a
 * message carrying the task's `id`. The pool only computes: callers keep their batches in order.
 */
import { Worker, type TransferListItem } from "node:worker_threads";

/**
 * A worker's young generation, where a decision's short-lived objects live: larger than the default, so far
 * fewer collections run (measured: about a fifth less CPU for 100,000 households).
 */
const YOUNG_GENERATION_MB = 64;

interface Slot {
  worker: Worker;
  inFlight: number;
  /** True once the worker has loaded its modules and can work at full speed. */
  ready: boolean;
}

/** What the caller does with a reply: its result, given a way to send the worker a message back. */
export type ReplyReader<Reply, Result> = (
  reply: Reply,
  sendBack: (message: unknown, transfer?: TransferListItem[]) => void,
) => Result;

export class WorkerPool<Task extends object, Reply extends { id: number }, Result> {
  private readonly slots: Slot[] = [];
  private readonly waiting = new Map<
    number,
    { resolve: (result: Result) => void; reject: (error: Error) => void; slot: Slot }
  >();
  private nextId = 0;
  private failure: Error | undefined;
  private closing = false;
  private readonly read: ReplyReader<Reply, Result>;

  /** `entry` from `workerEntry`; `name` says which worker stopped in an error. */
  constructor(entry: URL, workers: number, setup: unknown, read: ReplyReader<Reply, Result>, name: string) {
    this.read = read;
    for (let i = 0; i < workers; i++) {
      const slot: Slot = {
        worker: new Worker(entry, {
          workerData: setup,
          resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
        }),
        inFlight: 0,
        ready: false,
      };
      slot.worker.on("message", (reply: Reply | { type: "ready" }) => this.receive(slot, reply));
      slot.worker.on("error", (error) => this.fail(error));
      slot.worker.on("exit", (code) => {
        if (!this.closing) this.fail(new Error(`${name} worker stopped (exit code ${code})`));
      });
      this.slots.push(slot);
    }
  }

  /**
   * True when a started worker has fewer than `waiting` tasks in flight, so a task sent now is done soon
   * (loading a worker's modules takes about a second); also true after a failure, so that `run` reports it.
   * Otherwise the caller does better to do the task itself.
   */
  wantsBatch(waiting: number): boolean {
    if (this.failure) return true;
    return this.slots.some((slot) => slot.ready && slot.inFlight < waiting);
  }

  /**
   * Runs a task on the least busy worker, preferring started ones (a worker still starting queues it). The
   * promise is marked handled: await it to see a failure.
   */
  run(task: Task): Promise<Result> {
    if (this.failure) return Promise.reject(this.failure);
    const slot = this.slots.reduce((best, candidate) =>
      candidate.ready > best.ready || (candidate.ready === best.ready && candidate.inFlight < best.inFlight)
        ? candidate
        : best,
    );
    const id = this.nextId++;
    const result = new Promise<Result>((resolve, reject) => this.waiting.set(id, { resolve, reject, slot }));
    result.catch(() => undefined);
    slot.inFlight++;
    slot.worker.postMessage({ ...task, id });
    return result;
  }

  /** Stops the workers (tasks still in flight are dropped). */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private receive(slot: Slot, reply: Reply | { type: "ready" }): void {
    if ("type" in reply && reply.type === "ready") {
      slot.ready = true;
      return;
    }
    const { id } = reply as Reply;
    const waiter = this.waiting.get(id);
    if (!waiter) return;
    this.waiting.delete(id);
    slot.inFlight--;
    waiter.resolve(
      this.read(reply as Reply, (message, transfer) => {
        // Not to a worker that is gone.
        if (!this.closing && !this.failure) slot.worker.postMessage(message, transfer);
      }),
    );
  }

  /** A worker failed (a data file broke, or a bug): every task still waiting fails with it. */
  private fail(error: Error): void {
    if (this.closing || this.failure) return;
    this.failure = error;
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}
