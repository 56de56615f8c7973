import { describe, expect, it } from "vitest";
import { stripBotMention, TELEGRAM_COMMANDS } from "./commands.ts";
import { renderTelegramReply } from "./render.ts";

describe("renderTelegramReply", () => {
  it("puts the choices as buttons under the last part, two short labels per row", () => {
    const messages = renderTelegramReply(
      {
        text: "Hộ bạn có trong danh sách hộ nghèo không?",
        choices: [
          { label: "Có", value: "yes" },
          { label: "Không", value: "no" },
          { label: "Không biết", value: "unknown" },
        ],
        stepId: "eligibility@1:ask_poor_list",
      },
      4096,
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]?.replyMarkup?.inline_keyboard).toEqual([
      [
        { text: "Có", callback_data: "1|eligibility@1:ask_poor_list|yes" },
        { text: "Không", callback_data: "1|eligibility@1:ask_poor_list|no" },
      ],
      [{ text: "Không biết", callback_data: "1|eligibility@1:ask_poor_list|unknown" }],
    ]);
  });

  it("gives long labels a row each", () => {
    const [message] = renderTelegramReply({
      text: "Chọn",
      choices: [
        { label: "Hộ nghèo theo chuẩn đa chiều", value: "a" },
        { label: "Hộ cận nghèo", value: "b" },
      ],
      stepId: "s",
    });
    expect(message?.replyMarkup?.inline_keyboard.map((row) => row.length)).toEqual([1, 1]);
  });

  it("splits long text and attaches the buttons to the last part only", () => {
    const text = Array.from({ length: 10 }, (_, i) => `dòng ${i}`).join("\n");
    const messages = renderTelegramReply({ text, choices: [{ label: "Có", value: "y" }], stepId: "s" }, 20);
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.slice(0, -1).every((m) => m.replyMarkup === undefined)).toBe(true);
    expect(messages.at(-1)?.replyMarkup).toBeDefined();
  });

  it("falls back to numbered lines when a button's data would not fit 64 bytes", () => {
    const [message] = renderTelegramReply({
      text: "Chọn",
      choices: [
        { label: "Có", value: "y".repeat(70) },
        { label: "Không", value: "n" },
      ],
      stepId: "s",
    });
    expect(message?.replyMarkup).toBeUndefined();
    expect(message?.text).toBe("Chọn\n\n1. Có\n2. Không");
  });

  it("sends nothing for a blank reply", () => {
    expect(renderTelegramReply({ text: "  " })).toEqual([]);
  });
});

describe("Telegram commands", () => {
  it("are the Vietnamese commands of the conversation, with descriptions", () => {
    expect(TELEGRAM_COMMANDS.map((c) => c.command)).toEqual([
      "batdau",
      "kiemtra",
      "hoi",
      "quaylai",
      "lamlai",
      "trogiup",
      "xoa",
    ]);
    for (const c of TELEGRAM_COMMANDS) {
      expect(c.command).toMatch(/^[a-z0-9_]{1,32}$/);
      expect(c.description.length).toBeGreaterThan(2);
      expect(c.description.length).toBeLessThanOrEqual(256);
    }
  });

  it("drop the @botname Telegram adds in groups", () => {
    expect(stripBotMention("/kiemtra@HoiChinhSachBot")).toBe("/kiemtra");
    expect(stripBotMention("/hoi@HoiChinhSachBot vay vốn")).toBe("/hoi vay vốn");
    expect(stripBotMention("email a@b.vn")).toBe("email a@b.vn");
  });
});
