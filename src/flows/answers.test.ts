import { describe, expect, it } from "vitest";
import { normalizeVietnamese } from "../text/vietnamese.ts";
import { isUnknownAnswer, matchOption, parseAnswer, type AnswerProblem } from "./answers.ts";
import type { AnswerSpec, ChoiceOption } from "./schema.ts";

const context = { today: "2026-11-22", allowUnknown: true };

function value(spec: AnswerSpec, text: string): unknown {
  const result = parseAnswer(spec, text, context);
  if (!result.ok) return { problem: result.error.type };
  return result.value.answer.type === "unknown" ? "unknown" : result.value.answer.value;
}

function problem(spec: AnswerSpec, text: string, allowUnknown = true): AnswerProblem["type"] | undefined {
  const result = parseAnswer(spec, text, { ...context, allowUnknown });
  return result.ok ? undefined : result.error.type;
}

describe("money", () => {
  const money: AnswerSpec = { type: "money", min: 0, max: 1_000_000_000 };
  it.each([
    ["3tr5", 3_500_000],
    ["3 tr 5", 3_500_000],
    ["3,5 triệu", 3_500_000],
    ["3.5 triệu", 3_500_000],
    ["3,5tr", 3_500_000],
    ["3.500.000đ", 3_500_000],
    ["3.500.000 đồng", 3_500_000],
    ["3,500,000", 3_500_000],
    ["3 500 000", 3_500_000],
    ["3500000", 3_500_000],
    ["3500k", 3_500_000],
    ["3 triệu rưỡi", 3_500_000],
    ["3tr rưỡi", 3_500_000],
    ["3 trieu ruoi", 3_500_000],
    ["ba triệu", 3_000_000],
    ["ba trieu", 3_000_000],
    ["hai triệu rưỡi", 2_500_000],
    ["1tr2", 1_200_000],
    ["1 triệu 2", 1_200_000],
    ["một triệu hai", 1_200_000],
    ["3 triệu 250", 3_250_000],
    ["3tr25", 3_250_000],
    ["hai triệu năm trăm", 2_500_000],
    ["3 triệu 200 nghìn", 3_200_000],
    ["800 nghìn", 800_000],
    ["800 ngàn", 800_000],
    ["800 nghin", 800_000],
    ["800k", 800_000],
    ["800K", 800_000],
    ["năm trăm nghìn", 500_000],
    ["nam tram nghin", 500_000],
    ["tám triệu", 8_000_000],
    ["tam trieu", 8_000_000],
    ["tầm 3 triệu", 3_000_000],
    ["tam 3 trieu", 3_000_000],
    ["khoảng 4 triệu", 4_000_000],
    ["khoang 4tr a", 4_000_000],
    ["được 2 củ", 2_000_000],
    ["mười lăm triệu", 15_000_000],
    ["hai mươi lăm triệu", 25_000_000],
    ["1,5tr/tháng", 1_500_000],
    ["5 triệu 1 tháng", 5_000_000],
    ["mỗi tháng 5 triệu", 5_000_000],
    ["60 triệu một năm", 5_000_000],
    ["60tr/năm", 5_000_000],
    ["mỗi năm 60 triệu", 5_000_000],
    ["năm triệu", 5_000_000],
    ["1 tỷ", 1_000_000_000],
    ["0", 0],
    ["không có", 0],
    ["không có thu nhập", 0],
    ["ko", 0],
  ])("reads %s as %d", (text, expected) => {
    expect(value(money, text)).toBe(expected);
  });

  it.each([
    ["3", "needs_unit"],
    ["800", "needs_unit"],
    ["3,5", "needs_unit"],
    ["2-3 triệu", "unreadable"],
    ["2 đến 3 triệu", "ambiguous"],
    ["nhiều lắm", "unreadable"],
    ["6,24%", "unreadable"],
    ["", "unreadable"],
    ["🙂", "unreadable"],
    ["2 tỷ", "too_large"],
  ])("refuses %j (%s)", (text, expected) => {
    expect(problem(money, text)).toBe(expected);
  });

  it("echoes a yearly amount with its monthly equivalent", () => {
    const result = parseAnswer(money, "60 triệu một năm", context);
    expect(result.ok && result.value.echo).toBe("60.000.000 đ mỗi năm, tức khoảng 5.000.000 đ mỗi tháng");
  });
});

describe("yes / no", () => {
  const yesNo: AnswerSpec = { type: "yes_no" };
  it.each([
    ["có", true],
    ["co", true],
    ["Có ạ", true],
    ["ừ", true],
    ["uh", true],
    ["vâng", true],
    ["dạ", true],
    ["dạ có", true],
    ["ok", true],
    ["được", true],
    ["đúng rồi", true],
    ["phải", true],
    ["không", false],
    ["ko", false],
    ["k", false],
    ["hông", false],
    ["chưa", false],
    ["dạ không", false],
    ["vâng, không có", false],
    ["không phải", false],
    ["chưa có ạ", false],
    ["KHÔNG", false],
  ])("reads %s as %s", (text, expected) => {
    expect(value(yesNo, text)).toBe(expected);
  });

  it.each(["có hay không", "abc", "", "🙂🙂", "tôi đang nghĩ về việc này rất lâu rồi mà vẫn chưa quyết"])(
    "does not read %j",
    (text) => {
      expect(problem(yesNo, text)).toBeDefined();
    },
  );
});

describe("không biết", () => {
  it.each([
    "không biết",
    "ko biết",
    "k biet",
    "không rõ",
    "ko rõ",
    "chưa rõ",
    "không nhớ",
    "chịu",
    "tôi không biết",
    "dạ không rõ ạ",
    "kb",
  ])("%s means I don't know", (text) => {
    expect(isUnknownAnswer(text)).toBe(true);
    expect(value({ type: "money" }, text)).toBe("unknown");
  });

  it.each(["không", "biết", "có", "không biết vay vốn ở đâu thì được nhiều tiền nhất vậy bạn ơi"])(
    "%s does not",
    (text) => {
      expect(isUnknownAnswer(text)).toBe(false);
    },
  );

  it("is refused where the step does not allow it", () => {
    expect(problem({ type: "integer" }, "không biết", false)).toBe("unknown_not_allowed");
  });
});

describe("integer", () => {
  const members: AnswerSpec = { type: "integer", min: 1, max: 30 };
  it.each([
    ["4", 4],
    ["4 người", 4],
    ["4 nguoi", 4],
    ["bốn người", 4],
    ["bon nguoi", 4],
    ["nhà có 5 người", 5],
    ["nha co nam nguoi", 5],
    ["mười hai", 12],
    ["Gồm 6 khẩu ạ", 6],
  ])("reads %s as %d", (text, expected) => {
    expect(value(members, text)).toBe(expected);
  });

  it.each([
    ["0", "too_small"],
    ["31", "too_large"],
    ["2 vợ chồng 3 con", "ambiguous"],
    ["4,5", "unreadable"],
    ["nhiều", "unreadable"],
    ["3tr5", "money_for_count"],
    ["4 triệu", "money_for_count"],
    ["500k", "money_for_count"],
    ["3.500.000đ", "money_for_count"],
  ])("refuses %j (%s)", (text, expected) => {
    expect(problem(members, text)).toBe(expected);
  });

  it("reads none as zero for counts", () => {
    const count: AnswerSpec = { type: "integer", min: 0, max: 10 };
    expect(value(count, "không có ai")).toBe(0);
    expect(value(count, "ko")).toBe(0);
  });
});

describe("choice", () => {
  const options: ChoiceOption[] = [
    { value: "poor", label: "Hộ nghèo", synonyms: ["nghèo", "sổ hộ nghèo"] },
    { value: "near_poor", label: "Hộ cận nghèo", synonyms: ["cận nghèo"] },
    { value: "none", label: "Không có tên", synonyms: ["không", "không có", "ko", "chưa"] },
  ];
  const spec: AnswerSpec = { type: "choice", options };
  it.each([
    ["1", "poor"],
    ["số 2", "near_poor"],
    ["3.", "none"],
    ["hộ nghèo", "poor"],
    ["ho ngheo", "poor"],
    ["Hộ Cận Nghèo", "near_poor"],
    ["ho can ngheo", "near_poor"],
    ["cận nghèo ạ", "near_poor"],
    ["nhà em hộ nghèo", "poor"],
    ["không", "none"],
    ["ko có", "none"],
    ["không phải hộ nghèo", "none"],
    ["hai", "near_poor"],
    ["ho can ngeo", "near_poor"],
  ])("reads %s as %s", (text, expected) => {
    expect(value(spec, text)).toBe(expected);
  });

  it.each(["4", "0", "abc", ""])("does not read %j", (text) => {
    expect(problem(spec, text)).toBe("unreadable");
  });

  it("prefers the longest phrase", () => {
    expect(matchOption("cận nghèo", options)).toBe(1);
  });
});

describe("multi choice", () => {
  const options: ChoiceOption[] = ["viec lam", "nha o", "nuoc sach", "nha ve sinh"].map((label, i) => ({
    value: `d${i + 1}`,
    label,
    synonyms: [],
  }));
  const spec: AnswerSpec = { type: "multi_choice", options };
  it.each([
    ["1, 3", ["d1", "d3"]],
    ["1 3", ["d1", "d3"]],
    ["3,1,1", ["d1", "d3"]],
    ["2 và 4", ["d2", "d4"]],
    ["số 2", ["d2"]],
    ["0", []],
    ["không", []],
    ["không thiếu gì", []],
    ["nhà ở, nước sạch", ["d2", "d3"]],
  ])("reads %s", (text, expected) => {
    expect(value(spec, text)).toEqual(expected);
  });

  it.each(["5", "1, 9", "abc", "1 và bếp"])("does not read %j", (text) => {
    expect(problem(spec, text)).toBe("unreadable");
  });
});

describe("dates", () => {
  const monthYear: AnswerSpec = { type: "month_year", not_future: true, min_year: 1990 };
  const date: AnswerSpec = { type: "date", not_future: true, min_year: 1990 };
  it.each([
    ["3/2024", "2024-03"],
    ["03/2024", "2024-03"],
    ["3-2024", "2024-03"],
    ["tháng 3/2024", "2024-03"],
    ["tháng 3 năm 2024", "2024-03"],
    ["thang 3 nam 2024", "2024-03"],
    ["T3/2024", "2024-03"],
    ["15/3/2024", "2024-03"],
    ["tháng ba năm 2024", "2024-03"],
    ["3/24", "2024-03"],
    ["2024", "2024"],
    ["năm 2024", "2024"],
    ["năm ngoái", "2025"],
    ["tháng trước", "2026-10"],
  ])("month/year %s → %s", (text, expected) => {
    expect(value(monthYear, text)).toBe(expected);
  });

  it.each([
    ["15/3/2024", "2024-03-15"],
    ["15-03-2024", "2024-03-15"],
    ["ngày 15 tháng 3 năm 2024", "2024-03-15"],
    ["2024-03-15", "2024-03-15"],
  ])("date %s → %s", (text, expected) => {
    expect(value(date, text)).toBe(expected);
  });

  it.each([
    [monthYear, "13/2024", "unreadable"],
    [monthYear, "3/2030", "future_date"],
    [monthYear, "3/1980", "too_early"],
    [date, "31/2/2024", "unreadable"],
    [date, "3/2024", "unreadable"],
    [monthYear, "hôm qua trời mưa", "unreadable"],
  ] as const)("refuses %j %s (%s)", (spec, text, expected) => {
    expect(problem(spec, text)).toBe(expected);
  });
});

describe("text", () => {
  it("keeps the text, normalised, within its length", () => {
    expect(value({ type: "text", max_length: 10 }, "  Hòa Bình ")).toBe(normalizeVietnamese("Hoà Bình"));
    expect(problem({ type: "text", max_length: 3 }, "Hòa Bình")).toBe("too_long");
  });
});
