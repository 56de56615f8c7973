/**
 * Loads the policy knowledge (knowledge/parameters and knowledge/rules, province overrides included) from
 * YAML, validates it with zod and cross-checks it. A broken file stops start-up with a {@link DataFileError}
 * naming the file, the path inside it (with its line) and the fix, so bad data never reaches a user.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { LineCounter, parseDocument, type Document } from "yaml";
import {
  compilePolicy,
  type FileProblem,
  type PolicyKnowledge,
  type PolicySource,
} from "../domain/policy.ts";
import { DataFileError } from "../shared/errors.ts";
import { cacheSlot, readCached, writeCached, YAML_CACHE_DIR } from "./yaml-cache.ts";

export type { PolicyKnowledge } from "../domain/policy.ts";

/** The knowledge folder of this checkout. */
export const DEFAULT_KNOWLEDGE_DIR = fileURLToPath(new URL("../../knowledge", import.meta.url));

/** Folders of the knowledge folder that hold policy data (plans/ and tests/ are not policy). */
export const POLICY_FOLDERS = ["parameters", "kinds", "rules"] as const;

/** Every .yaml/.yml file under `folder` of `root`, sorted, as paths relative to `root` with "/" separators. */
export function listYamlFiles(root: string, folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(name)) found.push(relative(root, full).split(sep).join("/"));
    }
  };
  try {
    walk(join(root, folder));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  return found;
}

/** "cases[0].when[1].in" from a data path. */
export function formatDataPath(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === "number" ? `${text}[${key}]` : text ? `${text}.${key}` : key),
    "",
  );
}

/** A parsed YAML file with what is needed to point at a line. */
export interface ParsedYaml {
  source: PolicySource;
  document: Document;
  lines: LineCounter;
}

/** Line of the deepest node of `path` that exists in the document (1-based), if any. */
function lineOf(file: ParsedYaml, path: readonly (string | number)[]): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = file.document.getIn(path.slice(0, depth), true) as
      { range?: [number, number, number] } | undefined;
    if (node && node.range) return file.lines.linePos(node.range[0]).line;
  }
  return undefined;
}

/**
 * Reads and parses one YAML file (path relative to `root`); syntax errors become problems with their line. The
 * data of a file read before with the same text comes from `cacheDir` (yaml-cache.ts; by default used for this
 * checkout's knowledge/ only, not for the copies tests make); its document, needed only to point at a line when
 * the data has a problem, is then parsed if asked for.
 */
export function readYamlFile(
  root: string,
  path: string,
  cacheDir: string | undefined = resolve(root) === resolve(DEFAULT_KNOWLEDGE_DIR)
    ? YAML_CACHE_DIR
    : undefined,
): { file: ParsedYaml } | { problems: FileProblem[] } {
  const text = readFileSync(join(root, path), "utf8");
  const slot = cacheDir === undefined ? undefined : cacheSlot(join(root, path), text, cacheDir);
  const cached = slot && readCached(slot);
  if (cached) return { file: lazilyParsed({ path, data: cached.data }, text) };
  const { document, lines } = parseYaml(text);
  if (document.errors.length > 0) {
    return {
      problems: document.errors.map((error) => ({
        file: path,
        path: [],
        message: `YAML syntax error at line ${lines.linePos(error.pos[0]).line}: ${error.message.split("\n")[0]} (fix the indentation or quoting there)`,
      })),
    };
  }
  const data: unknown = document.toJS();
  if (slot) writeCached(slot, data);
  return { file: { source: { path, data }, document, lines } };
}

function parseYaml(text: string): { document: Document; lines: LineCounter } {
  const lines = new LineCounter();
  return { document: parseDocument(text, { lineCounter: lines, prettyErrors: false }), lines };
}

/** A file whose data came from the cache: its document is parsed the first time it is asked for. */
function lazilyParsed(source: PolicySource, text: string): ParsedYaml {
  let parsed: ReturnType<typeof parseYaml> | undefined;
  const get = () => (parsed ??= parseYaml(text));
  return {
    source,
    get document() {
      return get().document;
    },
    get lines() {
      return get().lines;
    },
  };
}

/** Shows a file path as the user would type it: relative to the working directory when inside it. */
function displayPath(root: string, path: string): string {
  const absolute = join(root, path);
  const fromCwd = relative(process.cwd(), absolute);
  return fromCwd.startsWith("..") ? absolute : fromCwd;
}

/**
 * Groups problems into one {@link DataFileError}: the first broken file is the error's file; problems in
 * other files follow, prefixed with their own file. Each problem reads "path (line N): what is wrong; the fix".
 */
export function dataFileError(
  root: string,
  problems: FileProblem[],
  parsed: ParsedYaml[] = [],
): DataFileError {
  const first = problems[0]!.file;
  const lines = problems.map((problem) => {
    const file = parsed.find((candidate) => candidate.source.path === problem.file);
    const line = file ? lineOf(file, problem.path) : undefined;
    const where = [formatDataPath(problem.path) || "(whole file)", line !== undefined ? `(line ${line})` : ""]
      .filter(Boolean)
      .join(" ");
    const prefix = problem.file === first ? "" : `${displayPath(root, problem.file)}: `;
    return `${prefix}${where}: ${problem.message}`;
  });
  return new DataFileError(displayPath(root, first), lines);
}

/**
 * Loads and compiles the policy knowledge from `dir` (default: this checkout's knowledge/ folder): every
 * YAML file under parameters/ and rules/ (province overrides in rules/provinces/).
 *
 * @throws DataFileError naming the broken file and listing every problem as "path (line N): problem; fix".
 *
 * ```ts
 * const policy = loadPolicyKnowledge();
 * const decision = decide(household, policy, { today: "2026-03-01" });
 * ```
 */
export function loadPolicyKnowledge(dir: string = DEFAULT_KNOWLEDGE_DIR): PolicyKnowledge {
  const files = POLICY_FOLDERS.flatMap((folder) => listYamlFiles(dir, folder));
  if (files.length === 0) {
    throw new DataFileError(dir, [
      `no policy data found: expected YAML files under ${POLICY_FOLDERS.map((f) => join(basename(dir), f)).join(" and ")}`,
    ]);
  }
  const parsed: ParsedYaml[] = [];
  const problems: FileProblem[] = [];
  for (const path of files) {
    const result = readYamlFile(dir, path);
    if ("file" in result) parsed.push(result.file);
    else problems.push(...result.problems);
  }
  if (problems.length === 0) {
    const compiled = compilePolicy(parsed.map((file) => file.source));
    if (compiled.ok) return compiled.value;
    problems.push(...compiled.error);
  }
  throw dataFileError(dir, problems, parsed);
}
