/**
 * `hoichinhsach ask`: looks a question up in the plan documents.
 *
 * - `ask "câu hỏi"`: readable answer (the whole best section, its citation and cautions, further passages);
 * - `ask --json "câu hỏi"`: one JSON object `{ query, results: [{ documentId, title, sectionPath, text,
 *   excerpt, score, citation, warnings }], answer? }` (plus `type` and `message` when there is no good match
 *   or the question is unusable; `answer` when the question is one of fact: `{ id, text, asOf, confidence,
 *   facts: [{ id, label, value, unit, from, to, confidence, references, asOf }], references }`);
 * - `ask --jsonl`: one question per stdin line, one JSON object per stdout line, in order, index opened once.
 *
 * Filters (`--doc`/`--document`, `--province`, `--year`) are checked against the corpus first: a province is
 * matched by its name then or now ("Hưng Yên" finds the Thái Bình plan, with a note), an unknown one gets a
 * message saying what exists (exit 2). `--cite` adds paste-ready citations ("Theo khoản 1.2 Mục IV Kế hoạch
 * số 02/KH-UBND …"): lines after the readable answer, a `legalCitation` field in JSON.
 */
import { parseArgs } from "node:util";
import { formatSearchOutcome } from "../../knowledge/format.ts";
import { loadAreaChanges, loadCorpus, type PlanMetadata } from "../../knowledge/load.ts";
import { openKnowledgeBase, todayInVietnam } from "../../knowledge/open.ts";
import type { DirectAnswer, SearchOptions, SearchOutcome, SearchResult } from "../../knowledge/types.ts";
import { UserInputError } from "../../shared/errors.ts";
import { planCitation, planStatus } from "../../staff/citations.ts";
import { resolveFilters, type SearchFilters } from "../../staff/search-filters.ts";
import { EXIT, readLines, write, type CliIO } from "../io.ts";

const USAGE =
  'Cách dùng: hoichinhsach ask [--json] [--cite] [--limit N] [--document MÃ] [--province TỈNH] [--year NĂM] "câu hỏi"\n' +
  "           hoichinhsach ask --jsonl   (mỗi dòng vào là một câu hỏi, mỗi dòng ra là một kết quả JSON)";

/** What `--cite` and the filters add to the JSON form. */
interface JsonExtras {
  /** Metadata by document id: each result gets its paste-ready `legalCitation`. */
  plans?: ReadonlyMap<string, PlanMetadata>;
  /** Notes on how the filters were read. */
  notes?: readonly string[];
}

/** The stable JSON form of an outcome (documented in docs/knowledge-base.md). */
export function outcomeJson(outcome: SearchOutcome, extras: JsonExtras = {}): Record<string, unknown> {
  const notes = extras.notes && extras.notes.length > 0 ? { notes: extras.notes } : {};
  if (outcome.type === "invalid") {
    return { query: outcome.query, results: [], type: outcome.type, message: outcome.message, ...notes };
  }
  const results = outcome.results.map((result) => {
    const metadata = extras.plans?.get(result.documentId);
    return {
      documentId: result.documentId,
      title: result.title,
      sectionPath: result.sectionPath,
      text: result.text,
      excerpt: result.excerpt,
      score: result.score,
      citation: result.citation,
      warnings: result.warnings,
      ...(metadata ? { legalCitation: planCitation(metadata, result.sectionPath) } : {}),
    };
  });
  const answer = outcome.answer ? { answer: answerJson(outcome.answer) } : {};
  if (outcome.type === "no_match") {
    return {
      query: outcome.query,
      results,
      type: outcome.type,
      message: outcome.message,
      ...answer,
      ...notes,
    };
  }
  return { query: outcome.query, results, ...answer, ...notes };
}

/** The stable JSON form of a direct answer: its text, and each dated figure it states. */
function answerJson(answer: DirectAnswer): Record<string, unknown> {
  return {
    id: answer.id,
    text: answer.text,
    asOf: answer.asOf,
    confidence: answer.confidence,
    facts: answer.facts.map((fact) => ({
      id: fact.id,
      label: fact.label,
      value: fact.value,
      ...(fact.estimate !== null ? { estimate: fact.estimate } : {}),
      unit: fact.unit,
      from: fact.from,
      to: fact.to,
      confidence: fact.confidence,
      references: fact.references,
      asOf: answer.asOf,
    })),
    references: answer.references,
  };
}

/**
 * The paste-ready citations of the passages the readable answer shows (the best one, then the further ones
 * as numbered there), then each plan's status today, once per plan.
 */
function citationLines(
  outcome: SearchOutcome,
  plans: ReadonlyMap<string, PlanMetadata>,
  onDate: string,
): string {
  if (outcome.type === "invalid" || outcome.results.length === 0) return "";
  const shown: [string, SearchResult][] =
    outcome.type === "results"
      ? outcome.results
          .slice(0, 4)
          .map((result, index) => [index === 0 ? "Đoạn phù hợp nhất" : `Đoạn khác ${index}`, result])
      : outcome.results.slice(0, 3).map((result, index) => [`Đoạn gần nhất ${index + 1}`, result]);
  const lines = ["", "Trích dẫn (để dán vào văn bản):"];
  const cited = new Set<PlanMetadata>();
  for (const [label, result] of shown) {
    const metadata = plans.get(result.documentId);
    if (!metadata) continue;
    lines.push(`${label}: ${planCitation(metadata, result.sectionPath)}`);
    cited.add(metadata);
  }
  const areas = loadAreaChanges();
  for (const metadata of cited) {
    lines.push(`Tình trạng ${metadata.id}: ${planStatus(metadata, areas, onDate).join(" ")}`);
  }
  return `${lines.join("\n")}\n`;
}

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: {
        json: { type: "boolean", default: false },
        jsonl: { type: "boolean", default: false },
        limit: { type: "string" },
        doc: { type: "string" },
        document: { type: "string" },
        cite: { type: "boolean", default: false },
        province: { type: "string" },
        year: { type: "string" },
      },
    });
  } catch (error) {
    throw new UserInputError(`Tuỳ chọn không hợp lệ: ${(error as Error).message}\n${USAGE}`);
  }
}

function integer(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new UserInputError(`--${name} phải là số nguyên từ ${min} đến ${max}, không phải "${value}".`);
  }
  return number;
}

/** Runs `ask`. */
export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args);
  const question = positionals.join(" ");
  if (values.jsonl && question)
    throw new UserInputError(
      `--jsonl đọc câu hỏi từ đầu vào chuẩn, không nhận câu hỏi trên dòng lệnh.\n${USAGE}`,
    );
  if (!values.jsonl && positionals.length === 0) throw new UserInputError(`Hãy nhập câu hỏi.\n${USAGE}`);
  if (values.doc !== undefined && values.document !== undefined && values.doc !== values.document)
    throw new UserInputError(`Chỉ dùng một trong --doc hoặc --document.\n${USAGE}`);
  const filters: SearchFilters = {
    ...((values.document ?? values.doc) !== undefined ? { document: values.document ?? values.doc } : {}),
    ...(values.province !== undefined ? { province: values.province } : {}),
    ...(values.year !== undefined ? { year: values.year } : {}),
  };
  const filtered = Object.keys(filters).length > 0 || values.cite;
  const plans = filtered
    ? new Map(loadCorpus().documents.map((d) => [d.metadata.id, d.metadata]))
    : undefined;
  let notes: string[] = [];
  let scope: SearchOptions = {};
  if (Object.keys(filters).length > 0) {
    const resolved = resolveFilters(filters, { documents: [...plans!.values()], areas: loadAreaChanges() });
    if (!resolved.ok) throw new UserInputError(resolved.error.message);
    scope = resolved.value.options;
    notes = resolved.value.notes;
  }
  const options: SearchOptions = { limit: integer(values.limit, "limit", 1, 20), ...scope };
  const extras: JsonExtras = { ...(values.cite && plans ? { plans } : {}), notes };

  const kb = openKnowledgeBase({ databasePath: io.env.DATABASE_PATH });
  try {
    if (values.jsonl) {
      for await (const line of readLines(io.stdin)) {
        await write(io.stdout, `${JSON.stringify(outcomeJson(kb.search(line, options), extras))}\n`);
      }
      return EXIT.ok;
    }
    const outcome = kb.search(question, options);
    if (values.json) await write(io.stdout, `${JSON.stringify(outcomeJson(outcome, extras), null, 2)}\n`);
    else {
      const noted = outcome.type === "invalid" ? "" : notes.map((note) => `ℹ️ ${note}\n`).join("");
      await write(
        outcome.type === "invalid" ? io.stderr : io.stdout,
        `${noted}${formatSearchOutcome(outcome, { fullText: true })}\n`,
      );
      if (values.cite && plans) await write(io.stdout, citationLines(outcome, plans, todayInVietnam()));
    }
    if (outcome.type === "invalid") {
      if (values.json) await write(io.stderr, `${outcome.message}\n`);
      return EXIT.badInput;
    }
    return EXIT.ok;
  } finally {
    kb.close();
  }
}
