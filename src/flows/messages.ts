/**
 * The conversation's own Vietnamese sentences (everything not written in a flow file): short, plain, one
 * idea each. One catalog, so wording is reviewed in one place and tests can check that every problem has a
 * message. Pure.
 */

import { formatNumberVi } from "../domain/format.ts";
import type { AnswerProblem } from "./answers.ts";
import type { AnswerType } from "./schema.ts";

/** Fixed sentences and small templates. */
export const MESSAGES = {
  unreadable: "Mình chưa hiểu câu trả lời.",
  example: (example: string) => `Bạn trả lời giống như: ${example}`,
  recorded: (what: string) => `Đã ghi: ${what}.`,
  backTo: (previous: string) => `Quay lại câu trước. Lần trước bạn trả lời: ${previous}.`,
  backAtStart: "Đây là câu hỏi đầu tiên rồi.",
  nothingToGoBack: "Chưa có câu trả lời nào để quay lại. Gõ /kiemtra để bắt đầu kiểm tra.",
  resume: "Mình hỏi tiếp nhé.",
  resumeAfterQuestion: "Quay lại câu hỏi đang dở:",
  paused:
    "Đã dừng. Câu trả lời của bạn vẫn được giữ: gõ /kiemtra để làm tiếp, /lamlai để làm lại từ đầu, /xoa để xóa hết.",
  nothingToStop: "Không có câu hỏi nào đang làm.",
  deleted: "Đã xóa toàn bộ thông tin bạn đã trả lời. Gõ /batdau nếu muốn bắt đầu lại.",
  restarted: "Làm lại từ đầu nhé.",
  newCheck: "Bắt đầu một lần kiểm tra mới.",
  flowChanged: "Bộ câu hỏi vừa được cập nhật nên mình phải hỏi lại từ đầu. Xin lỗi bạn vì sự bất tiện.",
  staleButton: "Câu hỏi đó đã cũ. Đây là câu hỏi hiện tại:",
  unknownCommand: (slash: string, suggestion: string | undefined) =>
    `Không có lệnh /${slash}.${suggestion ? ` Ý bạn là /${suggestion}?` : ""} Gõ /trogiup để xem các lệnh.`,
  empty: "Bạn chưa gõ gì.",
  tooLongInput: (max: number) => `Tin nhắn dài quá (tối đa ${max} ký tự). Bạn viết ngắn lại giúp mình nhé.`,
  thanks: "Rất vui được giúp bạn! Gõ /batdau để xem các việc khác mình làm được.",
  manyMisses: "Nếu bạn muốn hỏi điều khác, cứ gõ câu hỏi; muốn dừng, gõ /thoi.",
  searchFailed: "Xin lỗi, lúc này mình chưa tra cứu được. Bạn thử lại sau ít phút nhé.",
  decideFailed: "Xin lỗi, mình chưa tính được kết quả từ các câu trả lời.",
  decideProblems: "Có câu trả lời cần xem lại:",
  decideFix: "Gõ /quaylai để sửa câu trả lời, hoặc /lamlai để làm lại.",
  internal: "Xin lỗi, đã có lỗi ngoài dự kiến. Bạn gõ lại tin nhắn giúp mình nhé.",
  unknownLabel: "Không biết",
  yes: "Có",
  no: "Không",
  checkHint: "Muốn biết hộ mình được hỗ trợ gì, gõ /kiemtra.",
  interviewPaused: "(Phần kiểm tra đang dừng, gõ /kiemtra để làm tiếp.)",
  searchEmpty: "Mình chưa tìm thấy đoạn nào trả lời câu này. Bạn thử hỏi bằng từ khác, hoặc hỏi cán bộ xã.",
  unconfirmed: (who: string) => `⚠️ Mức này chưa được xác nhận chính thức. Hãy hỏi ${who} trước khi dựa vào.`,
  unconfirmedWhat: (what: readonly string[], who: string) =>
    `⚠️ Chưa xác nhận chính thức: ${what.join("; ")}. Hãy hỏi ${who} trước khi dựa vào.`,
  resultTitle: "📋 KẾT QUẢ ƯỚC TÍNH",
  sameSteps: "như ở mục trên.",
  toBeSure: "Để biết chắc hơn:",
} as const;

/** A valid answer to show, by answer type, when the step does not give its own `example`. */
export const DEFAULT_EXAMPLES: Record<AnswerType, string> = {
  choice: "1",
  multi_choice: "1, 3 hoặc 0",
  yes_no: '"có" hoặc "không"',
  integer: "4",
  money: "3tr5 hoặc 3.500.000đ",
  date: "15/3/2024",
  month_year: "3/2024",
  text: "một câu ngắn",
};

/** The sentence for an answer that could not be used (the example and the question follow it). */
export function problemMessage(problem: AnswerProblem): string {
  switch (problem.type) {
    case "unreadable":
      return MESSAGES.unreadable;
    case "ambiguous":
      return "Câu trả lời có nhiều ý, bạn chọn một thôi nhé.";
    case "needs_unit":
      return "Bạn ghi rõ đơn vị giúp mình, ví dụ 3 triệu hoặc 800 nghìn.";
    case "money_for_count":
      return "Câu này hỏi số lượng (đếm), không phải số tiền.";
    case "too_small":
      return `Số này phải từ ${formatNumberVi(problem.min)} trở lên.`;
    case "too_large":
      return `Số này không được quá ${formatNumberVi(problem.max)}.`;
    case "future_date":
      return "Thời gian này chưa tới. Bạn xem lại giúp mình.";
    case "too_early":
      return `Mình chỉ cần thông tin từ năm ${problem.minYear} trở lại đây.`;
    case "unknown_not_allowed":
      return "Câu này cần có câu trả lời để tính tiếp. Bạn ước chừng cũng được.";
    case "too_long":
      return `Câu trả lời dài quá (tối đa ${problem.maxLength} ký tự).`;
  }
}
