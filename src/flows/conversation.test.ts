import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type AppDatabase } from "../storage/database.ts";
import { createSessionStore } from "../storage/repositories/sessions.ts";
import { createFakeKnowledge, createTestScorer } from "../../test/support/fake-deps.ts";
import {
  createConversation,
  isoDateIn,
  type ConversationDeps,
  type ConversationExtension,
} from "./conversation.ts";
import { createReply } from "./reply.ts";
import type { FlowSet } from "./definition.ts";
import { loadFlows } from "./load.ts";
import type { SessionStorePort } from "./ports.ts";
import { ZALO_MESSAGE_LIMIT } from "../shared/split-message.ts";

const flows = loadFlows();
const DAY = 24 * 60 * 60 * 1000;
let database: AppDatabase;
beforeEach(() => {
  database = openDatabase(":memory:");
});
afterEach(() => database.close());

function setup(overrides: Partial<ConversationDeps> = {}, flowSet: FlowSet = flows) {
  let now = new Date("2026-11-22T03:00:00Z").getTime();
  const clock = () => new Date(now);
  const sessions = createSessionStore(database, { now: clock });
  const errors: string[] = [];
  const conversation = createConversation({
    flows: flowSet,
    sessions,
    knowledge: createFakeKnowledge(),
    eligibility: createTestScorer(),
    now: clock,
    onError: (_error, stage) => errors.push(stage),
    ...overrides,
  });
  const say = async (user: string, ...lines: string[]) => {
    let last = "";
    for (const line of lines)
      last = (await conversation.handle(user, line)).map((r) => r.fallbackText).join("\n\n");
    return last;
  };
  return { conversation, sessions, say, errors, advance: (ms: number) => (now += ms) };
}

function rows(): { state: string; flow_version: number | null }[] {
  return database.sqlite.prepare("select state, flow_version from sessions").all() as {
    state: string;
    flow_version: number | null;
  }[];
}

describe("createConversation", () => {
  it("keeps the interview across messages through the session store", async () => {
    const { say } = setup();
    expect(await say("u", "/kiemtra")).toContain("sống ở xã");
    expect(await say("u", "1")).toContain("bao nhiêu người");
    expect(await say("u", "4")).toContain("danh sách hộ nghèo");
    expect(rows()).toHaveLength(1);
  });

  it("stores answers as read values, never the message text", async () => {
    const { say } = setup();
    await say("u", "/kiemtra", "1", "4", "3", "không", "3tr5", "vay vốn lãi suất bao nhiêu?");
    const [row] = rows();
    expect(row!.state).toContain("3500000");
    expect(row!.state).not.toContain("3tr5");
    expect(row!.state).not.toContain("lãi suất");
    expect(row!.flow_version).toBe(flows.flows.eligibility!.version);
  });

  it("restarts politely when the flow's version changed since the answers were stored", async () => {
    const first = setup();
    await first.say("u", "/kiemtra", "1", "4");
    const bumped: FlowSet = {
      ...flows,
      flows: { eligibility: { ...flows.flows.eligibility!, version: flows.flows.eligibility!.version + 1 } },
    };
    const second = setup({}, bumped);
    const reply = await second.say("u", "hộ nghèo");
    expect(reply).toContain("vừa được cập nhật");
    expect(reply).toContain("sống ở xã");
    expect(rows()[0]!.flow_version).toBe(flows.flows.eligibility!.version + 1);
  });

  it("starts again politely from a stored state it cannot read", async () => {
    const { say, sessions } = setup();
    sessions.save("u", { format: 99, whatever: true }, null);
    const reply = await say("u", "/kiemtra");
    expect(reply).toContain("vừa được cập nhật");
    expect(reply).toContain("sống ở xã");
  });

  it("forgets a session once it expired", async () => {
    const { say, advance } = setup();
    await say("u", "/kiemtra", "1", "4");
    advance(31 * DAY);
    expect(await say("u", "/kiemtra")).not.toContain("hỏi tiếp");
  });

  it("reads a message with invisible characters as the visible text", async () => {
    const { say } = setup();
    expect(await say("u", "/kiem\u200Btra")).toContain("sống ở xã");
    expect(await say("u", "\u200F1\u200E")).toContain("bao nhiêu người");
  });

  it("erases through the erase port on /xoa when there is one", async () => {
    const erased: string[] = [];
    const { say } = setup({ erase: (user) => void erased.push(user) });
    await say("a", "/kiemtra", "1");
    expect(await say("a", "/xoa")).toContain("Đã xóa");
    expect(erased).toEqual(["a"]);
  });

  it("deletes the user's row on /xoa and only that user's", async () => {
    const { say } = setup();
    await say("a", "/kiemtra", "1");
    await say("b", "/kiemtra", "1");
    expect(await say("a", "/xoa")).toContain("Đã xóa");
    expect(rows()).toHaveLength(1);
  });

  it("never rejects: a failing scorer, search or store becomes a polite reply", async () => {
    const throwing = {
      decide: () => {
        throw new Error("scorer down");
      },
    };
    const broken = setup({
      eligibility: throwing,
      knowledge: {
        search: () => {
          throw new Error("kb down");
        },
      },
    });
    expect(await broken.say("u", "cho hỏi thủ tục vay vốn?")).toContain("chưa tra cứu được");
    await broken.say("u", "/kiemtra", "1");
    expect(await broken.say("u", "4")).toContain("danh sách hộ nghèo");
    expect(await broken.say("u", "hộ nghèo")).toContain("xã nghèo");
    expect(broken.errors).toEqual(["search", "decide"]);

    const failingStore: SessionStorePort = {
      ttlDays: 30,
      load: () => {
        throw new Error("disk");
      },
      save: () => undefined,
      delete: () => undefined,
      purgeExpired: () => 0,
    };
    const noStore = setup({ sessions: failingStore });
    const replies = await noStore.conversation.handle("u", "/kiemtra");
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toContain("lỗi ngoài dự kiến");
    expect(replies[0]!.failure).toBe("error:Error");
  });

  it("marks the apology for a message it could not handle with the cause class, never the error's text", async () => {
    const readOnly = Object.assign(new Error("attempt to write a readonly database: secret text"), {
      code: "SQLITE_READONLY",
    });
    const store: SessionStorePort = {
      ttlDays: 30,
      load: () => undefined,
      save: () => {
        throw readOnly;
      },
      delete: () => undefined,
      purgeExpired: () => 0,
    };
    const { conversation } = setup({ sessions: store });
    const [reply] = await conversation.handle("u", "/kiemtra");
    expect(reply!.failure).toBe("storage:read_only");
    expect(JSON.stringify(reply)).not.toContain("secret text");
    // A message handled normally carries no failure.
    const fine = setup();
    expect((await fine.conversation.handle("u", "/kiemtra")).some((r) => r.failure)).toBe(false);
  });

  it("isolates users: one user's failure does not affect another's", async () => {
    let failFor = "";
    const scorer = createTestScorer();
    const { conversation } = setup({
      eligibility: {
        decide(household) {
          if (failFor && household.members === 9) throw new Error("boom");
          return scorer.decide(household);
        },
      },
    });
    failFor = "bad";
    const [bad, good] = await Promise.all([
      (async () => {
        for (const line of ["/kiemtra", "1"]) await conversation.handle("bad", line);
        return conversation.handle("bad", "9");
      })(),
      (async () => {
        for (const line of ["/kiemtra", "1"]) await conversation.handle("good", line);
        return conversation.handle("good", "4");
      })(),
    ]);
    expect(good.map((r) => r.text).join()).toContain("danh sách hộ nghèo");
    expect(bad.map((r) => r.text).join()).toContain("danh sách hộ nghèo");
  });

  it("handles one user's messages in order even when they arrive together", async () => {
    const { conversation } = setup();
    const results = await Promise.all(
      ["/kiemtra", "1", "4", "hộ nghèo"].map((line) => conversation.handle("u", line)),
    );
    const ref = `eligibility@${flows.flows.eligibility!.version}`;
    expect(results.map((replies) => replies.at(-1)!.question)).toEqual([
      `${ref}:ask_area`,
      `${ref}:ask_members`,
      `${ref}:ask_listed_status`,
      // A rural household on the poor list: the scorer needs to know about water and a latrine.
      `${ref}:ask_water_sanitation`,
    ]);
  });

  it("splits long replies to the channel's limit", async () => {
    const { conversation, say } = setup();
    await say(
      "u",
      "/kiemtra",
      "1",
      "4",
      "3",
      "có",
      "3/2024",
      "1tr",
      "1, 2, 3, 4, 5",
      "4",
      "1",
      "1",
      "2",
      "2",
      "3",
      "1",
      "7",
      "2",
    );
    const replies = await conversation.handle("u", "có", { maxMessageLength: 400 });
    expect(replies.length).toBeGreaterThan(1);
    for (const reply of replies) expect(reply.fallbackText.length).toBeLessThanOrEqual(400);
    const zalo = await conversation.handle("u", "/trogiup", { maxMessageLength: ZALO_MESSAGE_LIMIT });
    for (const reply of zalo) expect(reply.fallbackText.length).toBeLessThanOrEqual(ZALO_MESSAGE_LIMIT);
  });

  it("lists the commands for a channel's command menu", () => {
    const { conversation } = setup();
    expect(conversation.commands).toContainEqual({
      command: "kiemtra",
      description: "Kiểm tra hộ bạn được hỗ trợ gì",
    });
    expect(conversation.commands.map((c) => c.command)).toEqual(
      expect.arrayContaining(["batdau", "hoi", "quaylai", "lamlai", "trogiup", "xoa"]),
    );
  });

  it("reads a non-string message as text without failing", async () => {
    const { conversation } = setup();
    const replies = await conversation.handle("u", { text: undefined as unknown as string });
    expect(replies[0]!.text).toContain("chưa gõ gì");
  });

  it("takes today's date in Vietnam's time zone, across midnight", () => {
    expect(isoDateIn(new Date("2026-11-22T16:59:00Z"), "Asia/Ho_Chi_Minh")).toBe("2026-11-22");
    expect(isoDateIn(new Date("2026-11-22T17:00:00Z"), "Asia/Ho_Chi_Minh")).toBe("2026-11-23");
    expect(isoDateIn(new Date("2026-11-22T17:00:30Z"), "UTC")).toBe("2026-11-22");
  });
});

describe("createConversation with an extension", () => {
  /** An extension that answers "/ping", starts the interview on "/go", and counts what it saw. */
  function recordingExtension() {
    const seen: { results: number; searches: number; erased: number; awaiting: boolean[] } = {
      results: 0,
      searches: 0,
      erased: 0,
      awaiting: [],
    };
    const extension: ConversationExtension = {
      before(_user, message, state) {
        const count = ((state as { count?: number } | undefined)?.count ?? 0) + 1;
        if (message.text === "/ping")
          return { handled: true, replies: [createReply(`pong ${count}`)], state: { count } };
        if (message.text === "/go")
          return { handled: true, startInterview: true, replies: [createReply("bắt đầu")], state: { count } };
        if (message.text === "/boom") throw new Error("extension failed");
        return { replies: [], state: { count } };
      },
      after(_user, turn, state) {
        if (turn.result) seen.results++;
        seen.searches += turn.searches.length;
        if (turn.erased) seen.erased++;
        seen.awaiting.push(turn.awaitingAnswer);
        return {
          replies: turn.result ? [createReply("sau kết quả")] : [],
          state: turn.erased ? undefined : state,
        };
      },
    };
    return { extension, seen };
  }

  it("lets the extension answer a message, keeping its state in the session", async () => {
    const { extension, seen } = recordingExtension();
    const { say } = setup({ extension });
    expect(await say("u", "/ping")).toBe("pong 1");
    expect(await say("u", "/ping")).toBe("pong 2");
    expect(seen.awaiting).toEqual([]);
    expect(JSON.parse(rows()[0]!.state).extension).toEqual({ count: 2 });
  });

  it("starts the interview when the extension asks, after its own reply", async () => {
    const { extension } = recordingExtension();
    const { say } = setup({ extension });
    const text = await say("u", "/go");
    expect(text.indexOf("bắt đầu")).toBeLessThan(text.indexOf("sống ở xã"));
  });

  it("tells the extension about results, searches and /xoa, and adds its replies", async () => {
    const { extension, seen } = recordingExtension();
    const { say } = setup({ extension });
    await say("u", "vay vốn lãi suất bao nhiêu?");
    expect(seen.searches).toBe(1);
    const result = await say("u", "/kiemtra", "1", "4", "1", "0", "0");
    expect(result).toContain("sau kết quả");
    expect(seen.results).toBe(1);
    expect(seen.awaiting.slice(1, -1).every(Boolean)).toBe(true);
    await say("u", "/xoa");
    expect(seen.erased).toBe(1);
    expect(rows()).toHaveLength(0);
  });

  it("answers the message as usual when the extension throws", async () => {
    const { extension } = recordingExtension();
    const { say, errors } = setup({ extension });
    expect(await say("u", "/boom", "/kiemtra")).toContain("sống ở xã");
    expect(errors).toContain("extension.before");
  });
});
