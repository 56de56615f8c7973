/**
 * Loads knowledge/referrals.yaml: validated with zod and cross-checked (unique ids, provinces named as they
 * are since the 2025 mergers). A broken file throws {@link DataFileError} naming the file, the path inside
 * it and the fix.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse as parseYaml } from "yaml";
import { placeKey, provinceNow } from "../knowledge/citation.ts";
import { DEFAULT_KNOWLEDGE_DIR, loadAreaChanges } from "../knowledge/load.ts";
import { DataFileError } from "../shared/errors.ts";
import { referralFileSchema, type ReferralDirectory } from "./referrals.ts";

function path(parts: readonly PropertyKey[]): string {
  return (
    parts
      .map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`))
      .join("")
      .replace(/^\./, "") || "(top level)"
  );
}

/**
 * Reads the referral directory from `knowledgeDir` (default: this checkout's knowledge/).
 *
 * ```ts
 * const directory = loadReferrals(); // throws DataFileError on a broken file
 * ```
 */
export function loadReferrals(knowledgeDir: string = DEFAULT_KNOWLEDGE_DIR): ReferralDirectory {
  const file = join(knowledgeDir, "referrals.yaml");
  const shown = relative(process.cwd(), file) || file;
  if (!existsSync(file)) throw new DataFileError(shown, [`file not found (expected under ${knowledgeDir})`]);
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, "utf8"));
  } catch (error) {
    throw new DataFileError(shown, [`not valid YAML: ${(error as Error).message}`], { cause: error });
  }
  const parsed = referralFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new DataFileError(
      shown,
      parsed.error.issues.map((issue) => `${path(issue.path)}: ${issue.message}`),
    );
  }
  const areas = loadAreaChanges(knowledgeDir);
  const problems: string[] = [];
  const seen = new Set<string>();
  parsed.data.entries.forEach((entry, index) => {
    if (seen.has(entry.id))
      problems.push(`entries[${index}].id: "${entry.id}" is used twice; ids must be unique`);
    seen.add(entry.id);
    if (entry.province) {
      const merged = provinceNow(entry.province, areas);
      if (merged && placeKey(merged.now) !== placeKey(entry.province)) {
        problems.push(
          `entries[${index}].province: "${entry.province}" was merged into "${merged.now}" on ${areas.changedOn}; name the province as it is now`,
        );
      }
    }
  });
  if (problems.length > 0) throw new DataFileError(shown, problems);
  return { reviewedOn: parsed.data.reviewed_on, entries: parsed.data.entries };
}
