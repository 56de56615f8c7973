/**
 * The per-row work of screening, shared by the thread reading the file and the worker threads: a batch of
 * rows in, their result rows (or their CSV text), the problems, the counts and the newly cited legal bases
 * out, in order. Pure apart from the CPU it uses.
 */
import { stringify } from "csv-stringify/sync";
import { decide } from "../domain/eligibility.ts";
import type { PolicyKnowledge } from "../domain/policy.ts";
import type { HeaderMap } from "./columns.ts";
import {
  ReferenceCollector,
  decidedRow,
  resultLayout,
  unreadableRow,
  type CitedReference,
  type ResultCell,
  type ResultLayout,
} from "./result.ts";
import { RowReader, type CellProblem, type CellValue } from "./row.ts";

/** Consecutive rows of the list: each with its row number in the file. */
export interface RowBatch {
  rows: { row: number; cells: CellValue[] }[];
}

/** A row that could not be read: its number in the file, and the problems (column and reason). */
export interface RowProblem extends CellProblem {
  row: number;
}

/** What a batch gives. */
export interface BatchResult {
  /** The result rows, unless CSV text was asked for. */
  rows: ResultCell[][] | null;
  /** The result rows as CSV lines, when asked for. */
  csv: string | null;
  problems: RowProblem[];
  decided: number;
  unreadable: number;
  /** Households per category ("poor", ..., "unknown"). */
  categories: Record<string, number>;
  /** Households per programme found eligible. */
  eligible: Record<string, number>;
  references: [string, CitedReference][];
}

/** How the rows of a list are read and decided: the same for every thread. */
export interface BatchSetup {
  /** The header: for each known column its position, and the headings as written. */
  positions: [string, number][];
  headings: string[];
  /** The kept columns present (id, head of household), in the result's order. */
  kept: string[];
  today: string;
  /** Give each batch's rows as CSV text (the thread writing a CSV then only joins them). */
  csv: boolean;
}

/** Decides batches of rows; one per thread (it remembers the cells read and the references cited). */
export class BatchScreener {
  private readonly reader: RowReader;
  private readonly layout: ResultLayout;
  private readonly references = new ReferenceCollector();
  private readonly policy: PolicyKnowledge;
  private readonly setup: BatchSetup;

  constructor(policy: PolicyKnowledge, setup: BatchSetup) {
    this.policy = policy;
    this.setup = setup;
    const header: HeaderMap = {
      positions: new Map(setup.positions),
      unknown: [],
      duplicates: [],
      missing: [],
    };
    this.reader = new RowReader(header, setup.headings, { policy, today: setup.today });
    this.layout = resultLayout(policy, setup.kept);
  }

  run(batch: RowBatch): BatchResult {
    const rows: ResultCell[][] = [];
    const problems: RowProblem[] = [];
    const categories: Record<string, number> = {};
    const eligible: Record<string, number> = {};
    let decided = 0;
    for (const { row, cells } of batch.rows) {
      const read = this.reader.read(cells);
      if (!read.ok) {
        rows.push(unreadableRow(this.layout, row, read.kept, read.problems));
        for (const problem of read.problems) problems.push({ row, ...problem });
        continue;
      }
      const decision = decide(read.household, this.policy, { today: this.setup.today });
      decided++;
      const category = decision.classification.category;
      categories[category] = (categories[category] ?? 0) + 1;
      for (const program of decision.programs)
        if (program.status === "eligible") eligible[program.id] = (eligible[program.id] ?? 0) + 1;
      this.references.add(decision);
      rows.push(decidedRow(this.layout, row, read.kept, decision, read.notes));
    }
    const csv = this.setup.csv ? (rows.length > 0 ? stringify(rows) : "") : null;
    return {
      rows: this.setup.csv ? null : rows,
      csv,
      problems,
      decided,
      unreadable: batch.rows.length - decided,
      categories,
      eligible,
      references: this.references.takeFresh(),
    };
  }
}
