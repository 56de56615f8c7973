/**
 * The composition root of the conversation: plugs the knowledge base (src/knowledge) and the eligibility
 * scorer (src/domain) into the conversation ports, and opens the core over a database file. The CLI's
 * `chat` and the channels' `serve` both use it.
 */

import { decide } from "../domain/eligibility.ts";
import { parseHousehold, type HouseholdInput } from "../domain/household.ts";
import type { PolicyKnowledge } from "../domain/policy.ts";
import { formatSearchOutcome } from "../knowledge/format.ts";
import { openKnowledgeBase } from "../knowledge/open.ts";
import { loadPolicyKnowledge } from "../knowledge/policy-load.ts";
import type { SearchOutcome } from "../knowledge/types.ts";
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

// === The real knowledge base and scorer

/**
 * The conversation's ports over the real knowledge base (sharing the open database, where its index lives)
 * and the real scorer with the policy knowledge loaded from `knowledge/`. Loading validates every rule file,
 * so a broken one fails here, at start-up, with a `DataFileError`.
 */
export function createPolicyPorts(
  database: AppDatabase,
  options: { knowledgeDir?: string; today?: () => string } = {},
): { knowledge: KnowledgePort; eligibility: EligibilityPort } {
  const policy = loadPolicyKnowledge(options.knowledgeDir);
  const today = options.today;
  const knowledge = adaptKnowledgeBase(
    () =>
      openKnowledgeBase({
        database,
        ...(options.knowledgeDir ? { knowledgeDir: options.knowledgeDir } : {}),
        ...(today ? { today } : {}),
      }),
    (outcome) => formatSearchOutcome(outcome as SearchOutcome),
  );
  const eligibility = adaptScorer({
    parseHousehold: (raw: unknown) => parseHousehold(raw),
    decide: (input: HouseholdInput, loaded: PolicyKnowledge) =>
      decide(input, loaded, today ? { today: today() } : {}),
    policy,
  });
  return { knowledge, eligibility };
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
    const { knowledge, eligibility } = createPolicyPorts(database);
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
