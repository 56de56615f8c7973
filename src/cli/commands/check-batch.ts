/**
 * The per-line work of `hoichinhsach check --jsonl`, shared by the main thread and the worker threads: a
 * batch of input lines in, the encoded output lines (decisions or error objects) out, in order. Reading
 * stdin, ordering batches and writing stdout stay in check.ts.
 */
import { decide } from "../../domain/eligibility.ts";
import type { Decision } from "../../domain/decision.ts";
import { parseHousehold, type FieldProblem } from "../../domain/household.ts";
import type { PolicyKnowledge } from "../../domain/policy.ts";
import { CachingJsonSerializer } from "../../shared/json-cache.ts";

/** The error object printed for a household that cannot be read. */
export interface LineError {
  line?: number;
  error: { message: string; problems: FieldProblem[] };
}

/** Parses one household from JSON text; a problem list (Vietnamese) when it cannot be used. */
export function readHousehold(text: string, policy: PolicyKnowledge) {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const detail = (error as Error).message;
    return {
      ok: false as const,
      error: {
        message: `Dữ liệu không phải JSON hợp lệ (${detail}).`,
        problems: [] as FieldProblem[],
      },
    };
  }
  const parsed = parseHousehold(raw, { indicatorIds: policy.indicatorIds });
  if (parsed.ok) return parsed;
  return {
    ok: false as const,
    error: {
      message: `Dữ liệu hộ gia đình chưa hợp lệ: ${parsed.error.map((problem) => problem.message).join(" ")}`,
      problems: parsed.error,
    },
  };
}

/** The short screening line of `--summary`. */
export function summarise(decision: Decision): unknown {
  return {
    assessedOn: decision.assessedOn,
    standard: decision.standard?.id ?? null,
    category: decision.classification.category,
    basis: decision.classification.basis,
    programs: Object.fromEntries(decision.programs.map((program) => [program.id, program.status])),
    missingFacts: decision.missingFacts.map((fact) => fact.fact),
  };
}

/** How the lines of a batch are decided. */
export interface BatchOptions {
  /** Assessment date for households without `assessedOn`. */
  today: string;
  /** Print the short screening line instead of the full decision. */
  summary: boolean;
}

/** Consecutive input lines; `firstLine` is the 1-based line number of `lines[0]`. */
export interface Batch {
  firstLine: number;
  lines: string[];
}

/** The output of a batch: one JSON line per non-blank input line, and the numbers of the bad lines. */
export interface BatchOutput {
  bytes: Uint8Array;
  badLines: number[];
}

/** A batch's output in the hands of the writer, who calls `release` once the bytes are written. */
export interface WrittenOnce extends BatchOutput {
  /** Hands the bytes' memory back to whoever decided the batch, for its next output. */
  release(): void;
}

/**
 * Decides batches of lines. One per thread: it keeps a serialiser whose cache of shared parts (references,
 * next steps, memoised programme outcomes) serves every later batch.
 */
export class BatchDecider {
  private readonly json = new CachingJsonSerializer();
  private readonly policy: PolicyKnowledge;
  private readonly options: BatchOptions;

  constructor(policy: PolicyKnowledge, options: BatchOptions) {
    this.policy = policy;
    this.options = options;
  }

  /** Decides every line of `batch`; a blank line is skipped, a bad line gets a {@link LineError}. */
  run(batch: Batch): BatchOutput {
    const badLines: number[] = [];
    const { policy, json } = this;
    const { today, summary } = this.options;
    for (let i = 0; i < batch.lines.length; i++) {
      const line = batch.lines[i]!;
      if (line.trim() === "") continue;
      const household = readHousehold(line, policy);
      if (household.ok) {
        const decision = decide(household.value, policy, { today });
        json.appendLine(summary ? summarise(decision) : decision);
      } else {
        const error: LineError = { line: batch.firstLine + i, error: household.error };
        badLines.push(batch.firstLine + i);
        json.appendText(`${JSON.stringify(error)}\n`);
      }
    }
    return { bytes: json.take(), badLines };
  }

  /** Takes back the bytes of an output once written (see {@link CachingJsonSerializer.recycle}). */
  recycle(bytes: Uint8Array): void {
    this.json.recycle(bytes);
  }
}
