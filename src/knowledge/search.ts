/**
 * Searching the stored index. Everything a query needs is prepared once when the search is created: SQL
 * statements, the vocabulary with document frequencies (for typo correction and term weights), the
 * documents' metadata and place names. A query then costs one FTS5 lookup, a few row reads and some
 * arithmetic.
 *
 * Ranking: FTS5's BM25 over three columns (folded terms, accented terms, heading path), where terms are
 * syllables and two-syllable words, so a phrase that matches as written outranks scattered syllables and a
 * question typed with diacritics gets extra weight for exact-accent matches ("hồ" ≠ "hộ"). The best
 * candidates are then re-weighted by two general signals: whether the question names the plan's area
 * ("… ở Thái Bình"), and how much of the question's subject the section covers.
 */
import { createHash } from "node:crypto";
import type { AppDatabase } from "../storage/database.ts";
import { kbDocuments } from "../storage/schema/kb.ts";
import { citationFor, documentPlaces, placeKey, warningsFor } from "./citation.ts";
import type { AreaChanges, PlanMetadata } from "./load.ts";
import { analyzeQuery, SpellIndex, type AnalyzedQuery, type Lexicon, type Vocabulary } from "./query.ts";
import { logicalParagraphs, splitSentences, stripMarkup } from "./structure.ts";
import { BIGRAM_JOINER, headingTitle, tokens } from "./terms.ts";
import type { KnowledgeBase, SearchOptions, SearchOutcome, SearchResult } from "./types.ts";

/** Longest question accepted, in characters: longer pastes get a clear "too long" reply. */
export const MAX_QUERY_LENGTH = 1000;

/** Plain Vietnamese replies for the outcomes that are not results. */
export const SEARCH_MESSAGES = {
  empty:
    "Bạn chưa nhập câu hỏi. Hãy gõ điều muốn hỏi, ví dụ: hộ cận nghèo có được hỗ trợ bảo hiểm y tế không?",
  tooLong: (length: number): string =>
    `Câu hỏi dài quá (${length.toLocaleString("vi-VN")} ký tự). Hãy hỏi ngắn gọn, dưới ${MAX_QUERY_LENGTH.toLocaleString("vi-VN")} ký tự, mỗi lần một ý.`,
  noWords:
    "Câu hỏi chưa có chữ nào để tra cứu. Hãy gõ câu hỏi bằng chữ, ví dụ: hộ nghèo có được vay vốn ưu đãi không?",
  noSubject:
    "Câu hỏi chưa nói rõ muốn tra cứu điều gì. Hãy thêm nội dung, ví dụ: vay vốn, bảo hiểm y tế, học phí, nhà ở.",
  noMatch:
    "Chưa tìm thấy đoạn nào trong các kế hoạch trả lời đúng câu hỏi này. Bạn thử hỏi lại bằng từ khác, ngắn gọn hơn " +
    '(ví dụ: "hộ cận nghèo được hỗ trợ bảo hiểm y tế"), hoặc gõ /kiemtra để kiểm tra hộ mình có đủ điều kiện hưởng chính sách không.',
  noDocument: "Không có kế hoạch nào khớp với phạm vi đã chọn (văn bản, tỉnh hoặc năm).",
} as const;

/** Tuning of the ranking. General mechanisms only; see test/kb/eval.test.ts for the figures they give. */
export const RANKING = {
  /** BM25 weight of each FTS column: folded text, accented text, heading path. */
  columnWeights: [1, 0.6, 0.5] as const,
  /** Candidates read from FTS5 before re-weighting. */
  candidates: 24,
  /**
   * Work budget of one FTS5 lookup, in postings (sum of the document frequencies of the terms used): terms
   * are taken rarest first until the budget is spent. Scoring every section that contains a common term
   * ("hộ", "nghèo", "hộ_nghèo") is what makes a query slow on a large corpus, and BM25 gives such a term
   * little weight anyway; it still counts in the coverage re-weighting. On a small corpus every term fits.
   */
  postingBudget: 3_000,
  /** Keep at least this many folded terms, the rarest, whatever the budget. */
  minTerms: 2,
  /**
   * At most this many folded and accented terms in one FTS5 query, the rarest kept: each phrase has a fixed
   * cost in FTS5 (BM25 loops over every phrase for every matching row), and the rarest terms carry most of
   * the BM25 weight: 16 instead of 24 cuts a search by about a quarter with the same evaluation figures.
   */
  maxTerms: 16,
  maxAccentedTerms: 12,
  /** Score factor for a plan whose area the question names. */
  areaBoost: 1.5,
  /** Score factor = coverageFloor + (1 - coverageFloor) × coverage of the question's subject words. */
  coverageFloor: 0.4,
  /**
   * The best passage answers the question when it covers this share of the subject, weighted by rarity…
   * ("giá vàng hôm nay": only "giá" and "nay" are found, and they are common: no match) …
   */
  minCoverage: 0.5,
  /**
   * … or, failing that and when every subject word is known to the plans, this share of the subject words
   * counted plainly, with a lower weighted share ("lắp đồng hồ nước": "lắp" is absent but the rest is there).
   */
  minWordCoverage: 0.75,
  minCoverageWithWords: 0.3,
} as const;

/** What a search needs besides the database. */
export interface SearchDependencies {
  lexicon: Lexicon;
  areas: AreaChanges;
  /** Today's date, ISO YYYY-MM-DD, used when a search does not say which date it answers for. */
  today: () => string;
  /** Outcomes kept for questions asked again (see {@link RESULT_CACHE_SIZE}); 0 turns the cache off. */
  resultCacheSize?: number;
}

interface DocumentInfo {
  metadata: PlanMetadata;
  /** Folded place names that, named in a question, point at this plan ("thai binh", "hung yen"). */
  places: string[];
  /** Folded syllables of those names, which a section need not repeat to cover the question. */
  placeWords: Set<string>;
}

interface SectionRow {
  id: number;
  documentId: string;
  path: string;
  text: string;
}

interface Candidate {
  id: number;
  documentId: string;
  score: number;
}

const DEFAULT_LIMIT = 5;
const MAX_LIMIT = 20;
const SECTION_CACHE_LIMIT = 4096;
/**
 * Default number of search outcomes kept, least recently asked dropped first. Residents ask the same few
 * things ("vay vốn hộ nghèo", "bảo hiểm y tế hộ cận nghèo") and staff look the same passage up many times a
 * day; the index does not change while a search is open, so an outcome only depends on the question, the
 * options and the date. About 10 KB each.
 */
export const RESULT_CACHE_SIZE = 1024;

function quote(term: string): string {
  return `"${term}"`;
}

/**
 * Creates the search over an open database whose index has been built. The caller keeps ownership of the
 * database; `close()` only drops this search's caches.
 */
export function createSearch(database: AppDatabase, deps: SearchDependencies): KnowledgeBase {
  const { sqlite, db } = database;
  const [wFolded, wAccented, wHeading] = RANKING.columnWeights;
  // "ORDER BY rank" with the rank function set in the query lets FTS5 keep only the best rows as it scores
  // them; ordering by a bm25() expression (or joining first) scores and sorts every matching row.
  const rankFunction = `bm25(${wFolded}, ${wAccented}, ${wHeading})`;
  const candidatesAll = sqlite.prepare(
    `SELECT rowid AS id, rank FROM kb_sections_fts
      WHERE kb_sections_fts MATCH ? AND rank MATCH '${rankFunction}' ORDER BY rank LIMIT ?`,
  );
  const candidatesIn = sqlite.prepare(
    `SELECT f.rowid AS id, f.rank AS rank
       FROM kb_sections_fts f JOIN kb_sections s ON s.id = f.rowid
      WHERE kb_sections_fts MATCH ? AND f.rank MATCH '${rankFunction}'
        AND s.document_id IN (SELECT value FROM json_each(?))
      ORDER BY f.rank LIMIT ?`,
  );
  const sectionById = sqlite.prepare(
    "SELECT id, document_id AS documentId, path, text FROM kb_sections WHERE id = ?",
  );

  const documents = new Map<string, DocumentInfo>();
  for (const row of db.select().from(kbDocuments).all()) {
    const metadata = row.metadata as PlanMetadata;
    const places = documentPlaces(metadata, deps.areas);
    const placeWords = new Set(places.flatMap((place) => place.split(" ")));
    documents.set(row.id, { metadata, places, placeWords });
  }

  const foldedDf = new Map<string, number>();
  const accentedDf = new Map<string, number>();
  const vocabularyRows = sqlite
    .prepare("SELECT term, col, doc FROM kb_sections_vocab WHERE col IN ('folded', 'accented')")
    .raw()
    .all() as [string, string, number][];
  for (const [term, column, df] of vocabularyRows)
    (column === "folded" ? foldedDf : accentedDf).set(term, df);
  const sectionCount = (sqlite.prepare("SELECT count(*) FROM kb_sections").pluck().get() as number) || 0;
  const spell = new SpellIndex(
    [...foldedDf.keys()].filter((term) => !term.includes(BIGRAM_JOINER) && /^[a-z]+$/.test(term)),
  );
  const vocabulary: Vocabulary = {
    df: (term) => foldedDf.get(term) ?? 0,
    near: (word, maxDistance) => spell.near(word, maxDistance),
    sectionCount,
  };
  const idf = (term: string): number => {
    const df = foldedDf.get(term) ?? 0;
    return Math.log(1 + (sectionCount - df + 0.5) / (df + 0.5));
  };

  interface CachedSection {
    row: SectionRow;
    path: string[];
    words: Set<string>;
    /** Sentences with their folded tokens, computed when an excerpt is first needed. */
    sentences?: { sentence: string; paragraph: number; folded: string[] }[];
  }
  const sectionCache = new Map<number, CachedSection>();
  const loadSection = (id: number): CachedSection | null => {
    const cached = sectionCache.get(id);
    if (cached) return cached;
    const row = sectionById.get(id) as SectionRow | undefined;
    if (!row) return null;
    const path = JSON.parse(row.path) as string[];
    const words = new Set<string>();
    for (const token of tokens(row.text)) words.add(token.folded);
    for (const label of path) for (const token of tokens(headingTitle(label))) words.add(token.folded);
    if (sectionCache.size >= SECTION_CACHE_LIMIT) sectionCache.clear();
    const entry: CachedSection = { row, path, words };
    sectionCache.set(id, entry);
    return entry;
  };
  const sentencesOf = (section: CachedSection): NonNullable<CachedSection["sentences"]> => {
    section.sentences ??= logicalParagraphs(section.row.text).flatMap((paragraph, index) =>
      splitSentences(paragraph).map((sentence) => ({
        sentence,
        paragraph: index,
        folded: tokens(sentence).map((token) => token.folded),
      })),
    );
    return section.sentences;
  };

  /** Share of the question's subject words found in a section: weighted by rarity, and counted plainly. */
  const coverage = (
    query: AnalyzedQuery,
    words: Set<string>,
    document: DocumentInfo | undefined,
  ): { weighted: number; words: number; unknown: boolean } => {
    let total = 0;
    let covered = 0;
    let count = 0;
    let unknown = false;
    for (const content of query.contentWords) {
      // A word the plans never use weighs as much as the rarest one: it is likely the question's subject.
      const weight = idf(content.word) * content.weight;
      if (vocabulary.df(content.word) === 0 && !/^\d+$/.test(content.word)) unknown = true;
      total += weight;
      const present =
        words.has(content.word) ||
        document?.placeWords.has(content.word) === true ||
        content.equivalents.some((equivalent) => equivalent.every((word) => words.has(word)));
      if (present) {
        covered += weight;
        count++;
      }
    }
    const n = query.contentWords.length;
    return { weighted: total > 0 ? covered / total : 0, words: n > 0 ? count / n : 0, unknown };
  };
  const answers = (covered: { weighted: number; words: number; unknown: boolean }): boolean =>
    covered.weighted >= RANKING.minCoverage ||
    (!covered.unknown &&
      covered.words >= RANKING.minWordCoverage &&
      covered.weighted >= RANKING.minCoverageWithWords);

  const matchExpression = (query: AnalyzedQuery): string | null => {
    const candidates = [
      ...query.foldedTerms.map((term) => ({ term, df: vocabulary.df(term), accented: false })),
      ...query.accentedTerms.map((term) => ({ term, df: accentedDf.get(term) ?? 0, accented: true })),
    ]
      .filter((candidate) => candidate.df > 0)
      .sort((a, b) => a.df - b.df);
    const folded: string[] = [];
    const accented: string[] = [];
    let spent = 0;
    for (const candidate of candidates) {
      const affordable = spent + candidate.df <= RANKING.postingBudget;
      if (!affordable && (candidate.accented || folded.length >= RANKING.minTerms)) continue;
      const list = candidate.accented ? accented : folded;
      if (list.length >= (candidate.accented ? RANKING.maxAccentedTerms : RANKING.maxTerms)) continue;
      list.push(candidate.term);
      spent += candidate.df;
    }
    const parts: string[] = [];
    if (folded.length > 0) parts.push(`{folded heading} : (${folded.map(quote).join(" OR ")})`);
    if (accented.length > 0) parts.push(`{accented} : (${accented.map(quote).join(" OR ")})`);
    return parts.length > 0 ? parts.join(" OR ") : null;
  };

  const excerptOf = (section: CachedSection, query: AnalyzedQuery): string => {
    const wanted = new Map(query.contentWords.map((content) => [content.word, idf(content.word)]));
    const pairs = new Set(query.foldedTerms.filter((term) => term.includes(BIGRAM_JOINER)));
    const sentences = sentencesOf(section);
    let best = -1;
    let bestScore = 0;
    sentences.forEach(({ folded }, index) => {
      const seen = new Set<string>();
      let score = 0;
      folded.forEach((word, i) => {
        if (!seen.has(word)) score += wanted.get(word) ?? 0;
        seen.add(word);
        const previous = folded[i - 1];
        if (previous !== undefined && pairs.has(`${previous}${BIGRAM_JOINER}${word}`)) score += 1;
      });
      if (score > bestScore) {
        bestScore = score;
        best = index;
      }
    });
    if (best < 0) best = sentences.length > 1 ? 1 : 0;
    const chosen = sentences[best];
    if (!chosen) return stripMarkup(section.row.text).slice(0, 300);
    let excerpt = chosen.sentence;
    const next = sentences[best + 1];
    if (excerpt.length < 80 && next && next.paragraph === chosen.paragraph)
      excerpt = `${excerpt} ${next.sentence}`;
    if (excerpt.length > 500) excerpt = `${excerpt.slice(0, excerpt.lastIndexOf(" ", 490))} …`;
    return excerpt;
  };

  // A plan's cautions depend only on the plan and the date, and every result carries them: worked out once
  // per plan and day (the bound only matters for searches asked for many different dates).
  const warningCache = new Map<string, string[]>();
  const warningsOn = (document: DocumentInfo, onDate: string): string[] => {
    const key = `${document.metadata.id}\u0000${onDate}`;
    let warnings = warningCache.get(key);
    if (!warnings) {
      warnings = warningsFor(document.metadata, deps.areas, onDate);
      if (warningCache.size >= SECTION_CACHE_LIMIT) warningCache.clear();
      warningCache.set(key, warnings);
    }
    return [...warnings];
  };

  const allowedDocuments = (options: SearchOptions): string[] | null => {
    if (!options.documentId && !options.province && options.year === undefined) return null;
    const province = options.province ? placeKey(options.province) : null;
    return [...documents.values()]
      .filter(({ metadata, places }) => {
        if (options.documentId && metadata.id !== options.documentId) return false;
        if (province && !places.includes(province)) return false;
        if (
          options.year !== undefined &&
          (options.year < metadata.period.from || options.year > metadata.period.to)
        ) {
          return false;
        }
        return true;
      })
      .map(({ metadata }) => metadata.id);
  };

  const answerDate = (options: SearchOptions): string =>
    options.onDate && /^\d{4}-\d{2}-\d{2}$/.test(options.onDate) ? options.onDate : deps.today();

  const searchIndex = (question: string, options: SearchOptions, onDate: string): SearchOutcome => {
    const query = typeof question === "string" ? question : "";
    const shownQuery = query.length > 200 ? `${query.slice(0, 200)}…` : query;
    const cleaned = query.replace(/\p{Cc}/gu, " ");
    if (!cleaned.trim()) return { type: "invalid", query: shownQuery, message: SEARCH_MESSAGES.empty };
    if (cleaned.length > MAX_QUERY_LENGTH) {
      return { type: "invalid", query: shownQuery, message: SEARCH_MESSAGES.tooLong(cleaned.length) };
    }
    const analyzed = analyzeQuery(cleaned, deps.lexicon, vocabulary);
    if (!analyzed) return { type: "invalid", query, message: SEARCH_MESSAGES.noWords };
    if (analyzed.contentWords.length === 0) {
      return { type: "no_match", query, message: SEARCH_MESSAGES.noSubject, results: [] };
    }
    const allowed = allowedDocuments(options);
    if (allowed && allowed.length === 0) {
      return { type: "no_match", query, message: SEARCH_MESSAGES.noDocument, results: [] };
    }
    const match = matchExpression(analyzed);
    if (!match) return { type: "no_match", query, message: SEARCH_MESSAGES.noMatch, results: [] };

    const rows = (
      allowed
        ? candidatesIn.all(match, JSON.stringify(allowed), RANKING.candidates)
        : candidatesAll.all(match, RANKING.candidates)
    ) as { id: number; rank: number }[];

    const questionText = ` ${analyzed.runs.flatMap((run) => run.map((token) => token.folded)).join(" ")} `;
    const named = new Set(
      [...documents.values()]
        .filter(({ places }) => places.some((place) => questionText.includes(` ${place} `)))
        .map(({ metadata }) => metadata.id),
    );
    const scored: (Candidate & { answers: boolean })[] = [];
    for (const row of rows) {
      const section = loadSection(row.id);
      if (!section) continue;
      const documentId = section.row.documentId;
      const covered = coverage(analyzed, section.words, documents.get(documentId));
      const area = named.has(documentId) ? RANKING.areaBoost : 1;
      const score =
        -row.rank * area * (RANKING.coverageFloor + (1 - RANKING.coverageFloor) * covered.weighted);
      scored.push({ id: row.id, documentId, score, answers: answers(covered) });
    }
    scored.sort((a, b) => b.score - a.score);

    const wanted = Number.isFinite(options.limit) ? Math.floor(options.limit!) : DEFAULT_LIMIT;
    const limit = Math.min(Math.max(1, wanted), MAX_LIMIT);
    const results: SearchResult[] = [];
    for (const candidate of scored.slice(0, limit)) {
      const section = loadSection(candidate.id);
      const document = documents.get(candidate.documentId);
      if (!section || !document) continue;
      const path = section.path;
      results.push({
        documentId: candidate.documentId,
        title: document.metadata.title,
        sectionPath: [...path],
        text: section.row.text,
        excerpt: excerptOf(section, analyzed),
        score: Math.round(candidate.score * 1000) / 1000,
        citation: citationFor(document.metadata, path),
        warnings: warningsOn(document, onDate),
      });
    }
    const best = scored[0];
    if (!best || !best.answers) {
      return { type: "no_match", query, message: SEARCH_MESSAGES.noMatch, results: results.slice(0, 3) };
    }
    return { type: "results", query, results };
  };

  const cacheSize = deps.resultCacheSize ?? RESULT_CACHE_SIZE;
  /**
   * By a digest of the question and options, without the question: a question may carry personal details
   * ("nhà tôi 4 người, thu nhập 3tr5"), and the cache is not the place to keep them.
   */
  const outcomeCache = new Map<string, Found>();
  const search = (question: string, options: SearchOptions = {}): SearchOutcome => {
    const onDate = answerDate(options);
    if (cacheSize <= 0 || typeof question !== "string") return searchIndex(question, options, onDate);
    const { limit, documentId, province, year } = options;
    const key = createHash("sha256")
      .update(`${onDate}\u0000${limit}\u0000${documentId}\u0000${province}\u0000${year}\u0000${question}`)
      .digest("base64");
    let found = outcomeCache.get(key);
    if (found) {
      outcomeCache.delete(key); // most recently asked last
    } else {
      const outcome = searchIndex(question, options, onDate);
      if (outcome.type === "invalid") return outcome; // found before the index is read: nothing to save
      found = {
        type: outcome.type,
        message: outcome.type === "no_match" ? outcome.message : undefined,
        results: outcome.results,
      };
      if (outcomeCache.size >= cacheSize) outcomeCache.delete(outcomeCache.keys().next().value!);
    }
    outcomeCache.set(key, found);
    return outcomeOf(found, question);
  };

  return {
    search,
    close: () => {
      sectionCache.clear();
      warningCache.clear();
      outcomeCache.clear();
    },
  };
}

/** A search outcome as the cache keeps it: without the question. */
interface Found {
  type: "results" | "no_match";
  message: string | undefined;
  results: SearchResult[];
}

/** The outcome for `query`, in a copy the caller may change without changing what the cache keeps. */
function outcomeOf(found: Found, query: string): SearchOutcome {
  const results = found.results.map((result) => ({
    ...result,
    sectionPath: [...result.sectionPath],
    warnings: [...result.warnings],
  }));
  return found.type === "results"
    ? { type: "results", query, results }
    : { type: "no_match", query, message: found.message!, results };
}
