import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createConversation } from "../flows/conversation.ts";
import { loadFlows } from "../flows/load.ts";
import { createAssistantPorts } from "../composition.ts";
import { openDatabase, type AppDatabase } from "../storage/database.ts";
import { createSessionStore } from "../storage/repositories/sessions.ts";
import { compact, readState } from "./desk-extension.ts";
import { POOR_HOUSEHOLD_CHECK } from "../../test/support/interview.ts";

const TODAY = "2026-11-22";
const flows = loadFlows();
let database: AppDatabase;
beforeEach(() => {
  database = openDatabase(":memory:");
});
afterEach(() => database.close());

function setup(staffIds: string[] = []) {
  const now = () => new Date(`${TODAY}T03:00:00Z`);
  const { ruleNotices, ...ports } = createAssistantPorts(database, { today: () => TODAY, staffIds });
  const conversation = createConversation({
    flows,
    sessions: createSessionStore(database, { now }),
    ...ports,
    now,
  });
  const say = async (user: string, ...lines: string[]) => {
    let replies: Awaited<ReturnType<typeof conversation.handle>> = [];
    for (const line of lines) replies = await conversation.handle(user, line);
    return replies;
  };
  const count = (table: string) =>
    (database.sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  return { say, count, ruleNotices, conversation };
}

describe("the staff desk around the conversation", () => {
  it("stores a resident's opt-in and deletes it with /xoa", async () => {
    const { say, count, ruleNotices } = setup();
    await say("zalo:abc", ...POOR_HOUSEHOLD_CHECK);
    const confirmation = await say("zalo:abc", "4");
    expect(confirmation.map((r) => r.text).join("\n")).toContain("Đã ghi nhận");
    expect(count("rule_watches")).toBe(1);
    // Nothing changed since the opt-in: no notice.
    expect(ruleNotices()).toEqual([]);
    await say("zalo:abc", "/xoa");
    expect(count("rule_watches")).toBe(0);
    expect(count("sessions")).toBe(0);
  });

  it("stores feedback without the user's identity, and a resident is never asked for the right answer", async () => {
    const { say, count } = setup();
    await say("telegram:7", "ho can ngheo co dc ho tro bhyt k");
    const thanks = await say("telegram:7", "fb:2");
    expect(thanks.map((r) => r.text).join("\n")).not.toContain("Kết quả đúng là gì");
    expect(count("feedback")).toBe(1);
    const stored = JSON.stringify(database.sqlite.prepare("select * from feedback").all());
    expect(stored).not.toContain("telegram:7");
  });

  it("sends the printable case summary at the end of a check on someone's behalf, to staff only", async () => {
    const { say } = setup(["telegram:100"]);
    const start = await say("telegram:100", "/thaymat");
    expect(start.map((r) => r.text).join("\n")).toContain("thay cho người dân");
    const end = await say("telegram:100", ...POOR_HOUSEHOLD_CHECK.slice(1));
    const summary = end.find((reply) => reply.attachment);
    expect(summary?.attachment?.mediaType).toBe("text/html");
    expect(summary?.attachment?.content).toContain("<html");
    expect(end.flatMap((reply) => reply.choices ?? []).map((c) => c.label)).not.toContain(
      "Báo cho tôi khi chính sách thay đổi",
    );

    const resident = await say("telegram:200", "/thaymat", ...POOR_HOUSEHOLD_CHECK.slice(1));
    expect(resident.some((reply) => reply.attachment)).toBe(false);
  });

  it("counts screenings and questions for /thongke, whoever asked them", async () => {
    const { say } = setup(["terminal:staff"]);
    await say("zalo:abc", ...POOR_HOUSEHOLD_CHECK);
    await say("zalo:def", "vay vốn lãi suất bao nhiêu?");
    const stats = (await say("terminal:staff", "/thongke")).map((r) => r.text).join("\n");
    expect(stats).toContain("Lượt kiểm tra điều kiện: 1");
    expect(stats).toContain("Câu hỏi tra cứu: 1");
    expect(stats).not.toContain("zalo:");
  });
});

const storedHousehold = {
  area: "rural" as const,
  members: 3,
  listedStatus: "poor" as const,
  assessedOn: "2026-11-22",
};

describe("the desk extension's stored state", () => {
  it("carries its format and its households in their stored form, and reads them back", () => {
    const stored = compact({
      offered: ["Đúng", "Sai"],
      lastCheck: storedHousehold,
      desk: { lastCase: { household: storedHousehold, notes: [{ kind: "assumed", text: "x" }] } },
    });
    expect(stored).toMatchObject({
      format: 1,
      lastCheck: { format: 1, household: storedHousehold },
      desk: { lastCase: { household: { format: 1, household: storedHousehold } } },
    });
    expect(readState(JSON.parse(JSON.stringify(stored)))).toEqual({
      offered: ["Đúng", "Sai"],
      lastCheck: storedHousehold,
      desk: { lastCase: { household: storedHousehold, notes: [{ kind: "assumed", text: "x" }] } },
    });
    expect(compact({})).toBeUndefined();
  });

  it("reads a state stored before the format, and drops what is not a household any more", () => {
    expect(readState({ lastCheck: storedHousehold, offered: ["1"] })).toEqual({
      lastCheck: storedHousehold,
      offered: ["1"],
    });
    expect(
      readState({ format: 1, lastCheck: { format: 1, household: { ...storedHousehold, members: -1 } } }),
    ).toEqual({});
    expect(readState({ format: 1, desk: { lastCase: { household: { area: "sea" }, notes: [] } } })).toEqual({
      desk: {},
    });
  });

  it("starts afresh from a state of another format or shape", () => {
    expect(readState({ format: 2, lastCheck: storedHousehold })).toEqual({});
    expect(readState({ offered: "1" })).toEqual({});
    expect(readState([1, 2])).toEqual({});
    expect(readState(null)).toEqual({});
  });
});
