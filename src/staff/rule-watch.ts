/**
 * When the rules change: a resident who opted in is told, once a rules update (or the start of a new
 * period) changes their decision, what changed — category, each programme's status and its main figures.
 * Pure: the stored summary of the last decision and the new decision come in, the notice goes out.
 */
import type { Decision, ProgramDecision } from "../domain/decision.ts";
import { sayFigure } from "../domain/figures.ts";

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

const CATEGORY_WORDS: Record<string, string> = {
  poor: "có thể thuộc diện hộ nghèo",
  near_poor: "có thể thuộc diện hộ cận nghèo",
  average_living: "có thể thuộc diện hộ có mức sống trung bình",
  none: "không thuộc diện hộ nghèo, cận nghèo",
  unknown: "chưa xác định được diện",
};

/** The figures worth telling about when they change, with how to write them. */
const FIGURES: Record<string, { label: string; format: (value: number) => string }> = {
  maxAmount: { label: "mức vay tối đa", format: (value) => sayFigure(value, "VND") },
  interestRatePerYear: { label: "lãi suất", format: (value) => sayFigure(value, "percent_per_year") },
  termMonths: { label: "thời hạn vay", format: (value) => sayFigure(value, "months") },
  supportPercent: { label: "mức hỗ trợ tiền mua BHYT", format: (value) => sayFigure(value, "percent") },
  amountPerMonth: { label: "số tiền hỗ trợ mỗi tháng", format: (value) => sayFigure(value, "VND") },
};

/** The summary of a decision to keep. */
export function watchSummary(decision: Decision): WatchSummary {
  return {
    standard: decision.standard?.id ?? null,
    category: decision.classification.category,
    programs: Object.fromEntries(
      decision.programs.map((program) => {
        const details = program as unknown as Record<string, unknown>;
        const figures = Object.fromEntries(
          Object.keys(FIGURES)
            .filter((key) => key in details)
            .map((key) => [key, typeof details[key] === "number" ? (details[key] as number) : null]),
        );
        return [program.id, { title: program.title, status: program.status, figures }];
      }),
    ),
  };
}

/**
 * What changed between the last summary and a new decision, one plain sentence each; empty when nothing a
 * resident would notice changed.
 */
export function decisionChanges(before: WatchSummary, after: Decision): string[] {
  const now = watchSummary(after);
  const changes: string[] = [];
  if (before.category !== now.category) {
    changes.push(
      `Diện của hộ: trước đây ${CATEGORY_WORDS[before.category] ?? before.category}, nay ${CATEGORY_WORDS[now.category] ?? now.category}.`,
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
    for (const [key, { label, format }] of Object.entries(FIGURES)) {
      const was = old.figures[key];
      const is = program.figures[key];
      if (was === undefined || is === undefined || was === is) continue;
      const text = (value: number | null): string => (value === null ? "chưa xác nhận" : format(value));
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
