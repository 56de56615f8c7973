import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Update } from "grammy/types";
import { afterAll, describe, expect, it } from "vitest";
import { FakeTelegramApi } from "./support/fake-telegram-api.ts";
import { FaultProxy } from "./support/fault-proxy.ts";
import { TEST_SECRET } from "./support/harness.ts";
import { freePort, spawnNode, type Spawned } from "./support/process.ts";

const UPDATES = 400;
const KILL_AFTER_ACKS = 150;

const dir = mkdtempSync(join(tmpdir(), "hcs-crash-"));
const spawned: Spawned[] = [];
afterAll(() => {
  for (const process of spawned) if (process.child.exitCode === null) process.child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

describe("kill -9 of serve under load, then a restart", () => {
  it("answers every update that was acknowledged, and a repeat of one only once", async () => {
    const api = await FakeTelegramApi.start();
    // A little latency, as a real API has: sends are in flight when the process dies.
    const proxy = await FaultProxy.start({ upstream: api.apiRoot, methods: [], rates: {}, latencyMs: 20 });
    const port = await freePort();
    const env = {
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: proxy.apiRoot,
      TELEGRAM_WEBHOOK_SECRET: TEST_SECRET,
      PUBLIC_URL: "https://bot.example.vn",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_PATH: join(dir, "serve.db"),
      INSTANCE_ID: "crash-test",
      USER_KEY_SECRET: "crash-test-user-key-secret-0123456789",
      LOG_LEVEL: "info",
    };
    const serve = (): Spawned => {
      const process = spawnNode(["--import", "tsx", "test/support/serve-with-fake-core.ts"], env);
      spawned.push(process);
      return process;
    };
    const updates: Update[] = Array.from({ length: UPDATES }, (_, i) =>
      api.userSends(5000 + i, `echo k${i}`),
    );
    const post = async (update: Update): Promise<number> => {
      const res = await fetch(`http://127.0.0.1:${port}/webhooks/telegram`, {
        method: "POST",
        headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": TEST_SECRET },
        body: JSON.stringify(update),
      });
      await res.arrayBuffer();
      return res.status;
    };
    const copies = (i: number): number => api.sentTo(5000 + i).filter((m) => m.text === `echo k${i}`).length;

    const first = serve();
    await first.waitForOutput('"msg":"Telegram bot ready"', 30_000);
    const acknowledged = new Set<number>();
    let next = 0;
    let killed = false;
    let killedAt = 0;
    const client = async (): Promise<void> => {
      while (next < UPDATES) {
        const i = next++;
        const status = await post(updates[i] as Update).catch(() => 0);
        if (status === 200) acknowledged.add(i);
        if (!killed && acknowledged.size >= KILL_AFTER_ACKS) {
          killed = true;
          killedAt = Date.now();
          first.child.kill("SIGKILL");
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, client));
    await first.exited;
    const answeredAtKill = [...acknowledged].filter((i) => copies(i) > 0).length;

    const second = serve();
    await second.waitForOutput('"msg":"Telegram bot ready"', 30_000);
    await api.waitFor(
      () => [...acknowledged].every((i) => copies(i) > 0),
      30_000,
      "a reply to every acknowledged update",
    );
    // Telegram sends again what was not acknowledged, and may repeat what was.
    const repeats = [...acknowledged].slice(0, 20);
    const unacknowledged = updates.map((_, i) => i).filter((i) => !acknowledged.has(i));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const beforeRepeats = repeats.map(copies);
    for (const i of [...repeats, ...unacknowledged]) expect(await post(updates[i] as Update)).toBe(200);
    await api.waitFor(() => updates.every((_, i) => copies(i) > 0), 30_000, "a reply to every update");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(repeats.map(copies)).toEqual(beforeRepeats);

    const withCopies = updates.map((_, i) => i).filter((i) => copies(i) > 1);
    const extra = withCopies.map(copies);
    // Calls the dead process had written are read by the proxy a moment later; the next process takes longer to start.
    const inFlightAtKill = (i: number): boolean =>
      proxy.calls.some(
        (c) => c.chat === String(5000 + i) && c.method === "sendMessage" && c.at <= killedAt + 1000,
      );
    console.info(
      `kill -9 under load: ${JSON.stringify({
        acknowledged: acknowledged.size,
        answeredAtKill,
        answeredAfterRestart: acknowledged.size - answeredAtKill,
        notAcknowledged: unacknowledged.length,
        updatesWithACopy: extra.length,
      })}`,
    );
    expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    expect(answeredAtKill).toBeLessThan(acknowledged.size);
    // A copy only where a send was already on its way when the process died, and never more than one.
    expect(extra.every((n) => n === 2)).toBe(true);
    expect(withCopies.every(inFlightAtKill)).toBe(true);
    expect(second.stdout()).toContain('"msg":"taking up where the last run stopped"');

    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    await proxy.close();
    await api.close();
  });
});
