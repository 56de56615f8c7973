/**
 * Rendering what the conversation says: questions (with their choices), answers read back, the result of
 * the eligibility check, and a plain rendering of a search outcome when the knowledge base offers none.
 * Pure.
 */

import { citeReference } from "../domain/figures.ts";
import { formatMoney } from "../domain/format.ts";
import { RESULT_CATEGORY_LABEL } from "../domain/wording.ts";
import type { Answer } from "./answers.ts";
import { MESSAGES } from "./messages.ts";
import type { DecisionLike, ProgramDecisionLike, ReferenceLike, SearchOutcomeLike } from "./ports.ts";
import { createReply, type Reply, type ReplyChoice } from "./reply.ts";
import type { AssistantDefinition, FlowDefinition, StepDefinition } from "./schema.ts";

// === Questions

/** The reference of a question, carried in button data: `eligibility@1:ask_area`. */
export function questionRef(flow: FlowDefinition, key: string): string {
  return `${flow.id}@${flow.version}:${key}`;
}

/**
 * A prompt with its placeholders filled: `{n}` the index of a repeated question, `{figure:<parameter
 * id>|<words>}` a figure of the policy data in force ("3 năm"), or the words after "|" when the figure is
 * not known (no scorer behind the conversation, or no value on that day).
 */
export function fillPrompt(
  template: string,
  index: number,
  figure: (id: string) => string | undefined = () => undefined,
): string {
  return template
    .replaceAll("{n}", String(index))
    .replace(
      /\{figure:([a-z0-9_.]+)\|([^}]*)\}/g,
      (_all, id: string, otherwise: string) => figure(id) ?? otherwise,
    );
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
  figure?: (id: string) => string | undefined,
): Reply {
  const prompt = fillPrompt(brief ? (step.short ?? step.prompt) : step.prompt, index, figure);
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

const CATEGORY = RESULT_CATEGORY_LABEL;

/** "2026-12-31" → "31/12/2026"; anything else unchanged. */
export function formatDate(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return match ? `${match[3]}/${match[2]}/${match[1]}` : iso;
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
    // As the scorer words it for each programme, so its programmes need not say it again.
    lines.push(
      `Theo thông tin bạn cung cấp, hộ có thể thuộc diện ${CATEGORY[c.category]}, nhưng chưa được UBND xã công nhận.`,
    );
  }
  return lines;
}

/** One legal reference in a line: "NĐ 78/2002/NĐ-CP, Điều 2 (04/10/2002)". */
export function citation(reference: ReferenceLike): string {
  return citeReference(reference);
}

/** The instrument alone, for a one-line mention: "Quyết định 15/2013/QĐ-TTg". */
export function shortCitation(reference: ReferenceLike): string {
  return (reference.instrument ?? reference.title ?? "").split(",")[0]!.trim();
}

// --- The scorer's reasons, made short enough for a phone

/** "Người thứ 1 (học trung học cơ sở): …": the scorer's prefix for a member's own outcome. */
const PERSON_PREFIX = /^(Người thứ \d+(?: \([^)]*\))?): /u;
/** "Lãi suất cho vay …: mức này chưa được xác nhận, hãy hỏi …": a figure the scorer is not sure of. */
const UNCONFIRMED_FIGURE = /^(.+?): mức này chưa được xác nhận/u;
/** "Quy định này chưa được xác nhận, hãy hỏi …": a rule the scorer is not sure of. */
const UNCONFIRMED_RULE = /^(Quy định|Điều) này chưa được xác nhận/u;

/** A programme's reasons sorted for the result: what to say, and which figures or rules are unconfirmed. */
interface ReadReasons {
  /**
   * Sentences to show, in order, each with the members it is about ([] for the household): a sentence the
   * scorer repeats for several members is said once for all of them.
   */
  sentences: { text: string; who: string[] }[];
  /** Names of the unconfirmed figures and rules ("lãi suất cho vay hỗ trợ tạo việc làm"). */
  unconfirmed: string[];
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * Splits the scorer's reasons into sentences and sorts them: sentences stating figures (`figurePrefixes`) are
 * dropped, the benefit line saying the same, unconfirmed figures and rules become names for one "chưa xác nhận" line (their
 * explanations, "Lý do: …", are for commune staff and are left out), and a sentence the result's opening
 * already says (`known`, e.g. the commune's list) is not repeated.
 */
function readReasons(reasons: readonly string[], figurePrefixes: readonly string[], known = ""): ReadReasons {
  const sentences: ReadReasons["sentences"] = [];
  const unconfirmed: string[] = [];
  const opening = known.toLowerCase();
  for (const reason of reasons) {
    const prefix = PERSON_PREFIX.exec(reason);
    const body = prefix ? reason.slice(prefix[0].length) : reason;
    for (const text of body.split(/(?<=[.!?])\s+(?=\p{Lu})/u)) {
      if (text.startsWith("Lý do:")) continue;
      const figure = UNCONFIRMED_FIGURE.exec(text);
      if (figure || UNCONFIRMED_RULE.test(text)) {
        const name = figure ? lowerFirst(figure[1]!) : "quy định áp dụng";
        if (!unconfirmed.includes(name)) unconfirmed.push(name);
        continue;
      }
      if (figurePrefixes.some((prefix) => text.startsWith(prefix))) continue;
      if (!prefix && opening.includes(text.toLowerCase())) continue;
      const same = sentences.find((s) => s.text === text);
      if (!same) sentences.push({ text, who: prefix ? [prefix[1]!] : [] });
      else if (prefix && same.who.length > 0 && !same.who.includes(prefix[1]!)) same.who.push(prefix[1]!);
    }
  }
  return { sentences, unconfirmed };
}

/** The sentences as one text, each member's sentences after their name ("Người thứ 1 (…): …"). */
function reasonsText(sentences: ReadReasons["sentences"]): string {
  const parts: string[] = [];
  let previous = "";
  for (const { text, who } of sentences) {
    const names = who.map((name, i) => (i === 0 ? name : lowerFirst(name))).join(", ");
    parts.push(names && names !== previous ? `${names}: ${text}` : text);
    previous = names;
  }
  return parts.join(" ");
}

/** The detailed block of a programme the household may get (✅, or ❔ when it rests on its own figures). */
function programBlock(program: ProgramDecisionLike, opening: string, said: Set<string>): string[] {
  const display = program.display;
  const title = display?.title ?? program.title ?? program.id;
  const lines = [`${STATUS_ICON[program.status]} ${title}`];
  const benefit = display?.benefit;
  if (benefit) lines.push(`Mức: ${benefit}`);
  const prefixes = benefit ? (display?.figurePrefixes ?? []) : [];
  const { sentences, unconfirmed } = readReasons(program.reasons, prefixes, opening);
  if (sentences.length) lines.push(`Vì: ${reasonsText(sentences)}`);
  const references = program.references.map(citation).filter(Boolean);
  if (references.length) lines.push(`Căn cứ: ${references.join("; ")}`);
  if (program.nextSteps?.length) {
    // Steps shared by several programmes (the commune review, the savings group) are said once.
    const fresh = program.nextSteps.filter((step) => !said.has(`step|${step}`));
    for (const step of fresh) said.add(`step|${step}`);
    lines.push(`Làm gì: ${fresh.length ? fresh.join(" ") : MESSAGES.sameSteps}`);
  }
  const who = display?.confirmWith ?? "cán bộ xã";
  if (unconfirmed.length) lines.push(MESSAGES.unconfirmedWhat(unconfirmed, who));
  else if (!program.confirmed) lines.push(MESSAGES.unconfirmed(who));
  return lines;
}

/** One line for a programme the household is not (or not yet known to be) eligible for: why, and the basis. */
function programLine(program: ProgramDecisionLike, opening: string): string {
  const title = program.display?.title ?? program.title ?? program.id;
  // The deciding condition comes first in the scorer's reasons; one sentence is enough on this line.
  const first = readReasons(program.reasons, [], opening).sentences[0];
  const why = first ? `: ${reasonsText([first])}` : "";
  const basis = program.references[0] ? ` (${shortCitation(program.references[0])})` : "";
  return `${STATUS_ICON[program.status]} ${title}${why}${basis}`;
}

/**
 * The result message, short enough to read on a phone: the category estimate with the figures it rests on;
 * then each programme the household may get (✅ eligible, ❔ possible on its own figures), in the scorer's
 * order, in detail, with
 * what it gives, why, the legal basis, what to do next and what is not confirmed; then one line each for
 * the programmes still undecided (❔) and those it does not qualify for (❌), with the deciding reason and
 * the instrument; what would make the estimate surer (facts in `answeredFacts` were answered already and
 * are left out); the footer. What the opening says (the commune's list) and next steps shared by several
 * programmes are not repeated.
 */
export function renderResult(
  assistant: AssistantDefinition,
  decision: DecisionLike,
  answeredFacts: ReadonlySet<string> = new Set(),
): string {
  const opening = [MESSAGES.resultTitle, ...classificationLines(decision)].join("\n");
  const blocks: string[] = [opening];
  // The scorer lists programmes most important first (poverty credit before legal aid): kept within each part.
  const programs = decision.programs;
  const said = new Set<string>();
  const detailed = programs.filter((p) => p.status === "eligible" || p.status === "possible");
  for (const program of detailed) blocks.push(programBlock(program, opening, said).join("\n"));
  const open = programs.filter((p) => p.status === "needs_info");
  if (open.length) blocks.push(open.map((p) => programLine(p, opening)).join("\n"));
  const refused = programs.filter((p) => p.status === "not_eligible");
  if (refused.length) blocks.push(refused.map((p) => programLine(p, opening)).join("\n"));
  // Facts already answered are left out: listing them would only repeat what the resident said.
  const missing = decision.missingFacts.filter((m) => !answeredFacts.has(m.fact));
  const reasons = [...new Set(missing.map((m) => m.reason).filter((r): r is string => Boolean(r)))].slice(
    0,
    3,
  );
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
