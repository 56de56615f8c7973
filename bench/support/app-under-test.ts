/**
 * The app as `hoichinhsach serve` runs it in webhook mode (configuration from the environment, both channels,
 * logs at info to stdout), carrying either the fast bench core or, with BENCH_CORE=real, the real conversation
 * core (`createCore`: flows, scorer and knowledge base over the SQLite file at DATABASE_PATH); with
 * BENCH_DELIVERY=direct, without the durable inbox and outbox (each update handled at once, as before them). Prints
 * `port=<n>` once listening and the Telegram bot is ready.
 *
 * Over IPC it answers:
 * - `heap`: heap in use after full garbage collections, RSS, and the size of the database file and its WAL;
 * - `idle`: once no update is in flight on either channel;
 * - `cpu`: CPU time used so far (user + system, µs) and the event loop's utilisation, to difference per phase,
 *   and the event loop's delay since the last `cpu` (p99 and max, ms): a stall inside the app shows there;
 * - `profile:start` / `profile:stop <file>`: a CPU profile of what happens in between (the inspector's sampling
 *   profiler, as `--cpu-prof` but for one phase only), written to the file;
 * - `snapshot <file>`: a heap snapshot (to compare two in Chrome's DevTools when the heap grows).
 */
import { statSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { writeHeapSnapshot } from "node:v8";
import { createCore, startApp } from "../../src/app.ts";
import type { ConversationCore } from "../../src/channels/ports.ts";
import { loadConfig, secretsOf } from "../../src/config.ts";
import { createLogger } from "../../src/logging.ts";
import { createFastCore } from "./fast-core.ts";

const loaded = loadConfig(process.env);
if (!loaded.ok) throw new Error(loaded.error.join("\n"));
const config = loaded.value;
const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config) });
const core: ConversationCore & { close?(): void } =
  process.env.BENCH_CORE === "real" ? await createCore(config, { logger }) : createFastCore();
const app = await startApp({
  config,
  core,
  logger,
  tuning: {
    // BENCH_DELIVERY=direct: without the inbox and outbox (updates handled at once), to measure what they cost.
    ...(process.env.BENCH_DELIVERY === "direct" ? { delivery: { durable: false } } : {}),
    // The fake API is not Telegram: its 30 messages/s would be the only thing measured. BENCH_THROTTLE=lifted keeps
    // the throttler's per-chat queues without the limits (to show their cost); otherwise it is bypassed.
    telegram: {
      throttle:
        process.env.BENCH_THROTTLE === "lifted"
          ? { global: {}, group: { maxConcurrent: 1 }, out: { maxConcurrent: 1 } }
          : false,
    },
  },
});
// Until getMe has succeeded the Telegram webhook answers 503: the load starts once the bot is ready.
while (app.telegram && !app.telegram.isReady()) await new Promise((resolve) => setTimeout(resolve, 20));
console.error(`port=${app.port}`);

const fileSize = (path: string): number => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};
const inFlight = (): number =>
  (app.telegram?.dispatcher.inFlight() ?? 0) + (app.zalo?.dispatcher.inFlight() ?? 0);
let profiler: Session | undefined;
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

process.on("message", (message: string) => {
  void (async () => {
    if (message === "heap") {
      // Requests register their abort signals with a FinalizationRegistry, whose clean-up runs as a task after
      // the collection: collect, let the clean-up run, collect again, or that garbage is counted as live.
      const gc = (globalThis as { gc?: () => void }).gc;
      for (let round = 0; round < 3; round++) {
        gc?.();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const { heapUsed, rss } = process.memoryUsage();
      const database = process.env.BENCH_CORE === "real" ? config.databasePath : undefined;
      process.send?.({
        heapUsed,
        rss,
        databaseBytes: database ? fileSize(database) : 0,
        walBytes: database ? fileSize(`${database}-wal`) : 0,
      });
    } else if (message === "cpu") {
      const { user, system } = process.cpuUsage();
      process.send?.({
        cpuMicros: user + system,
        loop: performance.eventLoopUtilization(),
        delay: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
      });
      loopDelay.reset();
    } else if (message === "idle") {
      while (inFlight() > 0) await new Promise((resolve) => setTimeout(resolve, 20));
      process.send?.({ idle: true });
    } else if (message === "profile:start") {
      profiler = new Session();
      profiler.connect();
      await profiler.post("Profiler.enable");
      await profiler.post("Profiler.start");
      process.send?.({ profiling: true });
    } else if (message.startsWith("snapshot ")) {
      writeHeapSnapshot(message.slice("snapshot ".length));
      process.send?.({ snapshot: true });
    } else if (message.startsWith("profile:stop ")) {
      const { profile } = await profiler!.post("Profiler.stop");
      profiler!.disconnect();
      writeFileSync(message.slice("profile:stop ".length), JSON.stringify(profile));
      process.send?.({ profiling: false });
    }
  })();
});
process.on("SIGTERM", () => {
  void app.stop().then(() => {
    core.close?.();
    process.exit(0);
  });
});
