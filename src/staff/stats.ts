/**
 * Statistics for staff (`/thongke`, `hoichinhsach stats`): aggregated and anonymous — screenings per day,
 * share of each category, programmes most often eligible, questions with no good answer, feedback counts.
 * Never per person: the storage has no user key to count by. Pure rendering.
 */

/** The aggregate figures over a day range, as the usage store computes them. */
export interface StatsSummary {
  from: string | null;
  to: string | null;
  screenings: number;
  screeningsPerDay: { day: string; count: number }[];
  categories: { category: string; count: number }[];
  eligibleProgrammes: { id: string; count: number }[];
  searches: number;
  unanswered: number;
  unansweredQuestions: { question: string; count: number }[];
  feedback: { kind: "search" | "decision"; verdict: "correct" | "wrong" | "unclear"; count: number }[];
}

const CATEGORY_LABEL: Record<string, string> = {
  poor: "có thể thuộc hộ nghèo",
  near_poor: "có thể thuộc hộ cận nghèo",
  average_living: "mức sống trung bình",
  none: "không thuộc diện",
  unknown: "chưa xác định được",
};

function shortDate(iso: string): string {
  const [year, month, day] = iso.split("-");
  return `${day}/${month}/${year}`;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? "0%" : `${Math.round((part / whole) * 100)}%`;
}

/**
 * The statistics as a message. `programmeTitles` names programmes by id (from the scorer's data).
 *
 * ```ts
 * renderStats(stats.summary({ from: "2026-03-01" }), new Map(policy.programs.map((p) => [p.id, p.title])));
 * ```
 */
export function renderStats(
  summary: StatsSummary,
  programmeTitles: ReadonlyMap<string, string> = new Map(),
): string {
  const period =
    summary.from || summary.to
      ? `từ ${summary.from ? shortDate(summary.from) : "đầu"} đến ${summary.to ? shortDate(summary.to) : "nay"}`
      : "toàn bộ thời gian";
  const lines = [`Thống kê ẩn danh (${period}). Không có số liệu theo từng người.`, ""];
  lines.push(`Lượt kiểm tra điều kiện: ${summary.screenings}`);
  for (const { day, count } of summary.screeningsPerDay.slice(-14))
    lines.push(`  ${shortDate(day)}: ${count}`);
  if (summary.screeningsPerDay.length > 14) lines.push(`  (chỉ hiện 14 ngày gần nhất)`);
  if (summary.categories.length > 0) {
    lines.push("", "Tỉ lệ theo diện (ước tính):");
    for (const { category, count } of summary.categories) {
      lines.push(
        `  ${CATEGORY_LABEL[category] ?? category}: ${count} (${percent(count, summary.screenings)})`,
      );
    }
  }
  if (summary.eligibleProgrammes.length > 0) {
    lines.push("", "Chính sách được xác định đủ điều kiện nhiều nhất:");
    summary.eligibleProgrammes.slice(0, 5).forEach(({ id, count }, index) => {
      lines.push(`  ${index + 1}. ${programmeTitles.get(id) ?? id}: ${count} lượt`);
    });
  }
  lines.push(
    "",
    `Câu hỏi tra cứu: ${summary.searches}, chưa có đoạn trả lời tốt: ${summary.unanswered} (${percent(summary.unanswered, summary.searches)})`,
  );
  if (summary.unansweredQuestions.length > 0) {
    lines.push("Các câu chưa trả lời được:");
    for (const { question, count } of summary.unansweredQuestions)
      lines.push(`  • ${question}${count > 1 ? ` (${count} lần)` : ""}`);
  }
  const count = (kind: string, verdict: string): number =>
    summary.feedback.find((row) => row.kind === kind && row.verdict === verdict)?.count ?? 0;
  lines.push("", "Phản hồi (Đúng / Sai / Chưa rõ):");
  lines.push(
    `  Tra cứu: ${count("search", "correct")} / ${count("search", "wrong")} / ${count("search", "unclear")}`,
  );
  lines.push(
    `  Kết quả kiểm tra: ${count("decision", "correct")} / ${count("decision", "wrong")} / ${count("decision", "unclear")}`,
  );
  return lines.join("\n");
}
