/**
 * The shape of knowledge/answers/*.yaml: the concepts a question is read into, and the answerable facts,
 * each with the concepts it needs, the phrasings it answers and the sentence that states it. Pure.
 */
import { z } from "zod";
import { isIsoDate } from "../domain/dates.ts";

const id = z.string().regex(/^[a-z][a-z0-9_]*$/, "write ids in snake_case: lower case, digits, _");
const isoDate = z.string().refine(isIsoDate, 'write the date as "YYYY-MM-DD"');
const text = z.string().trim().min(1);

/** concepts.yaml: each concept and the words that name it (matched without diacritics, longest first). */
export const conceptFileSchema = z.strictObject({
  description: text,
  /** Concepts too common to rank an answer down when it does not use them. */
  neutral: z.array(id).optional(),
  concepts: z.record(id, z.array(text).min(1)),
});

const confidence = z.enum(["high", "medium", "low"]);

/** One wording of an answer, for a period (the wording of the rule in force on the date asked). */
const sayingSchema = z.strictObject({
  from: isoDate.optional(),
  to: isoDate.optional(),
  text,
  /** How sure what this wording states in its own words is. */
  confidence: confidence.optional(),
});

/** One answerable fact. */
export const answerSchema = z.strictObject({
  /** Groups of concepts, each group satisfied by any one of its concepts; all groups must be. */
  match: z.array(z.array(id).min(1)).min(1),
  /** Concepts the answer also speaks to, though not needed: naming them does not rank it lower. */
  also: z.array(id).optional(),
  /** Concepts that mean the question is about something else. */
  unless: z.array(id).optional(),
  /** Shown only when no plan passage answers the question (a pointer to who can answer). */
  fallback: z.boolean().optional(),
  /** Phrasings this answer must be chosen for (checked by the tests), as residents type them. */
  questions: z.array(text).min(1),
  /**
   * The sentence(s), with placeholders filled from the dated data: {p:parameter.id}, {p:parameter.id@rural}, {was:parameter.id} (the value before the one in force), {since:parameter.id}
   * (its first date),
   * {step:id}, {note:id}, {case:programme.case}, {standard}, {indicators}, {ref:id}.
   */
  say: z.union([text, z.array(sayingSchema).min(1)]),
  /** The national rule is a minimum: provinces may add more (the guidance note is appended). */
  minimum: z.boolean().optional(),
  /** How sure a statement typed in `say` is (figures from placeholders carry their own). */
  confidence: confidence.optional(),
  /** Who to ask when the answer is not confirmed (else the figures' own `ask`). */
  ask: text.optional(),
});

/** An answers file: answers by id. */
export const answerFileSchema = z.strictObject({
  description: text,
  answers: z.record(id, answerSchema),
});

export type ConceptFile = z.infer<typeof conceptFileSchema>;
export type AnswerData = z.infer<typeof answerSchema>;
export type AnswerFile = z.infer<typeof answerFileSchema>;
