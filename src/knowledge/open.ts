/**
 * Opening the knowledge base: the composition of loading (files), indexing (SQLite) and searching.
 */
import { DEFAULT_DATABASE_PATH, openDatabase, type AppDatabase } from "../storage/database.ts";
import { buildIndex, corpusFingerprint, ensureIndex, type BuildReport } from "./index-store.ts";
import { DEFAULT_KNOWLEDGE_DIR, loadAreaChanges, loadCorpus, loadLexiconData, type Corpus } from "./load.ts";
import { compileLexicon } from "./query.ts";
import { createSearch, RESULT_CACHE_SIZE } from "./search.ts";
import type { KnowledgeBase, SearchOptions, SearchOutcome } from "./types.ts";
import { createAnswerer, type Answerer } from "../answers/answerer.ts";
import { loadAnswerKnowledge } from "../answers/load.ts";
import { decide } from "../domain/eligibility.ts";
import type { PolicyKnowledge } from "../domain/policy.ts";
import { indicatorsOn } from "../answers/quick-household.ts";
import { loadPolicyKnowledge } from "./policy-load.ts";

/** Where the knowledge base comes from. Every field is optional. */
export interface OpenKnowledgeBaseOptions {
  /** SQLite file; default: env DATABASE_PATH, else ./data/hoichinhsach.db. Ignored when `database` is given. */
  databasePath?: string;
  /** An already open database (the chat keeps its sessions in the same file); it stays open on close(). */
  database?: AppDatabase;
  /** The knowledge/ folder; default: the one of this checkout. */
  knowledgeDir?: string;
  /** Index this corpus instead of knowledge/plans (benchmarks, tests). */
  corpus?: Corpus;
  /** Today's date as ISO YYYY-MM-DD, for the "period is over" warnings; default: the date in Vietnam. */
  today?: () => string;
  /** Search outcomes kept for repeated questions (default {@link RESULT_CACHE_SIZE}); 0: none (benchmarks). */
  resultCacheSize?: number;
  /** The policy data already loaded (the conversation has it); default: loaded from `knowledgeDir`. */
  policy?: PolicyKnowledge;
  /** Direct answers above the passages (default true). */
  answers?: boolean;
}

/**
 * The direct answers over the policy data: figures, rules and steps stated for the date asked, and a
 * household's own figures decided by the scorer.
 */
export function openAnswerer(
  policy: PolicyKnowledge,
  knowledgeDir: string = DEFAULT_KNOWLEDGE_DIR,
): Answerer {
  return createAnswerer(policy, loadAnswerKnowledge(policy, knowledgeDir), loadLexiconData(knowledgeDir), {
    policy,
    decide: (household) => decide(household, policy, { today: household.assessedOn ?? "" }),
    indicators: (date) => indicatorsOn(policy, date),
  });
}

/** A search with the direct answer put beside its passages (a fallback pointer only when no passage answers). */
function withAnswers(
  search: (query: string, options?: SearchOptions) => SearchOutcome,
  answerer: Answerer,
  today: () => string,
): (query: string, options?: SearchOptions) => SearchOutcome {
  return (query, options) => {
    const outcome = search(query, options);
    if (outcome.type === "invalid") return outcome;
    const answer = answerer.answer(query, options?.onDate ?? today(), {
      fallbacks: outcome.type === "no_match",
    });
    return answer ? { ...outcome, answer } : outcome;
  };
}

// Building a formatter for a time zone costs far more than using one, and this runs on every search.
const VIETNAM_DATE = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh" });

/** Today's date in Vietnam (UTC+7), ISO YYYY-MM-DD. */
export function todayInVietnam(): string {
  return VIETNAM_DATE.format(new Date());
}

function databaseFrom(options: OpenKnowledgeBaseOptions): { database: AppDatabase; owned: boolean } {
  if (options.database) return { database: options.database, owned: false };
  const path = options.databasePath ?? process.env.DATABASE_PATH ?? DEFAULT_DATABASE_PATH;
  return { database: openDatabase(path), owned: true };
}

/**
 * Opens the index in the SQLite file, rebuilding it first when the corpus changed (its fingerprint differs),
 * and returns a ready search. Data files are validated here: a broken one throws DataFileError.
 *
 * ```ts
 * const kb = openKnowledgeBase();
 * const outcome = kb.search("ho can ngheo co dc ho tro BHYT k");
 * kb.close();
 * ```
 */
export function openKnowledgeBase(options: OpenKnowledgeBaseOptions = {}): KnowledgeBase {
  const knowledgeDir = options.knowledgeDir ?? DEFAULT_KNOWLEDGE_DIR;
  const lexicon = compileLexicon(loadLexiconData(knowledgeDir));
  const areas = loadAreaChanges(knowledgeDir);
  const corpus = options.corpus ?? loadCorpus(knowledgeDir);
  const { database, owned } = databaseFrom(options);
  try {
    ensureIndex(database, corpus);
    const search = createSearch(database, {
      lexicon,
      areas,
      today: options.today ?? todayInVietnam,
      resultCacheSize: options.resultCacheSize ?? RESULT_CACHE_SIZE,
    });
    const answerer =
      options.answers === false
        ? undefined
        : openAnswerer(options.policy ?? loadPolicyKnowledge(knowledgeDir), knowledgeDir);
    return {
      search: answerer
        ? withAnswers(search.search, answerer, options.today ?? todayInVietnam)
        : search.search,
      close: () => {
        search.close();
        if (owned) database.close();
      },
    };
  } catch (error) {
    if (owned) database.close();
    throw error;
  }
}

/**
 * Rebuilds the index unconditionally (the `hoichinhsach index` command), after validating the data files.
 */
export function rebuildKnowledgeIndex(
  options: Omit<OpenKnowledgeBaseOptions, "today"> = {},
): BuildReport & { fingerprint: string } {
  const knowledgeDir = options.knowledgeDir ?? DEFAULT_KNOWLEDGE_DIR;
  loadLexiconData(knowledgeDir);
  loadAreaChanges(knowledgeDir);
  const corpus = options.corpus ?? loadCorpus(knowledgeDir);
  const { database, owned } = databaseFrom(options);
  try {
    const fingerprint = corpusFingerprint(corpus);
    return { ...buildIndex(database, corpus, fingerprint), fingerprint };
  } finally {
    if (owned) database.close();
  }
}
