/**
 * Loads the flow files at start-up: `flows/assistant.yaml` and every other `flows/*.yaml` as an interview
 * flow (the transcripts in `flows/tests/` are not flows). YAML syntax, zod shape and the checks of
 * `validate.ts` all fail here, naming the file, the place in it and the fix, never later while serving.
 */

import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, YAMLParseError } from "yaml";
import { DataFileError } from "../shared/errors.ts";
import { compileFlowSet, type FlowSet } from "./definition.ts";
import {
  assistantSchema,
  flowSchema,
  optionSchema,
  stepSchema,
  transitionSchema,
  type AssistantDefinition,
  type FlowDefinition,
} from "./schema.ts";
import { describeZodIssues } from "./validate.ts";

/** The `flows/` folder of this repository. */
export const DEFAULT_FLOWS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "flows");

/** The file of the assistant (menu, commands, help); every other YAML file in the folder is a flow. */
export const ASSISTANT_FILE = "assistant.yaml";

/** Every key the flow files may use, for "did you mean" on an unknown key. */
const KNOWN_KEYS = [
  ...Object.keys(flowSchema.shape),
  ...Object.keys(stepSchema.shape),
  ...Object.keys(optionSchema.shape),
  ...Object.keys(transitionSchema.shape),
  ...Object.keys(assistantSchema.shape),
  ...["type", "options", "min", "max", "not_future", "min_year", "max_length", "times"],
  ...["step", "equals", "in", "gte", "lte", "is", "all", "any", "not"],
  ...["slash", "words", "prompt", "label", "action", "synonyms", "title", "confirm_with"],
].filter((key, i, all) => all.indexOf(key) === i);

function readYaml(path: string, shown: string): unknown {
  const source = readFileSync(path, "utf8");
  try {
    return parse(source);
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const at = error.linePos?.[0];
      throw new DataFileError(
        shown,
        [`${at ? `line ${at.line}, column ${at.col}: ` : ""}${error.message.split("\n")[0]}`],
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * Reads, validates and compiles the flow files in `dir`. Throws a `DataFileError` listing every problem
 * with its file, place and fix.
 *
 * ```ts
 * const flows = loadFlows(); // flows/assistant.yaml + flows/eligibility.yaml
 * ```
 */
export function loadFlows(dir: string = DEFAULT_FLOWS_DIR): FlowSet {
  const names = readdirSync(dir)
    .filter((name) => name.endsWith(".yaml") || name.endsWith(".yml"))
    .sort();
  const shown = (name: string): string => relative(process.cwd(), join(dir, name)) || name;
  const problems: string[] = [];
  const failedFiles: string[] = [];
  let assistant: { file: string; definition: AssistantDefinition } | undefined;
  const flows: { file: string; definition: FlowDefinition }[] = [];
  for (const name of names) {
    const file = shown(name);
    const raw = readYaml(join(dir, name), file);
    const schema = name === ASSISTANT_FILE ? assistantSchema : flowSchema;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      failedFiles.push(file);
      problems.push(...describeZodIssues(parsed.error.issues, raw, KNOWN_KEYS).map((p) => `${file}: ${p}`));
      continue;
    }
    if (name === ASSISTANT_FILE) assistant = { file, definition: parsed.data as AssistantDefinition };
    else flows.push({ file, definition: parsed.data as FlowDefinition });
  }
  if (!assistant && !failedFiles.includes(shown(ASSISTANT_FILE))) {
    problems.push(
      `${shown(ASSISTANT_FILE)}: the file is missing; it defines the menu, the commands and the help text.`,
    );
  }
  // Links between files are only checked once every file has the right shape (no cascade of errors).
  if (assistant && problems.length === 0) {
    const compiled = compileFlowSet(assistant, flows);
    if (compiled.ok && problems.length === 0) return compiled.value;
    if (!compiled.ok)
      for (const [file, list] of compiled.error) problems.push(...list.map((p) => `${file}: ${p}`));
  }
  throw new DataFileError(relative(process.cwd(), dir) || dir, problems);
}
