/**
 * The console's list screenings while they run and until their result is fetched. An uploaded list is
 * personal data: it stays in memory, its result goes to a temporary file (mode 0600, in a folder of this
 * process, mode 0700) that is offered only once screening has finished, and deleted when downloaded, after
 * {@link JOB_TTL_MS}, when the console closes, and at the next start if the process died. A job's id is
 * random (192 bits) and bound to the session that uploaded it: anyone else gets nothing, as if it did not
 * exist. Nothing about a household is logged.
 */
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { open, rm, type FileHandle } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import type { PolicyKnowledge } from "../domain/policy.ts";
import type { Logger } from "../logging.ts";
import {
  ScreeningFileError,
  screenList,
  type ListFormat,
  type ScreeningProgress,
  type ScreeningReport,
} from "../screening/index.ts";

/** How long a finished job (its summary and result file) is kept when nobody fetches it. */
export const JOB_TTL_MS = 15 * 60_000;
/** Screenings running at once in this process; the next ones wait their turn. */
const RUNNING_AT_ONCE = 2;
/** Jobs one session may have (running, waiting or not yet downloaded). */
const JOBS_PER_OWNER = 5;
/** Prefix of this console's temporary folders: `hcs-screen-<pid>-…`. */
const DIR_PREFIX = "hcs-screen-";

/** What a job says about itself: never a household's data, only counts and the report. */
export type JobState =
  | { state: "waiting" | "running"; progress: ScreeningProgress | null }
  | { state: "done"; report: ScreeningReport; downloaded: boolean }
  | { state: "failed"; message: string };

/** A job as its owner sees it. */
export interface JobView {
  id: string;
  fileName: string;
  outputFormat: ListFormat;
  /** About how many rows the list has (a CSV's lines), for the progress bar; null when not known. */
  expectedRows: number | null;
  status: JobState;
}

interface Job {
  id: string;
  owner: string;
  fileName: string;
  outputFormat: ListFormat;
  expectedRows: number | null;
  file: string;
  status: JobState;
  /** When it may be forgotten (set once it has finished). */
  expiresAt: number | null;
  settled: Promise<void>;
}

/** Options of {@link ScreeningJobs}. */
export interface ScreeningJobsOptions {
  policy: PolicyKnowledge;
  logger: Logger;
  /** Assessment date of households without their own. */
  today: () => string;
  now?: () => number;
  /** Where the temporary folder is made (default: the system's). */
  tempRoot?: string;
  ttlMs?: number;
  /** Worker threads per screening (see screenList). */
  workers?: number;
}

/** The job was refused before it started (too many at once): a Vietnamese message. */
export class JobRefused extends Error {}

/** Removes the folders left by console processes that no longer run (they died before cleaning up). */
export function removeOrphans(root: string = tmpdir()): void {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return;
  }
  for (const name of names) {
    const match = new RegExp(`^${DIR_PREFIX}(\\d+)-`).exec(name);
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || alive(pid)) continue;
    rmSync(join(root, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The lines of a CSV, about its rows (a quoted cell may hold a line break; the header is one of them). */
function lineCount(bytes: Uint8Array): number {
  let lines = 0;
  for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) lines++;
  return Math.max(1, lines);
}

/** The running and finished screenings of one console. */
export class ScreeningJobs {
  private readonly jobs = new Map<string, Job>();
  private readonly queue: (() => void)[] = [];
  private running = 0;
  private readonly root: string;
  private dir: string | undefined;
  private readonly now: () => number;
  private readonly ttlMs: number;
  private readonly sweeper: NodeJS.Timeout;
  private readonly onExit = () => {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  };

  private readonly options: ScreeningJobsOptions;

  constructor(options: ScreeningJobsOptions) {
    this.options = options;
    this.root = options.tempRoot ?? tmpdir();
    removeOrphans(this.root);
    this.now = options.now ?? Date.now;
    this.ttlMs = options.ttlMs ?? JOB_TTL_MS;
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
    process.once("exit", this.onExit);
  }

  /** The folder of the result files, made at the first upload (mode 0700). */
  get folder(): string | undefined {
    return this.dir;
  }

  /**
   * Starts screening an uploaded list for its owner (the session's own secret digest); returns the job's id.
   * Throws {@link JobRefused} when the owner already has too many.
   */
  start(
    owner: string,
    upload: { bytes: Uint8Array; format: ListFormat; fileName: string },
    outputFormat: ListFormat,
  ): string {
    this.sweep();
    const mine = [...this.jobs.values()].filter((job) => job.owner === owner);
    if (mine.length >= JOBS_PER_OWNER) {
      throw new JobRefused(
        `Bạn đang có ${mine.length} lượt sàng lọc chưa xong hoặc chưa tải kết quả. Hãy tải kết quả (hoặc chờ ${Math.round(this.ttlMs / 60_000)} phút) rồi thử lại.`,
      );
    }
    const id = randomBytes(24).toString("base64url");
    this.dir ??= mkdtempSync(join(this.root, `${DIR_PREFIX}${process.pid}-`));
    const job: Job = {
      id,
      owner,
      fileName: upload.fileName,
      outputFormat,
      expectedRows: upload.format === "csv" ? lineCount(upload.bytes) : null,
      file: join(this.dir, `${id}.${outputFormat}`),
      status: { state: "waiting", progress: null },
      expiresAt: null,
      settled: Promise.resolve(),
    };
    this.jobs.set(id, job);
    job.settled = this.turn().then(() => this.run(job, upload.bytes, upload.format));
    return id;
  }

  /** Resolves once the job has finished or failed. */
  async settled(id: string): Promise<void> {
    await this.jobs.get(id)?.settled;
  }

  /** The job, if it exists and belongs to this owner. */
  view(id: string, owner: string): JobView | undefined {
    const job = this.owned(id, owner);
    return job
      ? {
          id: job.id,
          fileName: job.fileName,
          outputFormat: job.outputFormat,
          expectedRows: job.expectedRows,
          status: job.status,
        }
      : undefined;
  }

  /**
   * The finished result file as a stream, for its owner. The file is opened and at once deleted: its name is
   * gone from the disk before the first byte is sent, and its space is freed when the stream closes. Undefined
   * when there is none (not the owner's, not finished, failed, already downloaded or expired).
   */
  async take(
    id: string,
    owner: string,
  ): Promise<{ stream: ReadableStream<Uint8Array>; size: number } | undefined> {
    const job = this.owned(id, owner);
    if (!job || job.status.state !== "done" || job.status.downloaded) return undefined;
    job.status = { ...job.status, downloaded: true };
    let handle: FileHandle;
    try {
      handle = await open(job.file, "r");
    } catch {
      return undefined;
    } finally {
      await rm(job.file, { force: true });
    }
    const { size } = await handle.stat();
    const stream = Readable.toWeb(createReadStream("", { fd: handle })) as ReadableStream<Uint8Array>;
    return { stream, size };
  }

  /** Stops the sweeper and deletes every file; running screenings finish into nothing. */
  close(): void {
    clearInterval(this.sweeper);
    process.removeListener("exit", this.onExit);
    this.jobs.clear();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  private owned(id: string, owner: string): Job | undefined {
    this.sweep();
    const job = this.jobs.get(id);
    return job && job.owner === owner ? job : undefined;
  }

  /** Drops finished jobs past their expiry, with their files. */
  private sweep(): void {
    const now = this.now();
    for (const job of this.jobs.values()) {
      if (job.expiresAt !== null && job.expiresAt <= now) {
        this.jobs.delete(job.id);
        rmSync(job.file, { force: true });
      }
    }
  }

  /** Waits for a free slot (at most {@link RUNNING_AT_ONCE} screenings run at once). */
  private turn(): Promise<void> {
    if (this.running < RUNNING_AT_ONCE) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  private release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.running--;
  }

  private async run(job: Job, bytes: Uint8Array, format: ListFormat): Promise<void> {
    job.status = { state: "running", progress: null };
    const output = createWriteStream(job.file, { mode: 0o600 });
    let outputError: Error | undefined;
    output.on("error", (error) => (outputError ??= error));
    try {
      const report = await screenList({
        input: bytes,
        inputFormat: format,
        output,
        outputFormat: job.outputFormat,
        policy: this.options.policy,
        today: this.options.today(),
        onProgress: (progress) => {
          if (job.status.state === "running") job.status = { state: "running", progress };
        },
        ...(this.options.workers !== undefined ? { workers: this.options.workers } : {}),
      });
      if (!output.writableFinished) await finished(output);
      if (outputError) throw outputError;
      if (this.jobs.get(job.id) !== job) {
        rmSync(job.file, { force: true });
        return;
      }
      job.status = { state: "done", report, downloaded: false };
    } catch (error) {
      output.destroy();
      rmSync(job.file, { force: true });
      if (error instanceof ScreeningFileError) {
        job.status = { state: "failed", message: error.message };
      } else {
        // Only what kind of failure: a message could quote a cell of the list.
        this.options.logger.error(
          { err: { name: (error as Error)?.name ?? "unknown" } },
          "console list screening failed",
        );
        job.status = {
          state: "failed",
          message:
            "Chưa sàng lọc xong danh sách vì có lỗi trên máy chủ; không có tệp kết quả nào được tạo. Hãy thử lại, hoặc chia danh sách thành nhiều tệp nhỏ hơn.",
        };
      }
    } finally {
      job.expiresAt = this.now() + this.ttlMs;
      this.release();
    }
  }
}
