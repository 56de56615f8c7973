/**
 * Direct answers to questions of fact: a question is read into concepts, the answerable fact whose
 * concepts it names best is chosen, and that fact is stated for the date asked from the same dated data the
 * scorer uses. Only a confident match answers: every concept group of the fact must be named, and none of
 * its `unless` concepts. Pure.
 */
import type { PolicyKnowledge } from "../domain/policy.ts";
import type { LexiconData } from "../knowledge/load.ts";
import { composeAnswer, type DirectAnswer } from "./compose.ts";
import { compileConcepts, readConcepts, type ConceptIndex, type ReadQuestion } from "./concepts.ts";
import { askedDate } from "./dates.ts";
import { answerHouseholdQuestion, type HouseholdQuestionContext } from "./household.ts";
import type { AnswerData } from "./schema.ts";

/** The answer data as loaded: concepts and answers by id, in file order. */
export interface AnswerKnowledge {
  concepts: Record<string, string[]>;
  /** Concepts whose absence from an answer does not rank it lower ("bao nhiêu", "ở đâu"). */
  neutral: string[];
  answers: [string, AnswerData][];
}

/** Which fact a question was matched to, and how well. */
export interface AnswerMatch {
  id: string;
  answer: AnswerData;
  /** Concept groups satisfied, less half a point for each of the question's concepts the fact does not use. */
  score: number;
}

/** Answers questions; built once per policy. */
export interface Answerer {
  /** The matched fact for a question, if a confident one exists (for tests and tools). */
  match(question: string, options?: { fallbacks?: boolean }): AnswerMatch | undefined;
  /**
   * The direct answer to a question on the date it asks about (today when none), or undefined. A fallback
   * (who can answer) is given only when `fallbacks` is set: the caller sets it when no passage answers.
   */
  answer(question: string, today: string, options?: { fallbacks?: boolean }): DirectAnswer | undefined;
}

/** Every concept an answer can use. */
function conceptsOf(answer: AnswerData): Set<string> {
  return new Set(answer.match.flat());
}

function scoreOf(
  answer: AnswerData,
  used: Set<string>,
  read: ReadQuestion,
  neutral: ReadonlySet<string>,
): number | undefined {
  if (answer.unless?.some((concept) => read.concepts.has(concept))) return undefined;
  for (const group of answer.match)
    if (!group.some((concept) => read.concepts.has(concept))) return undefined;
  let unused = 0;
  for (const concept of read.concepts) if (!used.has(concept) && !neutral.has(concept)) unused += 1;
  return answer.match.length - unused / 2;
}

/**
 * Builds the answerer.
 *
 * ```ts
 * const answerer = createAnswerer(policy, loadAnswerKnowledge(), loadLexiconData());
 * answerer.answer("lai suat vay ho ngheo bao nhieu", "2026-12-06")?.text;
 * // "Hộ nghèo vay vốn Ngân hàng Chính sách xã hội với lãi suất 6,24%/năm (0,52%/tháng). …"
 * ```
 */
export function createAnswerer(
  policy: PolicyKnowledge,
  knowledge: AnswerKnowledge,
  lexicon: LexiconData,
  household?: HouseholdQuestionContext,
): Answerer {
  const index: ConceptIndex = compileConcepts(knowledge.concepts, lexicon);
  const neutral = new Set(knowledge.neutral);
  const entries = knowledge.answers.map(([id, answer]) => ({ id, answer, used: conceptsOf(answer) }));

  function match(question: string, options: { fallbacks?: boolean } = {}): AnswerMatch | undefined {
    const read = readConcepts(question, index);
    let best: AnswerMatch | undefined;
    for (const entry of entries) {
      if (entry.answer.fallback && !options.fallbacks) continue;
      const score = scoreOf(entry.answer, entry.used, read, neutral);
      if (score === undefined) continue;
      if (!best || score > best.score) best = { id: entry.id, answer: entry.answer, score };
    }
    return best;
  }

  return {
    match,
    answer(question, today, options = {}) {
      const asked = askedDate(question, today);
      const own = household ? answerHouseholdQuestion(question, asked, household) : undefined;
      if (own) return own;
      const found = match(question, options);
      return found ? composeAnswer(policy, found.id, found.answer, asked, today) : undefined;
    },
  };
}
