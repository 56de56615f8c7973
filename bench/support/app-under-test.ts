/**
 * The app as `hoichinhsach serve` runs it in webhook mode (configuration from the environment, both channels,
 * logs at info to stdout), carrying the fast bench core. Prints `port=<n>` when listening. Over IPC, answers
 * "heap" with the heap in use after a full garbage collection.
 */
import { startApp } from "../../src/app.ts";
import { loadConfig, secretsOf } from "../../src/config.ts";
import { createLogger } from "../../src/logging.ts";
import { createFastCore } from "./fast-core.ts";

const loaded = loadConfig(process.env);
if (!loaded.ok) throw new Error(loaded.error.join("\n"));
const config = loaded.value;
const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config) });
const app = await startApp({
  config,
  core: createFastCore(),
  logger,
  tuning: {
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
console.error(`port=${app.port}`);

process.on("message", (message) => {
  if (message !== "heap") return;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  process.send?.({ heapUsed: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss });
});
process.on("SIGTERM", () => {
  void app.stop().then(() => process.exit(0));
});
