/**
 * `npm run bench -- instances`: the app with the real core on SQLite, on PostgreSQL, and as two instances on one
 * PostgreSQL database, under the same closed-loop load, phases alternating over `BENCH_ROUNDS` rounds (default 2)
 * so that each sees the same machine. A fake Telegram Bot API answers every call at once and counts each chat's
 * messages; users send their next message once every reply to the last has come (each turn's reply count is
 * learnt first, from one user alone). Per phase: updates per second, latency from the webhook delivery to the
 * turn's last reply (p50, p99), CPU per update of the app's processes and of PostgreSQL's, and PostgreSQL
 * statements sent and transactions per update (pg_stat_statements' top-level statements: not those run inside the
 * server-side functions; pg_stat_database).
 *
 * The server is Debian's PostgreSQL started here with its defaults (fsync on). Two layouts of the cores this
 * process may use: shared (the app, PostgreSQL and the load on all of them, as on one small server) and, for one
 * instance when there are two cores or more, own core (the app on the first; PostgreSQL and the load on the
 * others, as when PostgreSQL has a host of its own). `BENCH_USERS` (default 100) users per phase, each sending the ten
 * messages of {@link SCRIPT}, after 20 users per instance for warming up.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { findPostgresBin, freePort, startCluster, stopCluster } from "../bin/pg-cluster.mjs";
import { CHECK_THEN_QUESTIONS } from "../test/support/interview.ts";
import { percentile } from "./support/load.ts";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");
const TOKEN = "123456789:BenchInstancesTokenForTheFakeApiOnly00";
const SECRET = "bench-instances-webhook-secret-0123456789";
const USER_KEY_SECRET = "bench-instances-user-key-secret-0123456789";
const USERS = Number(process.env.BENCH_USERS ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const WARM_UP_USERS = 20;
const SCRIPT = CHECK_THEN_QUESTIONS;

// === A fake Bot API: answers at once, counts each chat's messages, wakes whoever waits for a count.

const received = new Map<number, number>();
const waiters = new Map<number, Array<{ count: number; resolve: () => void }>>();
let messageId = 0;

function answer(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const method = (req.url ?? "").split("/").pop() ?? "";
    const body = chunks.length
      ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>)
      : {};
    let result: unknown = true;
    if (method === "getMe") result = { id: 1, is_bot: true, first_name: "Bench", username: "bench_bot" };
    else if (method === "sendMessage") {
      const chat = Number(body.chat_id);
      const count = (received.get(chat) ?? 0) + 1;
      received.set(chat, count);
      const waiting = waiters.get(chat) ?? [];
      for (const waiter of waiting.filter((w) => w.count <= count)) waiter.resolve();
      waiters.set(
        chat,
        waiting.filter((w) => w.count > count),
      );
      result = { message_id: ++messageId, date: 0, chat: { id: chat, type: "private" }, text: body.text };
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok: true, result }));
  });
}

function untilReceived(chat: number, count: number): Promise<void> {
  if ((received.get(chat) ?? 0) >= count) return Promise.resolve();
  return new Promise((resolve, reject) => {
    setTimeout(
      () =>
        reject(new Error(`chat ${chat}: ${received.get(chat) ?? 0} replies after 60 s, ${count} expected`)),
      60_000,
    ).unref();
    const list = waiters.get(chat) ?? [];
    list.push({ count, resolve });
    waiters.set(chat, list);
  });
}

// === Processes

function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** The benchmark's PostgreSQL server process (its postmaster.pid's first line), set once it started. */
let postmaster = 0;

/** The server and its processes (backends, writers), found by their parent. */
function postgresProcesses(): number[] {
  const pids = [postmaster];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const parent = Number(readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]!.split(" ")[1]);
      if (parent === postmaster) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

/** CPU of the benchmark's PostgreSQL processes so far. */
function postgresCpu(): number {
  return postgresProcesses().reduce((sum, pid) => sum + cpuSeconds(pid), 0);
}

/** The cores this process may run on (its affinity list, "0-1,4" read as [0, 1, 4]). */
function ownCores(): number[] {
  const list = execFileSync("taskset", ["-c", "-p", String(process.pid)], { encoding: "utf8" })
    .split(":")
    .at(-1)!;
  return list
    .trim()
    .split(",")
    .flatMap((part) => {
      const [from, to] = part.split("-").map(Number) as [number, number | undefined];
      return Array.from({ length: (to ?? from) - from + 1 }, (_, i) => from + i);
    });
}

/** Puts `pid` and all its threads on `cores` (a taskset list: "0", "1,2"). */
function pin(pid: number, cores: string): void {
  execFileSync("taskset", ["-a", "-p", "-c", cores, String(pid)], { stdio: "ignore" });
}

/** Puts PostgreSQL on `cores`; the backends it starts later inherit them from the server. */
function pinPostgres(cores: string): void {
  for (const pid of postgresProcesses()) {
    try {
      pin(pid, cores);
    } catch {
      // Gone meanwhile.
    }
  }
}

function freeLocalPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createNetServer();
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

interface Instance {
  child: ChildProcess;
  port: number;
}

/**
 * The app as `serve` runs it, with the real core (bench/support/app-under-test.ts): the same configuration from
 * the environment, without Telegram's 30 messages/s throttle, which is all a fake API would measure otherwise.
 */
async function startServe(env: Record<string, string>, cores: string): Promise<Instance> {
  const port = await freeLocalPort();
  const child = spawn(
    "taskset",
    ["-c", cores, process.execPath, "--import", "tsx", join(REPO, "bench", "support", "app-under-test.ts")],
    {
      cwd: REPO,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        PORT: String(port),
        BENCH_CORE: "real",
        ...env,
      },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let err = "";
  await new Promise<void>((resolve, reject) => {
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      err += chunk;
      if (err.includes("port=")) resolve();
      if (err.length > 100_000) err = err.slice(-10_000);
    });
    child.once("exit", () => reject(new Error(`the app exited at start:\n${err.slice(-3000)}`)));
  });
  return { child, port };
}

async function stopServe(instances: Instance[]): Promise<void> {
  await Promise.all(
    instances.map(
      (instance) =>
        new Promise<void>((resolve) => {
          instance.child.once("exit", () => resolve());
          instance.child.kill("SIGTERM");
        }),
    ),
  );
}

// === Load

let nextUpdateId = 1;
let nextUser = 1;

async function post(instance: Instance, chat: number, text: string): Promise<void> {
  const update = {
    update_id: nextUpdateId++,
    message: {
      message_id: nextUpdateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chat, type: "private" },
      from: { id: chat, is_bot: false, first_name: "Dân" },
      text,
    },
  };
  for (;;) {
    const res = await fetch(`http://127.0.0.1:${instance.port}/webhooks/telegram`, {
      method: "POST",
      headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET },
      body: JSON.stringify(update),
    });
    await res.arrayBuffer();
    if (res.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Replies each turn of {@link SCRIPT} brings, learnt from one user alone. */
async function learnTurns(instance: Instance): Promise<number[]> {
  const chat = nextUser++;
  const counts: number[] = [];
  for (const text of SCRIPT) {
    const before = received.get(chat) ?? 0;
    await post(instance, chat, text);
    let last = -1;
    while (last !== (received.get(chat) ?? 0)) {
      last = received.get(chat) ?? 0;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    counts.push(last - before);
  }
  console.log(`replies per turn: ${counts.join(", ")}`);
  return counts;
}

interface Phase {
  name: string;
  updates: number;
  seconds: number;
  latencies: number[];
  appCpu: number;
  postgresCpu: number;
  statements?: number;
  transactions?: number;
}

async function runPhase(
  name: string,
  instances: Instance[],
  turns: number[],
  stats?: pg.Client,
  users = USERS,
): Promise<Phase> {
  const statsBefore = stats ? await databaseStats(stats) : undefined;
  const appBefore = instances.reduce((sum, i) => sum + cpuSeconds(i.child.pid!), 0);
  const pgBefore = postgresCpu();
  const latencies: number[] = [];
  const started = performance.now();
  let sent = 0;
  await Promise.all(
    Array.from({ length: users }, async (_, u) => {
      const chat = nextUser++;
      let expected = received.get(chat) ?? 0;
      for (const [i, text] of SCRIPT.entries()) {
        const instance = instances[(u + i) % instances.length]!;
        const at = performance.now();
        await post(instance, chat, text);
        expected += turns[i]!;
        await untilReceived(chat, expected);
        latencies.push(performance.now() - at);
        sent++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const statsAfter = stats ? await databaseStats(stats) : undefined;
  return {
    name,
    updates: sent,
    seconds,
    latencies: latencies.sort((a, b) => a - b),
    appCpu: instances.reduce((sum, i) => sum + cpuSeconds(i.child.pid!), 0) - appBefore,
    postgresCpu: postgresCpu() - pgBefore,
    ...(statsBefore && statsAfter
      ? {
          // The benchmark's own statistics query is not the app's.
          statements: statsAfter.statements - statsBefore.statements - 1,
          transactions: statsAfter.transactions - statsBefore.transactions - 1,
        }
      : {}),
  };
}

async function databaseStats(client: pg.Client): Promise<{ statements: number; transactions: number }> {
  const { rows } = await client.query<{ statements: string; transactions: string }>(
    `select (select coalesce(sum(calls), 0) from pg_stat_statements s join pg_database d on d.oid = s.dbid
         where d.datname = current_database() and s.toplevel) as statements,
       (select xact_commit + xact_rollback from pg_stat_database where datname = current_database()) as transactions`,
  );
  return { statements: Number(rows[0]!.statements), transactions: Number(rows[0]!.transactions) };
}

function line(phase: Phase): string {
  const perUpdate = (x: number | undefined, digits: number): string =>
    x === undefined ? "–" : (x / phase.updates).toFixed(digits);
  return [
    phase.name.padEnd(34),
    `${(phase.updates / phase.seconds).toFixed(0).padStart(5)}/s`,
    `p50 ${percentile(phase.latencies, 50).toFixed(0)} ms`,
    `p99 ${percentile(phase.latencies, 99).toFixed(0)} ms`,
    `app CPU ${((phase.appCpu / phase.updates) * 1000).toFixed(2)} ms/update`,
    `PostgreSQL CPU ${((phase.postgresCpu / phase.updates) * 1000).toFixed(2)} ms/update`,
    `statements ${perUpdate(phase.statements, 1)}/update`,
    `transactions ${perUpdate(phase.transactions, 1)}/update`,
  ].join("  ");
}

// === The run

const bin = findPostgresBin();
if (!bin)
  throw new Error("this benchmark needs Debian's postgresql package (PostgreSQL's initdb and pg_ctl)");
const folder = mkdtempSync(join(tmpdir(), "hcs-bench-instances-"));
const api = createServer(answer);
await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
const apiRoot = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
const clusterFolder = join(folder, "cluster");
const url = startCluster({
  bin,
  folder: clusterFolder,
  port: await freePort(),
  settings: ["shared_preload_libraries=pg_stat_statements", "pg_stat_statements.track=all"],
});
postmaster = Number(readFileSync(join(clusterFolder, "data", "postmaster.pid"), "utf8").split("\n")[0]);
const admin = new pg.Client({ connectionString: url });
await admin.connect();
await admin.query("create extension if not exists pg_stat_statements");

const common = {
  TELEGRAM_BOT_TOKEN: TOKEN,
  TELEGRAM_API_ROOT: apiRoot,
  TELEGRAM_WEBHOOK_SECRET: SECRET,
  PUBLIC_URL: "https://bot.example.vn",
  HOST: "127.0.0.1",
  USER_KEY_SECRET,
  LOG_LEVEL: "info",
};
// The app on every core, or on the first one alone with PostgreSQL and the load (this process) on the others.
const cores = ownCores();
const layouts = [
  { suffix: "", app: cores.join(","), others: cores.join(","), instances: [1, 2] },
  ...(cores.length >= 2
    ? [{ suffix: ", own core", app: String(cores[0]), others: cores.slice(1).join(","), instances: [1] }]
    : []),
];
const phases: Phase[] = [];
let turns: number[] | undefined;
try {
  for (let round = 1; round <= ROUNDS; round++) {
    for (const layout of layouts) {
      pin(process.pid, layout.others);
      pinPostgres(layout.others);
      const measured = phases.length;
      // SQLite, one instance.
      const sqlite = [
        await startServe(
          {
            ...common,
            DATABASE_PATH: join(folder, `sqlite-${round}${layout.suffix ? "-own" : ""}.db`),
            INSTANCE_ID: "sqlite",
          },
          layout.app,
        ),
      ];
      turns ??= await learnTurns(sqlite[0]!);
      await runPhase("warm-up", sqlite, turns, undefined, WARM_UP_USERS);
      phases.push(await runPhase(`SQLite, 1 instance${layout.suffix}`, sqlite, turns));
      await stopServe(sqlite);

      // PostgreSQL, each count of instances on a fresh database.
      for (const count of layout.instances) {
        const database = `bench_${round}_${count}${layout.suffix ? "_own" : ""}`;
        await admin.query(`create database ${database}`);
        const databaseUrl = url.replace(/\/postgres$/, `/${database}`);
        const instances: Instance[] = [];
        for (let i = 1; i <= count; i++)
          instances.push(
            await startServe(
              {
                ...common,
                DATABASE_URL: databaseUrl,
                DATABASE_PATH: join(folder, `pg-search-${database}-${i}.db`),
                INSTANCE_ID: `pg-${i}`,
              },
              layout.app,
            ),
          );
        // Each instance opens its search index and compiles its hot paths before the measure.
        await runPhase("warm-up", instances, turns, undefined, WARM_UP_USERS * count);
        const stats = new pg.Client({ connectionString: databaseUrl });
        await stats.connect();
        await stats.query("create extension if not exists pg_stat_statements");
        phases.push(
          await runPhase(
            `PostgreSQL, ${count} instance${count > 1 ? "s" : ""}${layout.suffix}`,
            instances,
            turns,
            stats,
          ),
        );
        await stats.end();
        await stopServe(instances);
      }
      for (const phase of phases.slice(measured)) console.log(`round ${round}: ${line(phase)}`);
    }
  }
  const median = (name: string, pick: (p: Phase) => number): number | undefined => {
    const values = phases
      .filter((p) => p.name === name)
      .map(pick)
      .sort((a, b) => a - b);
    return values[Math.floor((values.length - 1) / 2)];
  };
  const rate = (p: Phase): number => p.updates / p.seconds;
  const share = (suffix: string): string => {
    const sqliteRate = median(`SQLite, 1 instance${suffix}`, rate);
    const pgRate = median(`PostgreSQL, 1 instance${suffix}`, rate);
    return sqliteRate && pgRate ? `${((pgRate / sqliteRate) * 100).toFixed(0)}%` : "–";
  };
  const perUpdate = (name: string): string =>
    median(name, (p) => (p.statements ?? 0) / p.updates)?.toFixed(1) ?? "–";
  console.log(
    `PostgreSQL, 1 instance, keeps ${share(", own core")} of SQLite's updates/s with the app on a core of its ` +
      `own, ${share("")} on shared cores (goal ≥ 70%); statements per update: 1 instance ` +
      `${perUpdate("PostgreSQL, 1 instance")}, 2 instances ${perUpdate("PostgreSQL, 2 instances")} (goal: not ` +
      "more with more instances)",
  );
} finally {
  await admin.end();
  stopCluster({ bin, folder: clusterFolder, mode: "fast" });
  api.close();
  rmSync(folder, { recursive: true, force: true });
}
