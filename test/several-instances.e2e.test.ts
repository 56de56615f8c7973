import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  clusterUrl,
  findPostgresBin,
  freePort as freeClusterPort,
  startCluster,
  stopCluster,
} from "../bin/pg-cluster.mjs";
import { FakeTelegramApi } from "./support/fake-telegram-api.ts";
import { FakeZaloApi } from "./support/fake-zalo-api.ts";
import { TEST_SECRET } from "./support/harness.ts";
import { usePostgresDatabase } from "./support/postgres.ts";
import { CHECK_THEN_QUESTIONS } from "./support/interview.ts";
import { freePort, spawnNode, type Spawned } from "./support/process.ts";

// Three `serve` instances of the real core on one PostgreSQL database, behind a "load balancer" that sends
// each delivery to the next instance in turn and one in ten a second time, at once, to another instance.
const INSTANCES = 3;
const USERS_PER_CHANNEL = 50;
const ZALO_SECRET = "zalo-webhook-secret-0123456789abcdef";
const USER_KEY_SECRET = "several-instances-user-key-secret-0123456789";
// An interview that reaches its result, and two questions of fact: ten messages per user.
const SCRIPT = CHECK_THEN_QUESTIONS;

const database = usePostgresDatabase();
const dir = mkdtempSync(join(tmpdir(), "hcs-instances-"));
const running: Spawned[] = [];
let telegram: FakeTelegramApi;
let zalo: FakeZaloApi;

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

/** 100 users, half on each channel; `base` keeps each test's users apart. */
function users(base: number): User[] {
  const list: User[] = [];
  for (let i = 0; i < USERS_PER_CHANNEL; i++) {
    const telegramId = base + i;
    list.push({
      channel: "telegram",
      id: telegramId,
      update(text) {
        const body = telegram.userSends(telegramId, text);
        return { body, updateId: String(body.update_id) };
      },
      received: () => telegram.sentTo(telegramId).map((message) => message.text),
    });
    const zaloId = `z${base + 500 + i}`;
    list.push({
      channel: "zalo",
      id: base + 500 + i,
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
async function deliver(pick: (attempt: number) => Instance, user: User, body: unknown): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const status = await post(pick(attempt), user, body).catch(() => 0);
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

/** Where a chat first departs from the reference, for the failure message. */
function firstDifference(got: string[], expected: string[]): string {
  const at = got.findIndex((text, i) => text !== expected[i]);
  const i = at < 0 ? got.length : at;
  return `message ${i + 1} of ${got.length} (reference ${expected.length}): ${JSON.stringify(got[i]?.slice(0, 160))} instead of ${JSON.stringify(expected[i]?.slice(0, 160))}`;
}

/** Stops the instances and expects each to exit cleanly, with its error output when it did not. */
async function stopAll(instances: Iterable<Instance>): Promise<void> {
  const list = [...instances];
  for (const instance of list) instance.process.child.kill("SIGTERM");
  for (const instance of list) {
    const code = await instance.process.exited;
    expect(
      code,
      `${instance.name} exited ${code}: ${instance.process.stderr().slice(0, 2500).replaceAll("\n", " | ")}`,
    ).toBe(0);
  }
}

/** Waits until every stored update is handled and every reply sent. */
async function drained(databaseUrl: string, timeoutMs: number): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await client.query<{ waiting: string }>(
        "select (select count(*) from inbox where status <> 'done') + (select count(*) from outbox) as waiting",
      );
      if (Number(rows[0]?.waiting) === 0) return;
      if (Date.now() > deadline) throw new Error(`${rows[0]?.waiting} updates and replies still waiting`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await client.end();
  }
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

/** The chats of one user per channel, each message sent once the answers to the one before have come. */
async function reference(
  instances: Instance[],
  all: User[],
  databaseUrl: string,
): Promise<Record<User["channel"], string[]>> {
  let next = 0;
  const roundRobin = (): Instance => instances[next++ % instances.length]!;
  for (const user of all.slice(0, 2)) {
    for (const text of SCRIPT) {
      await deliver(roundRobin, user, user.update(text).body);
      await quiet([user], 400, 30_000);
    }
  }
  // Every reply of the last turns too, however slow the machine.
  await drained(databaseUrl, 60_000);
  const [first, second] = all as [User, User];
  const expected = { [first.channel]: first.received(), [second.channel]: second.received() } as Record<
    User["channel"],
    string[]
  >;
  expect(expected.telegram.join("\n")).toContain("KẾT QUẢ ƯỚC TÍNH");
  expect(expected.zalo.join("\n")).toContain("KẾT QUẢ ƯỚC TÍNH");
  return expected;
}

/**
 * The other users at once: each sends its next message as soon as the last is acknowledged (not answered), to
 * the instance `pick` gives; one delivery in ten goes to two instances at the same moment. Returns how many were
 * delivered twice.
 */
async function load(
  users: User[],
  pick: (u: number, i: number, attempt: number) => Instance,
  onAck?: () => void,
): Promise<number> {
  let twice = 0;
  await Promise.all(
    users.map(async (user, u) => {
      for (const [i, text] of SCRIPT.entries()) {
        const { body } = user.update(text);
        if ((u * SCRIPT.length + i) % 10 === 3) {
          twice++;
          await Promise.all([
            deliver((attempt) => pick(u, i, attempt), user, body),
            deliver((attempt) => pick(u, i + 1, attempt), user, body),
          ]);
        } else await deliver((attempt) => pick(u, i, attempt), user, body);
        onAck?.();
      }
    }),
  );
  return twice;
}

describe.runIf(database.available)("several serve instances on one PostgreSQL database", () => {
  it("answers each of 1,000 updates once, in each user's order, with one in ten delivered twice", async () => {
    const databaseUrl = database.url();
    const instances: Instance[] = [];
    for (let i = 1; i <= INSTANCES; i++) instances.push(await startInstance(`bot-${i}`, databaseUrl));
    const all = users(7000);
    const expected = await reference(instances, all, databaseUrl);
    const others = all.slice(2);
    const twice = await load(others, (u, i) => instances[(u + i) % INSTANCES]!);
    await drained(databaseUrl, 180_000);
    await quiet(others, 1000, 30_000);

    // Every user's chat reads as the reference does: every reply there once, in the order of the messages.
    const wrong = others.filter((user) => user.received().join("\n") !== expected[user.channel].join("\n"));
    expect(
      wrong.map((user) => `${user.channel}:${user.id}`),
      wrong[0] && firstDifference(wrong[0].received(), expected[wrong[0].channel]),
    ).toEqual([]);
    // Each update handled by exactly one instance, and every instance took part.
    const counts = handledCounts(instances.map((instance) => instance.process));
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
    expect(counts.size).toBe(1000);
    for (const instance of instances)
      expect(instance.process.stdout().split('"msg":"update handled"').length).toBeGreaterThan(100);
    // Scheduled work (purges, rule-change notices) on one instance only.
    const leaders = instances.filter((instance) =>
      instance.process.stdout().includes('"msg":"this instance runs the scheduled work"'),
    );
    expect(leaders).toHaveLength(1);
    console.info(`several instances: 1,000 updates from 100 users, ${twice} delivered twice`);

    await stopAll(instances);
  }, 240_000);

  it("loses and doubles nothing when an instance is killed and PostgreSQL restarts, midway", async () => {
    // A server of this test's own, to restart without disturbing the other tests.
    const bin = findPostgresBin();
    if (!bin) throw new Error("this test starts a PostgreSQL server of its own: install Debian's postgresql");
    const folder = join(dir, "cluster");
    const port = await freeClusterPort();
    startCluster({ bin, folder, port, fast: true, maxConnections: 100 });
    try {
      const databaseUrl = clusterUrl(folder);
      const instances: Instance[] = [];
      for (let i = 1; i <= INSTANCES; i++) instances.push(await startInstance(`crash-${i}`, databaseUrl));
      const all = users(9000);
      const expected = await reference(instances, all, databaseUrl);
      const others = all.slice(2);

      const live = new Set(instances);
      let acks = 0;
      const events: Promise<void>[] = [];
      const onAck = (): void => {
        acks++;
        if (acks === 250) {
          // kill -9 of one instance while it handles its share; its deliveries go to the others from now on.
          const victim = instances[1]!;
          live.delete(victim);
          victim.process.child.kill("SIGKILL");
        }
        if (acks === 450) {
          events.push(
            (async () => {
              // PostgreSQL goes away under the two instances left, and comes back; the victim restarts after.
              stopCluster({ bin, folder, mode: "fast" });
              await new Promise((resolve) => setTimeout(resolve, 1500));
              startCluster({ bin, folder, port, fast: true, maxConnections: 100 });
              const restarted = await startInstance("crash-2", databaseUrl);
              instances[1] = restarted;
              live.add(restarted);
            })(),
          );
        }
      };
      // A load balancer tries the next instance when one does not answer.
      const pick = (u: number, i: number, attempt: number): Instance => {
        const candidates = [...live];
        return candidates[(u + i + attempt) % candidates.length]!;
      };
      const twice = await load(others, pick, onAck).catch((error: unknown) => {
        for (const instance of instances)
          console.error(
            instance.name,
            instance.process.child.exitCode,
            instance.process
              .stdout()
              .split("\n")
              .filter((l) => !l.includes("update handled"))
              .slice(-15)
              .join("\n"),
            instance.process.stderr().slice(-2000),
          );
        throw error;
      });
      await Promise.all(events);
      // Turns cut by the restart are taken up again when their lease (60 s) runs out.
      await drained(databaseUrl, 180_000);
      await quiet(others, 1000, 30_000);

      // Each chat reads as the reference does. A reply whose send was on its way when its instance was killed (or
      // sent, and not yet recorded as sent) is sent again once, by policy: such a copy follows its original.
      const dropCopies = (texts: string[]): string[] => texts.filter((text, i) => text !== texts[i - 1]);
      const copies = (texts: string[]): number => texts.length - dropCopies(texts).length;
      const wrong = others.filter(
        (user) => dropCopies(user.received()).join("\n") !== dropCopies(expected[user.channel]).join("\n"),
      );
      expect(
        wrong.map((user) => `${user.channel}:${user.id}`),
        wrong[0] && firstDifference(dropCopies(wrong[0].received()), dropCopies(expected[wrong[0].channel])),
      ).toEqual([]);
      const tripled = others.filter((user) =>
        user.received().some((text, i, texts) => text === texts[i - 1] && text === texts[i - 2]),
      );
      expect(tripled).toEqual([]);
      const extra = others.map((user) => copies(user.received()) - copies(expected[user.channel]));
      const withCopies = extra.filter((n) => n > 0).length;
      const retried = instances
        .map(
          (instance) =>
            instance.process.stdout().split('"msg":"turn could not start; trying it again"').length - 1,
        )
        .reduce((a, b) => a + b, 0);
      console.info(
        `kill -9 and a PostgreSQL restart: 1,000 updates, ${twice} delivered twice, ${withCopies} of 98 chats with a copy (${extra.reduce((a, b) => a + b, 0)} copies), ${retried} turns tried again after the restart`,
      );
      expect(instances[1]!.process.stdout()).toContain('"msg":"taking up where the last run stopped"');

      await stopAll(live);
    } finally {
      stopCluster({ bin, folder, mode: "immediate" });
    }
  }, 480_000);

  it("refuses a second long poller of one bot, and a database it cannot reach, each with a clear message", async () => {
    const databaseUrl = await database.another();
    const env = (name: string, url: string): Record<string, string> => ({
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_URL: url,
      DATABASE_PATH: join(dir, `${name}-search.db`),
      INSTANCE_ID: name,
      USER_KEY_SECRET,
      LOG_LEVEL: "info",
    });
    const first = spawnNode(["bin/hoichinhsach.mjs", "serve"], env("poller-1", databaseUrl));
    running.push(first);
    await first.waitForOutput('"msg":"server started"', 60_000);
    const second = spawnNode(["bin/hoichinhsach.mjs", "serve"], env("poller-2", databaseUrl));
    running.push(second);
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toContain("long polling");
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);

    // Nothing listens on this port: the start stops, naming where and what to check, never the password.
    const closed = await freePort();
    const unreachable = spawnNode(
      ["bin/hoichinhsach.mjs", "serve"],
      env("nowhere", `postgres://bot:s3cret-pw@127.0.0.1:${closed}/hoichinhsach`),
    );
    running.push(unreachable);
    expect(await unreachable.exited).toBe(1);
    expect(unreachable.stderr()).toContain(`127.0.0.1:${closed}/hoichinhsach`);
    expect(unreachable.stderr()).toContain("DATABASE_URL");
    expect(unreachable.stderr() + unreachable.stdout()).not.toContain("s3cret-pw");
  }, 120_000);
});
