/**
 * Rendering what the conversation says: questions (with their choices), answers read back, the result of
 * the eligibility check, and a plain rendering of a search outcome when the knowledge base offers none.
 * Pure.
 */

import { formatMoney, VIETNAMESE_NUMBER, type Answer } from "./answers.ts";
import { MESSAGES } from "./messages.ts";
import type {
  DecisionLike,
  ProgramDecisionLike,
  ReferenceLike,
  SearchOutcomeLike,
  TuitionPersonLike,
} from "./ports.ts";
import { createReply, type Reply, type ReplyChoice } from "./reply.ts";
import type { AssistantDefinition, FlowDefinition, StepDefinition } from "./schema.ts";

// === Questions

/** The reference of a question, carried in button data: `eligibility@1:ask_area`. */
export function questionRef(flow: FlowDefinition, key: string): string {
  return `${flow.id}@${flow.version}:${key}`;
}

function fill(template: string, index: number): string {
  return template.replaceAll("{n}", String(index));
}

/** A choice of a question: what is shown, the number that selects it, and the answer text it stands for. */
export interface StepChoice extends ReplyChoice {
  means: string;
}

/**
 * The choices a question offers, numbered: options 1..n, "0" for none of them on a multi-choice,
 * then "Không biết" where the step allows it. Questions without options (numbers, money, dates) offer none.
 */
export function stepChoices(step: StepDefinition): StepChoice[] {
  const choices: StepChoice[] =
    step.answer.type === "choice" || step.answer.type === "multi_choice"
      ? step.answer.options.map((option, i) => ({
          label: option.label,
          value: String(i + 1),
          means: String(i + 1),
        }))
      : step.answer.type === "yes_no"
        ? [
            { label: MESSAGES.yes, value: "1", means: "có" },
            { label: MESSAGES.no, value: "2", means: "không" },
          ]
        : [];
  const numbered = choices.length;
  if (step.answer.type === "multi_choice")
    choices.push({ label: "Không thiếu điều nào", value: "0", means: "0" });
  if (step.allow_unknown && numbered > 0)
    choices.push({ label: MESSAGES.unknownLabel, value: String(numbered + 1), means: "không biết" });
  return choices;
}

/** The choices as buttons (and numbered lines where there are no buttons). */
export function choicesOf(step: StepDefinition): ReplyChoice[] {
  return stepChoices(step).map(({ label, value }) => ({ label, value }));
}

/**
 * A bare number typed (or a button pressed) for a question with numbered choices, turned into the answer it
 * stands for: "2" on a yes/no question means "không", the number after the options means "không biết".
 * Any other text is returned unchanged.
 */
export function resolveChoiceNumber(step: StepDefinition, text: string): string {
  const number = /^\s*(?:số\s*|so\s*)?(\d{1,2})\s*[.)]?\s*$/iu.exec(text)?.[1];
  if (number === undefined) return text;
  const choice = stepChoices(step).find((c) => c.value === String(Number(number)));
  return choice ? choice.means : text;
}

/**
 * A question as a reply: the prompt (or its short form when asked again), with its choices and its
 * reference for buttons.
 */
export function renderQuestion(
  flow: FlowDefinition,
  key: string,
  step: StepDefinition,
  index: number,
  brief = false,
): Reply {
  const prompt = fill(brief ? (step.short ?? step.prompt) : step.prompt, index);
  return createReply(prompt, {
    choices: choicesOf(step),
    multiple: step.answer.type === "multi_choice",
    question: questionRef(flow, key),
  });
}

/** An answer read back in plain words: "3.500.000 đ mỗi tháng", "Hộ cận nghèo", "không biết". */
export function describeAnswer(step: StepDefinition, answer: Answer): string {
  if (answer.type === "unknown") return "không biết";
  const { value } = answer;
  switch (step.answer.type) {
    case "choice":
      return step.answer.options.find((o) => o.value === value)?.label ?? String(value);
    case "multi_choice": {
      const chosen = Array.isArray(value) ? value : [];
      if (chosen.length === 0) return "không thiếu điều nào";
      return chosen
        .map((v) =>
          String(
            step.answer.type === "multi_choice" ? step.answer.options.findIndex((o) => o.value === v) + 1 : v,
          ),
        )
        .join(", ");
    }
    case "yes_no":
      return value ? "có" : "không";
    case "money":
      return `${formatMoney(Number(value))} mỗi tháng`;
    case "month_year": {
      const [year, month] = String(value).split("-");
      return month ? `tháng ${Number(month)}/${year}` : `năm ${year}`;
    }
    case "date": {
      const [year, month, day] = String(value).split("-");
      return `${Number(day)}/${Number(month)}/${year}`;
    }
    default:
      return String(value);
  }
}

// === Result

const STATUS_ICON: Record<ProgramDecisionLike["status"], string> = {
  eligible: "✅",
  possible: "❔",
  needs_info: "❔",
  not_eligible: "❌",
};
const STATUS_ORDER: Record<ProgramDecisionLike["status"], number> = {
  eligible: 0,
  possible: 1,
  needs_info: 2,
  not_eligible: 3,
};

const CATEGORY: Record<DecisionLike["classification"]["category"], string> = {
  poor: "hộ nghèo",
  near_poor: "hộ cận nghèo",
  average_living: "hộ có mức sống trung bình",
  none: "không thuộc diện hộ nghèo, cận nghèo",
  unknown: "chưa xác định được",
};

/** "2026-12-31" → "31/12/2026"; anything else unchanged. */
export function formatDate(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return match ? `${match[3]}/${match[2]}/${match[1]}` : iso;
}

function formatPercent(value: number): string {
  return `${VIETNAMESE_NUMBER.format(value)}%`;
}

function classificationLines(decision: DecisionLike): string[] {
  const { classification: c, standard } = decision;
  const lines: string[] = [];
  if (standard?.from) {
    const period = standard.to
      ? `từ ${formatDate(standard.from)} đến ${formatDate(standard.to)}`
      : `từ ${formatDate(standard.from)}`;
    lines.push(`Theo chuẩn nghèo áp dụng ${period}:`);
  }
  if (typeof c.incomePerPerson === "number") {
    const line = typeof c.incomeLine === "number" ? ` (chuẩn: ${formatMoney(c.incomeLine)})` : "";
    lines.push(`• Thu nhập bình quân: ${formatMoney(c.incomePerPerson)}/người/tháng${line}`);
  }
  if (typeof c.deprivationCount === "number")
    lines.push(`• Số chỉ số thiếu hụt: ${c.deprivationCount}/12 (từ 3 trở lên là thiếu hụt nhiều)`);
  if (c.basis === "listed" && (c.category === "poor" || c.category === "near_poor")) {
    lines.push(`Theo bạn cho biết, hộ có tên trong danh sách ${CATEGORY[c.category]} của xã.`);
  } else if (c.category === "unknown") {
    lines.push("Với thông tin hiện có, mình chưa ước tính được hộ thuộc diện nào.");
  } else if (c.category === "none") {
    lines.push("Theo thông tin bạn cung cấp, hộ có thể không thuộc diện hộ nghèo, cận nghèo.");
  } else {
    lines.push(`Theo thông tin bạn cung cấp, hộ có thể thuộc diện ${CATEGORY[c.category]}.`);
  }
  return lines;
}

/** What the programme gives, in one line: loan ceiling, rate and term; premium share; tuition per person. */
export function benefitLine(program: ProgramDecisionLike): string | undefined {
  const parts: string[] = [];
  if (typeof program.maxAmount === "number") parts.push(`vay tối đa ${formatMoney(program.maxAmount)}`);
  if (typeof program.interestRatePerYear === "number")
    parts.push(`lãi suất ${formatPercent(program.interestRatePerYear)}/năm`);
  else if (program.interestRatePerYear === null) parts.push("lãi suất: chưa xác nhận");
  if (typeof program.termMonths === "number") parts.push(`thời hạn tối đa ${program.termMonths} tháng`);
  if (typeof program.supportPercent === "number") {
    parts.push(
      program.supportPercent >= 100
        ? "Nhà nước đóng toàn bộ tiền mua thẻ BHYT"
        : `Nhà nước hỗ trợ ít nhất ${formatPercent(program.supportPercent)} tiền mua thẻ BHYT`,
    );
  }
  for (const person of program.persons ?? []) {
    const exemption =
      person.exemption === "full"
        ? "miễn học phí"
        : person.exemption === "none" || !person.exemption
          ? "không miễn, giảm học phí"
          : `giảm ${person.exemption}% học phí`;
    const support = learningCostLine(person.learningCostSupport);
    parts.push(`người đi học thứ ${person.personIndex + 1}: ${exemption}${support}`);
  }
  return parts.length ? parts.join(" · ") : undefined;
}

/** ", hỗ trợ chi phí học tập …" for a tuition line; an unconfirmed amount is said to be so. */
function learningCostLine(support: TuitionPersonLike["learningCostSupport"]): string {
  if (!support) return "";
  if (typeof support.amountPerMonth === "number" && support.amountPerMonth > 0)
    return `, hỗ trợ chi phí học tập ${formatMoney(support.amountPerMonth)}/tháng`;
  if (typeof support.estimatedAmountPerMonth === "number" && support.estimatedAmountPerMonth > 0)
    return `, hỗ trợ chi phí học tập khoảng ${formatMoney(support.estimatedAmountPerMonth)}/tháng (chưa xác nhận)`;
  return ", có thể được hỗ trợ chi phí học tập (mức chưa xác nhận)";
}

/** One legal reference in a line: "NĐ 78/2002/NĐ-CP, Điều 2 (04/10/2002)". */
export function citation(reference: ReferenceLike): string {
  const name = reference.title ?? reference.instrument ?? "";
  const where = [reference.article, reference.clause].filter(Boolean).join(", ");
  const date = reference.date ? ` (${formatDate(reference.date)})` : "";
  return [name, where].filter(Boolean).join(", ") + date;
}

function programBlock(assistant: AssistantDefinition, program: ProgramDecisionLike): string[] {
  const known = assistant.programmes[program.id];
  const title = known?.title ?? program.title ?? program.id;
  const lines = [`${STATUS_ICON[program.status]} ${title}`];
  const benefit = program.status === "not_eligible" ? undefined : benefitLine(program);
  if (benefit) lines.push(`Mức: ${benefit}`);
  if (program.reasons.length) lines.push(`Vì: ${program.reasons.join(" ")}`);
  const references = program.references.map(citation).filter(Boolean);
  if (references.length) lines.push(`Căn cứ: ${references.join("; ")}`);
  if (program.status !== "not_eligible" && program.nextSteps?.length)
    lines.push(`Làm gì: ${program.nextSteps.join(" ")}`);
  if (!program.confirmed) lines.push(MESSAGES.unconfirmed(known?.confirm_with ?? "cán bộ xã"));
  return lines;
}

/**
 * The result message: the category estimate with the figures it rests on, then one block per programme
 * (✅ eligible, ❔ possible or needs information, ❌ not eligible; eligible first) with what it gives, why,
 * the legal basis and what to do next; "chưa xác nhận" where the scorer is not sure of a figure; what would
 * make the estimate surer (facts in `answeredFacts` were asked already and are left out); the footer.
 */
export function renderResult(
  assistant: AssistantDefinition,
  decision: DecisionLike,
  answeredFacts: ReadonlySet<string> = new Set(),
): string {
  const blocks: string[] = [[MESSAGES.resultTitle, ...classificationLines(decision)].join("\n")];
  const programs = [...decision.programs].sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status]);
  for (const program of programs) blocks.push(programBlock(assistant, program).join("\n"));
  // Facts already asked are not asked again: listing them would only repeat what the resident said.
  const open = decision.missingFacts.filter((m) => !answeredFacts.has(m.fact));
  const reasons = [...new Set(open.map((m) => m.reason).filter((r): r is string => Boolean(r)))].slice(0, 3);
  if (reasons.length) blocks.push([MESSAGES.toBeSure, ...reasons.map((r) => `• ${r}`)].join("\n"));
  blocks.push(assistant.result_footer);
  return blocks.join("\n\n");
}

// === Search

/** A short chat rendering of a search outcome, used when the knowledge base does not provide its own. */
export function renderSearchOutcome(outcome: SearchOutcomeLike): string {
  if (outcome.type === "invalid") return outcome.message;
  if (outcome.type === "no_match" && outcome.results.length === 0)
    return outcome.message || MESSAGES.searchEmpty;
  const [best, ...more] = outcome.results;
  if (!best) return MESSAGES.searchEmpty;
  const lines = [
    outcome.type === "no_match" ? outcome.message : "",
    `${best.excerpt}`,
    `Nguồn: ${best.citation}`,
    ...best.warnings.map((w) => `⚠️ ${w}`),
  ].filter(Boolean);
  if (more.length)
    lines.push("", "Xem thêm:", ...more.slice(0, 2).map((r) => `• ${r.title}: ${r.excerpt.slice(0, 160)}`));
  return lines.join("\n");
}
