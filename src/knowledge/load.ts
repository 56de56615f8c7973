/**
 * Loads the knowledge base's data from knowledge/: the plan documents with their metadata
 * (plans/sources.yaml), the search lexicon (synonyms.yaml) and the administrative changes (areas.yaml).
 * Validated with zod at start-up; a broken file throws {@link DataFileError} naming the file, the path inside
 * it and how to fix it.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { DataFileError } from "../shared/errors.ts";

/** The knowledge/ folder of this checkout. */
export const DEFAULT_KNOWLEDGE_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "knowledge");

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const PARTIAL_DATE = /^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$/;

const planSourceSchema = z
  .object({
    id: z.string().regex(ID, "must be kebab-case, the file name without .md"),
    file: z.string().regex(/^[^/\\]+\.md$/, "must be a .md file name in knowledge/plans/"),
    kind: z.string().min(1),
    number: z.string().min(1).nullable(),
    number_as_printed: z.string().min(1).optional(),
    issued_on: z
      .string()
      .regex(PARTIAL_DATE, "write YYYY-MM-DD, or YYYY-MM / YYYY when the day or month is left blank")
      .nullable(),
    issuer: z.string().min(1),
    level: z.enum(["province", "city", "district", "commune"]),
    province: z.string().min(1),
    title: z.string().min(1),
    period: z
      .object({ from: z.number().int().min(1945), to: z.number().int().min(1945) })
      .strict()
      .refine((period) => period.from <= period.to, "period.from must not be after period.to"),
    signer: z.string().min(1).optional(),
  })
  .strict();

const sourcesSchema = z.array(planSourceSchema).min(1, "list at least one plan");

/** Provenance of one plan document, as recorded in knowledge/plans/sources.yaml. */
export interface PlanMetadata {
  id: string;
  file: string;
  kind: string;
  /** The document number, null when not printed. */
  number: string | null;
  /** The number as printed when it was left blank ("/KH-UBND"). */
  numberAsPrinted?: string;
  /** ISO date, or YYYY-MM / YYYY when the day or month is blank in the document, or null. */
  issuedOn: string | null;
  issuer: string;
  level: "province" | "city" | "district" | "commune";
  /** Province at the time of issue. */
  province: string;
  title: string;
  period: { from: number; to: number };
  signer?: string;
}

/** One plan: its metadata and its text, byte for byte as in the file. */
export interface CorpusDocument {
  metadata: PlanMetadata;
  text: string;
}

/** The plan documents to index. */
export interface Corpus {
  documents: CorpusDocument[];
}

const lexiconSchema = z
  .object({
    description: z.string().min(1),
    abbreviations: z.record(z.string().min(1), z.string().min(1)),
    chat: z.record(z.string().min(1), z.string().min(1)),
    synonyms: z.array(z.array(z.string().min(1)).min(2, "a synonym group needs at least two phrases")),
    question_words: z.array(z.string().min(1)),
    question_words_plain: z.array(
      z.string().regex(/^[a-z ]+$/, "write these without diacritics, lower case"),
    ),
  })
  .strict();

/** Query-side vocabulary of knowledge/synonyms.yaml, as written (normalised later by the query analyser). */
export interface LexiconData {
  abbreviations: Record<string, string>;
  chat: Record<string, string>;
  synonyms: string[][];
  questionWords: string[];
  questionWordsPlain: string[];
}

const areasSchema = z
  .object({
    description: z.string().min(1),
    changed_on: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "write YYYY-MM-DD"),
    reference: z.array(z.object({ title: z.string().min(1), href: z.url().optional() }).strict()).min(1),
    provinces: z.array(z.object({ was: z.array(z.string().min(1)).min(1), now: z.string().min(1) }).strict()),
    district_level_abolished: z.boolean(),
    aliases: z.record(z.string().min(1), z.array(z.string().min(1)).min(1)).optional(),
  })
  .strict();

/** Administrative changes of knowledge/areas.yaml. */
export interface AreaChanges {
  changedOn: string;
  provinces: { was: string[]; now: string }[];
  districtLevelAbolished: boolean;
  /** Other names of a province, by its name in `provinces` (then or now): "HCM", "Sài Gòn", "Bắc Cạn". */
  aliases?: Record<string, string[]>;
}

function readYaml(file: string, root: string): unknown {
  const shown = relative(process.cwd(), file) || file;
  if (!existsSync(file)) throw new DataFileError(shown, [`file not found (expected under ${root})`]);
  try {
    return parseYaml(readFileSync(file, "utf8"));
  } catch (error) {
    throw new DataFileError(shown, [`not valid YAML: ${(error as Error).message}`], { cause: error });
  }
}

function zodProblems(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path =
      issue.path.length > 0
        ? issue.path
            .map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`))
            .join("")
            .replace(/^\./, "")
        : "(top level)";
    return `${path}: ${issue.message}`;
  });
}

function validated<T extends z.ZodType>(schema: T, raw: unknown, file: string): z.output<T> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new DataFileError(relative(process.cwd(), file) || file, zodProblems(parsed.error));
  return parsed.data;
}

/**
 * Reads knowledge/plans/: sources.yaml and every plan file it lists. Every .md file must have an entry and
 * every entry its file; ids are unique and equal to the file name without .md.
 *
 * ```ts
 * const corpus = loadCorpus(); // throws DataFileError on a broken sources.yaml
 * ```
 */
export function loadCorpus(knowledgeDir: string = DEFAULT_KNOWLEDGE_DIR): Corpus {
  const plansDir = join(knowledgeDir, "plans");
  const sourcesFile = join(plansDir, "sources.yaml");
  const entries = validated(sourcesSchema, readYaml(sourcesFile, plansDir), sourcesFile);
  const problems: string[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    if (entry.file !== `${entry.id}.md`) {
      problems.push(`[${index}].file: "${entry.file}" should be "${entry.id}.md" (the id is the file name)`);
    }
    if (seen.has(entry.id)) problems.push(`[${index}].id: "${entry.id}" is listed twice; keep one entry`);
    seen.add(entry.id);
    if (!existsSync(join(plansDir, entry.file))) {
      problems.push(
        `[${index}].file: "${entry.file}" does not exist in ${plansDir}; add the file or remove the entry`,
      );
    }
  });
  const listed = new Set(entries.map((entry) => entry.file));
  for (const name of readdirSync(plansDir)
    .filter((name) => name.endsWith(".md"))
    .sort()) {
    if (!listed.has(name)) {
      problems.push(`${name} has no entry: add "- id: ${name.replace(/\.md$/, "")}" with its metadata`);
    }
  }
  if (problems.length > 0)
    throw new DataFileError(relative(process.cwd(), sourcesFile) || sourcesFile, problems);

  return {
    documents: entries.map((entry) => ({
      metadata: {
        id: entry.id,
        file: entry.file,
        kind: entry.kind,
        number: entry.number,
        ...(entry.number_as_printed ? { numberAsPrinted: entry.number_as_printed } : {}),
        issuedOn: entry.issued_on,
        issuer: entry.issuer,
        level: entry.level,
        province: entry.province,
        title: entry.title,
        period: entry.period,
        ...(entry.signer ? { signer: entry.signer } : {}),
      },
      // Verbatim; only a UTF-8 byte-order mark would be dropped by the decoder.
      text: readFileSync(join(plansDir, entry.file), "utf8"),
    })),
  };
}

/** Reads knowledge/synonyms.yaml. */
export function loadLexiconData(knowledgeDir: string = DEFAULT_KNOWLEDGE_DIR): LexiconData {
  const file = join(knowledgeDir, "synonyms.yaml");
  const data = validated(lexiconSchema, readYaml(file, knowledgeDir), file);
  return {
    abbreviations: data.abbreviations,
    chat: data.chat,
    synonyms: data.synonyms,
    questionWords: data.question_words,
    questionWordsPlain: data.question_words_plain,
  };
}

/** Reads knowledge/areas.yaml. */
export function loadAreaChanges(knowledgeDir: string = DEFAULT_KNOWLEDGE_DIR): AreaChanges {
  const file = join(knowledgeDir, "areas.yaml");
  const data = validated(areasSchema, readYaml(file, knowledgeDir), file);
  return {
    changedOn: data.changed_on,
    provinces: data.provinces,
    districtLevelAbolished: data.district_level_abolished,
    ...(data.aliases ? { aliases: data.aliases } : {}),
  };
}
