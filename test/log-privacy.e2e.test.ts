import { describe, expect, it } from "vitest";
import { CHANNEL_MESSAGES } from "../src/channels/messages.ts";
import { telegramHarness, zaloHarness, type ChannelHarness } from "./support/harness.ts";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What a user types in this run; none of it may reach the log. */
const USER_TEXTS = [
  "/kiemtra",
  "thu nhập nhà tôi 3712345 đồng một tháng",
  "con tôi bị khuyết tật nặng",
  "vay vốn lãi suất bao nhiêu?",
];
const FIGURE = "3712345";

async function converse(h: ChannelHarness, user: number): Promise<void> {
  await h.say(user, USER_TEXTS[0] ?? "");
  await h.waitForReplies(user, 2);
  await h.pick(user, 0);
  await h.waitForReplies(user, 3);
  h.failNextSend({ type: "drop" });
  await h.say(user, USER_TEXTS[1] ?? "");
  await h.waitForReplies(user, 4, 15_000);
  h.failNextSend({ type: "status", status: 500 });
  await h.say(user + 1, USER_TEXTS[2] ?? "");
  await h.say(user + 1, USER_TEXTS[3] ?? "");
  await h.say(user + 1, "/loi");
  await h.say(user + 1, `${FIGURE} `.repeat(300));
  await h.sendNonText(user + 1);
  await h.waitForReplies(user + 1, 5, 15_000);
  for (let i = 0; i < 15; i++) await h.say(user + 2, `${FIGURE} lần ${i}`);
  await h.api.waitFor(
    () =>
      h.received(user + 2).some((m) => m.text === CHANNEL_MESSAGES.rate_limited) &&
      h.logs.some((line) => line.includes('"outcome":"rate_limited"')),
    15_000,
    "the slow-down message",
  );
}

function expectClean(h: ChannelHarness): void {
  const log = h.logs.join("");
  expect(h.logs.length).toBeGreaterThan(10);
  expect(log).not.toContain(h.token);
  expect(log).not.toContain(h.token.split(":")[1] ?? h.token);
  expect(log).not.toContain(h.secret);
  expect(log).not.toContain(FIGURE);
  for (const text of USER_TEXTS) expect(log).not.toContain(text);
  for (const reply of ["danh sách hộ nghèo", "bao nhiêu người", "Kế hoạch giảm nghèo", "chậm lại"])
    expect(log).not.toContain(reply);
  // The log is useful, though: update ids, outcomes and durations are there.
  expect(log).toMatch(/"update_id":/);
  expect(log).toMatch(/"outcome":"replied"/);
  expect(log).toMatch(/"outcome":"core_failed"/);
  expect(log).toMatch(/"outcome":"rate_limited"/);
  expect(log).toMatch(/"duration_ms":\d+/);
}

describe("the log of an end-to-end run holds no token, secret, message text or figure", () => {
  it("on Telegram (polling, with an outage, dropped connections and 5xx)", async () => {
    const h = await telegramHarness("polling");
    try {
      h.api.setDown(true);
      await sleep(1200);
      h.api.setDown(false);
      await converse(h, 500);
      expect(h.logs.join("")).toContain("Telegram API unreachable");
      expectClean(h);
    } finally {
      await h.close();
    }
  });

  it("on Telegram (webhook)", async () => {
    const h = await telegramHarness("webhook");
    try {
      await converse(h, 600);
      expectClean(h);
    } finally {
      await h.close();
    }
  });

  it("on Zalo (webhook and polling, with an outage)", async () => {
    for (const mode of ["webhook", "polling"] as const) {
      const h = await zaloHarness(mode);
      try {
        if (mode === "polling") {
          h.api.setDown(true);
          await sleep(800);
          h.api.setDown(false);
        }
        await converse(h, 700);
        expectClean(h);
      } finally {
        await h.close();
      }
    }
  });
});
