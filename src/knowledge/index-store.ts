/**
 * The persistent search index in the application's SQLite file: documents, sections (exact text and heading
 * path) and the FTS5 table of their terms. Rebuilt only when the corpus fingerprint changes, so that start-up
 * stays fast.
 */
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import type { AppDatabase } from "../storage/database.ts";
import { kbDocuments, kbMeta, kbSections } from "../storage/schema/kb.ts";
import type { Corpus } from "./load.ts";
import { parseSections } from "./structure.ts";
import { sectionTerms } from "./terms.ts";

/**
 * Version of how documents become index rows (structure parser, term generation). Bump it when that code
 * changes in a way that changes the index: the fingerprint then differs and every database re-indexes.
 */
export const INDEX_FORMAT = "kb-index-3";

const FINGERPRINT_KEY = "corpus_fingerprint";

/** A digest of everything the index is built from: index format, each document's metadata and text. */
export function corpusFingerprint(corpus: Corpus): string {
  const hash = createHash("sha256").update(INDEX_FORMAT);
  for (const document of [...corpus.documents].sort((a, b) => a.metadata.id.localeCompare(b.metadata.id))) {
    hash.update("\u0000").update(JSON.stringify(document.metadata)).update("\u0000").update(document.text);
  }
  return hash.digest("hex");
}

/** The fingerprint of the corpus the stored index was built from, or null when there is none. */
export function indexedFingerprint(database: AppDatabase): string | null {
  const row = database.db.select().from(kbMeta).where(eq(kbMeta.key, FINGERPRINT_KEY)).get();
  return row?.value ?? null;
}

/** What a build did. */
export interface BuildReport {
  documents: number;
  sections: number;
}

const INSERT_BATCH = 200;

/**
 * Replaces the whole index with the given corpus, in one transaction: readers see the old index or the new
 * one, never half of each. Only sections with content are indexed; the closing part (distribution list,
 * signature) and heading-only lines are left out.
 */
export function buildIndex(
  database: AppDatabase,
  corpus: Corpus,
  fingerprint: string = corpusFingerprint(corpus),
): BuildReport {
  const { sqlite, db } = database;
  const insertTerms = sqlite.prepare(
    "INSERT INTO kb_sections_fts (rowid, folded, accented, heading) VALUES (?, ?, ?, ?)",
  );
  let sectionCount = 0;
  const rebuild = sqlite.transaction(() => {
    sqlite.exec("INSERT INTO kb_sections_fts (kb_sections_fts) VALUES ('delete-all')");
    db.delete(kbSections).run();
    db.delete(kbDocuments).run();
    let nextId = 1;
    for (const document of corpus.documents) {
      db.insert(kbDocuments)
        .values({ id: document.metadata.id, title: document.metadata.title, metadata: document.metadata })
        .run();
      const rows: (typeof kbSections.$inferInsert)[] = [];
      for (const section of parseSections(document.text)) {
        if (section.kind === "closing" || !section.hasContent) continue;
        const id = nextId++;
        const terms = sectionTerms(section.text, section.path);
        insertTerms.run(id, terms.folded, terms.accented, terms.heading);
        rows.push({
          id,
          documentId: document.metadata.id,
          ordinal: section.ordinal,
          path: section.path,
          text: section.text,
          startOffset: section.start,
          endOffset: section.end,
          length: terms.tokenCount,
        });
      }
      for (let i = 0; i < rows.length; i += INSERT_BATCH) {
        db.insert(kbSections)
          .values(rows.slice(i, i + INSERT_BATCH))
          .run();
      }
      sectionCount += rows.length;
    }
    // Inserting leaves the terms spread over many b-tree segments, and every query term is looked up in each
    // of them: merged into one, a search costs about a third less.
    sqlite.exec("INSERT INTO kb_sections_fts (kb_sections_fts) VALUES ('optimize')");
    db.insert(kbMeta)
      .values({ key: FINGERPRINT_KEY, value: fingerprint })
      .onConflictDoUpdate({ target: kbMeta.key, set: { value: fingerprint } })
      .run();
  });
  rebuild.immediate();
  return { documents: corpus.documents.length, sections: sectionCount };
}

/**
 * Makes sure the stored index matches the corpus: rebuilds it when the fingerprint differs (new, changed or
 * removed document, new index format), does nothing otherwise.
 */
export function ensureIndex(
  database: AppDatabase,
  corpus: Corpus,
): { rebuilt: boolean; report?: BuildReport } {
  const fingerprint = corpusFingerprint(corpus);
  if (indexedFingerprint(database) === fingerprint) return { rebuilt: false };
  const report = buildIndex(database, corpus, fingerprint);
  return { rebuilt: true, report };
}
