/**
 * Feedback that improves the product: reading "Đúng / Sai / Chưa rõ" (buttons on Telegram, 1/2/3 on Zalo),
 * the compact record of what was shown, the scrubbing that keeps identifying numbers out of storage, and the
 * export of disputed answers as draft test cases (knowledge-base questions in the format of
 * test/kb/questions.yaml, households in the format of knowledge/tests/*.yaml). Pure.
 */
import { stringify } from "yaml";
import type { Decision } from "../domain/decision.ts";
import type { HouseholdInput } from "../domain/household.ts";
import type { SearchOutcome } from "../knowledge/types.ts";
import type { Role } from "./roles.ts";
import { foldDiacritics, normalizeVietnamese } from "../text/vietnamese.ts";

/** The three verdicts. */
export type Verdict = "correct" | "wrong" | "unclear";

/** The versions an answer was given under (see versions.ts). */
export interface AnswerVersions {
  rules: string;
  knowledge: string;
}

/**
 * Feedback on an answer, as the conversation hands it over: what was shown in its compact form
 * (searchFeedback, decisionFeedback below), the question (knowledge base) or the household
 * (decision), who judged it and the versions.
 */
export interface FeedbackInput {
  kind: "search" | "decision";
  /** Who gave it: stored as its keyed digest, so that /xoa deletes it. */
  userKey?: string;
  verdict: Verdict;
  role: Role;
  /** The question asked (knowledge base); scrubbed before it is stored. */
  question?: string;
  /** The household decided on (decision); kept only when the verdict disputes the answer. */
  household?: HouseholdInput;
  answer: Record<string, unknown>;
  versions: AnswerVersions;
}

export type { DayRange } from "../domain/dates.ts";

/** The buttons shown after an answer; on Zalo the same choices are numbered 1, 2, 3. */
export const FEEDBACK_CHOICES: readonly { label: string; value: string; verdict: Verdict }[] = [
  { label: "Đúng", value: "1", verdict: "correct" },
  { label: "Sai", value: "2", verdict: "wrong" },
  { label: "Chưa rõ", value: "3", verdict: "unclear" },
];

/** The question put with the buttons. */
export const FEEDBACK_PROMPT = "Câu trả lời này có đúng không?";

/** What to reply once feedback is stored (a staff member saying "Sai" is asked for the right answer). */
export const FEEDBACK_THANKS: Record<Verdict, string> = {
  correct: "Cảm ơn bạn đã xác nhận.",
  wrong: "Cảm ơn bạn. Câu trả lời này sẽ được kiểm tra lại.",
  unclear: "Cảm ơn bạn. Mình sẽ tìm cách trả lời rõ hơn.",
};

/** Asked of staff after "Sai" or "Chưa rõ": the right answer becomes the expected output of a test. */
export const EXPECTED_PROMPT = {
  decision:
    "Kết quả đúng là gì? Ví dụ: “cận nghèo; vay hộ cận nghèo: được; bhyt: được; học phí: không”. Gõ “bỏ qua” nếu không muốn ghi.",
  search:
    "Đoạn trả lời đúng ở đâu? Ghi mã văn bản và mục, ví dụ: “thai-binh-2017-2020 IV.1.2” (xem /vanban, /doc), hoặc “không có trong văn bản”. Gõ “bỏ qua” nếu không muốn ghi.",
} as const;

/** Reads a verdict typed or pressed: "1", "đúng", "dung", "sai", "2", "chưa rõ", "3", button data "fb:2". */
export function readVerdict(text: string): Verdict | undefined {
  const folded = foldDiacritics(normalizeVietnamese(text))
    .replace(/[^\p{L}\p{N}\s]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  // "fb:1" is the data of the feedback buttons.
  if (/^(?:fb )?(?:1|dung|dung roi|chinh xac|ok dung)$/.test(folded)) return "correct";
  if (/^(?:fb )?(?:2|sai|sai roi|khong dung|ko dung|k dung)$/.test(folded)) return "wrong";
  if (/^(?:fb )?(?:3|chua ro|khong ro|ko ro|chua hieu|khong hieu)$/.test(folded)) return "unclear";
  return undefined;
}

/** What a search showed, as stored: the outcome type and the first passages' places and citations. */
export function searchAnswerRecord(
  outcome: SearchOutcome,
  shown: { from?: number; count?: number } = {},
): Record<string, unknown> {
  if (outcome.type === "invalid") return { type: "invalid" };
  // What was on screen when judged: a later page of /tim is judged on its own passages.
  const from = shown.from ?? 0;
  return {
    type: outcome.type,
    // The direct answer shown above the passages: which fact, for which date.
    ...(outcome.answer && from === 0 ? { direct: { id: outcome.answer.id, asOf: outcome.answer.asOf } } : {}),
    ...(from > 0 ? { firstShown: from + 1 } : {}),
    results: outcome.results.slice(from, from + (shown.count ?? 3)).map((result) => ({
      documentId: result.documentId,
      sectionPath: result.sectionPath,
      citation: result.citation,
    })),
  };
}

/** What a decision showed, as stored: the standard, the category and each programme's status. */
export function decisionAnswerRecord(decision: Decision): Record<string, unknown> {
  return {
    assessedOn: decision.assessedOn,
    standard: decision.standard?.id ?? null,
    category: decision.classification.category,
    basis: decision.classification.basis,
    programs: Object.fromEntries(decision.programs.map((program) => [program.id, program.status])),
  };
}

/** What a knowledge-base answer contributes to its feedback (small enough to keep in a session). */
export function searchFeedback(
  outcome: SearchOutcome,
  question: string,
): Pick<FeedbackInput, "kind" | "question" | "answer"> {
  return { kind: "search", question, answer: searchAnswerRecord(outcome) };
}

/** What a decision contributes to its feedback. */
export function decisionFeedback(
  household: HouseholdInput,
  decision: Decision,
): Pick<FeedbackInput, "kind" | "household" | "answer"> {
  return { kind: "decision", household, answer: decisionAnswerRecord(decision) };
}

// === The right answer, as staff type it

const CATEGORY_WORDS: [RegExp, string][] = [
  [/\b(?:ho )?can ngheo\b|\bhcn\b/, "near_poor"],
  [/\b(?:ho )?ngheo\b|\bhn\b/, "poor"],
  [/\b(?:muc song )?trung binh\b|\bmstb\b/, "average_living"],
  [/\bkhong (?:thuoc dien|ngheo)\b/, "none"],
];

const PROGRAMME_WORDS: [RegExp, string][] = [
  [/vay (?:ho )?can ngheo/, "credit.near_poor_household"],
  [/vay (?:ho )?moi thoat ngheo|vay thoat ngheo/, "credit.newly_escaped"],
  [/vay (?:ho )?ngheo/, "credit.poor_household"],
  [/vay (?:hoc sinh|sinh vien|hssv|hs sv|sv)/, "credit.student"],
  [/vay nuoc sach|vay nuoc|nuoc sach/, "credit.clean_water"],
  [/vay (?:tao )?viec lam|viec lam/, "credit.job_creation"],
  [/\bbhyt\b|bao hiem y te/, "health_insurance"],
  [/hoc phi/, "tuition"],
  [/tien dien/, "electricity_support"],
  [/tro giup phap ly|tgpl/, "legal_aid"],
];

const STATUS_WORDS: [RegExp, string][] = [
  [/\b(?:chua ro|can them|thieu thong tin|chua du thong tin)\b/, "needs_info"],
  [/\b(?:co the|co le)\b/, "possible"],
  [/\b(?:khong|ko|k|khong duoc|ko duoc|khong du)\b/, "not_eligible"],
  [/\b(?:duoc|du|co|du dieu kien|dc|100%|70%|50%)\b/, "eligible"],
];

/** The right decision as a staff member types it, read where possible. */
export interface ExpectedDecision {
  category?: string;
  programs: Record<string, string>;
}

/**
 * Reads "cận nghèo; vay hộ cận nghèo: được; bhyt: được; học phí: không" into an expected output. Parts
 * it cannot read are left out (the draft keeps the staff member's words as a comment).
 */
export function readExpectedDecision(text: string): ExpectedDecision {
  const expected: ExpectedDecision = { programs: {} };
  for (const part of foldDiacritics(normalizeVietnamese(text)).split(/[;\n]+/)) {
    const clean = part.replace(/\s+/g, " ").trim();
    if (!clean) continue;
    const programme = PROGRAMME_WORDS.find(([pattern]) => pattern.test(clean));
    if (programme) {
      const rest = clean.replace(programme[0], " ");
      const status = STATUS_WORDS.find(([pattern]) => pattern.test(rest));
      if (status) expected.programs[programme[1]] = status[1];
      continue;
    }
    const category = CATEGORY_WORDS.find(([pattern]) => pattern.test(clean));
    if (category && expected.category === undefined) expected.category = category[1];
  }
  return expected;
}

// === Export as draft test cases

/** A stored feedback, as the export reads it. */
export interface FeedbackRecord {
  id: number;
  day: string;
  kind: "search" | "decision";
  verdict: Verdict;
  role: "staff" | "resident";
  question: string | null;
  household: unknown;
  answer: unknown;
  expected: string | null;
  rulesVersion: string;
  knowledgeVersion: string;
}

const VERDICT_WORDS: Record<Verdict, string> = { correct: "Đúng", wrong: "Sai", unclear: "Chưa rõ" };

function comment(lines: readonly string[]): string {
  return lines.map((line) => `# ${line}`.trimEnd()).join("\n");
}

/**
 * The `accept` entry to fill: staff asked "where is the right passage?" answer like
 * "thai-binh-2017-2020 IV.1.2", so a known document id is kept and the section named in the TODO.
 */
function expectedPassage(expected: string | null, documentIds: readonly string[]): [string, string] {
  const [id, ...section] = (expected ?? "").trim().split(/\s+/);
  if (id && documentIds.includes(id))
    return [id, section.length > 0 ? `TODO passage of section ${section.join(" ")}` : "TODO passage"];
  return ["TODO-document-id", "TODO passage"];
}

/**
 * Disputed knowledge-base answers as draft entries of test/kb/questions.yaml: `q` as asked, `plain` without
 * diacritics, `typo` and `accept` left for the editor (the passage that should have been found), with what
 * was shown as a comment.
 */
export function kbQuestionDrafts(
  records: readonly FeedbackRecord[],
  documentIds: readonly string[] = [],
): string {
  const drafts = records.filter((record) => record.kind === "search" && record.question);
  const header = comment([
    "Draft questions from disputed answers (hoichinhsach feedback export). For each: write `typo` (one",
    "realistic typing mistake) and `accept` ([documentId, passage] of the passage that answers it), set `split`,",
    "then move the entry into test/kb/questions.yaml.",
  ]);
  const entries = drafts.map((record) => {
    const answer = record.answer as { results?: { citation?: string }[]; firstShown?: number };
    const shown = answer.results ?? [];
    const first = answer.firstShown ?? 1;
    const body = stringify(
      [
        {
          id: `feedback-${record.id}`,
          split: "heldout",
          q: record.question,
          plain: foldDiacritics(record.question!),
          typo: "TODO",
          accept: [expectedPassage(record.expected, documentIds)],
        },
      ],
      { lineWidth: 0 },
    ).trimEnd();
    return [
      comment([
        `${VERDICT_WORDS[record.verdict]} (${record.role === "staff" ? "cán bộ" : "người dân"}), ${record.day}; rules ${record.rulesVersion}, plans ${record.knowledgeVersion}`,
        ...shown.map((result, index) => `shown ${first + index}: ${result.citation ?? ""}`),
        ...(record.expected ? [`expected (as typed): ${record.expected}`] : []),
      ]),
      body,
    ].join("\n");
  });
  return [header, "", entries.length > 0 ? entries.join("\n\n") : "[]"].join("\n") + "\n";
}

/**
 * Disputed decisions as a draft file in the format of knowledge/tests/*.yaml: the household as input, the
 * date it was assessed on, and as output the decision the staff member says is right (what could be read
 * of it; the words as typed and what was shown are kept as comments).
 */
export function householdCaseDrafts(records: readonly FeedbackRecord[]): string {
  const drafts = records.filter((record) => record.kind === "decision" && record.household);
  const cases = drafts.map((record) => {
    const shown = record.answer as {
      assessedOn?: string;
      category?: string;
      programs?: Record<string, string>;
    };
    const expected = record.expected ? readExpectedDecision(record.expected) : { programs: {} };
    const output: Record<string, unknown> = {};
    if (expected.category) output.classification = { category: expected.category };
    if (Object.keys(expected.programs).length > 0) {
      output.programs = Object.fromEntries(
        Object.entries(expected.programs).map(([id, status]) => [id, { status }]),
      );
    }
    const input = { ...(record.household as HouseholdInput) };
    const date = input.assessedOn ?? shown.assessedOn ?? record.day;
    delete input.assessedOn;
    return {
      record,
      shown,
      value: {
        name: `TODO: mô tả trường hợp (phản hồi ${VERDICT_WORDS[record.verdict]} số ${record.id})`,
        date,
        input,
        output,
      },
    };
  });
  const header = comment([
    "Draft cases from disputed decisions (hoichinhsach feedback export). Check each household, write `name`",
    "as a sentence and the expected `output`, then move the case into a file of knowledge/tests/.",
  ]);
  const body = cases
    .map(({ record, shown, value }) =>
      [
        comment([
          `${VERDICT_WORDS[record.verdict]} (${record.role === "staff" ? "cán bộ" : "người dân"}), ${record.day}; rules ${record.rulesVersion}`,
          `shown: category ${shown.category ?? "?"}; ${Object.entries(shown.programs ?? {})
            .map(([id, status]) => `${id} ${status}`)
            .join(", ")}`,
          ...(record.expected
            ? [`expected (as typed): ${record.expected}`]
            : ["expected: not given, fill `output`"]),
        ]),
        stringify([value], { lineWidth: 0 }).trimEnd(),
      ].join("\n"),
    )
    .join("\n\n");
  return (
    [
      header,
      "description: Draft cases from disputed decisions (feedback export), to review.",
      cases.length > 0 ? `cases:\n${indent(body)}` : "cases: []",
    ].join("\n") + "\n"
  );
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => (line ? `  ${line}` : line))
    .join("\n");
}
