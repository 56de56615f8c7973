/**
 * Channel benchmark (`npm run bench -- channels`): webhook throughput and latency of the real app (both channels,
 * webhook mode, replies sent to a fake Bot API in its own process), against a bare node:http server answering 200,
 * in the same run, on loopback, bounded in count and time (support/load.ts): closed loops of 40 connections with
 * autocannon give the most the app carries, evenly spaced requests the latency at a given rate. Each phase also
 * reports the app's CPU time per update and how busy its event loop was.
 *
 * 0. The inbox and outbox statements alone, in this process before any load (support/delivery-store-cost.ts):
 *    CPU and wall time and WAL pages per update against a session save alone, a commit per step and in group
 *    commits, with and without SQLite's own checkpoints.
 * 0b. The inbox and outbox cost: the same app with and without them (BENCH_DELIVERY=direct), fast and real core,
 *    in alternating closed loops (BENCH_COST_ROUNDS rounds of BENCH_COST_UPDATES and BENCH_COST_REAL_UPDATES
 *    updates per channel and variant), updates handled per second and app CPU per update; BENCH_ONLY=cost stops
 *    after it.
 * 1. Fast stand-in core: what the channels, the HTTP server and the dispatcher cost by themselves (BENCH_UPDATES
 *    per phase, default 20,000). Every reply echoes a marker, so the fake API checks each was sent once.
 * 2. Real core (`createCore`: flows, scorer and knowledge base over a temporary SQLite file in WAL mode):
 *    10,000 users, half on Telegram and half on Zalo, each playing a golden transcript (/kiemtra, answers such as
 *    "3tr5", /quaylai, buttons on Telegram…) with knowledge-base questions in between (see
 *    support/real-traffic.ts). A user sends its next message only once the previous one was acknowledged; every
 *    update is checked for a reply, once (support/reply-accounting.ts). After one message from every user, the
 *    heap and the database are measured, and again after BENCH_MEMORY_UPDATES more (default 100,000): the
 *    Telegram and Zalo phases (BENCH_REAL_UPDATES each, default 10,000), both channels offered 1,000 updates/s
 *    then half of the lower closed-loop rate (10 s each), and both channels together for the rest.
 *
 * BENCH_PROFILE=1 also records a CPU profile of the real core during the Telegram and Zalo phases and prints
 * where the time goes (profiles kept in hcs-prof in the system's temporary folder; they slow the app a little).
 * BENCH_HEAP_SNAPSHOTS=1 writes heap snapshots of the real-core app where its heap is measured, there too.
 *
 * Goal: at least 1,000 updates/s with p99 under 100 ms on the 2-core machine, no lost or duplicated
 * reply, a flat heap.
 */
import Database from "better-sqlite3";
import { fork, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createDeduplicator, DEFAULT_DEDUP } from "../src/channels/dedup.ts";
import { encodeChoiceData } from "../src/channels/telegram/callback-data.ts";
import { summarizeProfile } from "./support/cpu-profile.ts";
import { deliveryStoreCost, type StoreCost } from "./support/delivery-store-cost.ts";
import { CONNECTIONS, load, summary, type Outgoing, type Phase } from "./support/load.ts";
import { createTraffic, loadKbQuestions, recordScripts, type Turn } from "./support/real-traffic.ts";
import { account, type Accounting, type SentUpdate } from "./support/reply-accounting.ts";

const here = dirname(fileURLToPath(import.meta.url));
const UPDATES = Number(process.env.BENCH_UPDATES ?? 20_000);
const REAL_UPDATES = Number(process.env.BENCH_REAL_UPDATES ?? 10_000);
const MEMORY_UPDATES = Number(process.env.BENCH_MEMORY_UPDATES ?? 100_000);
/** Rounds of the with/without comparison, and updates per channel and variant in each (fast, real core). */
const COST_ROUNDS = Number(process.env.BENCH_COST_ROUNDS ?? 5);
const COST_UPDATES = Number(process.env.BENCH_COST_UPDATES ?? 5000);
const COST_REAL_UPDATES = Number(process.env.BENCH_COST_REAL_UPDATES ?? 3000);
const PROFILE = Boolean(process.env.BENCH_PROFILE);
const PROFILE_DIR = join(tmpdir(), "hcs-prof");
const USERS = 10_000;
/** Bound on the long real-core phase: 100,000 updates at about 300/s on a slow day take some 330 s. */
const MEMORY_MAX_SECONDS = 600;
const TARGET_RATE = 1000;
/** Share of the real-core messages that are knowledge-base questions typed between transcript turns. */
const QUESTION_SHARE = 0.3;
const TELEGRAM_TOKEN = "123456789:AAbenchmarkTokenNotRealAtAll_0123456";
const ZALO_TOKEN = "bench-zalo-token-0123456789";
const SECRET = "bench-webhook-secret-0123456789abcdef";
const TELEGRAM_HEADER = "X-Telegram-Bot-Api-Secret-Token";
const ZALO_HEADER = "X-Bot-Api-Secret-Token";

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

/** Sends an IPC request to the app under test and resolves with its answer. */
function ask<T>(app: ChildProcess, message: string): Promise<T> {
  return new Promise((resolve) => {
    app.once("message", (answer) => resolve(answer as T));
    app.send(message);
  });
}

// === Fast-core updates: half questions, half interview answers (typed numbers on Zalo; numbers and buttons on
// Telegram), each text carrying its marker.

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

/** A fast-core phase, with the range of markers its requests carried. */
interface MarkedPhase extends Phase {
  from: number;
  to: number;
}

/** A fast-core load: each request is `make(marker)`. */
async function loadMarked(
  url: string,
  headers: Record<string, string>,
  count: number,
  make: ((n: number) => object) | undefined,
  rate?: number,
): Promise<MarkedPhase> {
  const from = marker;
  const phase = await load({
    url,
    headers,
    count,
    ...(rate ? { rate } : {}),
    next: () => ({ body: JSON.stringify(make ? make(marker++) : { n: marker++ }) }),
  });
  return { ...phase, from, to: marker };
}

/** How the phase compares with the bare server: a ratio for a closed loop, the offered rate otherwise. */
function versus(phase: Phase, rate: number): string {
  return phase.rate === undefined
    ? `ratio to bare node:http ${(rate / baseline.rate).toFixed(3)}`
    : `offered ${phase.rate}/s (evenly spaced)`;
}

async function stats(
  apiPort: number,
  from: number,
  to: number,
): Promise<{ received: number; duplicated: number; missing: number; lastAt: number }> {
  const res = await fetch(`http://127.0.0.1:${apiPort}/stats?from=${from}&to=${to}`);
  return (await res.json()) as { received: number; duplicated: number; missing: number; lastAt: number };
}

/** Waits until every update of the range got its reply (or 60 s passed); returns the counts and the wait. */
async function waitForReplies(
  apiPort: number,
  phase: MarkedPhase,
  pollMs = 200,
): Promise<{ received: number; duplicated: number; missing: number; lastAt: number; waited: number }> {
  const started = Date.now();
  let last = await stats(apiPort, phase.from, phase.to);
  while (last.missing > 0 && Date.now() - started < 60_000) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    last = await stats(apiPort, phase.from, phase.to);
  }
  await new Promise((resolve) => setTimeout(resolve, 500)); // late duplicates would show up now
  return { ...(await stats(apiPort, phase.from, phase.to)), waited: (Date.now() - started) / 1000 };
}

interface Footprint {
  heapUsed: number;
  rss: number;
  databaseBytes: number;
  walBytes: number;
}

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

interface CpuSample {
  cpuMicros: number;
  loop: { idle: number; active: number; utilization: number };
  /** Event loop delay since the previous sample, ms. */
  delay: { p99: number; max: number };
}

/** What a phase cost the app: CPU time per update, how busy its event loop was, and how late it ran. */
interface Usage {
  cpuMsPerUpdate: number;
  loopBusy: number;
  delay: { p99: number; max: number };
}

function usageSince(before: CpuSample, after: CpuSample, updates: number): Usage {
  const active = after.loop.active - before.loop.active;
  const idleTime = after.loop.idle - before.loop.idle;
  return {
    cpuMsPerUpdate: (after.cpuMicros - before.cpuMicros) / 1000 / Math.max(1, updates),
    loopBusy: active / Math.max(1e-9, active + idleTime),
    delay: after.delay,
  };
}

function usageText(usage: Usage): string {
  return (
    `app CPU ${usage.cpuMsPerUpdate.toFixed(2)} ms per update (one core: at most ${Math.round(1000 / usage.cpuMsPerUpdate)}/s), ` +
    `event loop busy ${Math.round(100 * usage.loopBusy)}%, delayed p99 ${usage.delay.p99.toFixed(0)} ms, max ${usage.delay.max.toFixed(0)} ms`
  );
}

// === Run: the fake API, the bare baseline, the app with the fast core

const WARM_UP = 2000;
const api = startTs("counting-api.ts", {
  BENCH_MAX_MARKER: String(6 * WARM_UP + 6 * UPDATES + 4 * COST_ROUNDS * COST_UPDATES + 10),
});
const apiPort = await api.port;
const bare = startTs("bare-server.ts");
const barePort = await bare.port;

function startApp(
  env: Record<string, string>,
  stdout: "ignore" | number = "ignore",
): { child: ChildProcess; port: Promise<number> } {
  const child = fork(join(here, "support", "app-under-test.ts"), [], {
    execArgv: [
      "--expose-gc",
      "--import",
      "tsx",
      ...(PROFILE && env.BENCH_CORE !== "real" ? ["--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}`] : []),
    ],
    env: {
      ...process.env,
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
      ...env,
    },
    // Logs (info, one line per update) are written to /dev/null, or to a file when the benchmark reads them.
    stdio: ["ignore", stdout, "pipe", "ipc"],
  });
  return { child, port: readPort(child, "stderr") };
}

// Every app has a database of its own (the inbox and outbox live there), in a scratch folder.
const work = mkdtempSync(join(tmpdir(), "hcs-bench-channels-"));
const app = startApp({ BENCH_THROTTLE: "bypassed", DATABASE_PATH: join(work, "fast.db") });
const appPort = await app.port;
const telegramUrl = `http://127.0.0.1:${appPort}/webhooks/telegram`;
const zaloUrl = `http://127.0.0.1:${appPort}/webhooks/zalo`;
const telegramHeaders = { [TELEGRAM_HEADER]: SECRET };
const zaloHeaders = { [ZALO_HEADER]: SECRET };
let failed = false;

console.log(
  `node ${process.version}, ${CONNECTIONS} connections; outgoing throttle bypassed unless named (the fake API is not Telegram)\n` +
    `-- fast stand-in core: ${UPDATES} updates per phase, ${USERS} users`,
);

{
  // Before any load, so that nothing else runs: the inbox and outbox statements alone.
  const cost = await deliveryStoreCost(work, 20_000);
  const us = (c: StoreCost): string =>
    `${c.cpuMicros.toFixed(0)} µs CPU, ${c.wallMicros.toFixed(0)} µs wall` +
    (c.walPages === undefined ? "" : `, ${c.walPages.toFixed(1)} WAL pages`);
  console.log(
    `inbox/outbox in SQLite, per update (20,000, WAL file), with SQLite's checkpoints: session save alone ${us(cost.session)}; ` +
      `durable path, a commit per step ${us(cost.single)}, group commits of 8 ${us(cost.group)}\n` +
      `  without checkpoints on the thread (as under serve): session save alone ${us(cost.sessionNoCheckpoints)}; ` +
      `a commit per step ${us(cost.singleNoCheckpoints)}; group commits ${us(cost.groupNoCheckpoints)}`,
  );
}

// Warm-up (JIT, connection pools), not measured.
await loadMarked(telegramUrl, telegramHeaders, WARM_UP, telegramUpdate);
await loadMarked(zaloUrl, zaloHeaders, WARM_UP, zaloUpdate);
await loadMarked(`http://127.0.0.1:${barePort}/`, {}, WARM_UP, undefined);

// === Inbox and outbox cost: the same app with and without them (BENCH_DELIVERY=direct), in alternating closed
// loops of COST_UPDATES each, the order swapped every round, so that both see the same share of the machine.
// Throughput here is updates handled per second: from the first request to the last reply received by the fake
// API (or the last acknowledgement, if later). With the inbox a webhook is answered once the update is stored,
// before it is handled, so acknowledgements alone would flatter it.

/** The real-core app: its own database and log, its users, and where each user is in its transcript. */
interface RealApp {
  child: ChildProcess;
  url: string;
  databasePath: string;
  logPath: string;
  logOffset: number;
  /** Users by channel, least recently served first; a user is taken out while its message is in flight. */
  idle: { telegram: number[]; zalo: number[] };
  traffic: ReturnType<typeof createTraffic>;
  /** Updates sent to it, by channel. */
  received: { telegram: number; zalo: number };
}

const scripts = await recordScripts();
const questions = loadKbQuestions();
let updateId = 0;

async function startReal(name: string, env: Record<string, string> = {}): Promise<RealApp> {
  const databasePath = join(work, `${name}.db`);
  const logPath = join(work, `${name}.log`);
  const child = startApp({ BENCH_CORE: "real", DATABASE_PATH: databasePath, ...env }, openSync(logPath, "w"));
  return {
    child: child.child,
    url: `http://127.0.0.1:${await child.port}/webhooks/telegram`,
    databasePath,
    logPath,
    logOffset: 0,
    idle: {
      telegram: Array.from({ length: USERS / 2 }, (_, i) => 2 * i),
      zalo: Array.from({ length: USERS / 2 }, (_, i) => 2 * i + 1),
    },
    traffic: createTraffic(scripts, questions, QUESTION_SHARE),
    received: { telegram: 0, zalo: 0 },
  };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** One closed loop of one variant: its rate and the app's CPU per update. */
interface CostRun {
  rate: number;
  cpuMs: number;
}

/**
 * Runs `run(variant, channel)` for both variants, `COST_ROUNDS` times per channel, the order alternating, and
 * prints the medians and the median of the rounds' ratios (with / without).
 */
async function compareDelivery(
  label: string,
  run: (durable: boolean, channel: "telegram" | "zalo") => Promise<CostRun>,
): Promise<Record<"telegram" | "zalo", { ratio: number; with: number; without: number }>> {
  const result = {} as Record<"telegram" | "zalo", { ratio: number; with: number; without: number }>;
  for (const channel of ["telegram", "zalo"] as const) {
    const rounds: Array<{ with: CostRun; without: CostRun }> = [];
    for (let round = 0; round < COST_ROUNDS; round++) {
      const first = round % 2 === 0;
      const a = await run(first, channel);
      const b = await run(!first, channel);
      rounds.push(first ? { with: a, without: b } : { with: b, without: a });
    }
    const ratios = rounds.map((r) => r.with.rate / r.without.rate);
    const withRate = median(rounds.map((r) => r.with.rate));
    const withoutRate = median(rounds.map((r) => r.without.rate));
    result[channel] = { ratio: median(ratios), with: withRate, without: withoutRate };
    console.log(
      `inbox/outbox cost, ${label}, ${channel}: with ${withRate.toFixed(0)}/s ` +
        `(${median(rounds.map((r) => r.with.cpuMs)).toFixed(3)} ms CPU per update), without ${withoutRate.toFixed(0)}/s ` +
        `(${median(rounds.map((r) => r.without.cpuMs)).toFixed(3)} ms); throughput with/without: median ` +
        `${median(ratios).toFixed(3)} (${(100 * (median(ratios) - 1)).toFixed(1)}%), rounds ` +
        `${ratios.map((r) => r.toFixed(2)).join(", ")}; load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(" ")}`,
    );
  }
  return result;
}

if (COST_ROUNDS > 0) {
  console.log(
    `-- inbox and outbox cost: ${COST_ROUNDS} rounds of ${COST_UPDATES} updates per channel and variant, closed loops, ` +
      `alternating (load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")})`,
  );
  const direct = startApp({
    BENCH_THROTTLE: "bypassed",
    BENCH_DELIVERY: "direct",
    DATABASE_PATH: join(work, "direct.db"),
  });
  const directPort = await direct.port;
  const fastTargets = {
    durable: { port: appPort, child: app.child },
    direct: { port: directPort, child: direct.child },
  };
  await loadMarked(
    `http://127.0.0.1:${directPort}/webhooks/telegram`,
    telegramHeaders,
    WARM_UP,
    telegramUpdate,
  );
  await loadMarked(`http://127.0.0.1:${directPort}/webhooks/zalo`, zaloHeaders, WARM_UP, zaloUpdate);
  const fastCost = await compareDelivery("fast core", async (durable, channel) => {
    const target = durable ? fastTargets.durable : fastTargets.direct;
    const cpuBefore = await ask<CpuSample>(target.child, "cpu");
    const startedAt = Date.now();
    const phase = await loadMarked(
      `http://127.0.0.1:${target.port}/webhooks/${channel}`,
      channel === "telegram" ? telegramHeaders : zaloHeaders,
      COST_UPDATES,
      channel === "telegram" ? telegramUpdate : zaloUpdate,
    );
    // Not Date.now(): autocannon ends a run on its one-second tick.
    const ackedAt = startedAt + phase.seconds * 1000;
    const replies = await waitForReplies(apiPort, phase, 10);
    const usage = usageSince(cpuBefore, await ask<CpuSample>(target.child, "cpu"), phase.latencies.length);
    if (replies.missing > 0 || replies.duplicated > 0 || phase.non2xx > 0) {
      failed = true;
      console.log(
        `  ${durable ? "with" : "without"}: ${replies.missing} lost, ${replies.duplicated} duplicated, ${phase.non2xx} non-2xx`,
      );
    }
    return {
      rate: phase.latencies.length / ((Math.max(replies.lastAt, ackedAt) - startedAt) / 1000),
      cpuMs: usage.cpuMsPerUpdate,
    };
  });
  direct.child.kill("SIGTERM");

  let realCost: Awaited<ReturnType<typeof compareDelivery>> | undefined;
  if (COST_REAL_UPDATES > 0) {
    await fetch(`http://127.0.0.1:${apiPort}/chats`);
    const realApps = {
      durable: await startReal("cost-durable"),
      direct: await startReal("cost-direct", { BENCH_DELIVERY: "direct" }),
    };
    // One message from every user first, as the main real-core phases do.
    for (const target of [realApps.durable, realApps.direct]) await loadReal(target, "both", USERS);
    realCost = await compareDelivery("real core", async (durable, channel) => {
      const target = durable ? realApps.durable : realApps.direct;
      const run = await loadReal(target, channel, COST_REAL_UPDATES);
      const a = run.accounting;
      if (
        a.lost > 0 ||
        a.duplicated > 0 ||
        a.incomplete > 0 ||
        a.stray > 0 ||
        a.errors > 0 ||
        a.refused > 0
      ) {
        failed = true;
        console.log(
          `  ${durable ? "with" : "without"}: ${a.lost} lost, ${a.duplicated} duplicated, ${a.incomplete} incomplete, ` +
            `${a.stray} stray, ${a.errors} errors, ${a.refused} refused`,
        );
      }
      const startedAt = Math.min(...run.sent.map((u) => u.sentAt));
      const endedAt = Math.max(run.lastReplyAt, ...run.sent.map((u) => u.ackedAt));
      return {
        rate: run.phase.latencies.length / ((endedAt - startedAt) / 1000),
        cpuMs: run.usage.cpuMsPerUpdate,
      };
    });
    for (const target of [realApps.durable, realApps.direct]) {
      target.child.kill("SIGTERM");
      await new Promise((resolve) => target.child.once("exit", resolve));
    }
  }
  const verdict = (ratio: number): string => (ratio >= 0.85 ? "met" : "NOT met");
  console.log(
    `inbox/outbox cost summary (goal: at least 0.85 of the throughput without): fast core Telegram ` +
      `${fastCost.telegram.ratio.toFixed(3)} ${verdict(fastCost.telegram.ratio)}, Zalo ${fastCost.zalo.ratio.toFixed(3)} ` +
      `${verdict(fastCost.zalo.ratio)}` +
      (realCost
        ? `; real core Telegram ${realCost.telegram.ratio.toFixed(3)} ${verdict(realCost.telegram.ratio)}, ` +
          `Zalo ${realCost.zalo.ratio.toFixed(3)} ${verdict(realCost.zalo.ratio)}`
        : ""),
  );
}

if (process.env.BENCH_ONLY === "cost") {
  app.child.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
  api.child.kill();
  bare.child.kill();
  process.exit(failed ? 1 : 0);
}

const baseline = summary(
  "bare node:http",
  await loadMarked(`http://127.0.0.1:${barePort}/`, {}, UPDATES, undefined),
);
const fast: Record<string, { run: { rate: number; p99: number }; phase: Phase }> = {};
const lifted = startApp({ BENCH_THROTTLE: "lifted", DATABASE_PATH: join(work, "lifted.db") });
const liftedUrl = `http://127.0.0.1:${await lifted.port}/webhooks/telegram`;
await loadMarked(liftedUrl, telegramHeaders, WARM_UP, telegramUpdate);
for (const [name, url, headers, make, count, rate, child] of [
  ["Telegram webhook", telegramUrl, telegramHeaders, telegramUpdate, UPDATES, undefined, app.child],
  [
    `Telegram at ${TARGET_RATE}/s`,
    telegramUrl,
    telegramHeaders,
    telegramUpdate,
    Math.min(UPDATES, 10 * TARGET_RATE),
    TARGET_RATE,
    app.child,
  ],
  ["Zalo webhook", zaloUrl, zaloHeaders, zaloUpdate, UPDATES, undefined, app.child],
  [
    `Zalo at ${TARGET_RATE}/s`,
    zaloUrl,
    zaloHeaders,
    zaloUpdate,
    Math.min(UPDATES, 10 * TARGET_RATE),
    TARGET_RATE,
    app.child,
  ],
  [
    "Telegram + throttler",
    liftedUrl,
    telegramHeaders,
    telegramUpdate,
    Math.min(UPDATES, 5000),
    undefined,
    lifted.child,
  ],
] as const) {
  const cpuBefore = await ask<CpuSample>(child, "cpu");
  const phase = await loadMarked(url, headers, count, make, rate);
  const usage = usageSince(cpuBefore, await ask<CpuSample>(child, "cpu"), phase.latencies.length);
  const measured = summary(name, phase);
  fast[name] = { run: measured, phase };
  const replies = await waitForReplies(apiPort, phase);
  console.log(measured.line);
  console.log(
    `${"".padEnd(22)} ${versus(phase, measured.rate)}; replies: ${replies.received}/${phase.to - phase.from} ` +
      `delivered (all within ${replies.waited.toFixed(1)} s after the load), ${replies.missing} lost, ${replies.duplicated} duplicated; ` +
      usageText(usage),
  );
  if (replies.missing > 0 || replies.duplicated > 0 || phase.non2xx > 0) failed = true;
}
lifted.child.kill("SIGTERM");
app.child.kill("SIGTERM");

// === Run: the app with the real core

if (PROFILE || process.env.BENCH_HEAP_SNAPSHOTS) mkdirSync(PROFILE_DIR, { recursive: true });
await fetch(`http://127.0.0.1:${apiPort}/chats`); // forget the earlier phases' calls
const real = await startReal("bench");
const databasePath = real.databasePath;

function realUpdate(channel: "telegram" | "zalo", user: number, turn: Turn, n: number): Outgoing {
  const now = Date.now();
  if (channel === "telegram") {
    const id = 1_000_000 + user;
    const from = { id, is_bot: false, first_name: "B" };
    const chat = { id, type: "private", first_name: "B" };
    const data = turn.button ? encodeChoiceData(turn.button.stepId, turn.button.value) : undefined;
    const update = data
      ? {
          update_id: n,
          callback_query: {
            id: `q${n}`,
            from,
            chat_instance: "c",
            data,
            message: { message_id: 1, date: Math.floor(now / 1000), chat, text: "…" },
          },
        }
      : {
          update_id: n,
          message: { message_id: n, date: Math.floor(now / 1000), from, chat, text: turn.text },
        };
    return {
      path: "/webhooks/telegram",
      headers: { "content-type": "application/json", [TELEGRAM_HEADER]: SECRET },
      body: JSON.stringify(update),
    };
  }
  const id = String(2_000_000 + user);
  return {
    path: "/webhooks/zalo",
    headers: { "content-type": "application/json", [ZALO_HEADER]: SECRET },
    body: JSON.stringify({
      ok: true,
      result: {
        event_name: "message.text.received",
        message: {
          message_id: `m${n}`,
          date: now,
          from: { id, display_name: "B", is_bot: false },
          chat: { id, chat_type: "PRIVATE" },
          text: turn.text,
        },
      },
    }),
  };
}

interface RealPhase {
  phase: Phase;
  sent: SentUpdate[];
  accounting: Accounting;
  usage: Usage;
  /** Bot API calls by method (sendMessage, answerCallbackQuery, sendChatAction…). */
  calls: Record<string, number>;
  /** When the last reply reached the fake API (epoch ms). */
  lastReplyAt: number;
}

/** A real-core load on one channel or both (alternating), then the reply accounting once the app is idle. */
async function loadReal(
  target: RealApp,
  channels: "telegram" | "zalo" | "both",
  count: number,
  options: { rate?: number; maxSeconds?: number; profile?: string } = {},
): Promise<RealPhase> {
  const sent: SentUpdate[] = [];
  let turnIndex = 0;
  if (options.profile) await ask(target.child, "profile:start");
  const cpuBefore = await ask<CpuSample>(target.child, "cpu");
  const phase = await load({
    url: target.url,
    headers: {},
    count,
    ...(options.rate ? { rate: options.rate } : {}),
    ...(options.maxSeconds ? { maxSeconds: options.maxSeconds } : {}),
    next: (context) => {
      let channel: "telegram" | "zalo" =
        channels === "both" ? (turnIndex++ % 2 === 0 ? "telegram" : "zalo") : channels;
      if (target.idle[channel].length === 0) channel = channel === "telegram" ? "zalo" : "telegram";
      const user = target.idle[channel].shift()!;
      const turn = target.traffic.next(user);
      const n = ++updateId;
      const button = channel === "telegram" && turn.button !== undefined;
      const update: SentUpdate = {
        key: channel === "telegram" ? `telegram:${n}` : `zalo:m${n}`,
        chat: `${channel}:${(channel === "telegram" ? 1_000_000 : 2_000_000) + user}`,
        kind: turn.kind,
        button,
        sentAt: Date.now(),
        ackedAt: 0,
        status: 0,
        user,
        channel,
      };
      sent.push(update);
      target.received[channel]++;
      context.update = update;
      return realUpdate(channel, user, turn, n);
    },
    done: (context, status) => {
      const update = context.update as SentUpdate;
      update.ackedAt = Date.now();
      update.status = status;
      target.idle[update.channel].push(update.user);
    },
  });
  await ask(target.child, "idle");
  const usage = usageSince(cpuBefore, await ask<CpuSample>(target.child, "cpu"), phase.latencies.length);
  // Requests cut off by the time bound were handled all the same: their users are free again.
  for (const update of sent) if (update.status === 0) target.idle[update.channel].push(update.user);
  if (options.profile) await ask(target.child, `profile:stop ${options.profile}`);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const { chats, methods } = (await (await fetch(`http://127.0.0.1:${apiPort}/chats`)).json()) as {
    chats: Record<string, number[]>;
    methods: Record<string, number>;
  };
  const log = readFileSync(target.logPath);
  const lines = log.subarray(target.logOffset).toString("utf8").split("\n");
  target.logOffset = log.length;
  const lastReplyAt = Math.max(0, ...Object.values(chats).flat());
  return { phase, sent, accounting: account(sent, chats, lines), usage, calls: methods, lastReplyAt };
}

function mix(sent: readonly SentUpdate[]): string {
  const share = (n: number): string => `${Math.round((100 * n) / Math.max(1, sent.length))}%`;
  const of = (kind: string): number => sent.filter((u) => u.kind === kind).length;
  return (
    `mix ${share(of("question"))} KB questions, ${share(of("answer"))} answers ` +
    `(${share(sent.filter((u) => u.button).length)} as buttons), ${share(of("command"))} commands`
  );
}

function report(name: string, run: RealPhase): { rate: number; p99: number } {
  const measured = summary(name, run.phase);
  const a = run.accounting;
  const outcomes = Object.entries(a.outcomes)
    .map(([outcome, n]) => `${outcome} ${n}`)
    .join(", ");
  console.log(measured.line);
  console.log(
    `${"".padEnd(22)} ${versus(run.phase, measured.rate)}; ${mix(run.sent)}; ` +
      `replies: ${a.answered}/${a.updates} updates answered (${a.messages} messages, ${a.messagesPerUpdate.toFixed(2)} per update), ` +
      `${a.lost} lost, ${a.duplicated} duplicated, ${a.incomplete} incomplete, ${a.late} late, ${a.stray} stray` +
      `${a.cutOff > 0 ? ` (${a.cutOff} still in flight at the time bound, answered after it)` : ""}; ` +
      `outcomes: ${outcomes}; ${a.errors} errors logged; Bot API calls: ${Object.entries(run.calls)
        .map(([method, n]) => `${method} ${n}`)
        .join(", ")}; ${usageText(run.usage)}`,
  );
  if (a.lost > 0 || a.duplicated > 0 || a.incomplete > 0 || a.stray > 0 || a.errors > 0 || a.refused > 0)
    failed = true;
  return measured;
}

/** What the database holds: sessions (rows, bytes with their indexes), the search index, free pages. */
interface DatabaseStats {
  sessions: number;
  sessionBytes: number;
  searchIndexBytes: number;
  freeBytes: number;
}

function databaseStats(): DatabaseStats {
  const database = new Database(databasePath, { readonly: true });
  try {
    const bytesOf = (pattern: string): number =>
      (database
        .prepare("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE ?")
        .pluck()
        .get(pattern) as number) ?? 0;
    const pageSize = database.pragma("page_size", { simple: true }) as number;
    return {
      sessions: database.prepare("SELECT count(*) FROM sessions").pluck().get() as number,
      sessionBytes: bytesOf("%sessions%"),
      searchIndexBytes: bytesOf("kb%"),
      freeBytes: (database.pragma("freelist_count", { simple: true }) as number) * pageSize,
    };
  } finally {
    database.close();
  }
}

/**
 * Heap taken by the channels' de-duplication windows holding this many update ids, measured in this process with
 * keys made the way the channels make them (from parsed JSON: a Telegram update id as a string, Zalo's event
 * name and message id joined).
 */
function dedupHeapBytes(entries: { telegram: number; zalo: number }): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return Number.NaN;
  gc();
  const start = process.memoryUsage().heapUsed;
  const telegram = createDeduplicator(DEFAULT_DEDUP);
  const zalo = createDeduplicator(DEFAULT_DEDUP);
  for (let i = 0; i < entries.telegram; i++) {
    const update = JSON.parse(`{"update_id":${i + 1}}`) as { update_id: number };
    telegram.firstSeen(String(update.update_id));
  }
  for (let i = 0; i < entries.zalo; i++) {
    const update = JSON.parse(
      `{"event_name":"message.text.received","message":{"message_id":"m${i + 1}"}}`,
    ) as { event_name: string; message: { message_id: string } };
    zalo.firstSeen(`${update.event_name}:${update.message.message_id}`);
  }
  gc();
  const bytes = process.memoryUsage().heapUsed - start;
  // Used after the measurement, so that neither window could be collected before it.
  return telegram.size() + zalo.size() > 0 ? bytes : 0;
}

/** Update ids each channel's de-duplication window holds now (all of this run's fit in its ten minutes). */
function dedupEntries(): { telegram: number; zalo: number } {
  return {
    telegram: Math.min(DEFAULT_DEDUP.maxEntries, real.received.telegram),
    zalo: Math.min(DEFAULT_DEDUP.maxEntries, real.received.zalo),
  };
}

interface Measured extends Footprint, DatabaseStats {
  dedupEntries: { telegram: number; zalo: number };
}

/** The app's heap (after full collections) and the database, now. */
async function measure(label: string): Promise<Measured> {
  if (process.env.BENCH_HEAP_SNAPSHOTS)
    await ask(real.child, `snapshot ${join(PROFILE_DIR, `real-core-${label}.heapsnapshot`)}`);
  return {
    ...(await ask<Footprint>(real.child, "heap")),
    ...databaseStats(),
    dedupEntries: dedupEntries(),
  };
}

function footprint(label: string, at: Measured): string {
  return (
    `${label.padEnd(34)} heap ${mb(at.heapUsed)} MB, rss ${mb(at.rss)} MB; database ${mb(at.databaseBytes)} MB + WAL ${mb(at.walBytes)} MB: ` +
    `${at.sessions} sessions in ${mb(at.sessionBytes)} MB, search index ${mb(at.searchIndexBytes)} MB, free ${mb(at.freeBytes)} MB`
  );
}

console.log(
  `-- real core (flows, scorer, knowledge base; SQLite WAL file): ${USERS} users (half Telegram, half Zalo) playing ` +
    `${scripts.length} transcripts, ${Math.round(QUESTION_SHARE * 100)}% of messages KB questions in between; ` +
    `${REAL_UPDATES} updates per channel phase`,
);
// Warm-up and baseline for the memory figures: one message from every user.
const warm = await loadReal(real, "both", USERS);
report("warm-up (1 per user)", warm);
const before = await measure("before");
let done = 0;
const profiles: [string, string][] = [];
const closedLoop: Record<string, { rate: number; p99: number }> = {};
for (const [name, channel] of [
  ["Telegram, real core", "telegram"],
  ["Zalo, real core", "zalo"],
] as const) {
  const profile = PROFILE ? join(PROFILE_DIR, `real-core-${channel}.cpuprofile`) : undefined;
  const run = await loadReal(real, channel, REAL_UPDATES, profile ? { profile } : {});
  if (profile) profiles.push([name, profile]);
  closedLoop[channel] = report(name, run);
  done += run.sent.length;
}
const offered = await loadReal(real, "both", 10 * TARGET_RATE, { rate: TARGET_RATE, maxSeconds: 10 });
const atTarget = report(`both at ${TARGET_RATE}/s offered`, offered);
done += offered.sent.length;
// The latency at a load the app carries with room to spare: half of the lower closed-loop rate.
const comfortable = Math.max(
  50,
  Math.floor(Math.min(closedLoop.telegram!.rate, closedLoop.zalo!.rate) / 2 / 50) * 50,
);
const atHalf = await loadReal(real, "both", 10 * comfortable, { rate: comfortable, maxSeconds: 10 });
const atComfortable = report(`both at ${comfortable}/s offered`, atHalf);
done += atHalf.sent.length;
const middle = await measure("middle");
const middleCount = done;
if (MEMORY_UPDATES > done) {
  const rest = await loadReal(real, "both", MEMORY_UPDATES - done, { maxSeconds: MEMORY_MAX_SECONDS });
  report("both, the rest", rest);
  done += rest.sent.length;
}
const after = await measure("after");
const signed = (bytes: number): string => `${bytes >= 0 ? "+" : ""}${mb(bytes)} MB`;
const heapGrowth = after.heapUsed - middle.heapUsed;
const dedupGrowth = dedupHeapBytes(after.dedupEntries) - dedupHeapBytes(middle.dedupEntries);
console.log(
  `memory, real core, ${USERS} users:\n` +
    `  ${footprint(`after ${USERS} updates (1 per user)`, before)}\n` +
    `  ${footprint(`after ${middleCount} more`, middle)}\n` +
    `  ${footprint(`after ${done} more`, after)}\n` +
    `  heap ${signed(after.heapUsed - before.heapUsed)} over ${done} updates, ${signed(heapGrowth)} over the last ${done - middleCount}, ` +
    `of which ${signed(dedupGrowth)} is the channels' de-duplication windows filling up ` +
    `(${after.dedupEntries.telegram} + ${after.dedupEntries.zalo} update ids remembered, at most ${DEFAULT_DEDUP.maxEntries} per channel): ` +
    `${signed(heapGrowth - dedupGrowth)} otherwise`,
);
if (heapGrowth - dedupGrowth > 5 * 1024 * 1024 || done < MEMORY_UPDATES) failed = true;

/** Whether a paced phase met the goal, and why not. */
function goal(run: { rate: number; p99: number }, phase: Phase): string {
  if (phase.overloadedAfter !== undefined)
    return `NOT met: more than 1 s behind after ${phase.overloadedAfter.toFixed(1)} s`;
  const met = run.rate >= 0.95 * TARGET_RATE && run.p99 < 100;
  return `${met ? "met" : "NOT met"}: ${run.rate.toFixed(0)}/s, p99 ${run.p99.toFixed(1)} ms`;
}
console.log(
  `\nsummary (goal ${TARGET_RATE} updates/s with p99 < 100 ms; bare node:http ${baseline.rate.toFixed(0)}/s):\n` +
    `  fast core  Telegram ${fast["Telegram webhook"]!.run.rate.toFixed(0)}/s, Zalo ${fast["Zalo webhook"]!.run.rate.toFixed(0)}/s in a closed loop; ` +
    `at ${TARGET_RATE}/s: Telegram ${goal(fast[`Telegram at ${TARGET_RATE}/s`]!.run, fast[`Telegram at ${TARGET_RATE}/s`]!.phase)}, ` +
    `Zalo ${goal(fast[`Zalo at ${TARGET_RATE}/s`]!.run, fast[`Zalo at ${TARGET_RATE}/s`]!.phase)}\n` +
    `  real core  Telegram ${closedLoop.telegram!.rate.toFixed(0)}/s, Zalo ${closedLoop.zalo!.rate.toFixed(0)}/s in a closed loop; ` +
    `at ${TARGET_RATE}/s: ${goal(atTarget, offered.phase)}; at ${comfortable}/s: p99 ${atComfortable.p99.toFixed(1)} ms`,
);
console.log(baseline.line);

real.child.kill("SIGTERM");
await new Promise((resolve) => real.child.once("exit", resolve));
for (const [name, profile] of profiles) {
  console.log(`\nwhere the time goes, ${name} (CPU profile ${profile}):`);
  console.log(summarizeProfile(JSON.parse(readFileSync(profile, "utf8"))));
}
rmSync(work, { recursive: true, force: true });
api.child.kill();
bare.child.kill();
if (failed)
  console.log(
    "FAILED: lost or duplicated replies, errors, an unfinished phase or a growing heap (see above)",
  );
process.exitCode = failed ? 1 : 0;
