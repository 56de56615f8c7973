import { readFileSync, writeFileSync } from "node:fs";
import type { ConversationCore, Inbound, Reply } from "../../src/channels/ports.ts";

/**
 * A scripted conversation core for channel tests: a two-step interview (on the poor list? how many people?) with
 * a long result, a KB-like answer for anything else, and a few commands that misbehave on purpose. It follows the
 * port's rules like the real core will: choices carry a versioned step id; a stale button (old step or old flow
 * version) gets the current step; the number or the word answers a choice.
 *
 * Test commands: `/kiemtra` starts the interview, `/dai` answers with a very long text, `/cham` answers after
 * 700 ms, `/loi` throws, `/treo` never answers, `echo <x>` answers `echo <x>` after a random short delay (to
 * reveal any reordering), `/xoa` forgets the user.
 */
export interface FakeCore extends ConversationCore {
  /** Every call, in arrival order. */
  readonly calls: Array<{ userKey: string; input: Inbound }>;
  /** Bumping it changes every step id: buttons already sent become stale. */
  flowVersion: number;
}

interface UserState {
  step: "idle" | "ask_poor_list" | "ask_members";
  onPoorList?: boolean;
}

const POOR_LIST_CHOICES = [
  { label: "Có", value: "yes" },
  { label: "Không", value: "no" },
];

/** A line of the long result; 60 of them make about 3,700 characters: one Telegram message, two on Zalo. */
const RESULT_LINE = (i: number): string =>
  `${String(i).padStart(2, "0")}. ✅ Chương trình hỗ trợ số ${i}: đủ điều kiện theo Quyết định mẫu, điều ${i}.`;

/** The knowledge-base-like answer, with its citation. */
export const KB_ANSWER =
  "Theo Kế hoạch giảm nghèo của tỉnh, mục 2.1: hộ nghèo được vay vốn ưu đãi. (Nguồn: Kế hoạch số 1/KH-UBND)";

export const LONG_TEXT_LINES = Array.from(
  { length: 150 },
  (_, i) => `Dòng ${i + 1}: ${"nội dung dài ".repeat(4)}hết dòng.`,
);

export function createFakeCore(options: { statePath?: string } = {}): FakeCore {
  const users = new Map<string, UserState>(load(options.statePath));
  const calls: FakeCore["calls"] = [];
  const save = (): void => {
    if (options.statePath) writeFileSync(options.statePath, JSON.stringify([...users]));
  };

  const core: FakeCore = {
    calls,
    flowVersion: 1,
    async handle(userKey, input) {
      calls.push({ userKey, input });
      const state = users.get(userKey) ?? { step: "idle" };
      users.set(userKey, state);
      const stepId = (step: string): string => `interview@${core.flowVersion}:${step}`;
      const ask = (): Reply[] => {
        if (state.step === "ask_poor_list") {
          return [
            {
              text: "Hộ bạn có trong danh sách hộ nghèo của xã không?",
              choices: POOR_LIST_CHOICES,
              stepId: stepId("ask_poor_list"),
            },
          ];
        }
        if (state.step === "ask_members") return [{ text: "Hộ bạn có bao nhiêu người? (ví dụ: 4)" }];
        return [{ text: "Bạn gõ /kiemtra để kiểm tra chính sách, hoặc đặt câu hỏi." }];
      };
      const answerPoorList = (yes: boolean): Reply[] => {
        state.onPoorList = yes;
        state.step = "ask_members";
        save();
        return ask();
      };

      if (input.type === "choice") {
        if (input.stepId !== stepId(state.step) || state.step !== "ask_poor_list") {
          return [{ text: "Câu hỏi này đã thay đổi. Đây là câu hỏi hiện tại:" }, ...ask()];
        }
        return answerPoorList(input.value === "yes");
      }

      const text = input.text.trim().toLowerCase();
      if (text === "/kiemtra") {
        state.step = "ask_poor_list";
        save();
        return [{ text: "Mình sẽ hỏi vài câu ngắn." }, ...ask()];
      }
      if (text === "/xoa") {
        users.delete(userKey);
        save();
        return [{ text: "Đã xoá mọi thông tin về bạn." }];
      }
      if (text === "/dai") return [{ text: LONG_TEXT_LINES.join("\n") }];
      if (text === "/cham") {
        await new Promise((resolve) => setTimeout(resolve, 700));
        return [{ text: "Xong rồi." }];
      }
      if (text === "/loi") throw new Error("scripted failure");
      if (text === "/treo") return new Promise<Reply[]>(() => undefined);
      if (text.startsWith("echo ")) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 30));
        return [{ text: input.text.trim() }];
      }
      if (text.endsWith("?")) {
        // A question in the middle of the interview is answered, then the interview resumes where it was.
        return [{ text: KB_ANSWER }, ...(state.step === "idle" ? [] : ask())];
      }
      if (state.step === "ask_poor_list") {
        if (["1", "có", "co"].includes(text)) return answerPoorList(true);
        if (["2", "không", "khong", "ko"].includes(text)) return answerPoorList(false);
        return [{ text: "Mình chưa hiểu. Bạn trả lời 1 (Có) hoặc 2 (Không) nhé." }, ...ask()];
      }
      if (state.step === "ask_members") {
        const members = Number.parseInt(text, 10);
        if (!Number.isInteger(members) || members < 1) return [{ text: "Bạn gõ một số, ví dụ: 4" }];
        state.step = "idle";
        save();
        const lines = Array.from({ length: 60 }, (_, i) => RESULT_LINE(i + 1));
        return [
          {
            text: [
              `Kết quả cho hộ ${members} người (${state.onPoorList ? "hộ nghèo" : "chưa trong danh sách"}):`,
              ...lines,
            ].join("\n"),
          },
        ];
      }
      return [
        {
          text: "Theo Kế hoạch giảm nghèo của tỉnh, mục 2.1: hộ nghèo được vay vốn ưu đãi. (Nguồn: Kế hoạch số 1/KH-UBND)",
        },
      ];
    },
  };
  return core;
}

function load(path: string | undefined): Array<[string, UserState]> {
  if (!path) return [];
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Array<[string, UserState]>;
  } catch {
    return [];
  }
}
