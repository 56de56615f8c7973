/**
 * The versions an answer is given under, stored with feedback so that a disputed answer can be replayed on
 * the same data: a digest of the rules and figures (knowledge/parameters, kinds, rules) and the
 * fingerprint of the indexed plans. Reads files.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { corpusFingerprint } from "../knowledge/index-store.ts";
import { DEFAULT_KNOWLEDGE_DIR, loadCorpus } from "../knowledge/load.ts";
import { listYamlFiles, POLICY_FOLDERS } from "../knowledge/policy-load.ts";
import type { AnswerVersions } from "./feedback.ts";

/** Short digests: enough to tell two versions apart in a report. */
const LENGTH = 12;

/** A digest of every policy file (path and content), in a stable order. */
export function rulesVersion(knowledgeDir: string = DEFAULT_KNOWLEDGE_DIR): string {
  const hash = createHash("sha256");
  for (const path of POLICY_FOLDERS.flatMap((folder) => listYamlFiles(knowledgeDir, folder))) {
    hash
      .update(path)
      .update("\u0000")
      .update(readFileSync(join(knowledgeDir, path)))
      .update("\u0000");
  }
  return hash.digest("hex").slice(0, LENGTH);
}

/**
 * Both versions, computed once at start-up.
 *
 * ```ts
 * const versions = answerVersions(); // { rules: "3f9a…", knowledge: "81c2…" }
 * ```
 */
export function answerVersions(knowledgeDir: string = DEFAULT_KNOWLEDGE_DIR): AnswerVersions {
  return {
    rules: rulesVersion(knowledgeDir),
    knowledge: corpusFingerprint(loadCorpus(knowledgeDir)).slice(0, LENGTH),
  };
}
