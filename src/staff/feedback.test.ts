import { describe, expect, it } from "vitest";
import { scrubPersonalData } from "../text/personal-data.ts";
import { FEEDBACK_CHOICES, readExpectedDecision, readVerdict } from "./feedback.ts";

describe("verdicts", () => {
  it("reads buttons, numbers and words, with or without diacritics", () => {
    for (const [text, verdict] of [
      ["1", "correct"],
      ["Đúng", "correct"],
      ["dung", "correct"],
      ["đúng rồi", "correct"],
      ["2", "wrong"],
      ["Sai", "wrong"],
      ["không đúng", "wrong"],
      ["3", "unclear"],
      ["Chưa rõ", "unclear"],
      ["chua ro", "unclear"],
      ["không hiểu", "unclear"],
    ] as const)
      expect(readVerdict(text), text).toBe(verdict);
    for (const text of ["4", "vay vốn", "đúng là hộ nghèo được vay", ""])
      expect(readVerdict(text), text).toBeUndefined();
    expect(FEEDBACK_CHOICES.map((choice) => readVerdict(choice.value))).toEqual([
      "correct",
      "wrong",
      "unclear",
    ]);
    expect(FEEDBACK_CHOICES.map((choice) => readVerdict(choice.label))).toEqual([
      "correct",
      "wrong",
      "unclear",
    ]);
  });
});

describe("scrubbing", () => {
  it("masks phone, ID and account numbers, e-mails and links, keeps amounts", () => {
    expect(scrubPersonalData("gọi 0912345678 hoặc +84 912 345 678")).toBe("gọi [số] hoặc [số]");
    expect(scrubPersonalData("CCCD 034123456789, email lan.nguyen@gmail.com, https://fb.com/lan")).toBe(
      "CCCD [số], email [email], [link]",
    );
    expect(scrubPersonalData("thu nhập 1.500.000 đ, 3tr5, năm 2024")).toBe(
      "thu nhập 1.500.000 đ, 3tr5, năm 2024",
    );
    expect(scrubPersonalData("x".repeat(500))).toHaveLength(300);
  });

  it("masks names written with capitals, keeps place names and ordinary words", () => {
    expect(scrubPersonalData("bà Nguyễn Thị Lan ở thôn 3 có được vay không")).toBe(
      "bà [tên] ở thôn 3 có được vay không",
    );
    expect(scrubPersonalData("Trần Văn Nam bị khuyết tật có được trợ giúp pháp lý ko")).toBe(
      "[tên] bị khuyết tật có được trợ giúp pháp lý ko",
    );
    expect(scrubPersonalData("con chị Hoa học ĐH, tên là Minh Anh")).toBe(
      "con chị [tên] học ĐH, tên là [tên]",
    );
    expect(scrubPersonalData("hộ nghèo ở TP Hồ Chí Minh, Hà Giang cũ, Lâm Đồng, Bà Rịa - Vũng Tàu")).toBe(
      "hộ nghèo ở TP Hồ Chí Minh, Hà Giang cũ, Lâm Đồng, Bà Rịa - Vũng Tàu",
    );
    expect(scrubPersonalData("anh ấy có được vay vốn không, ông bà già rồi")).toBe(
      "anh ấy có được vay vốn không, ông bà già rồi",
    );
    expect(scrubPersonalData("chính sách BHYT cho hộ cận nghèo Thái Bình")).toBe(
      "chính sách BHYT cho hộ cận nghèo Thái Bình",
    );
  });
});

describe("the right answer as staff type it", () => {
  it("reads the category and each programme's status", () => {
    expect(readExpectedDecision("cận nghèo; vay hộ cận nghèo: được; bhyt: được; học phí: không")).toEqual({
      category: "near_poor",
      programs: {
        "credit.near_poor_household": "eligible",
        health_insurance: "eligible",
        tuition: "not_eligible",
      },
    });
    expect(readExpectedDecision("ho ngheo\nvay sv: co the\ntien dien: chua ro")).toEqual({
      category: "poor",
      programs: { "credit.student": "possible", electricity_support: "needs_info" },
    });
    expect(readExpectedDecision("không biết nữa")).toEqual({ programs: {} });
  });
});
