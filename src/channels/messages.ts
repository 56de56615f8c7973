/**
 * What the channels themselves say to users, in Vietnamese: the few messages that do not come from the
 * conversation core (too fast, too long, not text, something broke). Short and plain, like the rest of the
 * assistant; never an error's own message.
 */
export const CHANNEL_MESSAGES = {
  /** Sent once when a user exceeds the rate limit; later messages in the same burst are dropped silently. */
  rate_limited: "Bạn gửi nhanh quá, vui lòng chậm lại một chút rồi nhắn tiếp nhé.",
  /** A message longer than the per-message cap; the core never sees it. */
  too_long: "Tin nhắn dài quá. Bạn vui lòng viết ngắn lại (dưới {max} ký tự) nhé.",
  /** A photo, sticker, voice note or anything else that is not text. */
  not_text: "Xin lỗi, mình chỉ đọc được tin nhắn chữ. Bạn vui lòng gõ câu hỏi bằng chữ nhé.",
  /** Zalo's `message.unsupported.received`: the platform withheld the content. */
  unsupported: "Mình chưa xem được tin nhắn này. Bạn vui lòng gõ lại bằng chữ nhé.",
  /** A group chat: the assistant asks personal questions, so it only talks in private. */
  private_only:
    "Mình chỉ trò chuyện riêng để giữ kín thông tin của bạn. Bạn vui lòng nhắn tin riêng cho mình nhé.",
  /** Anything unexpected: the user is always told something, never the error itself. */
  internal: "Xin lỗi, hệ thống đang gặp trục trặc. Bạn vui lòng thử lại sau ít phút.",
  /** Under the numbered choices on Zalo, which has no buttons. */
  choose_by_number: "Bạn trả lời bằng số (ví dụ: 1) hoặc gõ chữ.",
  /** Zalo bots cannot send files: where to get the printable case summary instead. */
  no_files:
    // The case is in this Zalo session only: /tomtat on another channel would find nothing, so say how to redo it.
    "(Zalo không gửi được tệp nên không có bản để in kèm theo. Bạn có thể chép nội dung trên để in, hoặc kiểm tra lại hộ này trên Telegram (/nhanh hoặc /thaymat) rồi gõ /tomtat để nhận tệp.)",
} as const;

/** A key of {@link CHANNEL_MESSAGES}. */
export type ChannelMessageCode = keyof typeof CHANNEL_MESSAGES;

/**
 * The catalog message for `code`, with `{name}` placeholders filled from `values`.
 *
 * ```ts
 * channelMessage("too_long", { max: 2000 }); // "Tin nhắn dài quá. … (dưới 2000 ký tự) nhé."
 * ```
 */
export function channelMessage(
  code: ChannelMessageCode,
  values: Record<string, string | number> = {},
): string {
  return CHANNEL_MESSAGES[code].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}
