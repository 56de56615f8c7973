import type { ConversationCore } from "../../src/channels/ports.ts";

/**
 * A fast stand-in for the conversation core, for the channel benchmark only: answers at once, echoing the
 * request's marker (`#<n>`) so that the fake API can count each reply. Interview answers (a number, or a button)
 * get the next question with choices; anything else gets a knowledge-base-like answer.
 */
export function createFastCore(): ConversationCore {
  return {
    async handle(_userKey, input) {
      const text = input.type === "text" ? input.text : input.value;
      const marker = /#(\d+)/.exec(text)?.[1] ?? "?";
      if (input.type === "choice" || /^\d/.test(text)) {
        return [
          {
            text: `Đã ghi nhận. Hộ bạn có ai đang hưởng lương hưu không? #${marker}`,
            choices: [
              { label: "Có", value: "yes" },
              { label: "Không", value: "no" },
            ],
            stepId: "interview@1:ask_pension",
          },
        ];
      }
      return [
        {
          text: `Theo Kế hoạch giảm nghèo của tỉnh, mục 2.1: hộ nghèo được vay vốn ưu đãi tại Ngân hàng Chính sách xã hội. #${marker}`,
        },
      ];
    },
  };
}
