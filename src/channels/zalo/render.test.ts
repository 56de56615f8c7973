import { describe, expect, it } from "vitest";
import { renderZaloText } from "./channel.ts";

describe("renderZaloText", () => {
  it("says where to get a file, since Zalo bots cannot send one", () => {
    const text = renderZaloText({
      text: "TÓM TẮT HỒ SƠ",
      attachment: { filename: "tom-tat.html", mediaType: "text/html", content: "<html></html>" },
    });
    expect(text).toContain("TÓM TẮT HỒ SƠ");
    expect(text).toContain("Zalo không gửi được tệp");
    expect(text).not.toContain("<html>");
  });

  it("numbers the choices and says how to answer", () => {
    const text = renderZaloText({
      text: "Câu trả lời này có đúng không?",
      choices: [
        { label: "Đúng", value: "fb:1" },
        { label: "Sai", value: "fb:2" },
      ],
    });
    expect(text).toContain("1. Đúng\n2. Sai");
  });
});
