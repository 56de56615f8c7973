/**
 * The whole product on each channel: the real conversation core (flows, scorer, knowledge base over a real
 * SQLite file) behind the real Telegram bot (grammY, long polling) and the real Zalo channel (webhooks),
 * driven through local fake Bot API servers as a resident would: buttons on Telegram, numbers on Zalo.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCore, startApp, type AppTuning, type RunningApp } from "../src/app.ts";
import { decide } from "../src/domain/eligibility.ts";
import { parseHousehold } from "../src/domain/household.ts";
import { loadPolicyKnowledge } from "../src/knowledge/policy-load.ts";
import { openDatabase } from "../src/storage/database.ts";
import { createRuleWatchStore } from "../src/staff/services/rule-watches.ts";
import type { AppConfig } from "../src/config.ts";
import { createLogger } from "../src/logging.ts";
import { foldDiacritics } from "../src/text/vietnamese.ts";
import { FakeTelegramApi } from "./support/fake-telegram-api.ts";
import { FakeZaloApi } from "./support/fake-zalo-api.ts";
import { TEST_SECRET, testTuning } from "./support/harness.ts";

const scratch = mkdtempSync(join(tmpdir(), "hcs-real-core-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A resident who asked for rule-change notices before the interest-rate cut of 1/12/2025, in a new database. */
function databaseWithWatch(databasePath: string, userKey: string): void {
  const database = openDatabase(databasePath);
  const household = parseHousehold({
    assessedOn: "2025-06-01",
    area: "rural",
    members: 4,
    listedStatus: "poor",
  });
  if (!household.ok) throw new Error("bad test household");
  createRuleWatchStore(database).watch(
    userKey,
    household.value,
    decide(household.value, loadPolicyKnowledge()),
    "before-the-cut",
  );
  database.close();
}

/** How a resident of a poor-listed rural household of four answers, recognised by the question's words. */
function answerFor(question: string): { pick: number } | { say: string } {
  const q = foldDiacritics(question);
  if (q.includes("xa (nong thon)") || q.includes("song o xa")) return { pick: 0 };
  if (q.includes("bao nhieu nguoi")) return { say: "4" };
  if (q.includes("danh sach ho ngheo")) return { pick: 0 };
  if (q.includes("dang di hoc") || q.includes("thieu nhung dieu nao")) return { say: "0" };
  if (q.includes("thu nhap")) return { say: "3tr5" };
  return { say: "không" };
}

function config(
  databasePath: string,
  channel: Pick<AppConfig, "telegram" | "zalo">,
  webhook: boolean,
): AppConfig {
  return {
    mode: webhook ? "webhook" : "polling",
    ...(webhook ? { publicUrl: "https://bot.example.vn" } : {}),
    port: 0,
    host: "127.0.0.1",
    databasePath,
    logLevel: "info",
    sessionTtlDays: 30,
    ...channel,
  };
}

async function startWith(
  appConfig: AppConfig,
  logs: string[],
  extra: AppTuning = {},
): Promise<{ app: RunningApp; close(): void }> {
  const logger = createLogger({
    level: "info",
    secrets: [TEST_SECRET],
    destination: { write: (l) => logs.push(l) },
  });
  const core = await createCore(appConfig, { logger });
  const app = await startApp({
    config: appConfig,
    core,
    logger,
    tuning: testTuning({
      telegram: { limits: { coreTimeoutMs: 10_000 } },
      zalo: { limits: { coreTimeoutMs: 10_000 } },
      ...extra,
    }),
  });
  return { app, close: () => core.close?.() };
}

describe("Telegram with the real conversation core (long polling)", () => {
  let api: FakeTelegramApi;
  let running: { app: RunningApp; close(): void };
  const logs: string[] = [];

  beforeAll(async () => {
    api = await FakeTelegramApi.start();
    running = await startWith(
      config(join(scratch, "telegram.db"), { telegram: { token: api.token, apiRoot: api.apiRoot } }, false),
      logs,
    );
  });
  afterAll(async () => {
    await running.app.stop();
    running.close();
    await api.close();
  });

  const waitForNew = async (user: number, seen: number) => {
    await api.waitFor(() => api.sentTo(user).length > seen, 15_000, `a reply to ${user}`);
    // Replies of one message arrive together; give the rest of them a moment.
    await new Promise((resolve) => setTimeout(resolve, 150));
    return api.sentTo(user).slice(seen);
  };

  it("runs a whole eligibility check with buttons and shows the result with its legal basis", async () => {
    const user = 501;
    let seen = 0;
    api.enqueue(api.userSends(user, "/kiemtra"));
    let replies = await waitForNew(user, seen);
    for (let turn = 0; turn < 20; turn++) {
      seen += replies.length;
      const last = replies[replies.length - 1]!;
      if (foldDiacritics(replies.map((r) => r.text).join("\n")).includes("ket qua")) break;
      const answer = answerFor(last.text);
      if ("pick" in answer && last.buttons.length > answer.pick) {
        api.enqueue(api.userPresses(user, last.buttons[answer.pick]!.data, last.messageId));
      } else {
        api.enqueue(api.userSends(user, "say" in answer ? answer.say : "không biết"));
      }
      replies = await waitForNew(user, seen);
    }
    const all = api
      .sentTo(user)
      .map((m) => m.text)
      .join("\n");
    expect(all).toContain("KẾT QUẢ");
    expect(all).toContain("✅");
    expect(all).toContain("Căn cứ");
    expect(all).toMatch(/hộ nghèo/i);
    // The first question was offered as buttons, not as numbered lines.
    const firstWithButtons = api.sentTo(user).find((m) => m.buttons.length > 0);
    expect(firstWithButtons?.buttons.map((b) => b.text)).toContain("Xã (nông thôn)");
  });

  it("answers a policy question with the rule in force, then the passage of a plan and its citation", async () => {
    const user = 502;
    api.enqueue(api.userSends(user, "ho ngheo o Thai Binh co dc cap the bao hiem y te ko"));
    const replies = await waitForNew(user, 0);
    const text = replies.map((r) => r.text).join("\n");
    expect(replies[0]!.text).toMatch(/^Người thuộc hộ nghèo được ngân sách nhà nước đóng 100%/);
    expect(text).toContain("Thái Bình");
    expect(text).toMatch(/bảo hiểm y tế/i);
    expect(text).toMatch(/Kế hoạch/);
  });

  it("answers a button of an old question with the current question", async () => {
    const user = 503;
    api.enqueue(api.userSends(user, "/kiemtra"));
    const first = await waitForNew(user, 0);
    const areaQuestion = first[first.length - 1]!;
    api.enqueue(api.userPresses(user, areaQuestion.buttons[0]!.data, areaQuestion.messageId));
    const second = await waitForNew(user, first.length);
    // Press the area button again: the conversation has moved on to the household size.
    api.enqueue(api.userPresses(user, areaQuestion.buttons[1]!.data, areaQuestion.messageId));
    const third = await waitForNew(user, first.length + second.length);
    const text = third.map((r) => r.text).join("\n");
    expect(text).toContain("Câu hỏi đó đã cũ");
    expect(foldDiacritics(text)).toContain("bao nhieu nguoi");
  });

  it("never logs what users typed", () => {
    const log = logs.join("\n");
    expect(log).not.toContain("Thai Binh");
    expect(log).not.toContain("3tr5");
  });
});

describe("Zalo with the real conversation core (webhooks)", () => {
  let api: FakeZaloApi;
  let running: { app: RunningApp; close(): void };
  const logs: string[] = [];

  beforeAll(async () => {
    api = await FakeZaloApi.start();
    running = await startWith(
      {
        ...config(
          join(scratch, "zalo.db"),
          { zalo: { token: api.token, apiRoot: api.apiRoot, webhookSecret: TEST_SECRET } },
          true,
        ),
        staffIds: ["zalo:zalo-staff"],
      },
      logs,
    );
  });
  afterAll(async () => {
    await running.app.stop();
    running.close();
    await api.close();
  });

  const say = async (user: string, text: string, seen: number) => {
    const response = await fetch(`http://127.0.0.1:${running.app.port}/webhooks/zalo`, {
      method: "POST",
      headers: { "content-type": "application/json", "X-Bot-Api-Secret-Token": TEST_SECRET },
      body: JSON.stringify({ ok: true, result: api.event("message.text.received", user, { text }) }),
    });
    expect(response.status).toBe(200);
    await api.waitFor(() => api.sentTo(user).length > seen, 15_000, `a reply to ${user}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
    return api.sentTo(user).slice(seen);
  };

  it("runs a whole eligibility check answered by numbers and shows the result", async () => {
    const user = "zalo-user-1";
    let seen = 0;
    let replies = await say(user, "/kiemtra", seen);
    for (let turn = 0; turn < 20; turn++) {
      seen += replies.length;
      if (foldDiacritics(replies.join("\n")).includes("ket qua")) break;
      const last = replies[replies.length - 1]!;
      const answer = answerFor(last);
      replies = await say(user, "pick" in answer ? String(answer.pick + 1) : answer.say, seen);
    }
    const all = api.sentTo(user).join("\n");
    expect(all).toContain("KẾT QUẢ");
    expect(all).toContain("Căn cứ");
    // Numbered choices, and every message within Zalo's 2,000-character limit.
    expect(all).toContain("1. Xã (nông thôn)");
    for (const message of api.sentTo(user)) expect(message.length).toBeLessThanOrEqual(2000);
  });

  it("answers a policy question with its citation, and takes feedback by its number", async () => {
    const replies = await say("zalo-user-2", "vay von ho can ngheo", 0);
    const text = replies.join("\n");
    // The rule in force opens the first message, which Zalo takes up to 2,000 characters.
    expect(replies[0]).toMatch(/^Hộ cận nghèo được vay vốn Ngân hàng Chính sách xã hội/);
    expect(replies[0]!.length).toBeLessThanOrEqual(2000);
    expect(text).toMatch(/Kế hoạch/);
    expect(text).toContain("1. Đúng\n2. Sai\n3. Chưa rõ");
    const thanks = await say("zalo-user-2", "2", replies.length);
    expect(thanks.join("\n")).toContain("Câu trả lời này sẽ được kiểm tra lại");
  });

  it("gives a volunteer the case summary as text with a clear note instead of a file; numbers answer the interview first, then the feedback", async () => {
    const user = "zalo-staff";
    let seen = 0;
    let replies = await say(user, "/thaymat", seen);
    for (let turn = 0; turn < 20; turn++) {
      seen += replies.length;
      if (replies.join("\n").includes("TÓM TẮT HỒ SƠ")) break;
      const answer = answerFor(replies[replies.length - 1]!);
      replies = await say(user, "pick" in answer ? String(answer.pick + 1) : answer.say, seen);
    }
    const summary = replies.join("\n");
    expect(summary).toContain("TÓM TẮT HỒ SƠ");
    expect(summary).toContain("Zalo không gửi được tệp nên không có bản để in kèm theo");
    expect(summary).toContain("1. Đúng\n2. Sai\n3. Chưa rõ");
    expect(summary).not.toContain("Báo cho tôi khi chính sách thay đổi");
    for (const message of api.sentTo(user)) expect(message.length).toBeLessThanOrEqual(2000);
    const asked = await say(user, "2", api.sentTo(user).length);
    expect(asked.join("\n")).toContain("Kết quả đúng là gì?");
  });
});

describe("Staff and volunteers on Telegram with the real core", () => {
  const staffUser = 900;
  const resident = 901;
  let api: FakeTelegramApi;
  let running: { app: RunningApp; close(): void };
  const logs: string[] = [];

  beforeAll(async () => {
    const databasePath = join(scratch, "staff.db");
    databaseWithWatch(databasePath, `telegram:${resident}`);

    api = await FakeTelegramApi.start();
    running = await startWith(
      {
        ...config(databasePath, { telegram: { token: api.token, apiRoot: api.apiRoot } }, false),
        staffIds: [`telegram:${staffUser}`],
      },
      logs,
      { ruleCheckDelayMs: 0 },
    );
  });
  afterAll(async () => {
    await running.app.stop();
    running.close();
    await api.close();
  });

  const waitForNew = async (user: number, seen: number) => {
    await api.waitFor(() => api.sentTo(user).length > seen, 15_000, `a reply to ${user}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
    return api.sentTo(user).slice(seen);
  };

  it("tells a resident who opted in what the rules changed, once", async () => {
    await api.waitFor(() => api.sentTo(resident).length > 0, 15_000, "the rule-change notice");
    const notice = api.sentTo(resident)[0]!.text;
    expect(notice).toContain("Quy định về chính sách giảm nghèo đã thay đổi");
    expect(notice).toContain("lãi suất");
  });

  it("gives staff their command menu, and residents the public one", async () => {
    await api.waitFor(() => api.callsTo("setMyCommands").length >= 2, 15_000, "both menus");
    const menus = api.callsTo("setMyCommands").map((call) => call.payload);
    const staffMenu = menus.find((menu) => JSON.stringify(menu.scope ?? {}).includes(String(staffUser)));
    expect(JSON.stringify(staffMenu?.commands)).toContain("thaymat");
    const publicMenu = menus.find((menu) => !menu.scope);
    expect(JSON.stringify(publicMenu?.commands)).not.toContain("thaymat");
  });

  it("runs a check on someone's behalf, started by the button under /toi, and sends the printable case summary as a file", async () => {
    let seen = api.sentTo(staffUser).length;
    api.enqueue(api.userSends(staffUser, "/toi"));
    const role = (await waitForNew(staffUser, seen)).at(-1)!;
    expect(role.buttons.map((b) => b.text)).toEqual(["Kiểm tra thay người dân", "Thống kê"]);
    seen = api.sentTo(staffUser).length;
    api.enqueue(api.userPresses(staffUser, role.buttons[0]!.data, role.messageId));
    let replies = await waitForNew(staffUser, seen);
    expect(replies[0]!.text).toContain("Bắt đầu kiểm tra thay cho người dân");
    for (let turn = 0; turn < 20; turn++) {
      seen += replies.length;
      // The result comes in several messages: stop at its first, so as not to answer it.
      if (replies.some((r) => r.text.includes("KẾT QUẢ") || r.text.includes("TÓM TẮT HỒ SƠ"))) break;
      const last = replies[replies.length - 1]!;
      const answer = answerFor(last.text);
      if ("pick" in answer && last.buttons.length > answer.pick) {
        api.enqueue(api.userPresses(staffUser, last.buttons[answer.pick]!.data, last.messageId));
      } else {
        api.enqueue(api.userSends(staffUser, "say" in answer ? answer.say : "không biết"));
      }
      replies = await waitForNew(staffUser, seen);
    }
    await api.waitFor(() => api.callsTo("sendDocument").length > 0, 15_000, "the case summary file");
    const file = api.callsTo("sendDocument")[0]!.payload;
    expect(Number(file.chat_id)).toBe(staffUser);
    const document = file.document as { filename: string; content: string };
    expect(document.filename).toMatch(/^tom-tat-ho-so-\d{4}-\d{2}-\d{2}\.html$/);
    expect(document.content).toContain("<title>Tóm tắt hồ sơ");
    expect(document.content).toContain("Vay vốn ưu đãi hộ nghèo");

    // The feedback buttons under the result: "Sai" asks staff for the right answer.
    await api.waitFor(
      () => (api.sentTo(staffUser).at(-1)?.buttons.length ?? 0) > 0,
      15_000,
      "the feedback question",
    );
    const last = api.sentTo(staffUser).at(-1)!;
    expect(last.buttons.map((b) => b.text)).toEqual(["Đúng", "Sai", "Chưa rõ"]);
    api.enqueue(api.userPresses(staffUser, last.buttons[1]!.data, last.messageId));
    const after = await waitForNew(staffUser, api.sentTo(staffUser).length);
    expect(after.map((r) => r.text).join("\n")).toContain("Kết quả đúng là gì?");
  });

  it("refuses staff commands to a resident and sends no file", async () => {
    const before = api.callsTo("sendDocument").length;
    const seen = api.sentTo(resident).length;
    api.enqueue(api.userSends(resident, "/tomtat"));
    const replies = await waitForNew(resident, seen);
    expect(replies.map((r) => r.text).join("\n")).toContain("chỉ dành cho cán bộ xã");
    expect(api.callsTo("sendDocument").length).toBe(before);
  });
});

describe("Rule-change notices to a resident who blocked the bot", () => {
  const blocked = 902;
  let api: FakeTelegramApi;
  let running: { app: RunningApp; close(): void };
  let databasePath: string;
  const logs: string[] = [];

  beforeAll(async () => {
    databasePath = join(scratch, "blocked.db");
    databaseWithWatch(databasePath, `telegram:${blocked}`);
    api = await FakeTelegramApi.start();
    api.failNext("sendMessage", {
      type: "status",
      status: 403,
      description: "Forbidden: bot was blocked by the user",
    });
    running = await startWith(
      config(databasePath, { telegram: { token: api.token, apiRoot: api.apiRoot } }, false),
      logs,
      { ruleCheckDelayMs: 0 },
    );
  });
  afterAll(async () => {
    await running.app.stop();
    running.close();
    await api.close();
  });

  it("forgets the watch and the household it kept, since nothing can be told any more", async () => {
    await api.waitFor(
      () => logs.some((line) => line.includes("rule-change check done")),
      15_000,
      "the rule-change check",
    );
    expect(api.attempts).toContain("sendMessage");
    expect(api.sentTo(blocked)).toEqual([]);
    const done = JSON.parse(logs.find((line) => line.includes("rule-change check done"))!);
    expect(done).toMatchObject({ sent: 0, failed: 0, forgotten: 1 });
    const database = openDatabase(databasePath);
    expect(createRuleWatchStore(database).has(`telegram:${blocked}`)).toBe(false);
    database.close();
  });
});
