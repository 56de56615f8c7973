/**
 * The data of parsed YAML files kept as JSON between runs: parsing the YAML of knowledge/ (rules, parameters,
 * answers) was the largest part of starting a command, and reading the same data as JSON is a small part of it.
 * An entry is used only for the very bytes it was made from (a digest of the text); one entry per file, so the
 * cache does not grow with edits. Data JSON cannot carry exactly (NaN, infinities) is never cached. Failing to
 * read or write the cache (a read-only install, say) only means parsing the YAML again.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";

/** Changed when what is cached changes shape. */
const VERSION = "1";
/** The package's own cache folder (beside src/ or dist/, where tools keep theirs). */
export const YAML_CACHE_DIR = fileURLToPath(
  new URL("../../node_modules/.cache/hoichinhsach/yaml", import.meta.url),
);

const digest = (text: string): string => createHash("sha256").update(text).digest("hex");

/** Where the entry of a file lives, and the key its text must match. */
export interface CacheSlot {
  file: string;
  key: string;
}

/** The slot of the YAML file at `path` (absolute) with text `text`, in `dir`. */
export function cacheSlot(path: string, text: string, dir: string = YAML_CACHE_DIR): CacheSlot {
  return { file: join(dir, `${digest(path).slice(0, 32)}.json`), key: digest(`${VERSION}\0${text}`) };
}

/** The cached data of a slot, or undefined when there is none for this text. */
export function readCached(slot: CacheSlot): { data: unknown } | undefined {
  try {
    const entry = JSON.parse(readFileSync(slot.file, "utf8")) as { key?: unknown; data?: unknown };
    return entry.key === slot.key && "data" in entry ? { data: entry.data } : undefined;
  } catch {
    return undefined;
  }
}

/** Stores the data parsed for a slot's text, if JSON carries it exactly. */
export function writeCached(slot: CacheSlot, data: unknown): void {
  try {
    const json = JSON.stringify({ key: slot.key, data });
    if (!isDeepStrictEqual((JSON.parse(json) as { data: unknown }).data, data)) return;
    const dir = join(slot.file, "..");
    mkdirSync(dir, { recursive: true });
    // Written aside and renamed: a process reading at the same time sees the old entry or the new, whole.
    const temporary = `${slot.file}.${randomBytes(6).toString("hex")}.tmp`;
    writeFileSync(temporary, json);
    renameSync(temporary, slot.file);
  } catch {
    // Not cached: the next run parses the YAML again.
  }
}
