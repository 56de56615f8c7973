/**
 * What the staff console runs on, over one open database: the knowledge base and its search (the chat's own),
 * the plans and their outlines, the scorer's data, referrals, the feedback and statistics stores, the sign-in
 * store, and who is staff. Built once per server.
 */
import type { PolicyKnowledge } from "../domain/policy.ts";
import {
  DEFAULT_KNOWLEDGE_DIR,
  loadAreaChanges,
  loadCorpus,
  type AreaChanges,
  type CorpusDocument,
  type PlanMetadata,
} from "../knowledge/load.ts";
import { openKnowledgeBase, todayInVietnam } from "../knowledge/open.ts";
import { loadPolicyKnowledge } from "../knowledge/policy-load.ts";
import type { KnowledgeBase, SearchOptions, SearchOutcome } from "../knowledge/types.ts";
import { createCitationIndex, type CitationIndex } from "../staff/citations.ts";
import { createOutlines } from "../staff/documents.ts";
import type { AnswerVersions } from "../staff/feedback.ts";
import type { Outline } from "../staff/plan-outline.ts";
import type { ReferralDirectory } from "../staff/referrals.ts";
import { loadReferrals } from "../staff/referrals-load.ts";
import { createStaffDirectory, type Role } from "../staff/roles.ts";
import { answerVersions } from "../staff/versions.ts";
import type { AppDatabase } from "../storage/database.ts";
import {
  createConsoleAuthStore,
  DEFAULT_IDLE_MS,
  type ConsoleAuthPort,
} from "../storage/repositories/console-auth.ts";
import {
  createFeedbackStore,
  createUsageStats,
  type FeedbackStorePort,
  type UsageStatsPort,
} from "../staff/services/feedback.ts";

/** Everything the console's pages read. */
export interface ConsoleServices {
  database: AppDatabase;
  policy: PolicyKnowledge;
  documents: readonly CorpusDocument[];
  plans: ReadonlyMap<string, PlanMetadata>;
  areas: AreaChanges;
  referrals: ReferralDirectory;
  outlines(id: string): Outline | undefined;
  citationIndex: CitationIndex;
  /** The knowledge base's search, with the direct answers (opened on first use). */
  search(query: string, options: SearchOptions): SearchOutcome;
  feedback: FeedbackStorePort;
  stats: UsageStatsPort;
  versions: AnswerVersions;
  auth: ConsoleAuthPort;
  /** The role of a stored (digested) user key, from STAFF_IDS as configured now. */
  roleOfDigest(digest: string): Role;
  /** The user key ("telegram:123") of a staff digest, to show who is signed in. */
  staffKeyOf(digest: string): string | undefined;
  /** The role of a plain user key ("telegram:123"). */
  roleOf(userKey: string): Role;
  today(): string;
  close(): void;
}

/** Options of {@link createConsoleServices}. */
export interface ConsoleServicesOptions {
  staffIds?: readonly string[];
  knowledgeDir?: string;
  /** Today in Vietnam, ISO (tests pass a fixed day). */
  today?: () => string;
  /** Idle timeout of a console session, in ms. */
  idleMs?: number;
  now?: () => number;
  /** Where feedback, statistics and sign-ins are kept; by default in `database`. */
  stores?: (options: { now?: () => number; consoleIdleMs: number }) => {
    feedback: FeedbackStorePort;
    stats: UsageStatsPort;
    consoleAuth: ConsoleAuthPort;
  };
}

/**
 * Loads what the console needs over `database` (which stays the caller's to close). Data files are validated
 * here: a broken one throws `DataFileError` at start-up.
 */
export function createConsoleServices(
  database: AppDatabase,
  options: ConsoleServicesOptions = {},
): ConsoleServices {
  const knowledgeDir = options.knowledgeDir ?? DEFAULT_KNOWLEDGE_DIR;
  const today = options.today ?? todayInVietnam;
  const policy = loadPolicyKnowledge(knowledgeDir);
  const documents = loadCorpus(knowledgeDir).documents;
  const staff = createStaffDirectory(options.staffIds ?? []);
  const staffByDigest = new Map(
    (options.staffIds ?? []).map((key) => [database.userKeys.digest(key), key] as const),
  );
  const clock = {
    ...(options.now ? { now: options.now } : {}),
  };
  let knowledgeBase: KnowledgeBase | undefined;
  const openOnce = (): KnowledgeBase =>
    (knowledgeBase ??= openKnowledgeBase({ database, knowledgeDir, today, policy }));
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  const stores = options.stores?.({ ...clock, consoleIdleMs: idleMs }) ?? {
    feedback: createFeedbackStore(database, clock),
    stats: createUsageStats(database, clock),
    consoleAuth: createConsoleAuthStore(database, { idleMs, ...clock }),
  };
  return {
    database,
    policy,
    documents,
    plans: new Map(documents.map((document) => [document.metadata.id, document.metadata])),
    areas: loadAreaChanges(knowledgeDir),
    referrals: loadReferrals(knowledgeDir),
    outlines: createOutlines(documents),
    citationIndex: createCitationIndex(policy),
    search: (query, searchOptions) => openOnce().search(query, searchOptions),
    feedback: stores.feedback,
    stats: stores.stats,
    versions: answerVersions(knowledgeDir),
    auth: stores.consoleAuth,
    roleOfDigest: (digest) => (staffByDigest.has(digest) ? "staff" : "resident"),
    staffKeyOf: (digest) => staffByDigest.get(digest),
    roleOf: (userKey) => staff.roleOf(userKey),
    today,
    close: () => knowledgeBase?.close(),
  };
}
