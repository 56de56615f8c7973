/**
 * Reading knowledge/answers/: concepts.yaml and the answer files, validated, every placeholder checked
 * against the policy data so that a misspelt parameter id fails at start-up, not in a resident's reply.
 */
import { DataFileError } from "../shared/errors.ts";
import type { PolicyKnowledge } from "../domain/policy.ts";
import {
  DEFAULT_KNOWLEDGE_DIR,
  formatDataPath,
  listYamlFiles,
  readYamlFile,
} from "../knowledge/policy-load.ts";
import { CONCEPTS_READ_BY_CODE, type AnswerKnowledge } from "./answerer.ts";
import { PLACEHOLDER_SOURCE } from "./compose.ts";
import { answerFileSchema, conceptFileSchema, type AnswerData } from "./schema.ts";

const FOLDER = "answers";
const CONCEPTS = `${FOLDER}/concepts.yaml`;
/** Every placeholder, and anything else in braces (a misspelt kind is a problem too). */
const PLACEHOLDER = new RegExp(String.raw`${PLACEHOLDER_SOURCE}|\{[^}]*\}`, "g");

/** Problems with the placeholders and concepts of one answer. */
function answerProblems(
  id: string,
  answer: AnswerData,
  policy: PolicyKnowledge,
  concepts: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  for (const concept of [...answer.match.flat(), ...(answer.also ?? []), ...(answer.unless ?? [])])
    if (!concepts.has(concept))
      problems.push(`answers.${id}: unknown concept "${concept}" (define it in ${CONCEPTS})`);
  const texts = typeof answer.say === "string" ? [answer.say] : answer.say.map((saying) => saying.text);
  for (const text of texts) {
    for (const found of text.matchAll(PLACEHOLDER)) {
      const [whole, kind, ref] = found;
      const known =
        kind === "p" || kind === "was" || kind === "since"
          ? policy.parameters.has(ref ?? "")
          : kind === "step"
            ? policy.steps.has(ref ?? "")
            : kind === "note"
              ? ref !== undefined && ref in policy.notes
              : kind === "ref"
                ? policy.references.has(ref ?? "")
                : kind === "case"
                  ? policy.programs.some((program) =>
                      program.cases.some((rule) => `${program.id}.${rule.id}` === ref),
                    )
                  : kind === "standard" || kind === "indicators" || kind === "indicator_count";
      if (!known) problems.push(`answers.${id}.say: unknown placeholder ${whole}`);
    }
  }
  return problems;
}

/**
 * Loads and checks the answer data against the policy it will be stated from.
 *
 * @throws DataFileError listing every problem.
 */
export function loadAnswerKnowledge(
  policy: PolicyKnowledge,
  dir: string = DEFAULT_KNOWLEDGE_DIR,
): AnswerKnowledge {
  const problems: string[] = [];
  const knowledge: AnswerKnowledge = { concepts: {}, neutral: [], answers: [] };
  for (const path of listYamlFiles(dir, FOLDER)) {
    const read = readYamlFile(dir, path);
    if (!("file" in read)) {
      problems.push(
        ...read.problems.map(
          (problem) => `${problem.file}: ${formatDataPath(problem.path)} ${problem.message}`,
        ),
      );
      continue;
    }
    const data = read.file.source.data;
    const schema = path === CONCEPTS ? conceptFileSchema : answerFileSchema;
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push(`${path}: ${formatDataPath(issue.path as (string | number)[])} ${issue.message}`);
      continue;
    }
    if ("concepts" in parsed.data) {
      Object.assign(knowledge.concepts, parsed.data.concepts);
      knowledge.neutral.push(...(parsed.data.neutral ?? []));
    } else knowledge.answers.push(...Object.entries(parsed.data.answers));
  }
  const concepts = new Set(Object.keys(knowledge.concepts));
  for (const concept of CONCEPTS_READ_BY_CODE)
    if (!concepts.has(concept))
      problems.push(`${CONCEPTS}: concept "${concept}" is read by the answerer; define it`);
  const seen = new Set<string>();
  for (const [id, answer] of knowledge.answers) {
    if (seen.has(id)) problems.push(`answers.${id}: defined twice`);
    seen.add(id);
    problems.push(...answerProblems(id, answer, policy, concepts));
  }
  if (problems.length > 0) throw new DataFileError(dir, problems);
  return knowledge;
}
