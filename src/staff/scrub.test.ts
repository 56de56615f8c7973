import { describe, expect, it } from "vitest";
import { scrubStoredQuestion } from "./scrub.ts";

describe("scrubStoredQuestion", () => {
  it.each([
    [
      "toi ten nguyen van an, nha so 5 ngo 12 co duoc vay khong",
      "toi ten [tên], nha [địa chỉ] co duoc vay khong",
    ],
    ["nhà số 5 ngõ 12 phố Huế có được hỗ trợ", "nhà [địa chỉ] có được hỗ trợ"],
    ["chồng tôi bị HIV và nợ 50 triệu", "chồng tôi bị [sức khoẻ] và nợ [số] triệu"],
    ["bà trần thị mai ở thôn Đông có được vay không", "bà [tên] ở [địa chỉ] có được vay không"],
    ["Tên tôi là Hoa, số điện thoại 0912345678", "Tên tôi là [tên], số điện thoại [số]"],
    ["thu nhập 3.500.000 đồng/tháng, con bị ung thư", "thu nhập [số] đồng/tháng, con bị [sức khoẻ]"],
  ])("masks %j", (question, kept) => {
    expect(scrubStoredQuestion(question)).toBe(kept);
  });

  it("keeps the topic, and a year, readable", () => {
    for (const question of [
      "hộ cận nghèo năm 2026 được hỗ trợ bảo hiểm y tế không",
      "văn bản nào quy định hộ nghèo ở Thái Bình",
      "lý do bị loại khỏi danh sách",
    ])
      expect(scrubStoredQuestion(question)).toBe(question);
  });
});
