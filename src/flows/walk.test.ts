import { describe, expect, it } from "vitest";
import type { Answer, AnswerValue } from "./answers.ts";
import { buildHousehold, isDecidable, lastDayOf, settledFacts } from "./household.ts";
import { loadFlows } from "./load.ts";
import { answeredPath, holds, walk } from "./walk.ts";

const flow = loadFlows().flows.eligibility!;
const v = (value: AnswerValue): Answer => ({ type: "value", value });
const unknown: Answer = { type: "unknown" };

describe("walk", () => {
  it("asks the steps marked always before consulting the scorer", () => {
    expect(walk(flow, {}, undefined).outcome).toMatchObject({ type: "ask", key: "ask_area" });
    const two = { ask_area: v("rural"), ask_members: v(4) };
    expect(walk(flow, two, undefined).outcome).toMatchObject({ key: "ask_listed_status" });
    const three = { ...two, ask_listed_status: v("none") };
    expect(walk(flow, three, undefined).outcome).toEqual({ type: "need_decision" });
  });

  it("skips a step whose fact the scorer does not need, and asks it when it does", () => {
    const answers = { ask_area: v("rural"), ask_members: v(4), ask_listed_status: v("none") };
    expect(walk(flow, answers, new Set(["persons"])).outcome).toMatchObject({ key: "ask_student_count" });
    expect(walk(flow, answers, new Set(["persons", "monthlyIncome"])).outcome).toMatchObject({
      key: "ask_income",
    });
    expect(walk(flow, answers, new Set(["incomePerPerson"])).outcome).toMatchObject({ key: "ask_income" });
    expect(walk(flow, answers, new Set()).outcome).toEqual({ type: "done" });
  });

  it("keeps answers given after a question the scorer asks for late", () => {
    const answers = {
      ask_area: v("rural"),
      ask_members: v(4),
      ask_listed_status: v("none"),
      ask_student_count: v(1),
      "ask_student_level#1": v("primary"),
    };
    const { outcome, path } = walk(flow, answers, new Set(["monthlyIncome"]));
    expect(outcome).toMatchObject({ key: "ask_income" });
    expect(path).toEqual(["ask_area", "ask_members", "ask_listed_status"]);
    expect(answeredPath(flow, answers)).toEqual(Object.keys(answers));
  });

  it("asks the repeated block once per student, interleaved, up to its maximum", () => {
    const answers: Record<string, Answer> = {
      ask_area: v("rural"),
      ask_members: v(4),
      ask_listed_status: v("poor"),
      ask_student_count: v(6),
    };
    const keys: string[] = [];
    for (let i = 0; i < 20; i++) {
      const { outcome } = walk(flow, answers, new Set());
      if (outcome.type !== "ask") break;
      keys.push(outcome.key);
      answers[outcome.key] = outcome.key.startsWith("ask_student_level")
        ? v("primary")
        : outcome.key.startsWith("ask_student_school")
          ? v(true)
          : v(false);
    }
    expect(keys).toEqual([
      "ask_student_level#1",
      "ask_student_school#1",
      "ask_student_level#2",
      "ask_student_school#2",
      "ask_student_level#3",
      "ask_student_school#3",
      "ask_student_level#4",
      "ask_student_school#4",
    ]);
    // Ethnicity is asked only when the scorer needs it for a member: then once, for all of them.
    expect(walk(flow, answers, new Set(["persons[2].ethnicMinority"])).outcome).toMatchObject({
      type: "ask",
      key: "ask_ethnic_minority",
    });
  });

  it("asks a question once: a fact answered 'không biết' that the scorer still lacks is not asked again", () => {
    const answers: Record<string, Answer> = {
      ask_area: v("rural"),
      ask_members: v(4),
      ask_listed_status: v("poor"),
      ask_water_sanitation: unknown,
      ask_student_count: v(0),
    };
    expect(walk(flow, answers, new Set(["needsWaterSupply", "needsSanitation"])).outcome).toEqual({
      type: "done",
    });
  });

  it("returns the answered keys on the path, leaving out answers of another branch", () => {
    const answers = {
      ask_area: v("rural"),
      ask_members: v(4),
      ask_listed_status: v("poor"),
      ask_income: v(1_000_000),
    };
    expect(walk(flow, answers, new Set()).path).toEqual(["ask_area", "ask_members", "ask_listed_status"]);
  });
});

describe("conditions", () => {
  const answers = { a: v("poor"), n: v(2), u: unknown };
  it.each([
    [{ step: "a", equals: "poor" }, true],
    [{ step: "a", in: ["near_poor", "poor"] }, true],
    [{ step: "n", gte: 2 }, true],
    [{ step: "n", lte: 1 }, false],
    [{ step: "u", is: "unknown" }, true],
    [{ step: "u", is: "known" }, false],
    [{ step: "x", is: "unanswered" }, true],
    [{ step: "x", equals: "poor" }, false],
    [{ all: [{ step: "a", equals: "poor" }, { not: { step: "n", gte: 3 } }] }, true],
    [
      {
        any: [
          { step: "x", is: "answered" },
          { step: "u", is: "answered" },
        ],
      },
      true,
    ],
  ] as const)("%j → %s", (condition, expected) => {
    expect(holds(condition as Parameters<typeof holds>[0], answers)).toBe(expected);
  });
});

describe("buildHousehold", () => {
  it("writes each answer to its field, with the date of assessment", () => {
    const answers = {
      ask_area: v("urban"),
      ask_members: v(3),
      ask_listed_status: unknown,
      ask_left_list: v(true),
      ask_left_list_on: v("2024-02"),
    };
    const household = buildHousehold(flow, answers, Object.keys(answers), "2026-11-22");
    expect(household).toEqual({
      assessedOn: "2026-11-22",
      area: "urban",
      members: 3,
      listedStatus: "unknown",
      leftListOn: "2024-02-29",
    });
    expect(isDecidable(flow, household)).toBe(true);
    expect(isDecidable(flow, { area: "urban" })).toBe(false);
  });

  it("sends the deprivations as the scorer's indicator ids, and nothing for 'không biết' without an unknown value", () => {
    const answers = {
      ask_deprivations: v(["water_source", "hygienic_latrine", "housing_area"]),
      ask_income: unknown,
    };
    expect(buildHousehold(flow, answers, Object.keys(answers), "2026-11-22")).toEqual({
      assessedOn: "2026-11-22",
      deprivations: ["water_source", "hygienic_latrine", "housing_area"],
    });
  });

  it("writes what a step lists for an answer: 'not left the list' is leftListOn null, 'yes' waits for the date", () => {
    const no = { ask_left_list: v(false) };
    expect(buildHousehold(flow, no, ["ask_left_list"], "2026-11-22")).toEqual({
      assessedOn: "2026-11-22",
      leftListOn: null,
    });
    const yes = { ask_left_list: v(true) };
    expect(buildHousehold(flow, yes, ["ask_left_list"], "2026-11-22")).toEqual({ assessedOn: "2026-11-22" });
  });

  it("writes each option of a yes/no multi-choice: chosen true, the others false", () => {
    const answers = { ask_water_sanitation: v(["needsSanitation"]) };
    expect(buildHousehold(flow, answers, ["ask_water_sanitation"], "2026-11-22")).toEqual({
      assessedOn: "2026-11-22",
      needsWaterSupply: false,
      needsSanitation: true,
    });
    expect(settledFacts(flow.steps.ask_water_sanitation!)).toEqual(
      expect.arrayContaining(["needsWaterSupply", "needsSanitation"]),
    );
  });

  it("creates one person per student, fills each from its repetition and every one from a household answer", () => {
    const answers = {
      ask_student_count: v(2),
      "ask_student_level#1": v("primary"),
      "ask_student_school#1": v(true),
      "ask_student_level#2": v("university"),
      "ask_student_school#2": unknown,
      ask_ethnic_minority: v(true),
    };
    expect(buildHousehold(flow, answers, Object.keys(answers), "2026-11-22").persons).toEqual([
      { education: "primary", publicSchool: true, ethnicMinority: true },
      { education: "university", ethnicMinority: true },
    ]);
    expect(
      buildHousehold(flow, { ask_student_count: v(0) }, ["ask_student_count"], "2026-11-22").persons,
    ).toEqual([]);
    // Counted but not described yet (the interview is still asking): no persons are sent.
    const counted = { ask_student_count: v(2), "ask_student_level#1": v("primary") };
    expect(buildHousehold(flow, counted, Object.keys(counted), "2026-11-22").persons).toEqual([
      { education: "primary" },
    ]);
    expect(
      buildHousehold(flow, { ask_student_count: v(2) }, ["ask_student_count"], "2026-11-22"),
    ).not.toHaveProperty("persons");
  });

  it("turns a month or a year into its last day", () => {
    expect(lastDayOf("2024-02")).toBe("2024-02-29");
    expect(lastDayOf("2023-02")).toBe("2023-02-28");
    expect(lastDayOf("2024-12")).toBe("2024-12-31");
    expect(lastDayOf("2024")).toBe("2024-12-31");
  });
});
