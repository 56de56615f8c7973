/**
 * The shape of the flow files in `flows/`, as zod schemas: the interview flows (`flows/<flow_id>.yaml`,
 * steps with typed answers and conditional next steps) and the assistant file (`flows/assistant.yaml`:
 * welcome, menu, commands, help, programme names). The loader (`load.ts`) adds the checks zod cannot
 * express (targets exist, no cycles, a bound on the number of questions). Pure: no I/O.
 */

import { z } from "zod";
import { HOUSEHOLD_FACTS, PERSON_FACTS } from "./ports.ts";

/**
 * Step ids and flow ids: snake_case, at most 24 characters, so that a question reference
 * (`flow@version:step#n`) plus an answer fits a Telegram button's 64-byte callback data.
 */
export const ID_PATTERN = /^[a-z][a-z0-9_]{0,23}$/;
const id = z.string().regex(ID_PATTERN, "must be snake_case, start with a letter, at most 24 characters");
const text = z.string().trim().min(1, "must not be empty");

// === Answers

/** A value an answer can take in a condition or an option. */
export const scalarSchema = z.union([z.string(), z.number(), z.boolean()]);
export type Scalar = z.infer<typeof scalarSchema>;

/** One option of a choice: the value written to the household, the label shown, extra words people use. */
export const optionSchema = z.strictObject({
  value: scalarSchema,
  label: text,
  synonyms: z.array(text).default([]),
});
export type ChoiceOption = z.infer<typeof optionSchema>;

const bounds = { min: z.number().optional(), max: z.number().optional() };
const dateBounds = { not_future: z.boolean().default(true), min_year: z.number().int().default(1990) };

/** How an answer is read: the answer type and its validation. */
export const answerSpecSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("choice"), options: z.array(optionSchema).min(2) }),
  z.strictObject({ type: z.literal("multi_choice"), options: z.array(optionSchema).min(2) }),
  z.strictObject({ type: z.literal("yes_no") }),
  z.strictObject({
    type: z.literal("integer"),
    ...bounds,
    /** At most the answer to this earlier integer step (students ≤ members), when it was answered. */
    max_answer: id.optional(),
  }),
  z.strictObject({ type: z.literal("money"), ...bounds }),
  z.strictObject({ type: z.literal("date"), ...dateBounds }),
  z.strictObject({ type: z.literal("month_year"), ...dateBounds }),
  z.strictObject({ type: z.literal("text"), max_length: z.number().int().positive().default(500) }),
]);
export type AnswerSpec = z.infer<typeof answerSpecSchema>;
export type AnswerType = AnswerSpec["type"];

// === Conditions and transitions

/** A condition on earlier answers, used by `next` (XState's guards, as data). */
export type Condition =
  | { step: string; equals: Scalar }
  | { step: string; in: Scalar[] }
  | { step: string; gte: number }
  | { step: string; lte: number }
  | { step: string; is: "unknown" | "known" | "answered" | "unanswered" }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ step: id, equals: scalarSchema }),
    z.strictObject({ step: id, in: z.array(scalarSchema).min(1) }),
    z.strictObject({ step: id, gte: z.number() }),
    z.strictObject({ step: id, lte: z.number() }),
    z.strictObject({ step: id, is: z.enum(["unknown", "known", "answered", "unanswered"]) }),
    z.strictObject({ all: z.array(conditionSchema).min(1) }),
    z.strictObject({ any: z.array(conditionSchema).min(1) }),
    z.strictObject({ not: conditionSchema }),
  ]),
);

/** Where to go after a step: a step id or `done` (show the result). */
export const DONE = "done";
const target = z.string().regex(ID_PATTERN, "must be a step id or done");

/** One conditional transition; the first whose `if` holds wins, one without `if` always holds. */
export const transitionSchema = z.strictObject({ if: conditionSchema.optional(), goto: target });
export type Transition = z.infer<typeof transitionSchema>;

// === Steps and flows

const factSchema = z.enum(HOUSEHOLD_FACTS);
/**
 * A multi-choice `set` whose options are yes/no household facts: each chosen option's fact is written true,
 * each other option's fact false ("which of these does your home lack: clean water, a latrine").
 */
export const EACH_OPTION = "each_option";

/**
 * Where an answer goes in the household: a fact, `persons[].<field>` (per repetition), `persons[*].<field>`
 * (all), or {@link EACH_OPTION}.
 */
const SET_PATTERN = new RegExp(
  `^(?:[a-zA-Z]+|${EACH_OPTION}|persons\\[\\*?\\]\\.(?:${PERSON_FACTS.join("|")}))$`,
);

/** What one answer writes instead of itself (`null` included: "has not left the list" is `leftListOn: null`). */
export const writeSchema = z.strictObject({ answer: scalarSchema, value: scalarSchema.nullable() });

/** One question of an interview. */
export const stepSchema = z.strictObject({
  description: text,
  /** The scorer fact this step settles: the step is asked only while the scorer reports it missing. */
  fact: factSchema,
  /**
   * Ask whenever the path reaches this step, even when the scorer does not list the fact: facts it needs
   * before it can decide at all, and follow-ups the previous answer calls for (each student's level).
   */
  always: z.boolean().default(false),
  prompt: text,
  /** A short form of the prompt, used when the question is asked again after an interruption. */
  short: text.optional(),
  /** A valid answer to show when an answer cannot be read (defaults by answer type). */
  example: text.optional(),
  answer: answerSpecSchema,
  allow_unknown: z.boolean().default(false),
  /** Value written to the household when the answer is "không biết" (otherwise nothing is written). */
  unknown_value: scalarSchema.optional(),
  /** Income, health, disability: the privacy notice is shown once before the first such question. */
  sensitive: z.boolean().default(false),
  /** Where the answer is written; defaults to `fact`; null for a step that only routes. */
  set: z
    .string()
    .regex(
      SET_PATTERN,
      `must be a household field, persons[].<field> / persons[*].<field>, or ${EACH_OPTION}`,
    )
    .nullable()
    .optional(),
  /**
   * When present, only these answers write, each the value given instead of itself; other answers write
   * nothing (e.g. "no" to "left the list in the last 3 years?" writes `leftListOn: null`, "yes" leaves the
   * date to the next question).
   */
  writes: z.array(writeSchema).min(1).optional(),
  /** Ask this step once per unit of an earlier integer answer (e.g. once per student), at most `max` times. */
  repeat: z.strictObject({ times: id, max: z.number().int().min(1).max(10) }).optional(),
  next: z.union([target, z.array(transitionSchema).min(1)]),
});
export type StepDefinition = z.infer<typeof stepSchema>;

/** An interview flow, as in `flows/<flow_id>.yaml`. */
export const flowSchema = z.strictObject({
  id,
  /** Bump when steps change meaning: stored conversations on an older version restart politely. */
  version: z.number().int().positive(),
  description: text,
  title: text,
  start: id,
  /** The most questions any path may ask (checked at load, repetitions counted at their maximum). */
  max_questions: z.number().int().positive().max(50),
  /** Facts the scorer needs before it can decide at all; until they are answered it is not called. */
  decide_after: z.array(factSchema).min(1),
  /** Shown once before the first sensitive step: what is asked, why, how long kept ({days}), /xoa. */
  privacy_notice: text.optional(),
  /** Introduction shown when the interview starts. */
  intro: text.optional(),
  steps: z.record(id, stepSchema),
});
export type FlowDefinition = z.infer<typeof flowSchema>;

// === The assistant file

/** The commands the core implements; the assistant file gives each its slash name, words and description. */
export const COMMAND_NAMES = ["start", "check", "ask", "back", "restart", "help", "delete", "stop"] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

const commandSchema = z.strictObject({
  /** Without the slash: `kiemtra` for /kiemtra. Telegram allows a-z, 0-9 and _, up to 32 characters. */
  slash: z.string().regex(/^[a-z0-9_]{1,32}$/, "must be 1-32 characters of a-z, 0-9 or _"),
  /** Plain words that mean the same when they are the whole message, with or without diacritics. */
  words: z.array(text).default([]),
  /** Shown in /trogiup and in Telegram's command menu. */
  description: text,
});

const menuOptionSchema = z.strictObject({
  label: text,
  action: z.enum(["check", "ask"]),
  synonyms: z.array(text).default([]),
});

/** `flows/assistant.yaml`: everything the conversation says outside an interview. */
export const assistantSchema = z.strictObject({
  id: z.literal("assistant"),
  version: z.number().int().positive(),
  description: text,
  /** The interview flow that /kiemtra starts. */
  check_flow: id,
  welcome: text,
  menu: z.strictObject({ prompt: text, options: z.array(menuOptionSchema).min(2) }),
  ask_prompt: text,
  help: text,
  commands: z.strictObject(
    Object.fromEntries(COMMAND_NAMES.map((name) => [name, commandSchema])) as {
      [K in CommandName]: typeof commandSchema;
    },
  ),
  /** Vietnamese names of the scorer's programme ids, and whom to ask when a figure is not confirmed. */
  /** Lines shown under every result. */
  result_footer: text,
});
export type AssistantDefinition = z.infer<typeof assistantSchema>;
