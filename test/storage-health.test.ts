/**
 * Storage health as `serve` runs it: the real core's probe over a real file, and the watch that reports a
 * database file that disappears or can no longer be written.
 */
import { mkdtempSync, rmSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { createCore, watchStorage } from "../src/app.ts";
import type { StorageStatus } from "../src/storage/database.ts";
import { createLogger } from "../src/logging.ts";

const scratch = mkdtempSync(join(tmpdir(), "hcs-health-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
afterEach(() => vi.useRealTimers());

describe("storage health", () => {
  it("the real core reports its database file deleted while running", async () => {
    const databasePath = join(scratch, "core.db");
    const core = await createCore(
      {
        mode: "polling",
        port: 0,
        host: "127.0.0.1",
        databasePath,
        logLevel: "silent",
        sessionTtlDays: 30,
        userKeySecret: "k".repeat(40),
      },
      { logger: createLogger({ level: "silent" }) },
    );
    try {
      expect(core.storage?.()).toEqual({ ok: true });
      unlinkSync(databasePath);
      expect(core.storage?.()).toEqual({ ok: false, cause: "missing" });
    } finally {
      core.close?.();
    }
  });

  it("logs once when storage becomes unusable, once when it is back, with the cause only", async () => {
    vi.useFakeTimers();
    const logs: Record<string, unknown>[] = [];
    const logger = createLogger({
      level: "info",
      destination: { write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>) },
    });
    let status: StorageStatus = { ok: true };
    const watch = watchStorage(() => status, logger, 1000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(logs).toEqual([]);
    status = { ok: false, cause: "read_only" };
    await vi.advanceTimersByTimeAsync(5000);
    expect(logs.map((line) => [line.level, line.cause, line.msg])).toEqual([
      ["error", "read_only", "storage unavailable: messages cannot be handled"],
    ]);
    status = { ok: true };
    await vi.advanceTimersByTimeAsync(1000);
    expect(logs.map((line) => line.msg)).toEqual([
      "storage unavailable: messages cannot be handled",
      "storage available again",
    ]);
    watch.stop();
  });
});
