-- Full-text index over kb_sections (rowid = kb_sections.id). Tokens are prepared in TypeScript
-- (src/knowledge/terms.ts): syllables and two-syllable words joined with "_", so the tokenizer only splits on
-- spaces and keeps "_" inside a token.
--   folded:   unaccented terms, so "ho can ngheo" finds "hộ cận nghèo";
--   accented: canonical accented terms, so a query typed with diacritics ranks exact-accent matches higher;
--   heading:  unaccented terms of the section's heading path.
CREATE VIRTUAL TABLE `kb_sections_fts` USING fts5(
  folded, accented, heading,
  content = '', contentless_delete = 1,
  tokenize = "unicode61 remove_diacritics 0 tokenchars '_'"
);
--> statement-breakpoint
-- Per-column document frequencies of the index terms, read at start-up for typo correction and term weights.
CREATE VIRTUAL TABLE `kb_sections_vocab` USING fts5vocab(kb_sections_fts, 'col');
