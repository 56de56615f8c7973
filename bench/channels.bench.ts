/**
 * Channel benchmark (`npm run bench -- channels`): webhook throughput and latency of the real app (both channels,
 * webhook mode, a fast stand-in core, replies sent to a fake Bot API in its own process), against a bare node:http
 * server answering 200, in the same run, with the same load generator (autocannon, loopback, bounded in count
 * and time). Then checks that every update got exactly one reply, and measures the heap after 100,000 updates
 * from 10,000 distinct users. Scale with BENCH_UPDATES (default 20,000 per phase) and BENCH_MEMORY_UPDATES.
 *
 * Goal (issue 5): at least 1,000 updates/s with p99 under 100 ms on the 2-core machine, no lost or duplicated
 * reply, a flat heap.
 */
import autocannon, { type Result } from "autocannon";
import { fork, spawn, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";

const here = dirname(fileURLToPath(import.meta.url));
const UPDATES = Number(process.env.BENCH_UPDATES ?? 20_000);
const MEMORY_UPDATES = Number(process.env.BENCH_MEMORY_UPDATES ?? 100_000);
const USERS = 10_000;
const CONNECTIONS = 40; // Telegram's default max_connections for a webhook
const MAX_SECONDS = 120; // per load phase, whatever the count
const TELEGRAM_TOKEN = "123456789:AAbenchmarkTokenNotRealAtAll_0123456";
const ZALO_TOKEN = "bench-zalo-token-0123456789";
const SECRET = "bench-webhook-secret-0123456789abcdef";

// === Child processes

function readPort(child: ChildProcess, stream: "stdout" | "stderr"): Promise<number> {
  return new Promise((resolve, reject) => {
    let text = "";
    child[stream]?.setEncoding("utf8").on("data", (chunk: string) => {
      text += chunk;
      const match = /port=(\d+)/.exec(text);
      if (match) resolve(Number(match[1]));
    });
    child.once("exit", (code) => reject(new Error(`child exited (${code}) before listening:\n${text}`)));
  });
}

function startTs(
  file: string,
  env: Record<string, string> = {},
): { child: ChildProcess; port: Promise<number> } {
  const child = spawn(process.execPath, ["--import", "tsx", join(here, "support", file)], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return { child, port: readPort(child, "stdout") };
}

// === Updates: half questions, half interview answers (typed numbers on Zalo; numbers and buttons on Telegram)

let marker = 0;
function telegramUpdate(n: number): object {
  const user = 1_000_000 + (n % USERS);
  if (n % 4 === 1) {
    return {
      update_id: n,
      callback_query: {
        id: `q${n}`,
        from: { id: user, is_bot: false, first_name: "B" },
        chat_instance: "c",
        data: `1|interview@1:ask_pension|yes#${n}`,
        message: { message_id: 1, date: 0, chat: { id: user, type: "private", first_name: "B" }, text: "…" },
      },
    };
  }
  const text = n % 4 === 3 ? `4 người #${n}` : `vay vốn hộ nghèo lãi suất bao nhiêu #${n}`;
  return {
    update_id: n,
    message: {
      message_id: n,
      date: 0,
      from: { id: user, is_bot: false, first_name: "B" },
      chat: { id: user, type: "private" },
      text,
    },
  };
}

function zaloUpdate(n: number): object {
  const user = String(2_000_000 + (n % USERS));
  const text = n % 2 === 1 ? `4 #${n}` : `vay vốn hộ nghèo lãi suất bao nhiêu #${n}`;
  return {
    ok: true,
    result: {
      event_name: "message.text.received",
      message: {
        message_id: `m${n}`,
        date: 0,
        from: { id: user, display_name: "B", is_bot: false },
        chat: { id: user, chat_type: "PRIVATE" },
        text,
      },
    },
  };
}

// === Load

interface Phase {
  result: Result;
  latencies: number[];
  from: number;
  to: number;
  seconds: number;
}

async function load(
  url: string,
  headers: Record<string, string>,
  count: number,
  make: ((n: number) => object) | undefined,
  rate?: number,
): Promise<Phase> {
  const from = marker;
  const latencies: number[] = [];
  // autocannon ends a run on its one-second tick: time the run by its own first request and last response.
  const started = performance.now();
  let lastResponse = started;
  const instance = autocannon({
    url,
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    connections: CONNECTIONS,
    amount: count,
    ...(rate ? { overallRate: rate } : {}),
    timeout: 10,
    requests: [
      {
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify(make ? make(marker++) : { n: marker++ }),
        }),
      },
    ],
  });
  instance.on("response", (_client, _status, _bytes, ms) => {
    latencies.push(ms);
    lastResponse = performance.now();
  });
  const guard = setTimeout(() => instance.stop(), MAX_SECONDS * 1000);
  const result = await instance;
  clearTimeout(guard);
  const seconds = (lastResponse - started) / 1000;
  return { result, latencies, from, to: marker, seconds };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function summary(name: string, phase: Phase): { rate: number; line: string } {
  const sorted = [...phase.latencies].sort((a, b) => a - b);
  const rate = phase.latencies.length / phase.seconds;
  const line =
    `${name.padEnd(22)} ${phase.latencies.length} requests in ${phase.seconds.toFixed(2)} s = ${rate.toFixed(0)}/s; ` +
    `latency ms p50 ${percentile(sorted, 50).toFixed(1)}, p95 ${percentile(sorted, 95).toFixed(1)}, p99 ${percentile(sorted, 99).toFixed(1)}, max ${(sorted.at(-1) ?? 0).toFixed(1)}; ` +
    `non-2xx ${phase.result.non2xx}, errors ${phase.result.errors}, timeouts ${phase.result.timeouts}`;
  return { rate, line };
}

async function stats(
  apiPort: number,
  from: number,
  to: number,
): Promise<{ received: number; duplicated: number; missing: number }> {
  const res = await fetch(`http://127.0.0.1:${apiPort}/stats?from=${from}&to=${to}`);
  return (await res.json()) as { received: number; duplicated: number; missing: number };
}

/** Waits until every update of the range got its reply (or 60 s passed); returns the counts and the wait. */
async function waitForReplies(
  apiPort: number,
  phase: Phase,
): Promise<{ received: number; duplicated: number; missing: number; waited: number }> {
  const started = Date.now();
  let last = await stats(apiPort, phase.from, phase.to);
  while (last.missing > 0 && Date.now() - started < 60_000) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    last = await stats(apiPort, phase.from, phase.to);
  }
  await new Promise((resolve) => setTimeout(resolve, 500)); // late duplicates would show up now
  return { ...(await stats(apiPort, phase.from, phase.to)), waited: (Date.now() - started) / 1000 };
}

function heap(app: ChildProcess): Promise<{ heapUsed: number; rss: number }> {
  return new Promise((resolve) => {
    app.once("message", (message) => resolve(message as { heapUsed: number; rss: number }));
    app.send("heap");
  });
}

// === Run

const WARM_UP = 2000;
const api = startTs("counting-api.ts", {
  BENCH_MAX_MARKER: String(4 * WARM_UP + 6 * UPDATES + USERS + MEMORY_UPDATES + 10),
});
const apiPort = await api.port;
const bare = startTs("bare-server.ts");
const barePort = await bare.port;
function startApp(throttle: "bypassed" | "lifted"): { child: ChildProcess; port: Promise<number> } {
  const child = fork(join(here, "support", "app-under-test.ts"), [], {
    execArgv: [
      "--expose-gc",
      "--import",
      "tsx",
      ...(process.env.BENCH_PROFILE ? ["--cpu-prof", "--cpu-prof-dir=/tmp/hcs-prof"] : []),
    ],
    env: {
      ...process.env,
      BENCH_THROTTLE: throttle,
      TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
      TELEGRAM_API_ROOT: `http://127.0.0.1:${apiPort}`,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      ZALO_BOT_TOKEN: ZALO_TOKEN,
      ZALO_API_ROOT: `http://127.0.0.1:${apiPort}`,
      ZALO_WEBHOOK_SECRET: SECRET,
      PUBLIC_URL: "https://bench.example.vn",
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
    },
    // Logs (info, one line per update) go to /dev/null, but they are written.
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  return { child, port: readPort(child, "stderr") };
}

const app = startApp("bypassed");
const appPort = await app.port;
const telegramUrl = `http://127.0.0.1:${appPort}/webhooks/telegram`;
const zaloUrl = `http://127.0.0.1:${appPort}/webhooks/zalo`;
let failed = false;

console.log(
  `node ${process.version}, ${UPDATES} updates per phase, ${CONNECTIONS} connections, ${USERS} users; ` +
    `outgoing throttle bypassed unless named (the fake API is not Telegram)`,
);

// Warm-up (JIT, connection pools, getMe), not measured.
const telegramHeaders = { "X-Telegram-Bot-Api-Secret-Token": SECRET };
await load(telegramUrl, telegramHeaders, WARM_UP, telegramUpdate);
await load(zaloUrl, { "X-Bot-Api-Secret-Token": SECRET }, WARM_UP, zaloUpdate);
await load(`http://127.0.0.1:${barePort}/`, {}, WARM_UP, undefined);

const baseline = summary(
  "bare node:http",
  await load(`http://127.0.0.1:${barePort}/`, {}, UPDATES, undefined),
);
const lifted = startApp("lifted");
const liftedUrl = `http://127.0.0.1:${await lifted.port}/webhooks/telegram`;
await load(liftedUrl, telegramHeaders, WARM_UP, telegramUpdate);
const zaloHeaders = { "X-Bot-Api-Secret-Token": SECRET };
const TARGET_RATE = 1000;
for (const [name, url, headers, make, count, rate] of [
  ["Telegram webhook", telegramUrl, telegramHeaders, telegramUpdate, UPDATES, undefined],
  [
    `Telegram at ${TARGET_RATE}/s`,
    telegramUrl,
    telegramHeaders,
    telegramUpdate,
    Math.min(UPDATES, 10 * TARGET_RATE),
    TARGET_RATE,
  ],
  ["Zalo webhook", zaloUrl, zaloHeaders, zaloUpdate, UPDATES, undefined],
  [
    `Zalo at ${TARGET_RATE}/s`,
    zaloUrl,
    zaloHeaders,
    zaloUpdate,
    Math.min(UPDATES, 10 * TARGET_RATE),
    TARGET_RATE,
  ],
  ["Telegram + throttler", liftedUrl, telegramHeaders, telegramUpdate, Math.min(UPDATES, 5000), undefined],
] as const) {
  const phase = await load(url, headers, count, make, rate);
  const measured = summary(name, phase);
  const replies = await waitForReplies(apiPort, phase);
  console.log(measured.line);
  console.log(
    `${"".padEnd(22)} ratio to bare node:http ${(measured.rate / baseline.rate).toFixed(2)}; replies: ${replies.received}/${phase.to - phase.from} ` +
      `delivered (all within ${replies.waited.toFixed(1)} s after the load), ${replies.missing} lost, ${replies.duplicated} duplicated`,
  );
  if (replies.missing > 0 || replies.duplicated > 0 || phase.result.non2xx > 0) failed = true;
}
console.log(baseline.line);

lifted.child.kill("SIGTERM");

// Memory: one update from each of 10,000 users, then 100,000 more from the same users.
const warm = await load(telegramUrl, telegramHeaders, USERS, telegramUpdate);
await waitForReplies(apiPort, warm);
const before = await heap(app.child);
const big = await load(telegramUrl, telegramHeaders, MEMORY_UPDATES, telegramUpdate);
const bigReplies = await waitForReplies(apiPort, big);
const after = await heap(app.child);
const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
console.log(
  `memory (Telegram webhook, ${USERS} users): heap after ${USERS} updates ${mb(before.heapUsed)} MB, after ${MEMORY_UPDATES} more ` +
    `${mb(after.heapUsed)} MB (${after.heapUsed >= before.heapUsed ? "+" : ""}${mb(after.heapUsed - before.heapUsed)} MB); rss ${mb(after.rss)} MB; ` +
    `${summary("", big).rate.toFixed(0)} updates/s; replies ${bigReplies.missing} lost, ${bigReplies.duplicated} duplicated`,
);
if (
  after.heapUsed - before.heapUsed > 20 * 1024 * 1024 ||
  bigReplies.missing > 0 ||
  bigReplies.duplicated > 0
)
  failed = true;

app.child.kill("SIGTERM");
api.child.kill();
bare.child.kill();
if (failed) console.log("FAILED: lost or duplicated replies, errors, or a growing heap (see above)");
process.exitCode = failed ? 1 : 0;
