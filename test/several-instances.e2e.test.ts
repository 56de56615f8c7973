import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeTelegramApi } from "./support/fake-telegram-api.ts";
import { FakeZaloApi } from "./support/fake-zalo-api.ts";
import { TEST_SECRET } from "./support/harness.ts";
import { usePostgresDatabase } from "./support/postgres.ts";
import { spawnNode, type Spawned } from "./support/process.ts";

// Three `serve` instances of the real core on one PostgreSQL database, behind a "load balancer" that sends
// each delivery to the next instance in turn and one in ten a second time, at once, to another instance.
const INSTANCES = 3;
const USERS_PER_CHANNEL = 50;
const ZALO_SECRET = "zalo-webhook-secret-0123456789abcdef";
const USER_KEY_SECRET = "several-instances-user-key-secret-0123456789";
// An interview that reaches its result, and two questions of fact: ten messages per user.
const SCRIPT = [
  "/kiemtra",
  "nông thôn",
  "5 người",
  "hộ nghèo",
  "0",
  "1",
  "lớp 7",
  "trường công",
  "lai suat vay ho ngheo bao nhieu",
  "bhyt ho can ngheo duoc ho tro bao nhieu",
];

const pg = usePostgresDatabase();
const dir = mkdtempSync(join(tmpdir(), "hcs-instances-"));
const running: Spawned[] = [];
let telegram: FakeTelegramApi;
let zalo: FakeZaloApi;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

interface Instance {
  name: string;
  port: number;
  process: Spawned;
}

async function startInstance(name: string, databaseUrl: string): Promise<Instance> {
  const port = await freePort();
  const process = spawnNode(["bin/hoichinhsach.mjs", "serve"], {
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    TELEGRAM_WEBHOOK_SECRET: TEST_SECRET,
    ZALO_BOT_TOKEN: zalo.token,
    ZALO_API_ROOT: zalo.apiRoot,
    ZALO_WEBHOOK_SECRET: ZALO_SECRET,
    PUBLIC_URL: "https://bot.example.vn",
    PORT: String(port),
    HOST: "127.0.0.1",
    DATABASE_URL: databaseUrl,
    DATABASE_PATH: join(dir, `${name}-search.db`),
    INSTANCE_ID: name,
    USER_KEY_SECRET,
    LOG_LEVEL: "info",
  });
  running.push(process);
  await process.waitForOutput('"msg":"server started"', 60_000);
  await process.waitForOutput('"msg":"Telegram bot ready"', 30_000);
  return { name, port, process };
}

/** One user of either channel: posts its messages as the platform would, and reads what its chat received. */
interface User {
  channel: "telegram" | "zalo";
  id: number;
  update(text: string): { body: unknown; updateId: string };
  received(): string[];
}

function users(): User[] {
  const list: User[] = [];
  for (let i = 0; i < USERS_PER_CHANNEL; i++) {
    const telegramId = 7000 + i;
    list.push({
      channel: "telegram",
      id: telegramId,
      update(text) {
        const body = telegram.userSends(telegramId, text);
        return { body, updateId: String(body.update_id) };
      },
      received: () => telegram.sentTo(telegramId).map((message) => message.text),
    });
    const zaloId = `z${8000 + i}`;
    list.push({
      channel: "zalo",
      id: 8000 + i,
      update(text) {
        const body = zalo.event("message.text.received", zaloId, { text });
        return { body, updateId: body.message.message_id };
      },
      received: () => zalo.sentTo(zaloId),
    });
  }
  return list;
}

async function post(instance: Instance, user: User, body: unknown): Promise<number> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (user.channel === "telegram") headers["X-Telegram-Bot-Api-Secret-Token"] = TEST_SECRET;
  else headers["X-Bot-Api-Secret-Token"] = ZALO_SECRET;
  const res = await fetch(`http://127.0.0.1:${instance.port}/webhooks/${user.channel}`, {
    method: "POST",
    headers,
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

/** Posts until the delivery is acknowledged (an instance answering 503 or gone is tried again on the next). */
async function deliver(pick: () => Instance, user: User, body: unknown): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const status = await post(pick(), user, body).catch(() => 0);
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("a delivery was never acknowledged");
}

/** Waits until no chat received anything for `quietMs`. */
async function quiet(all: User[], quietMs: number, timeoutMs: number): Promise<void> {
  const total = (): number => all.reduce((sum, user) => sum + user.received().length, 0);
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let since = Date.now();
  while (Date.now() < deadline) {
    const now = total();
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the chats never went quiet");
}

/** Handled updates (not repeats) in the instances' logs, by update id. */
function handledCounts(processes: Spawned[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const process of processes)
    for (const line of process.stdout().split("\n")) {
      if (!line.includes('"msg":"update handled"') || line.includes('"outcome":"duplicate"')) continue;
      const id = String((JSON.parse(line) as { update_id: unknown }).update_id);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  return counts;
}

beforeAll(async () => {
  telegram = await FakeTelegramApi.start();
  zalo = await FakeZaloApi.start();
});

afterAll(async () => {
  for (const process of running) if (process.child.exitCode === null) process.child.kill("SIGKILL");
  await telegram?.close();
  await zalo?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.runIf(pg.available)("several serve instances on one PostgreSQL database", () => {
  it("answers each of 1,000 updates once, in each user's order, with one in ten delivered twice", async () => {
    const databaseUrl = pg.url();
    const instances: Instance[] = [];
    for (let i = 1; i <= INSTANCES; i++) instances.push(await startInstance(`bot-${i}`, databaseUrl));
    const all = users();
    const [referenceTelegram, referenceZalo] = [all[0]!, all[1]!];

    // The reference: one user per channel, each message waiting for the answers to the one before.
    let next = 0;
    const roundRobin = (): Instance => instances[next++ % INSTANCES]!;
    for (const user of [referenceTelegram, referenceZalo]) {
      for (const text of SCRIPT) {
        await deliver(roundRobin, user, user.update(text).body);
        await quiet([user], 400, 30_000);
      }
    }
    const expected = { telegram: referenceTelegram.received(), zalo: referenceZalo.received() };
    expect(expected.telegram.join("\n")).toContain("KẾT QUẢ ƯỚC TÍNH");
    expect(expected.zalo.join("\n")).toContain("KẾT QUẢ ƯỚC TÍNH");

    // The others at once: each sends its next message as soon as the last is acknowledged (not answered),
    // to the next instance in turn; one delivery in ten goes to two instances at the same moment.
    const updateIds: string[] = [];
    let twice = 0;
    const others = all.slice(2);
    await Promise.all(
      others.map(async (user, u) => {
        for (const [i, text] of SCRIPT.entries()) {
          const { body, updateId } = user.update(text);
          updateIds.push(`${user.channel}:${updateId}`);
          const first = instances[(u + i) % INSTANCES]!;
          if ((u * SCRIPT.length + i) % 10 === 3) {
            twice++;
            const second = instances[(u + i + 1) % INSTANCES]!;
            await Promise.all([deliver(() => first, user, body), deliver(() => second, user, body)]);
          } else await deliver(() => first, user, body);
        }
      }),
    );
    expect(updateIds).toHaveLength(980);
    await quiet(others, 1500, 180_000);

    // Every user's chat reads as the reference does: every reply there once, in the order of the messages.
    const wrong = others.filter((user) => user.received().join("\n") !== expected[user.channel].join("\n"));
    expect(wrong.map((user) => `${user.channel}:${user.id}`)).toEqual([]);
    // Each update handled by exactly one instance, and every instance took part.
    const counts = handledCounts(instances.map((instance) => instance.process));
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
    expect(counts.size).toBe(1000);
    for (const instance of instances)
      expect(instance.process.stdout().split('"msg":"update handled"').length).toBeGreaterThan(100);
    console.info(`several instances: 1,000 updates from 100 users, ${twice} delivered twice`);

    for (const instance of instances) instance.process.child.kill("SIGTERM");
    for (const instance of instances) expect(await instance.process.exited).toBe(0);
  });
});
