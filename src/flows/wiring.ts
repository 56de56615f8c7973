/**
 * The composition root of the conversation: plugs the knowledge base (src/knowledge, branch kb) and the
 * eligibility scorer (src/domain, branch scorer) into the conversation ports, and opens the core over a
 * database file. The CLI's `chat` uses it now; `serve` (issue 5) will too.
 *
 * MERGE: the two modules are found by dynamic import so that this branch builds before they are merged.
 * Once kb and scorer are on main, replace `loadKnowledgePort` and `loadEligibilityPort` with static
 * imports and the typed adapters below:
 *
 * ```ts
 * import { openKnowledgeBase } from "../knowledge/open.ts";
 * import { formatSearchOutcome } from "../knowledge/format.ts";
 * import { decide } from "../domain/eligibility.ts";
 * import { parseHousehold } from "../domain/household.ts";
 * import { loadPolicyKnowledge } from "../knowledge/policy-load.ts";
 * const knowledge = adaptKnowledgeBase(() => openKnowledgeBase({ database }), formatSearchOutcome);
 * const eligibility = adaptScorer({ decide, parseHousehold, policy: loadPolicyKnowledge() });
 * ```
 */

import { DEFAULT_DATABASE_PATH, openDatabase, type AppDatabase } from "../storage/database.ts";
import { createSessionStore, DEFAULT_SESSION_TTL_DAYS } from "../storage/repositories/sessions.ts";
import { err, ok, type Result } from "../shared/result.ts";
import { createConversation, type Conversation, type ConversationDeps } from "./conversation.ts";
import { loadFlows } from "./load.ts";
import type {
  DecisionLike,
  EligibilityPort,
  HouseholdDraft,
  KnowledgePort,
  SearchOutcomeLike,
} from "./ports.ts";

// === Typed adapters (use these with static imports after the merge)

/** A problem the scorer's `parseHousehold` reports; only its Vietnamese message is shown. */
export type FieldProblemLike = string | { message: string };

/**
 * The scorer as an {@link EligibilityPort}: validates the gathered facts with `parseHousehold`, then
 * decides under the loaded policy knowledge.
 */
export function adaptScorer<Household, Policy>(scorer: {
  parseHousehold(raw: unknown): Result<Household, readonly FieldProblemLike[]>;
  decide(input: Household, policy: Policy): DecisionLike;
  policy: Policy;
}): EligibilityPort {
  return {
    decide(household: HouseholdDraft) {
      const parsed = scorer.parseHousehold(household);
      if (!parsed.ok) return err(parsed.error.map((p) => (typeof p === "string" ? p : p.message)));
      return ok(scorer.decide(parsed.value, scorer.policy));
    },
  };
}

/**
 * The knowledge base as a {@link KnowledgePort}, opened on first use (building the index can take a moment,
 * and a conversation that never asks a question should not pay for it).
 */
export function adaptKnowledgeBase(
  open: () => { search(query: string): SearchOutcomeLike },
  format?: (outcome: SearchOutcomeLike) => string,
): KnowledgePort {
  let knowledgeBase: { search(query: string): SearchOutcomeLike } | undefined;
  return {
    search(query) {
      knowledgeBase ??= open();
      return knowledgeBase.search(query);
    },
    ...(format ? { format } : {}),
  };
}

// === Until the merge: find the modules if they are there

/** Imports a module of a branch not merged yet; undefined when the file does not exist. */
async function importIfPresent(specifier: string): Promise<Record<string, unknown> | undefined> {
  try {
    return (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: string }).code;
    const missing =
      code === "ERR_MODULE_NOT_FOUND" &&
      String((error as Error).message).includes(specifier.split("/").pop()!);
    if (missing) return undefined;
    throw error;
  }
}

/** Said in place of an answer while the knowledge base is not installed in this build. */
export const KNOWLEDGE_UNAVAILABLE = "Phần tra cứu tài liệu chưa được cài đặt trong bản này.";
/** Said in place of a result while the scorer is not installed in this build. */
export const SCORER_UNAVAILABLE = "Phần tính điều kiện hưởng chính sách chưa được cài đặt trong bản này.";

/** The knowledge base over the open database, or a port that says it is not installed. */
export async function loadKnowledgePort(database: AppDatabase, databasePath: string): Promise<KnowledgePort> {
  const open = await importIfPresent("../knowledge/open.ts");
  const format = await importIfPresent("../knowledge/format.ts");
  if (typeof open?.openKnowledgeBase !== "function") {
    return { search: (query) => ({ type: "no_match", query, message: KNOWLEDGE_UNAVAILABLE, results: [] }) };
  }
  const openKnowledgeBase = open.openKnowledgeBase as (options: object) => {
    search(query: string): SearchOutcomeLike;
  };
  const formatSearchOutcome =
    typeof format?.formatSearchOutcome === "function"
      ? (format.formatSearchOutcome as (o: SearchOutcomeLike) => string)
      : undefined;
  void database; // MERGE: pass { database } once openKnowledgeBase accepts an open AppDatabase.
  return adaptKnowledgeBase(() => openKnowledgeBase({ databasePath }), formatSearchOutcome);
}

/** The scorer with its policy knowledge loaded, or a port that says it is not installed. */
export async function loadEligibilityPort(): Promise<EligibilityPort> {
  const eligibility = await importIfPresent("../domain/eligibility.ts");
  const household = await importIfPresent("../domain/household.ts");
  const policyLoad = await importIfPresent("../knowledge/policy-load.ts");
  const decide = eligibility?.decide;
  const parseHousehold = household?.parseHousehold;
  const loadPolicyKnowledge = policyLoad?.loadPolicyKnowledge;
  if (
    typeof decide !== "function" ||
    typeof parseHousehold !== "function" ||
    typeof loadPolicyKnowledge !== "function"
  ) {
    return { decide: () => err([SCORER_UNAVAILABLE]) };
  }
  return adaptScorer({
    decide: decide as (input: unknown, policy: unknown) => DecisionLike,
    parseHousehold: parseHousehold as (raw: unknown) => Result<unknown, FieldProblemLike[]>,
    policy: (loadPolicyKnowledge as () => unknown)(),
  });
}

/** Options of {@link openConversation}. */
export interface OpenConversationOptions {
  databasePath?: string;
  ttlDays?: number;
  maxMessageLength?: number;
  onError?: ConversationDeps["onError"];
}

/**
 * Opens everything a conversation needs: the database (with migrations), the flows (validated), the
 * session store, the knowledge base and the scorer. Throws `DataFileError` on a broken flow or rule file.
 */
export async function openConversation(
  options: OpenConversationOptions = {},
): Promise<{ conversation: Conversation; close(): void }> {
  const databasePath = options.databasePath ?? DEFAULT_DATABASE_PATH;
  const flows = loadFlows();
  const database = openDatabase(databasePath);
  try {
    const sessions = createSessionStore(database, { ttlDays: options.ttlDays ?? DEFAULT_SESSION_TTL_DAYS });
    const [knowledge, eligibility] = await Promise.all([
      loadKnowledgePort(database, databasePath),
      loadEligibilityPort(),
    ]);
    const conversation = createConversation({
      flows,
      sessions,
      knowledge,
      eligibility,
      ...(options.maxMessageLength ? { maxMessageLength: options.maxMessageLength } : {}),
      ...(options.onError ? { onError: options.onError } : {}),
    });
    return { conversation, close: () => database.close() };
  } catch (error) {
    database.close();
    throw error;
  }
}
