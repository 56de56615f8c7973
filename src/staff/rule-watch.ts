/**
 * When the rules change: a resident who opted in is told, once a rules update (or the start of a new
 * period) changes their decision, what changed — category, each programme's status and its main figures.
 * Pure: the stored summary of the last decision and the new decision come in, the notice goes out.
 */
import type { Decision, ProgramDecision } from "../domain/decision.ts";
import { noticeFigures, type SupportKind } from "../domain/kinds.ts";
import { estimatedCategoryLabel, RESULT_CATEGORY_LABEL } from "../domain/wording.ts";

/** The choice offered at the end of a check. */
export const OPT_IN_LABEL = "Báo cho tôi khi chính sách thay đổi";

/** The reply to the opt-in. */
export const OPT_IN_CONFIRM =
  "Đã ghi nhận. Khi quy định thay đổi làm kết quả của hộ bạn thay đổi, mình sẽ nhắn cho bạn (trong 1 năm). " +
  "Chỉ lưu các thông tin cần để xét lại; gõ /xoa bất cứ lúc nào để xóa và không nhận thông báo nữa.";

/** What a decision said, as kept for the comparison: the category and, per programme, status and figures. */
export interface WatchSummary {
  standard: string | null;
  category: string;
  programs: Record<
    string,
    { title: string; status: ProgramDecision["status"]; figures: Record<string, number | null> }
  >;
}

const STATUS_WORDS: Record<ProgramDecision["status"], string> = {
  eligible: "đủ điều kiện",
  possible: "có thể được (cần UBND xã công nhận)",
  needs_info: "cần thêm thông tin",
  not_eligible: "không đủ điều kiện",
};

/** Fields every programme decision has: the rest are its kind's details. */
const COMMON_FIELDS = new Set([
  "id",
  "kind",
  "title",
  "status",
  "reasons",
  "references",
  "confirmed",
  "nextSteps",
  "missingFacts",
  "persons",
]);

/** The summary of a decision to keep. */
export function watchSummary(decision: Decision): WatchSummary {
  return {
    standard: decision.standard?.id ?? null,
    category: decision.classification.category,
    programs: Object.fromEntries(
      decision.programs.map((program) => {
        // The programme's figures: its details that are numbers (or null, not confirmed).
        const figures: Record<string, number | null> = {};
        for (const [key, value] of Object.entries(program)) {
          if (COMMON_FIELDS.has(key) || key.startsWith("estimated")) continue;
          if (typeof value === "number" || value === null) figures[key] = value;
        }
        return [program.id, { title: program.title, status: program.status, figures }];
      }),
    ),
  };
}

/** A stored summary's category in words (a name this version does not know is shown as stored). */
function categoryWords(category: string): string {
  return category in RESULT_CATEGORY_LABEL
    ? estimatedCategoryLabel(category as keyof typeof RESULT_CATEGORY_LABEL)
    : category;
}

/**
 * What changed between the last summary and a new decision, one plain sentence each, the figures said as
 * their kind of support says them (`kinds`: the policy's); empty when nothing a resident would notice changed.
 */
export function decisionChanges(
  before: WatchSummary,
  after: Decision,
  kinds: ReadonlyMap<string, SupportKind>,
): string[] {
  const now = watchSummary(after);
  const changes: string[] = [];
  if (before.category !== now.category) {
    changes.push(
      `Diện của hộ: trước đây ${categoryWords(before.category)}, nay ${categoryWords(now.category)}.`,
    );
  }
  for (const [id, program] of Object.entries(now.programs)) {
    const old = before.programs[id];
    if (!old) {
      changes.push(`${program.title}: chính sách mới, ${STATUS_WORDS[program.status]}.`);
      continue;
    }
    if (old.status !== program.status) {
      changes.push(
        `${program.title}: trước đây ${STATUS_WORDS[old.status]}, nay ${STATUS_WORDS[program.status]}.`,
      );
      continue;
    }
    if (program.status === "not_eligible") continue;
    const kind = kinds.get(after.programs.find((candidate) => candidate.id === id)!.kind);
    for (const { name, label, say } of kind ? noticeFigures(kind) : []) {
      const was = old.figures[name];
      const is = program.figures[name];
      if (was === undefined || is === undefined || was === is) continue;
      const text = (value: number | null): string => (value === null ? "chưa xác nhận" : say(value));
      changes.push(`${program.title}: ${label} từ ${text(was)} thành ${text(is)}.`);
    }
  }
  for (const [id, old] of Object.entries(before.programs)) {
    if (!now.programs[id]) changes.push(`${old.title}: không còn trong các chính sách được xét.`);
  }
  return changes;
}

/** The notice sent to a resident whose decision changed. */
export function renderChangeNotice(changes: readonly string[], assessedOn: string): string {
  const [year, month, day] = assessedOn.split("-");
  return [
    `Quy định về chính sách giảm nghèo đã thay đổi. Xét lại theo thông tin bạn đã cung cấp, áp dụng ngày ${day}/${month}/${year}:`,
    ...changes.map((change) => `• ${change}`),
    "Gõ /kiemtra để kiểm tra lại với thông tin mới nhất của hộ. Gõ /xoa để xóa thông tin và không nhận thông báo nữa.",
  ].join("\n");
}
