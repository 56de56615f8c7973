/**
 * The ports of the conversation core: the small structural types it needs from the knowledge base
 * (src/knowledge) and the eligibility scorer (src/domain). They are deliberately narrower than the real types, so that the real `SearchOutcome`, `Decision` and
 * `HouseholdInput` are assignable to them without casts; the adapters that plug the real modules in are
 * in `src/composition.ts`. Nothing here does I/O.
 */

import {
  HOUSEHOLD_FIELDS,
  HOUSEHOLD_FLAGS,
  PERSON_FIELDS,
  type HouseholdField,
  type PersonField,
} from "../domain/facts.ts";
import type { MaybePromise } from "../shared/maybe-promise.ts";
import type { Result } from "../shared/result.ts";

// === Household facts (the scorer's HouseholdInput field names)

/**
 * Household facts a flow step may collect, by their `HouseholdInput` field name (the scorer's own list). A
 * flow file naming a fact outside this list fails at start-up with a "did you mean" suggestion.
 */
export const HOUSEHOLD_FACTS = HOUSEHOLD_FIELDS;

/** One of {@link HOUSEHOLD_FACTS}. */
export type HouseholdFact = HouseholdField;

/** The household facts that are yes/no flags (a multi-choice with `set: each_option` writes them). */
export const HOUSEHOLD_FLAG_FACTS = HOUSEHOLD_FLAGS;

/** Fields of one person in `HouseholdInput.persons` that a flow step may set. */
export const PERSON_FACTS = PERSON_FIELDS;

/** One of {@link PERSON_FACTS}. */
export type PersonFact = PersonField;

/**
 * What the interview has gathered, in the scorer's input shape (a plain object, validated by the scorer's
 * own `parseHousehold` before `decide`). Only answered facts are present.
 */
export type HouseholdDraft = Record<string, unknown>;

// === Eligibility scorer (src/domain)

/** A fact the scorer still needs (contract: `MissingFact`). */
export interface MissingFactLike {
  fact: string;
  reason?: string;
}

/** A legal reference of a decision (contract: instrument, article/clause, date, url). */
export interface ReferenceLike {
  instrument?: string;
  title?: string;
  article?: string;
  clause?: string;
  date?: string;
  url?: string;
}

/**
 * How the result message shows a programme, from the policy data (the scorer's adapter adds it): its short
 * title, whom to ask when something is not confirmed, what it gives in one line (for a programme the
 * household may get), and the opening words of the reasons that state the same figures (left out when the
 * line is shown).
 */
export interface ProgrammeDisplay {
  title: string;
  confirmWith: string | null;
  benefit: string | undefined;
  figurePrefixes: readonly string[];
}

/** Per-programme outcome (contract: `ProgramDecision`), as far as the result message reads it. */
export interface ProgramDecisionLike {
  id: string;
  title?: string;
  status: "eligible" | "possible" | "not_eligible" | "needs_info";
  reasons: readonly string[];
  references: readonly ReferenceLike[];
  confirmed: boolean;
  nextSteps?: readonly string[];
  display?: ProgrammeDisplay;
}

/** The scorer's decision (contract: `Decision`), as far as the conversation reads it. */
export interface DecisionLike {
  standard?: { id: string; from?: string; to?: string | null } | null;
  classification: {
    category: "poor" | "near_poor" | "average_living" | "none" | "unknown";
    basis: "listed" | "estimated";
    incomePerPerson?: number | null;
    incomeLine?: number | null;
    deprivationCount?: number | null;
  };
  programs: readonly ProgramDecisionLike[];
  missingFacts: readonly MissingFactLike[];
}

/**
 * What the conversation needs from the scorer: a decision on the facts gathered so far, or the reasons the
 * facts cannot be decided on (plain Vietnamese, as `parseHousehold` reports them).
 */
export interface EligibilityPort {
  decide(household: HouseholdDraft): Result<DecisionLike, string[]> | Promise<Result<DecisionLike, string[]>>;
  /** A figure of the policy data in force on a date, in words ("3 năm"), for prompts; undefined when unknown. */
  figure?(id: string, date: string): string | undefined;
}

// === Knowledge base (src/knowledge)

/** One search hit (contract: `SearchResult`), as far as the conversation reads it. */
export interface SearchResultLike {
  documentId: string;
  title: string;
  excerpt: string;
  citation: string;
  warnings: readonly string[];
}

/** A search outcome (contract: `SearchOutcome`). */
export type SearchOutcomeLike =
  | { type: "results"; query: string; results: readonly SearchResultLike[] }
  | { type: "no_match"; query: string; message: string; results: readonly SearchResultLike[] }
  | { type: "invalid"; query: string; message: string };

/**
 * What the conversation needs from the knowledge base: a search, and optionally the knowledge base's own
 * chat rendering of an outcome (`formatSearchOutcome`); without it the core renders a short fallback.
 */
export interface KnowledgePort {
  search(query: string): SearchOutcomeLike | Promise<SearchOutcomeLike>;
  format?(outcome: SearchOutcomeLike): string;
}

// === Session storage

/** A stored conversation state, as the session store hands it back. */
export interface StoredSession {
  /** The snapshot JSON as saved (validated by the caller, it may come from an older release). */
  state: unknown;
  flowId: string | null;
  flowVersion: number | null;
  updatedAt: Date;
}

/**
 * Where conversation state lives between messages. The SQLite implementation is
 * `storage/repositories/sessions.ts`; expiry is enforced on read. Results may be promises: callers await them.
 */
export interface SessionStorePort {
  load(userKey: string): MaybePromise<StoredSession | undefined>;
  save(userKey: string, state: unknown, flow: { id: string; version: number } | null): MaybePromise<void>;
  delete(userKey: string): MaybePromise<void>;
  purgeExpired(): MaybePromise<number>;
  /** How long a session is kept after its last message, in days (said in the privacy notice). */
  readonly ttlDays: number;
}
