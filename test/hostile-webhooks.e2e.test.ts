/**
 * Wrongly typed webhook bodies (test/data/hostile-webhooks.json), posted with the right secret to the real
 * app: each is refused (400) or handled, and none reaches a handler as a TypeError or an error log line. The
 * core only ever sees text as a string.
 */
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { TEST_SECRET, telegramHarness, zaloHarness, type ChannelHarness } from "./support/harness.ts";

const corpus = JSON.parse(
  readFileSync(new URL("./data/hostile-webhooks.json", import.meta.url), "utf8"),
) as Record<"telegram" | "zalo", unknown[]>;

const HEADER = { telegram: "X-Telegram-Bot-Api-Secret-Token", zalo: "X-Bot-Api-Secret-Token" } as const;

let harness: ChannelHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe.each(["telegram", "zalo"] as const)("hostile %s webhook bodies", (channel) => {
  it("are refused or handled, never a TypeError", async () => {
    harness = channel === "telegram" ? await telegramHarness("webhook") : await zaloHarness("webhook");
    const statuses: number[] = [];
    for (const body of corpus[channel]) {
      const res = await fetch(`http://127.0.0.1:${harness.port()}/webhooks/${channel}`, {
        method: "POST",
        headers: { "content-type": "application/json", [HEADER[channel]]: TEST_SECRET },
        body: JSON.stringify(body),
      });
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(
      statuses.every((status) => status === 200 || status === 400),
      statuses.join(","),
    ).toBe(true);
    // Some bodies are refused: the check can fail.
    expect(statuses).toContain(400);
    // Let anything accepted finish in the background.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const logs = harness.logs.join("\n");
    expect(logs).not.toMatch(/TypeError|Cannot read properties/);
    const errors = harness.logs
      .map((line) => JSON.parse(line) as { level: string; msg: string })
      .filter((line) => line.level === "error" || line.level === "fatal");
    expect(errors.map((line) => line.msg)).toEqual([]);
    for (const call of harness.core.calls)
      if (call.input.type === "text") expect(typeof call.input.text).toBe("string");
  });
});
