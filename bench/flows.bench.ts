/**
 * `npm run bench -- flows`: how fast the conversation core is, without the knowledge base (a test fake
 * stands in for it; the scorer is the real one, pure and memoised, so this measures mostly the flow engine,
 * answer parsing and session storage).
 * Reports the median of 5 rounds; the machine is shared, so compare ratios within one run.
 *
 * - answers/s: `parseAnswer` on a mix of money, yes/no, choice and date answers;
 * - steps/s: the pure `step` function on a mid-interview answer;
 * - messages/s through `handle`, with sessions in SQLite in memory and in a WAL file: a whole interview
 *   per user (11 messages), 500 users.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAnswer } from "../src/flows/answers.ts";
import { createConversation } from "../src/flows/conversation.ts";
import { initialSnapshot, step, type Snapshot } from "../src/flows/engine.ts";
import { loadFlows } from "../src/flows/load.ts";
import { openDatabase } from "../src/storage/database.ts";
import { createSessionStore } from "../src/storage/repositories/sessions.ts";
import { createFakeKnowledge, createTestScorer } from "../test/support/fake-deps.ts";

const ROUNDS = 5;
const flows = loadFlows();
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function rate(label: string, count: number, run: () => void | Promise<void>): Promise<number> {
  return (async () => {
    const rates: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      (globalThis as { gc?: () => void }).gc?.();
      const start = process.hrtime.bigint();
      await run();
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      rates.push(count / seconds);
    }
    const value = median(rates);
    console.log(
      `${label.padEnd(44)} ${Math.round(value).toLocaleString("en-US").padStart(12)} /s  (median of ${ROUNDS})`,
    );
    return value;
  })();
}

const samples = [
  [{ type: "money" as const }, "3tr5"],
  [{ type: "money" as const }, "ba triệu rưỡi"],
  [{ type: "money" as const }, "60 triệu một năm"],
  [{ type: "yes_no" as const }, "dạ không"],
  [{ type: "month_year" as const, not_future: true, min_year: 1990 }, "tháng 3 năm 2024"],
  [flows.flows.eligibility!.steps.ask_listed_status!.answer, "ho can ngheo"],
] as const;
const context = { today: "2026-11-22", allowUnknown: true };
await rate("parseAnswer (mixed answers)", 60_000, () => {
  for (let i = 0; i < 10_000; i++) for (const [spec, text] of samples) parseAnswer(spec, text, context);
});

const engine = { flows, ttlDays: 30 };
let snapshot: Snapshot = initialSnapshot();
for (const text of ["/kiemtra", "1"])
  snapshot = step(engine, snapshot, { type: "message", text, today: "2026-11-22" }).snapshot;
await rate("step (answer to a pending question)", 50_000, () => {
  for (let i = 0; i < 50_000; i++)
    step(engine, snapshot, { type: "message", text: "4 người", today: "2026-11-22" });
});

const interview = [
  "/kiemtra",
  "1",
  "4",
  "không có tên",
  "không",
  "3tr5",
  "2, 7, 9",
  "1",
  "lớp 7",
  "trường công",
  "không",
];
async function throughput(label: string, path: string) {
  const users = 500;
  let round = 0;
  return rate(label, users * interview.length, async () => {
    const database = openDatabase(path);
    const conversation = createConversation({
      flows,
      sessions: createSessionStore(database),
      knowledge: createFakeKnowledge(),
      eligibility: createTestScorer(),
    });
    round++;
    for (let u = 0; u < users; u++) {
      for (const text of interview) await conversation.handle(`bench:${round}:${u}`, text);
    }
    database.close();
  });
}
const dir = mkdtempSync(join(tmpdir(), "hcs-bench-"));
try {
  const memory = await throughput("handle, sessions in :memory:", ":memory:");
  const file = await throughput("handle, sessions in a WAL file", join(dir, "bench.db"));
  console.log(`file / memory throughput ratio: ${(file / memory).toFixed(2)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
