/**
 * The conversation engine: a pure transition function in the manner of XState's `transition`.
 * `step(context, snapshot, event)` returns the next snapshot and the effects to carry out, as values:
 * replies to send, a knowledge-base search, a scorer decision (whose result comes back as a `decided`
 * event), persisting or erasing the session. The runner (`runner.ts`) executes them. No I/O, no clock: the
 * date comes in with each event.
 */

import { isUnknownAnswer, matchOption, parseAnswer, type Answer } from "./answers.ts";
import type { FlowSet } from "./definition.ts";
import { buildHousehold, isDecidable, settledFacts } from "./household.ts";
import { isThanks, questionStrength, readCommand } from "./intent.ts";
import { DEFAULT_EXAMPLES, MESSAGES, problemMessage } from "./messages.ts";
import type { DecisionLike, HouseholdDraft } from "./ports.ts";
import { describeAnswer, questionRef, renderQuestion, renderResult, resolveChoiceNumber } from "./render.ts";
import { createReply, type Reply } from "./reply.ts";
import type { AnswerSpec, CommandName, FlowDefinition } from "./schema.ts";
import type { Result } from "../shared/result.ts";
import { answeredPath, indexOfKey, stepOfKey, walk, type MissingFacts } from "./walk.ts";

// === State

/** Format version of {@link Snapshot}; a stored snapshot of another format restarts the conversation. */
export const SNAPSHOT_FORMAT = 1;

/** An interview in progress or finished. */
export interface InterviewState {
  flowId: string;
  flowVersion: number;
  /** Answers by question key (`step_id` or `step_id#n`). Only answers on the current path are kept. */
  answers: Record<string, Answer>;
  /** Question keys in the order they were answered; /quaylai removes the last one. */
  history: string[];
  /** The question waiting for an answer; null once the result has been shown. */
  pending: string | null;
  /** Unreadable answers in a row to the pending question (after three, a hint on how to get out). */
  misses: number;
}

/** Everything remembered about one user between messages: small, JSON, no message text. */
export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  /** What plain text means now: a menu choice, an answer to the interview, or a question for the knowledge base. */
  mode: "menu" | "interview" | "ask";
  /** The privacy notice has been shown in this session. */
  noticeShown: boolean;
  interview?: InterviewState;
}

/** The state of a user the assistant has never talked to (or who has just deleted everything). */
export function initialSnapshot(): Snapshot {
  return { format: SNAPSHOT_FORMAT, mode: "menu", noticeShown: false };
}

// === Events and effects

/** What happens to a conversation. */
export type EngineEvent =
  | {
      type: "message";
      text: string;
      /** Today's date, ISO (for "năm ngoái", future-date checks, `assessedOn`). */
      today: string;
      /** Set when the message is a button press: the question the button belonged to (see `Reply.question`). */
      question?: string;
    }
  | { type: "decided"; outcome: Result<DecisionLike, string[]>; today: string };

/** What the engine asks the runner to do, in order. */
export type Effect =
  | { type: "reply"; reply: Reply }
  /** Answer a question from the knowledge base (a reply with the passage and citation). */
  | { type: "search"; query: string }
  /** Ask the scorer for a decision; its outcome comes back as a `decided` event. */
  | { type: "decide"; household: HouseholdDraft }
  /** The interview's result was shown: the household it was decided for, and the decision. */
  | { type: "result"; household: HouseholdDraft; decision: DecisionLike }
  /** Store the new snapshot. */
  | { type: "persist" }
  /** Delete everything stored about the user (/xoa). */
  | { type: "erase" };

/** Static context of the engine: the compiled flows and settings that appear in messages. */
export interface EngineContext {
  flows: FlowSet;
  /** How long sessions are kept, in days (said in the privacy notice). */
  ttlDays: number;
  /** A figure of the policy data in words on a date ("3 năm"), for `{figure:…}` in prompts. */
  figure?: (id: string, date: string) => string | undefined;
}

/** The longest message read; longer ones get a polite request to shorten (nothing is searched or parsed). */
export const MAX_INPUT_LENGTH = 1000;

/** The button reference of the main menu. */
export const MENU_REF = "assistant:menu";

// === Helpers

/** Removes control and invisible formatting characters and lone surrogates; keeps newlines and emoji. */
export function sanitizeInput(text: string): string {
  return (
    text
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "")
      .normalize("NFC")
      // Control characters (except the newline) become spaces: \p{Cc} without a literal control range.
      .replace(/(?!\n)\p{Cc}/gu, " ")
      .replace(/[\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/g, "")
      .trim()
  );
}

/** The answer spec with `max_answer` applied: an integer at most an earlier answer (students ≤ members). */
function boundedSpec(spec: AnswerSpec, answers: Readonly<Record<string, Answer>>): AnswerSpec {
  if (spec.type !== "integer" || !spec.max_answer) return spec;
  const bound = answers[spec.max_answer];
  if (bound?.type !== "value" || typeof bound.value !== "number") return spec;
  return { ...spec, max: Math.min(spec.max ?? bound.value, bound.value) };
}

/** One transition being computed: the working copy of the snapshot and the effects gathered so far. */
class Transition {
  readonly effects: Effect[] = [];
  readonly context: EngineContext;
  readonly today: string;
  snapshot: Snapshot;

  constructor(context: EngineContext, snapshot: Snapshot, today: string) {
    this.context = context;
    this.today = today;
    this.snapshot = structuredClone(snapshot);
  }
  /** The policy's figures in words, on the message's day. */
  private figures(): (id: string) => string | undefined {
    const figure = this.context.figure;
    return (id) => figure?.(id, this.today);
  }

  reply(reply: Reply | string): void {
    this.effects.push({ type: "reply", reply: typeof reply === "string" ? createReply(reply) : reply });
  }

  get assistant() {
    return this.context.flows.assistant;
  }

  /** The interview's flow, when there is an interview. */
  flowOf(): FlowDefinition | undefined {
    const interview = this.snapshot.interview;
    return interview ? this.context.flows.flows[interview.flowId] : undefined;
  }

  menuReply(): Reply {
    const { menu } = this.assistant;
    return createReply(menu.prompt, {
      choices: menu.options.map((option, i) => ({ label: option.label, value: String(i + 1) })),
      question: MENU_REF,
    });
  }

  /** The pending question, asked again (briefly, after an interruption). */
  pendingQuestion(brief: boolean): Reply | undefined {
    const interview = this.snapshot.interview;
    const flow = this.flowOf();
    if (!interview?.pending || !flow) return undefined;
    const step = stepOfKey(flow, interview.pending);
    if (!step) return undefined;
    return renderQuestion(
      flow,
      interview.pending,
      step,
      indexOfKey(interview.pending),
      brief,
      this.figures(),
    );
  }

  /** Re-asks what the user is in the middle of: the pending question, or the menu. */
  reAsk(prefix?: string): void {
    if (this.snapshot.mode === "interview") {
      const question = this.pendingQuestion(true);
      if (question) {
        this.reply(
          prefix
            ? createReply(`${prefix}\n${question.text}`, {
                choices: question.choices,
                multiple: question.multiple,
                question: question.question,
              })
            : question,
        );
        return;
      }
    }
    if (this.snapshot.mode === "menu") this.reply(this.menuReply());
  }

  interviewInProgress(): boolean {
    return Boolean(this.snapshot.interview?.pending);
  }

  // === Interview

  startInterview(flowId: string, opening: string | undefined): void {
    const flow = this.context.flows.flows[flowId];
    if (!flow) return;
    this.snapshot.mode = "interview";
    this.snapshot.interview = {
      flowId,
      flowVersion: flow.version,
      answers: {},
      history: [],
      pending: null,
      misses: 0,
    };
    const intro = [opening, flow.intro].filter(Boolean).join("\n");
    if (intro) this.reply(intro);
    this.advance(undefined);
  }

  /**
   * Moves the interview on after its answers changed or the scorer answered: asks the next needed question,
   * requests a decision, or shows the result.
   */
  advance(missing: MissingFacts, decision?: DecisionLike, problems: readonly string[] = []): void {
    const interview = this.snapshot.interview;
    const flow = this.flowOf();
    if (!interview || !flow) return;
    // Every answer on the route, including those given after the next question (the scorer may ask for an
    // earlier fact late): what the scorer sees, and all that is kept.
    const answered = answeredPath(flow, interview.answers);
    let { outcome } = walk(flow, interview.answers, missing);
    if (outcome.type === "need_decision") {
      const household = buildHousehold(flow, interview.answers, answered, this.today);
      if (isDecidable(flow, household)) {
        this.effects.push({ type: "decide", household });
        return;
      }
      ({ outcome } = walk(flow, interview.answers, "all"));
    }
    // Answers off the route (left behind by a changed earlier answer) are not needed: do not keep them.
    const onRoute = new Set(answered);
    for (const key of Object.keys(interview.answers)) if (!onRoute.has(key)) delete interview.answers[key];
    interview.history = interview.history.filter((key) => onRoute.has(key));
    if (outcome.type === "ask") {
      const step = flow.steps[outcome.stepId]!;
      interview.pending = outcome.key;
      interview.misses = 0;
      this.snapshot.mode = "interview";
      if (step.sensitive && !this.snapshot.noticeShown && flow.privacy_notice) {
        this.reply(flow.privacy_notice.replaceAll("{days}", String(this.context.ttlDays)));
        this.snapshot.noticeShown = true;
      }
      this.reply(renderQuestion(flow, outcome.key, step, outcome.index, false, this.figures()));
      return;
    }
    interview.pending = null;
    this.snapshot.mode = "ask";
    if (decision && outcome.type === "done") {
      const answeredFacts = new Set<string>();
      // Facts answered "không biết" stay open: the result says what knowing them would settle.
      for (const key of answered) {
        const step = stepOfKey(flow, key);
        if (step && interview.answers[key]?.type === "value")
          for (const fact of settledFacts(step)) answeredFacts.add(fact);
      }
      this.reply(renderResult(this.assistant, decision, answeredFacts));
      this.effects.push({
        type: "result",
        household: buildHousehold(flow, interview.answers, answered, this.today),
        decision,
      });
    } else {
      const lines: string[] = [MESSAGES.decideFailed];
      if (problems.length) lines.push(MESSAGES.decideProblems, ...problems.map((p) => `• ${p}`));
      lines.push(MESSAGES.decideFix);
      this.reply(lines.join("\n"));
    }
  }

  answer(text: string, fromButton: boolean): void {
    const interview = this.snapshot.interview!;
    const flow = this.flowOf()!;
    const key = interview.pending!;
    const step = stepOfKey(flow, key)!;
    const strength = fromButton || isUnknownAnswer(text) ? "none" : questionStrength(text);
    if (strength === "strong") {
      this.effects.push({ type: "search", query: text });
      this.reAsk(MESSAGES.resumeAfterQuestion);
      return;
    }
    const parsed = parseAnswer(boundedSpec(step.answer, interview.answers), resolveChoiceNumber(step, text), {
      today: this.today,
      allowUnknown: step.allow_unknown,
    });
    if (!parsed.ok) {
      if (strength === "weak") {
        this.effects.push({ type: "search", query: text });
        this.reAsk(MESSAGES.resumeAfterQuestion);
        return;
      }
      interview.misses += 1;
      const lines = [
        problemMessage(parsed.error),
        MESSAGES.example(step.example ?? DEFAULT_EXAMPLES[step.answer.type]),
      ];
      if (interview.misses >= 3) lines.push(MESSAGES.manyMisses);
      this.reAsk(lines.join("\n"));
      return;
    }
    interview.answers[key] = parsed.value.answer;
    interview.history.push(key);
    interview.misses = 0;
    if (parsed.value.echo) this.reply(MESSAGES.recorded(parsed.value.echo));
    this.advance(undefined);
  }

  back(): void {
    const interview = this.snapshot.interview;
    const flow = this.flowOf();
    if (!interview || !flow) {
      this.reply(MESSAGES.nothingToGoBack);
      return;
    }
    const key = interview.history.pop();
    if (!key) {
      this.snapshot.mode = "interview";
      this.reAsk(MESSAGES.backAtStart);
      return;
    }
    const previous = interview.answers[key];
    const step = stepOfKey(flow, key);
    delete interview.answers[key];
    if (previous && step) this.reply(MESSAGES.backTo(describeAnswer(step, previous)));
    this.snapshot.mode = "interview";
    this.advance(undefined);
  }

  // === Commands and plain text

  command(command: CommandName, argument: string): void {
    const interview = this.snapshot.interview;
    switch (command) {
      case "start":
        this.snapshot.mode = "menu";
        this.reply(
          this.interviewInProgress()
            ? `${this.assistant.welcome}\n${MESSAGES.interviewPaused}`
            : this.assistant.welcome,
        );
        this.reply(this.menuReply());
        return;
      case "check":
        if (interview?.pending) {
          this.snapshot.mode = "interview";
          this.reply(MESSAGES.resume);
          this.reply(this.pendingQuestion(false)!);
        } else this.startInterview(this.assistant.check_flow, interview ? MESSAGES.newCheck : undefined);
        return;
      case "restart":
        this.startInterview(interview?.flowId ?? this.assistant.check_flow, MESSAGES.restarted);
        return;
      case "back":
        this.back();
        return;
      case "ask":
        if (argument) {
          this.effects.push({ type: "search", query: argument });
          if (this.snapshot.mode === "interview") this.reAsk(MESSAGES.resumeAfterQuestion);
          return;
        }
        this.snapshot.mode = "ask";
        this.reply(
          this.interviewInProgress()
            ? `${this.assistant.ask_prompt}\n${MESSAGES.interviewPaused}`
            : this.assistant.ask_prompt,
        );
        return;
      case "help":
        this.reply(this.assistant.help);
        this.reAsk();
        return;
      case "stop":
        if (this.snapshot.mode === "interview" && interview?.pending) {
          this.snapshot.mode = "menu";
          this.reply(MESSAGES.paused);
        } else {
          this.snapshot.mode = "menu";
          this.reply(MESSAGES.nothingToStop);
          this.reply(this.menuReply());
        }
        return;
      case "delete":
        this.effects.push({ type: "erase" });
        this.snapshot = initialSnapshot();
        this.reply(MESSAGES.deleted);
        return;
    }
  }

  text(text: string, question: string | undefined): void {
    const { mode, interview } = this.snapshot;
    const flow = this.flowOf();
    if (question !== undefined) {
      // A button press: valid only for the question on screen now.
      if (
        mode === "interview" &&
        interview?.pending &&
        flow &&
        question === questionRef(flow, interview.pending)
      ) {
        this.answer(text, true);
        return;
      }
      if (question === MENU_REF && mode === "menu") {
        this.menuChoice(text);
        return;
      }
      if (mode === "interview" && interview?.pending) {
        this.reAsk(MESSAGES.staleButton);
        return;
      }
      this.reply(MESSAGES.staleButton);
      this.reply(this.menuReply());
      this.snapshot.mode = "menu";
      return;
    }
    const command = readCommand(text, this.context.flows.commands);
    if (command?.type === "command") {
      this.command(command.command, command.argument);
      return;
    }
    if (command?.type === "unknown_command") {
      this.reply(MESSAGES.unknownCommand(command.slash, command.suggestion));
      this.reAsk();
      return;
    }
    if (isThanks(text)) {
      this.reply(MESSAGES.thanks);
      if (mode === "interview") this.reAsk();
      return;
    }
    if (mode === "interview" && interview?.pending) {
      this.answer(text, false);
      return;
    }
    // A short text may pick a menu option ("1", "kiểm tra"); a sentence that happens to contain "hỏi" is a question.
    const short = questionStrength(text) === "none" && text.split(/\s+/).length <= 4;
    if (mode === "menu" && short && this.menuChoice(text, true)) return;
    if (mode === "menu" && questionStrength(text) === "none" && text.split(/\s+/).length < 3) {
      this.reply(this.assistant.welcome);
      this.reply(this.menuReply());
      return;
    }
    this.effects.push({ type: "search", query: text });
    if (!interview) this.reply(MESSAGES.checkHint);
  }

  /** Reads a menu choice; with `quiet`, returns false instead of replying when the text is not one. */
  menuChoice(text: string, quiet = false): boolean {
    const { options } = this.assistant.menu;
    const match = matchOption(
      text,
      options.map((o) => ({ value: o.action, label: o.label, synonyms: o.synonyms })),
    );
    if (typeof match !== "number") {
      if (!quiet) this.reAsk(MESSAGES.unreadable);
      return false;
    }
    this.command(options[match]!.action, "");
    return true;
  }

  /** A stored interview from an older version of its flow cannot be continued: start it again, politely. */
  reconcile(): boolean {
    const interview = this.snapshot.interview;
    if (!interview) return false;
    const flow = this.context.flows.flows[interview.flowId];
    const pendingValid =
      !interview.pending || (flow !== undefined && stepOfKey(flow, interview.pending) !== undefined);
    if (flow && flow.version === interview.flowVersion && pendingValid) return false;
    const wasAsking = this.snapshot.mode === "interview" && interview.pending !== null;
    delete this.snapshot.interview;
    this.snapshot.mode = "menu";
    if (!wasAsking) return false;
    this.startInterview(flow ? interview.flowId : this.assistant.check_flow, MESSAGES.flowChanged);
    return true;
  }
}

// === The transition function

/**
 * The next snapshot and the effects for one event. Pure and total: every message gets at least one reply
 * (or a search, which the runner turns into one), whatever it contains.
 *
 * ```ts
 * const { snapshot, effects } = step(context, initialSnapshot(), { type: "message", text: "/kiemtra", today: "2026-11-22" });
 * // effects: [{ type: "reply", reply: { text: "Mình sẽ hỏi vài câu ngắn ..." } }, { type: "reply", reply: { text: "Gia đình bạn sống ở xã ..." } }, { type: "persist" }]
 * ```
 */
export function step(
  context: EngineContext,
  snapshot: Snapshot,
  event: EngineEvent,
): { snapshot: Snapshot; effects: Effect[] } {
  const transition = new Transition(context, snapshot, event.today);
  if (event.type === "decided") {
    if (event.outcome.ok) {
      const missing = new Set(event.outcome.value.missingFacts.map((m) => m.fact));
      transition.advance(missing, event.outcome.value);
    } else transition.advance("all", undefined, event.outcome.error);
  } else {
    const text = sanitizeInput(event.text);
    const restarted = transition.reconcile();
    const isCommand = readCommand(text, context.flows.commands)?.type === "command";
    if (restarted && !isCommand) {
      // The message answered a question of the old flow: the restarted interview has asked its first question.
    } else if (!text) {
      transition.reply(MESSAGES.empty);
      if (transition.snapshot.mode === "ask") transition.reply(context.flows.assistant.ask_prompt);
      else transition.reAsk();
    } else if (text.length > MAX_INPUT_LENGTH) {
      transition.reply(MESSAGES.tooLongInput(MAX_INPUT_LENGTH));
      transition.reAsk();
    } else transition.text(text, event.question);
  }
  const effects = transition.effects;
  if (
    !effects.some((e) => e.type === "erase") &&
    JSON.stringify(transition.snapshot) !== JSON.stringify(snapshot)
  ) {
    // Persist after a decision request too: the decided event will persist again with the final state.
    effects.push({ type: "persist" });
  }
  return { snapshot: transition.snapshot, effects };
}
