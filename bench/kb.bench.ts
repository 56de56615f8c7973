/**
 * Knowledge-base benchmark (`npm run bench -- kb`): query latency (p50/p95) over the evaluation questions,
 * index build time and peak memory, on the bundled corpus and on a synthetic corpus of 1,000 documents built
 * by recombining and perturbing the real sections; fuse.js over the same sections as the naive baseline, in
 * the same run, as a ratio. Temporary databases only; the real one is never touched.
 *
 * Goals: p95 < 5 ms bundled, < 25 ms at 1,000 documents, build of 1,000 documents < 30 s.
 * Bounded to a few minutes: fuse.js at 1,000 documents runs on a small sample of questions.
 */
import Fuse from "fuse.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildIndex } from "../src/knowledge/index-store.ts";
import { loadCorpus, type Corpus } from "../src/knowledge/load.ts";
import { openKnowledgeBase } from "../src/knowledge/open.ts";
import { stripMarkup } from "../src/knowledge/structure.ts";
import type { KnowledgeBase } from "../src/knowledge/types.ts";
import { openDatabase } from "../src/storage/database.ts";
import { foldDiacritics } from "../src/text/vietnamese.ts";
import { firstHit, loadQuestions } from "../test/kb/evaluation.ts";
import { sectionsOf, syntheticCorpus, type Section } from "./synthetic-corpus.ts";

const SYNTHETIC_DOCUMENTS = 1000;
const ROUNDS_BUNDLED = 5;
const ROUNDS_SYNTHETIC = 3;
const FUSE_SAMPLE_LARGE = 3;
const TODAY = () => "2026-11-22";

// === Measurement helpers

let peakRss = 0;
let peakHeap = 0;
function sampleMemory(): void {
  const usage = process.memoryUsage();
  peakRss = Math.max(peakRss, usage.rss);
  peakHeap = Math.max(peakHeap, usage.heapUsed);
}
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function time<T>(fn: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = fn();
  return { value, ms: performance.now() - started };
}

/**
 * Latency of each query as the median of `rounds` runs, so that a scheduler hiccup on the shared 2-core
 * machine does not count as the query's cost; percentiles are then taken across queries.
 */
function latencies(run: (query: string) => unknown, queries: readonly string[], rounds: number): number[] {
  const perQuery: number[] = [];
  for (const query of queries) {
    const times: number[] = [];
    for (let round = 0; round < rounds; round++) times.push(time(() => run(query)).ms);
    perQuery.push(percentile(times, 50));
    if (perQuery.length % 32 === 0) sampleMemory();
  }
  return perQuery;
}

// === Runs

interface Row {
  corpus: string;
  documents: number;
  sections: number;
  buildMs: number;
  openMs: number;
  kb: { p50: number; p95: number; n: number };
  /** The same questions asked again, answered from the cache of recent outcomes. */
  repeated: { p50: number; p95: number };
  fuse: { p50: number; p95: number; n: number };
  hit3?: { kb: number; fuse: number };
}

function fuseOver(sections: readonly Section[]): Fuse<{ text: string; section: Section }> {
  return new Fuse(
    sections.map((section) => ({ text: foldDiacritics(stripMarkup(section.text)), section })),
    { keys: ["text"], ignoreLocation: true, threshold: 0.4, includeScore: true },
  );
}

function measure(
  name: string,
  corpus: Corpus,
  queries: readonly string[],
  rounds: number,
  fuseQueries: readonly string[],
): { row: Row; kb: KnowledgeBase; fuse: Fuse<{ text: string; section: Section }>; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), `kb-bench-${name}-`));
  const databasePath = join(dir, "kb.db");
  const database = openDatabase(databasePath);
  const built = time(() => buildIndex(database, corpus));
  database.close();
  sampleMemory();
  // Without the cache of repeated questions: these figures are the index's own cost.
  const opened = time(() => openKnowledgeBase({ databasePath, corpus, today: TODAY, resultCacheSize: 0 }));
  const kb = opened.value;
  sampleMemory();
  for (const query of queries) kb.search(query); // warm-up: JIT, page cache, statement cache
  const kbTimes = latencies((query) => kb.search(query), queries, rounds);
  // A question asked again, as the app runs (default cache).
  const cachedKb = openKnowledgeBase({ databasePath, corpus, today: TODAY });
  for (const query of queries) cachedKb.search(query);
  const repeatTimes = latencies((query) => cachedKb.search(query), queries, rounds);
  cachedKb.close();
  const fuse = fuseOver(sectionsOf(corpus));
  sampleMemory();
  fuse.search(fuseQueries[0] ?? "ho ngheo");
  const fuseTimes = latencies((query) => fuse.search(foldDiacritics(query), { limit: 10 }), fuseQueries, 1);
  sampleMemory();
  return {
    row: {
      corpus: name,
      documents: corpus.documents.length,
      sections: built.value.sections,
      buildMs: built.ms,
      openMs: opened.ms,
      kb: { p50: percentile(kbTimes, 50), p95: percentile(kbTimes, 95), n: kbTimes.length },
      repeated: { p50: percentile(repeatTimes, 50), p95: percentile(repeatTimes, 95) },
      fuse: { p50: percentile(fuseTimes, 50), p95: percentile(fuseTimes, 95), n: fuseTimes.length },
    },
    kb,
    fuse,
    dir,
  };
}

function main(): void {
  const questions = loadQuestions();
  const queries = questions.flatMap((q) => [q.q, q.plain, q.typo]);
  const real = loadCorpus();
  const rows: Row[] = [];

  const bundled = measure("bundled", real, queries, ROUNDS_BUNDLED, queries);
  // Quality of both on the bundled corpus: hit@3 over all questions and forms.
  let kbHits = 0;
  let fuseHits = 0;
  for (const question of questions) {
    for (const query of [question.q, question.plain, question.typo]) {
      const outcome = bundled.kb.search(query, { limit: 3 });
      if (outcome.type !== "invalid" && firstHit(outcome.results, question.accept) !== null) kbHits++;
      const fuseTop = bundled.fuse.search(foldDiacritics(query), { limit: 3 }).map(({ item }) => ({
        documentId: item.section.documentId,
        text: item.section.text,
        title: "",
        sectionPath: item.section.path,
        excerpt: "",
        score: 0,
        citation: "",
        warnings: [],
      }));
      if (firstHit(fuseTop, question.accept) !== null) fuseHits++;
    }
  }
  rows.push({ ...bundled.row, hit3: { kb: kbHits / queries.length, fuse: fuseHits / queries.length } });
  bundled.kb.close();
  rmSync(bundled.dir, { recursive: true, force: true });

  const synthetic = syntheticCorpus(real, SYNTHETIC_DOCUMENTS);
  sampleMemory();
  const large = measure(
    `synthetic`,
    synthetic,
    queries,
    ROUNDS_SYNTHETIC,
    queries.filter((_, i) => i % Math.ceil(queries.length / FUSE_SAMPLE_LARGE) === 0),
  );
  rows.push(large.row);
  large.kb.close();
  rmSync(large.dir, { recursive: true, force: true });

  const f = (ms: number): string => (ms < 10 ? ms.toFixed(2) : ms.toFixed(0)).padStart(8);
  console.log("Knowledge base: FTS5/BM25 index vs fuse.js over the same sections (times in ms)\n");
  console.log(
    `${"corpus".padEnd(10)}${"docs".padStart(6)}${"sections".padStart(10)}${"build".padStart(9)}${"open".padStart(8)}${"kb p50".padStart(9)}${"kb p95".padStart(9)}${"fuse p50".padStart(10)}${"fuse p95".padStart(10)}  fuse/kb (p50)`,
  );
  for (const row of rows) {
    console.log(
      `${row.corpus.padEnd(10)}${String(row.documents).padStart(6)}${String(row.sections).padStart(10)}${f(row.buildMs).padStart(9)}${f(row.openMs)}${f(row.kb.p50).padStart(9)}${f(row.kb.p95).padStart(9)}${f(row.fuse.p50).padStart(10)}${f(row.fuse.p95).padStart(10)}  ${(row.fuse.p50 / row.kb.p50).toFixed(0)}×`,
    );
  }
  for (const row of rows) {
    console.log(
      `  ${row.corpus}: ${row.kb.n} kb queries (median of several runs each, cache of repeated questions off), ${row.fuse.n} fuse queries; ` +
        `asked again (from the cache): p50 ${row.repeated.p50.toFixed(3)} ms, p95 ${row.repeated.p95.toFixed(3)} ms`,
    );
  }
  const quality = rows[0]!.hit3!;
  console.log(
    `\nhit@3 on the bundled corpus, all ${queries.length} questions: kb ${(quality.kb * 100).toFixed(1)}%, fuse.js ${(quality.fuse * 100).toFixed(1)}%`,
  );
  const maxRss = process.resourceUsage().maxRSS * 1024;
  console.log(
    `Peak memory: RSS ${mb(Math.max(peakRss, maxRss))}, heap used ${mb(peakHeap)} (whole run, both corpora, fuse.js included)`,
  );
  const [small, big] = rows as [Row, Row];
  const goals = [
    [`p95 bundled ${small.kb.p95.toFixed(2)} ms < 5 ms`, small.kb.p95 < 5],
    [`p95 at ${big.documents} docs ${big.kb.p95.toFixed(2)} ms < 25 ms`, big.kb.p95 < 25],
    [`build ${big.documents} docs ${(big.buildMs / 1000).toFixed(1)} s < 30 s`, big.buildMs < 30_000],
  ] as const;
  console.log(`\nGoals: ${goals.map(([label, met]) => `${met ? "met" : "NOT MET"}: ${label}`).join("; ")}`);
}

main();
