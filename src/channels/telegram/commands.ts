/**
 * The commands shown in Telegram's menu, in Vietnamese. The conversation core interprets them (and the same
 * words typed without the slash); the channel only registers them with `setMyCommands`.
 */
export const TELEGRAM_COMMANDS: ReadonlyArray<{ command: string; description: string }> = [
  { command: "batdau", description: "Bắt đầu trò chuyện" },
  { command: "kiemtra", description: "Kiểm tra hộ mình được hưởng chính sách nào" },
  { command: "hoi", description: "Hỏi về chính sách giảm nghèo" },
  { command: "quaylai", description: "Quay lại câu hỏi trước" },
  { command: "lamlai", description: "Làm lại từ đầu" },
  { command: "trogiup", description: "Xem hướng dẫn" },
  { command: "xoa", description: "Xoá mọi thông tin mình đã lưu về bạn" },
];

/**
 * Removes the `@botname` Telegram appends to a command in group chats (`/kiemtra@HoiChinhSachBot` →
 * `/kiemtra`), so that the core sees the same command whatever the chat.
 */
export function stripBotMention(text: string): string {
  return text.replace(/^(\/[A-Za-z0-9_]+)@[A-Za-z0-9_]+/, "$1");
}
