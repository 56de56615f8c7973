import { describe, expect, it } from "vitest";
import { createSharedTurns, type SharedTurnStorage } from "./shared-turns.ts";

/**
 * A stand-in for the database's part: user locks as in-memory mutexes, and each update's state (held by this
 * instance or not, handled or not) in a map. The real one is tested against PostgreSQL in
 * test/several-instances.e2e.test.ts.
 */
function storage(options: { failBeforeStart?: number } = {}) {
  const locks = new Map<string, Promise<void>>();
  const updates = new Map<number, { digest: string; held: boolean; done: boolean }>();
  let failures = options.failBeforeStart ?? 0;
  const store: SharedTurnStorage = {
    userKeys: { digest: (userKey) => `d:${userKey}` },
    async inTurn(inboxId, digest, fn) {
      if (failures > 0) {
        failures--;
        throw new Error("connection refused");
      }
      const before = locks.get(digest) ?? Promise.resolve();
      let release!: () => void;
      const mine = new Promise<void>((resolve) => (release = resolve));
      locks.set(
        digest,
        before.then(() => mine),
      );
      await before;
      try {
        const update = updates.get(inboxId);
        const earlierWaiting = [...updates.entries()].some(
          ([id, other]) => id < inboxId && other.digest === digest && !other.done,
        );
        return await fn({ holds: Boolean(update?.held && !update.done), earlierWaiting });
      } finally {
        release();
      }
    },
  };
  return {
    store,
    receive(id: number, userKey: string, held = true) {
      updates.set(id, { digest: `d:${userKey}`, held, done: false });
    },
    done(id: number) {
      updates.get(id)!.done = true;
    },
  };
}

const tick = (ms = 5): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe("shared turns", () => {
  it("runs one user's turns one at a time, in the order their updates arrived, and two users side by side", async () => {
    const db = storage();
    const turns = createSharedTurns(db.store);
    const log: string[] = [];
    const turn = (name: string, id: number) => async () => {
      log.push(`${name} starts`);
      await tick(20);
      log.push(`${name} ends`);
      db.done(id);
      return name;
    };
    db.receive(1, "telegram:1");
    db.receive(2, "telegram:1");
    db.receive(3, "telegram:2");
    // The later update of user 1 is handed over first, as when another instance received the earlier one.
    const results = await Promise.all([
      turns.run("telegram:1", 2, turn("b", 2)),
      turns.run("telegram:1", 1, turn("a", 1)),
      turns.run("telegram:2", 3, turn("c", 3)),
    ]);
    expect(results).toEqual(["b", "a", "c"]);
    expect(log.indexOf("a ends")).toBeLessThan(log.indexOf("b starts"));
    // User 2 did not wait for user 1.
    expect(log.indexOf("c starts")).toBeLessThan(log.indexOf("a ends"));
  });

  it("does not run a turn whose update is no longer this instance's (handled, or taken over)", async () => {
    const db = storage();
    const turns = createSharedTurns(db.store);
    db.receive(1, "zalo:a", false);
    let ran = false;
    expect(
      await turns.run("zalo:a", 1, async () => {
        ran = true;
      }),
    ).toBeUndefined();
    expect(ran).toBe(false);
  });

  it("goes ahead after the order wait when an earlier update never gets handled", async () => {
    const db = storage();
    const turns = createSharedTurns(db.store, { orderWaitMs: 50 });
    db.receive(1, "zalo:a", false); // held by an instance that died
    db.receive(2, "zalo:a");
    const started = Date.now();
    expect(await turns.run("zalo:a", 2, async () => "late")).toBe("late");
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it("tries a turn that could not start again, and leaves one that failed once started to the inbox", async () => {
    const db = storage({ failBeforeStart: 2 });
    const retried: unknown[] = [];
    const turns = createSharedTurns(db.store, { onRetry: (error) => retried.push(error) });
    db.receive(1, "zalo:a");
    expect(await turns.run("zalo:a", 1, async () => "ran")).toBe("ran");
    // Told once per turn, not per attempt.
    expect(retried).toHaveLength(1);

    db.receive(2, "zalo:b");
    let runs = 0;
    await expect(
      turns.run("zalo:b", 2, async () => {
        runs++;
        throw new Error("the commit's answer was lost");
      }),
    ).rejects.toThrow("the commit's answer was lost");
    expect(runs).toBe(1);
  });

  it("runs at most `concurrency` turns at once", async () => {
    const db = storage();
    const turns = createSharedTurns(db.store, { concurrency: 2 });
    let running = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 6 }, (_, i) => {
        db.receive(i + 1, `telegram:${i}`);
        return turns.run(`telegram:${i}`, i + 1, async () => {
          running++;
          most = Math.max(most, running);
          await tick(10);
          running--;
        });
      }),
    );
    expect(most).toBe(2);
  });
});
