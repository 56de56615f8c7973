import { integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Key/value facts about the stored knowledge index, e.g. the fingerprint of the corpus it was built from. */
export const kbMeta = sqliteTable("kb_meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

/** One plan document of the corpus with its provenance (number, date, issuer, area, period). */
export const kbDocuments = sqliteTable("kb_documents", {
  id: text("id").primaryKey(),
  title: text("title").notNull(),
  /** The document's metadata as validated at load, JSON. */
  metadata: text("metadata", { mode: "json" }).notNull(),
});

/**
 * One section of a document: its heading path and its text exactly as it stands in the document.
 * The full-text index (kb_sections_fts, created by a hand-written migration) holds the searchable tokens.
 */
export const kbSections = sqliteTable("kb_sections", {
  id: integer("id").primaryKey(),
  documentId: text("document_id")
    .notNull()
    .references(() => kbDocuments.id, { onDelete: "cascade" }),
  ordinal: integer("ordinal").notNull(),
  /** Heading path from the document's top, JSON array of strings. */
  path: text("path", { mode: "json" }).$type<string[]>().notNull(),
  text: text("text").notNull(),
  startOffset: integer("start_offset").notNull(),
  endOffset: integer("end_offset").notNull(),
  /** Number of index tokens in the section, for length normalisation. */
  length: real("length").notNull(),
});
