import { describe, expect, it } from "vitest";
import { createKeyedQueue } from "./keyed-queue.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("createKeyedQueue", () => {
  it("runs one key's tasks in order, even when earlier ones are slower", async () => {
    const queue = createKeyedQueue();
    const order: number[] = [];
    await Promise.all(
      [30, 5, 15, 0].map((delay, i) =>
        queue.run("u", async () => {
          await sleep(delay);
          order.push(i);
        }),
      ),
    );
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it("runs different keys concurrently", async () => {
    const queue = createKeyedQueue();
    const order: string[] = [];
    await Promise.all([
      queue.run("slow", async () => {
        await sleep(50);
        order.push("slow");
      }),
      queue.run("fast", async () => {
        order.push("fast");
      }),
    ]);
    expect(order).toEqual(["fast", "slow"]);
  });

  it("keeps going after a failed task and forgets idle keys", async () => {
    const queue = createKeyedQueue();
    const failed = queue.run("u", async () => {
      throw new Error("boom");
    });
    const next = queue.run("u", async () => "next");
    await expect(failed).rejects.toThrow("boom");
    await expect(next).resolves.toBe("next");
    await sleep(0);
    expect(queue.size()).toBe(0);
  });
});
