import { describe, expect, it } from "vitest";
import { isThanks, questionStrength, readCommand } from "./intent.ts";
import { loadFlows } from "./load.ts";

const { commands } = loadFlows();

describe("readCommand", () => {
  it.each([
    ["/batdau", "start"],
    ["/kiemtra", "check"],
    ["/hoi", "ask"],
    ["/quaylai", "back"],
    ["/lamlai", "restart"],
    ["/trogiup", "help"],
    ["/xoa", "delete"],
    ["/thoi", "stop"],
    ["/KiemTra", "check"],
    ["/kiemtra@HoiChinhSachBot", "check"],
    ["kiểm tra", "check"],
    ["kiem tra", "check"],
    ["Kiểm tra!", "check"],
    ["quay lại", "back"],
    ["quay lai", "back"],
    ["làm lại", "restart"],
    ["lam lai di", "restart"],
    ["làm lại từ đầu", "restart"],
    ["thôi", "stop"],
    ["thoi", "stop"],
    ["giúp", "help"],
    ["giup toi", "help"],
    ["cho mình kiểm tra", "check"],
    ["xin chào", "start"],
    ["xóa", "delete"],
    ["xoá", "delete"],
  ])("%s → %s", (text, command) => {
    expect(readCommand(text, commands)).toMatchObject({ type: "command", command });
  });

  it("keeps what follows /hoi as the question", () => {
    expect(readCommand("/hoi vay vốn lãi suất?", commands)).toEqual({
      type: "command",
      command: "ask",
      argument: "vay vốn lãi suất?",
    });
  });

  it("suggests the closest command for a mistyped one", () => {
    expect(readCommand("/kiemtr", commands)).toEqual({
      type: "unknown_command",
      slash: "kiemtr",
      suggestion: "kiemtra",
    });
    expect(readCommand("/abcxyz", commands)).toMatchObject({
      type: "unknown_command",
      suggestion: undefined,
    });
  });

  it.each(["không", "có", "4 người", "quay lại trường học năm sau", "hộ nghèo", "3tr5", "", "1"])(
    "%j is not a command",
    (text) => {
      expect(readCommand(text, commands)).toBeUndefined();
    },
  );
});

describe("questionStrength", () => {
  it.each([
    ["vay vốn lãi suất bao nhiêu?", "strong"],
    ["ho ngheo co duoc vay von ko", "strong"],
    ["cho hỏi thủ tục vay vốn", "strong"],
    ["hộ cận nghèo được hỗ trợ bảo hiểm y tế thế nào", "strong"],
    ["học phí năm nay được miễn không", "weak"],
    ["có", "none"],
    ["3tr5", "none"],
    ["hộ nghèo", "none"],
    ["không biết", "none"],
    ["4?", "none"],
  ] as const)("%s → %s", (text, strength) => {
    expect(questionStrength(text)).toBe(strength);
  });
});

describe("isThanks", () => {
  it.each(["cảm ơn", "cam on nhe", "ok cảm ơn bạn", "thanks"])("%s", (text) =>
    expect(isThanks(text)).toBe(true),
  );
  it.each(["có", "cảm ơn nhưng cho hỏi thêm về thủ tục vay vốn ở ngân hàng chính sách xã hội"])(
    "not %s",
    (text) => expect(isThanks(text)).toBe(false),
  );
});
