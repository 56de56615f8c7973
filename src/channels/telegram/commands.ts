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

/** The menu of staff and volunteers (set for their chats only): everyone's commands, then theirs. */
export const TELEGRAM_STAFF_COMMANDS: ReadonlyArray<{ command: string; description: string }> = [
  ...TELEGRAM_COMMANDS,
  { command: "nhanh", description: "Cán bộ: nhập cả hộ trên một dòng, có kết quả ngay" },
  { command: "thaymat", description: "Cán bộ: kiểm tra thay người dân, có bản tóm tắt hồ sơ" },
  { command: "tomtat", description: "Cán bộ: bản tóm tắt hồ sơ để in của hộ vừa xét" },
  { command: "tim", description: "Tra cứu có lọc: tinh:, vanban:, nam:" },
  { command: "vanban", description: "Danh sách các kế hoạch" },
  { command: "doc", description: "Xem trọn một mục của kế hoạch" },
  { command: "thongke", description: "Cán bộ: thống kê ẩn danh" },
  { command: "dangnhap", description: "Cán bộ: mã đăng nhập trang làm việc trên máy tính" },
  { command: "toi", description: "Xem vai trò của bạn" },
];

/**
 * Removes the `@botname` Telegram appends to a command in group chats (`/kiemtra@HoiChinhSachBot` →
 * `/kiemtra`), so that the core sees the same command whatever the chat.
 */
export function stripBotMention(text: string): string {
  return text.replace(/^(\/[A-Za-z0-9_]+)@[A-Za-z0-9_]+/, "$1");
}
