import { describe, expect, it } from "vitest";
import { decide } from "../domain/eligibility.ts";
import { loadAreaChanges, loadCorpus } from "../knowledge/load.ts";
import { loadPolicyKnowledge } from "../knowledge/policy-load.ts";
import type { SearchOutcome } from "../knowledge/types.ts";
import { openDatabase } from "../storage/database.ts";
import { createFeedbackStore } from "./services/feedback.ts";
import { createRuleWatchStore } from "./services/rule-watches.ts";
import { createConsoleAuthStore } from "../storage/repositories/console-auth.ts";
import { createStaffDesk } from "./desk.ts";
import { loadReferrals } from "./referrals-load.ts";
import { createStaffDirectory } from "./roles.ts";

const policy = loadPolicyKnowledge();
const outcome: SearchOutcome = { type: "no_match", query: "giá vàng", message: "…", results: [] };

function desk(search: () => SearchOutcome = () => outcome) {
  const database = openDatabase(":memory:");
  const feedback = createFeedbackStore(database);
  const watches = createRuleWatchStore(database);
  return {
    database,
    feedback,
    watches,
    desk: createStaffDesk({
      staff: createStaffDirectory(["telegram:1"]),
      search,
      documents: loadCorpus().documents,
      areas: loadAreaChanges(),
      policy,
      referrals: loadReferrals(),
      feedback,
      watches,
      versions: { rules: "r", knowledge: "k" },
      today: () => "2026-03-01",
    }),
  };
}

describe("staff desk", () => {
  it("gives staff a one-time console code on /dangnhap, and residents a refusal", async () => {
    const database = openDatabase(":memory:");
    const consoleSignIn = createConsoleAuthStore(database);
    const staffDesk = createStaffDesk({
      staff: createStaffDirectory(["telegram:1"]),
      search: () => outcome,
      documents: loadCorpus().documents,
      areas: loadAreaChanges(),
      policy,
      referrals: loadReferrals(),
      versions: { rules: "r", knowledge: "k" },
      today: () => "2026-03-01",
      consoleSignIn,
      consoleUrl: "https://xa.example.vn/console",
    });
    const staff = await staffDesk.handle("telegram:1", "/dangnhap", {});
    const text = staff.replies[0]!.text;
    expect(text).toMatch(/^Mã đăng nhập trang làm việc: \d{4} \d{4}$/m);
    expect(text).toContain("https://xa.example.vn/console");
    expect(text).toContain("10 phút");
    const code = /(\d{4}) (\d{4})/.exec(text)!;
    expect(consoleSignIn.redeem(`${code[1]}${code[2]}`, "c").type).toBe("ok");
    const resident = await staffDesk.handle("telegram:2", "/dangnhap", {});
    expect(resident.replies[0]!.text).toMatch(/chỉ dành cho cán bộ xã/);
    expect(database.sqlite.prepare("select count(*) from console_codes").pluck().get()).toBe(0);
    database.close();
  });

  it("makes the core's own answers judgeable, and stores the verdict with what was shown", async () => {
    const { desk: staffDesk, feedback, database } = desk();
    const household = {
      area: "rural" as const,
      members: 3,
      listedStatus: "poor" as const,
      assessedOn: "2026-03-01",
    };
    const offered = staffDesk.offerFeedback(
      {},
      { kind: "decision", household, decision: decide(household, policy) },
    );
    expect(offered.reply.choices?.map((choice) => choice.value)).toEqual(["fb:1", "fb:2", "fb:3"]);
    const judged = await staffDesk.handle("telegram:1", "fb:3", offered.state);
    expect(judged.handled).toBe(true);
    expect(judged.state.expectedFor).toBeDefined();
    const skipped = await staffDesk.handle("telegram:1", "bỏ qua", judged.state);
    expect(skipped.replies[0]!.text).toBe("Đã bỏ qua.");
    expect(skipped.state).toEqual({});
    expect(feedback.disputed()).toMatchObject([
      { kind: "decision", verdict: "unclear", role: "staff", expected: null, household },
    ]);
    database.close();
  });

  it("forgets a pending verdict once the conversation moves on, and leaves other messages to the core", async () => {
    const { desk: staffDesk, database } = desk();
    const offered = staffDesk.offerFeedback({}, { kind: "search", question: "giá vàng", outcome });
    const moved = await staffDesk.handle("zalo:9", "vay vốn hộ nghèo", offered.state);
    expect(moved).toEqual({ handled: false, replies: [], state: {} });
    expect((await staffDesk.handle("zalo:9", "1", moved.state)).handled).toBe(false);
    database.close();
  });

  it("stores a verdict on a later page of /tim with the passages of that page", async () => {
    const results = Array.from({ length: 12 }, (_, index) => ({
      documentId: "thai-binh-2017-2020",
      title: `Đoạn ${index + 1}`,
      sectionPath: ["IV. CÁC GIẢI PHÁP THỰC HIỆN"],
      excerpt: `đoạn ${index + 1}`,
      text: `đoạn ${index + 1}`,
      citation: `nguồn ${index + 1}`,
      warnings: [],
      score: 1,
    }));
    const many = { type: "results", query: "vay vốn", results } as unknown as SearchOutcome;
    const { desk: staffDesk, feedback, database } = desk(() => many);
    const first = await staffDesk.handle("telegram:1", "/tim vay vốn", {});
    const second = await staffDesk.handle("telegram:1", "xem thêm", first.state);
    expect(second.replies[0]!.text).toContain("Trang 2/3");
    await staffDesk.handle("telegram:1", "2", second.state);
    expect(feedback.disputed()[0]!.answer).toMatchObject({
      firstShown: 6,
      results: [6, 7, 8, 9, 10].map((n) => ({ citation: `nguồn ${n}` })),
    });
    database.close();
  });

  it("gives a case summary after an on-behalf check only to staff who started one", () => {
    const { desk: staffDesk, database } = desk();
    const household = {
      area: "urban" as const,
      members: 2,
      listedStatus: "near_poor" as const,
      assessedOn: "2026-03-01",
    };
    const decision = decide(household, policy);
    expect(staffDesk.finishOnBehalf("telegram:1", {}, household, decision)).toBeNull();
    expect(staffDesk.finishOnBehalf("zalo:9", { onBehalf: {} }, household, decision)).toBeNull();
    const result = staffDesk.finishOnBehalf(
      "telegram:1",
      { onBehalf: { residentName: "Lan" } },
      household,
      decision,
    );
    expect(result?.state).toEqual({});
    expect(result?.replies[0]!.attachment?.content).toContain("Người được hỗ trợ:</strong> Lan");
    database.close();
  });

  it("records the opt-in to rule-change notices and forgets it on /xoa", async () => {
    const { desk: staffDesk, watches, database } = desk();
    const household = {
      area: "rural" as const,
      members: 4,
      monthlyIncome: 7_000_000,
      assessedOn: "2026-03-01",
    };
    expect(staffDesk.isOptIn(staffDesk.optInChoice().value)).toBe(true);
    expect(staffDesk.isOptIn("bao cho toi khi chinh sach thay doi")).toBe(true);
    expect(staffDesk.isOptIn("báo cho tôi")).toBe(false);
    expect((await staffDesk.optIn("zalo:9", household, decide(household, policy))).text).toMatch(
      /^Đã ghi nhận\..*\/xoa/,
    );
    expect(watches.has("zalo:9")).toBe(true);
    await staffDesk.forget("zalo:9");
    expect(watches.has("zalo:9")).toBe(false);
    database.close();
  });
});
