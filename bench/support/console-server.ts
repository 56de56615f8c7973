/**
 * The console benchmark's server, in a process of its own: the console mounted as `serve` mounts it, over a
 * temporary SQLite file with a few weeks of anonymous statistics and disputed answers, and `SESSIONS` staff
 * members signed in. Sends `{ port, sessions: [{ cookie, csrf }] }` to its parent once listening.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createConsoleMount } from "../../src/console/mount.ts";
import { decide } from "../../src/domain/eligibility.ts";
import { loadPolicyKnowledge } from "../../src/knowledge/policy-load.ts";
import { createLogger } from "../../src/logging.ts";
import { createHttpApp, startHttpServer } from "../../src/server/http.ts";
import { openDatabase } from "../../src/storage/database.ts";
import { createConsoleAuthStore } from "../../src/storage/repositories/console-auth.ts";
import {
  createFeedbackStore,
  createUsageStats,
  decisionFeedback,
} from "../../src/staff/services/feedback.ts";

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 20);
const dir = mkdtempSync(join(tmpdir(), "hcs-console-bench-"));
const secret = "console-bench-user-key-secret-0123456789";
const database = openDatabase(join(dir, "bench.db"), { userKeySecret: secret });
const staffIds = Array.from({ length: SESSIONS }, (_, index) => `telegram:${1000 + index}`);

// A few weeks of screenings and questions, and disputed answers, as the chat would have stored them.
const policy = loadPolicyKnowledge();
let day = Date.parse("2026-11-01T05:00:00Z");
const stats = createUsageStats(database, { now: () => day });
const feedback = createFeedbackStore(database, { now: () => day });
for (let index = 0; index < 3000; index++) {
  day = Date.parse("2026-11-01T05:00:00Z") + (index % 30) * 86_400_000;
  const household = {
    area: index % 3 === 0 ? ("urban" as const) : ("rural" as const),
    members: 1 + (index % 6),
    monthlyIncome: 1_000_000 + (index % 40) * 250_000,
    assessedOn: "2026-11-15",
  };
  const decision = decide(household, policy);
  stats.recordScreening(decision);
  stats.recordSearch(
    { type: "no_match", query: `câu hỏi chưa có trả lời số ${index % 50}`, message: "…", results: [] },
    `telegram:${index}`,
  );
  if (index % 30 === 0)
    feedback.record({
      ...decisionFeedback(household, decision),
      verdict: "wrong",
      role: "staff",
      versions: { rules: "r", knowledge: "k" },
    });
}

const auth = createConsoleAuthStore(database);
const sessions = staffIds.map((key) => {
  const signedIn = auth.redeem(auth.mintCode(key).code, "bench");
  if (signedIn.type !== "ok") throw new Error("sign-in failed");
  return {
    cookie: `hcs_console=${signedIn.token}`,
    csrf: createHash("sha256").update(`csrf:${signedIn.token}`).digest("base64url"),
  };
});

const logger = createLogger({ level: "warn" });
const mount = createConsoleMount(database, { staffIds }, logger, { today: () => "2026-11-30" });
const app = createHttpApp({ logger, webhooks: {}, mounts: [mount] });
const server = await startHttpServer(app, { port: 0, host: "127.0.0.1" });
process.send?.({ port: server.port, sessions });
process.on("disconnect", () => {
  void server.close(500).then(() => {
    mount.close();
    database.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
});
