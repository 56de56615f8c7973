/**
 * Console benchmark (`npm run bench -- console`): how fast the staff console's pages are served under 20
 * staff members working at once. The console runs in its own process (support/console-server.ts) as `serve`
 * mounts it, over a temporary database with a month of statistics; 20 signed-in sessions on loopback
 * (keep-alive) go through the pages: home, search (questions of test/kb/questions.yaml, with and without
 * diacritics, with typos, rotating), the plans, one plan's outline, one section, the household form, a household
 * checked (POST with its CSRF token), statistics, the feedback queue. Latencies are measured by the client, so
 * they include the loopback round trip.
 *
 * 1. Staff at work: each session requests a page, pauses (random, BENCH_CONSOLE_THINK_MS on average, default
 *    250 ms: far busier than people reading a page), and goes on; BENCH_CONSOLE_REQUESTS per page (default 300).
 * 2. Closed loops: the 20 sessions without any pause, one page at a time (BENCH_CONSOLE_LOOP_REQUESTS per page,
 *    default 1,000): the most the console carries, and its latency when saturated.
 *
 * Goal: p95 under 50 ms on every page for 20 staff at work.
 */
import { fork } from "node:child_process";
import { Agent, request } from "node:http";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { loadKbQuestions } from "./support/real-traffic.ts";

const here = dirname(fileURLToPath(import.meta.url));
const REQUESTS = Number(process.env.BENCH_CONSOLE_REQUESTS ?? 300);
const LOOP_REQUESTS = Number(process.env.BENCH_CONSOLE_LOOP_REQUESTS ?? 1000);
/** Mean pause of a staff member between two pages, in ms (reading, typing). */
const THINK_MS = Number(process.env.BENCH_CONSOLE_THINK_MS ?? 250);
const SESSIONS = 20;
const GOAL_P95_MS = 50;

interface Session {
  cookie: string;
  csrf: string;
}

const server = fork(join(here, "support", "console-server.ts"), [], {
  execArgv: ["--import", "tsx"],
  env: { ...process.env, BENCH_SESSIONS: String(SESSIONS) },
  stdio: ["ignore", "inherit", "inherit", "ipc"],
});
const { port, sessions } = await new Promise<{ port: number; sessions: Session[] }>((resolve, reject) => {
  server.once("message", (message) => resolve(message as { port: number; sessions: Session[] }));
  server.once("exit", (code) => reject(new Error(`console server exited (${code})`)));
});

const agent = new Agent({ keepAlive: true, maxSockets: SESSIONS });
const questions = loadKbQuestions();

/** One request; resolves with its status once the whole body is read. */
function send(method: "GET" | "POST", path: string, session: Session, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method,
        path,
        agent,
        headers: {
          cookie: session.cookie,
          ...(body
            ? {
                "content-type": "application/x-www-form-urlencoded",
                "content-length": Buffer.byteLength(body),
              }
            : {}),
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

type Step = (session: Session, index: number) => Promise<number>;

const household = (session: Session, index: number): string =>
  new URLSearchParams({
    _csrf: session.csrf,
    khu_vuc: index % 2 === 0 ? "rural" : "urban",
    so_nguoi: String(1 + (index % 6)),
    danh_sach: "none",
    thu_nhap: `${2 + (index % 5)}tr${index % 10}`,
    thieu_da_hoi: "yes",
    thieu: "health_insurance",
    thanh_vien: "con học ĐH",
  }).toString();

const PAGES: [string, Step][] = [
  ["home", (s) => send("GET", "/console", s)],
  [
    "search",
    (s, i) => send("GET", `/console/search?q=${encodeURIComponent(questions[i % questions.length]!)}`, s),
  ],
  ["documents", (s) => send("GET", "/console/documents", s)],
  ["outline", (s) => send("GET", "/console/documents/thai-binh-2017-2020", s)],
  ["section", (s) => send("GET", "/console/documents/thai-binh-2017-2020/IV.1.2", s)],
  ["check form", (s) => send("GET", "/console/check", s)],
  ["check (POST)", (s, i) => send("POST", "/console/check", s, household(s, i))],
  ["stats", (s) => send("GET", "/console/stats", s)],
  ["feedback", (s) => send("GET", "/console/feedback", s)],
];

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Staff at work: each session goes through the pages in turn, pausing between requests (a random think time,
 * `thinkMs` on average), until `total` requests were made; latencies in ms by page.
 */
async function atWork(total: number, thinkMs: number) {
  const byPage = new Map<string, number[]>(PAGES.map(([name]) => [name, []]));
  let next = 0;
  let bad = 0;
  const started = performance.now();
  await Promise.all(
    sessions.map(async (session, offset) => {
      await sleep(Math.random() * thinkMs);
      for (let index = next++; index < total; index = next++) {
        const [name, step] = PAGES[(index + offset) % PAGES.length]!;
        const at = performance.now();
        const status = await step(session, index);
        byPage.get(name)!.push(performance.now() - at);
        if (status !== 200) bad++;
        await sleep(Math.random() * 2 * thinkMs);
      }
    }),
  );
  return { byPage, seconds: (performance.now() - started) / 1000, bad };
}

/** `total` requests of one page by the sessions in closed loops (no pause at all); latencies in ms. */
async function closedLoop(
  step: Step,
  total: number,
): Promise<{ latencies: number[]; seconds: number; bad: number }> {
  const latencies: number[] = [];
  let next = 0;
  let bad = 0;
  const started = performance.now();
  await Promise.all(
    sessions.map(async (session) => {
      for (let index = next++; index < total; index = next++) {
        const at = performance.now();
        const status = await step(session, index);
        latencies.push(performance.now() - at);
        if (status !== 200) bad++;
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000, bad };
}

const row = (name: string, latencies: number[], rate: string, bad: number): string => {
  latencies.sort((a, b) => a - b);
  const ms = (p: number) => percentile(latencies, p).toFixed(1).padStart(7);
  return `${name.padEnd(14)} ${rate.padStart(6)} ${ms(50)} ${ms(95)} ${ms(99)} ${latencies.at(-1)!.toFixed(1).padStart(7)}${bad > 0 ? `  ${bad} not 200` : ""}`;
};
const header = "page            req/s  p50 ms  p95 ms  p99 ms  max ms";

// Warm-up: every page a few times (the knowledge base opens on the first search).
for (const [, step] of PAGES) await closedLoop(step, 60);

const work = await atWork(REQUESTS * PAGES.length, THINK_MS);
console.log(
  `\n1. Staff at work: ${SESSIONS} sessions, a page then a pause of ${THINK_MS} ms on average, ${work.byPage.get("home")!.length} requests per page (${Math.round((REQUESTS * PAGES.length) / work.seconds)} req/s in all)`,
);
console.log(header);
let failed = work.bad > 0;
for (const [name, latencies] of work.byPage) {
  const sorted = [...latencies].sort((a, b) => a - b);
  if (percentile(sorted, 95) >= GOAL_P95_MS) failed = true;
  console.log(row(name, latencies, "", 0));
}
if (work.bad > 0) console.log(`${work.bad} responses were not 200`);

console.log(
  `\n2. Closed loops: ${SESSIONS} sessions without pause, ${LOOP_REQUESTS} requests per page (the most the console carries)`,
);
console.log(header);
for (const [name, step] of PAGES) {
  const { latencies, seconds, bad } = await closedLoop(step, LOOP_REQUESTS);
  if (bad > 0) failed = true;
  console.log(row(name, latencies, String(Math.round(latencies.length / seconds)), bad));
}
console.log(
  `\ngoal: p95 under ${GOAL_P95_MS} ms on every page for ${SESSIONS} staff at work: ${failed ? "NOT met" : "met"}`,
);
agent.destroy();
server.disconnect();
process.exitCode = failed ? 1 : 0;
