/**
 * The composition root: plugs the knowledge base (src/knowledge) and the eligibility scorer (src/domain)
 * into the conversation ports, builds the staff desk over its stores, and opens the core over a database
 * file. The CLI's `chat` and the app (`serve`) both use it; nothing below this file imports it.
 */

import { decide } from "./domain/eligibility.ts";
import { sayParameterOn } from "./domain/figures.ts";
import { withDisplay } from "./domain/kinds.ts";
import { parseHousehold, type HouseholdInput } from "./domain/household.ts";
import type { PolicyKnowledge } from "./domain/policy.ts";
import { formatSearchOutcome } from "./knowledge/format.ts";
import { openKnowledgeBase, todayInVietnam } from "./knowledge/open.ts";
import { loadPolicyKnowledge } from "./knowledge/policy-load.ts";
import type { SearchOutcome } from "./knowledge/types.ts";
import {
  DEFAULT_DATABASE_PATH,
  openDatabase,
  type AppDatabase,
  type StorageStatus,
} from "./storage/database.ts";
import type { DeferredWrites } from "./storage/deferred-writes.ts";
import {
  createSessionStore,
  DEFAULT_SESSION_TTL_DAYS,
  type SessionStore,
} from "./storage/repositories/sessions.ts";
import { err, ok, type Result } from "./shared/result.ts";
import {
  createConversation,
  type Conversation,
  type ConversationDeps,
  type ConversationExtension,
} from "./flows/conversation.ts";
import { DEFAULT_KNOWLEDGE_DIR, loadAreaChanges, loadCorpus } from "./knowledge/load.ts";
import type { KnowledgeBase } from "./knowledge/types.ts";
import { createDeskExtension } from "./staff/desk-extension.ts";
import { createStaffDesk } from "./staff/desk.ts";
import { loadReferrals } from "./staff/referrals-load.ts";
import { createStaffDirectory } from "./staff/roles.ts";
import { answerVersions } from "./staff/versions.ts";
import {
  createFeedbackStore,
  createUsageStats,
  type FeedbackStorePort,
  type UsageStatsPort,
} from "./staff/services/feedback.ts";
import {
  createRuleWatchStore,
  type PendingNotice,
  type RuleWatchStorePort,
} from "./staff/services/rule-watches.ts";
import { createUserData, type UserDataPort } from "./storage/repositories/user-data.ts";
import type { StoreOptions } from "./storage/repositories/feedback.ts";
import type { PostgresDatabase, PostgresOptions } from "./storage/postgres/database.ts";
import { createConsoleAuthStore, type ConsoleAuthPort } from "./storage/repositories/console-auth.ts";
import type { MaybePromise } from "./shared/maybe-promise.ts";
import { loadFlows } from "./flows/load.ts";
import type {
  DecisionLike,
  EligibilityPort,
  HouseholdDraft,
  KnowledgePort,
  SearchOutcomeLike,
  SessionStorePort,
} from "./flows/ports.ts";

// === Typed adapters

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
  figure?(id: string, date: string): string | undefined;
}): EligibilityPort {
  return {
    ...(scorer.figure ? { figure: scorer.figure } : {}),
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
  options: PolicyPortsOptions = {},
): { knowledge: KnowledgePort; eligibility: EligibilityPort } {
  return policyPorts(database, options).ports;
}

/** Options of {@link createPolicyPorts} and {@link createAssistantPorts}. */
export interface PolicyPortsOptions {
  knowledgeDir?: string;
  /** Today in Vietnam, ISO (tests pass a fixed day). */
  today?: () => string;
}

/** The ports, and the policy and knowledge base behind them (shared with the staff desk). */
function policyPorts(database: AppDatabase, options: PolicyPortsOptions) {
  const policy = loadPolicyKnowledge(options.knowledgeDir);
  const today = options.today;
  let knowledgeBase: KnowledgeBase | undefined;
  const openOnce = (): KnowledgeBase =>
    (knowledgeBase ??= openKnowledgeBase({
      database,
      ...(options.knowledgeDir ? { knowledgeDir: options.knowledgeDir } : {}),
      ...(today ? { today } : {}),
    }));
  const knowledge = adaptKnowledgeBase(openOnce, (outcome) => formatSearchOutcome(outcome as SearchOutcome));
  const eligibility = adaptScorer({
    parseHousehold: (raw: unknown) => parseHousehold(raw),
    decide: (input: HouseholdInput, loaded: PolicyKnowledge) =>
      withDisplay(decide(input, loaded, today ? { today: today() } : {}), loaded),
    policy,
    figure: (id: string, date: string) => sayParameterOn(policy.parameters.get(id), date),
  });
  return { ports: { knowledge, eligibility }, policy, knowledgeBase: openOnce };
}

/** Options of {@link createAssistantPorts}. */
export interface AssistantPortsOptions extends PolicyPortsOptions {
  /** User keys of commune staff and volunteers (`STAFF_IDS`, parsed). */
  staffIds?: readonly string[];
  /** Days a question without a good answer is kept (QUESTION_RETENTION_DAYS). */
  questionRetentionDays?: number;
  /** Where staff open the web console, told with a /dangnhap code. */
  consoleUrl?: string;
  /** Where the staff desk keeps its data: by default the SQLite database the ports are given. */
  stores?: StaffStoresFactory;
}

/** The staff desk's stores. */
export interface StaffStores {
  stats: UsageStatsPort;
  feedback: FeedbackStorePort;
  watches: RuleWatchStorePort;
  userData: UserDataPort;
  consoleAuth: ConsoleAuthPort;
}

/**
 * Opens the staff desk's stores with a clock and a retention period (tests fix the day), and the console's idle
 * timeout.
 */
export type StaffStoresFactory = (options: StoreOptions & { consoleIdleMs?: number }) => StaffStores;

/** The staff desk's stores in the SQLite database. */
export function sqliteStaffStores(database: AppDatabase): StaffStoresFactory {
  return (clock) => ({
    stats: createUsageStats(database, clock),
    feedback: createFeedbackStore(database, clock),
    watches: createRuleWatchStore(database, clock),
    userData: createUserData(database),
    // On the real clock: a code minted here is redeemed by the console, which has no test day.
    consoleAuth: createConsoleAuthStore(database, clock.consoleIdleMs ? { idleMs: clock.consoleIdleMs } : {}),
  });
}

/**
 * Everything the assistant's conversation runs on: the knowledge base and scorer ports, and the staff desk
 * around them (staff commands, feedback, anonymous statistics, rule-change opt-ins) with its stores in the
 * same database.
 */
export function createAssistantPorts(
  database: AppDatabase,
  options: AssistantPortsOptions = {},
): {
  knowledge: KnowledgePort;
  eligibility: EligibilityPort;
  extension: ConversationExtension;
  ruleNotices(): MaybePromise<PendingNotice[]>;
  erase(userKey: string): MaybePromise<void>;
  purgeRetained(): Promise<number>;
} {
  const { ports, policy, knowledgeBase } = policyPorts(database, options);
  const today = options.today ?? todayInVietnam;
  const knowledgeDir = options.knowledgeDir ?? DEFAULT_KNOWLEDGE_DIR;
  const clock = {
    ...(options.today ? { now: () => Date.parse(`${options.today!()}T05:00:00Z`) } : {}),
    ...(options.questionRetentionDays ? { retentionDays: options.questionRetentionDays } : {}),
  };
  const { stats, feedback, watches, userData, consoleAuth } = (options.stores ?? sqliteStaffStores(database))(
    clock,
  );
  const versions = answerVersions(knowledgeDir);
  const desk = createStaffDesk({
    staff: createStaffDirectory(options.staffIds ?? []),
    search: (query, searchOptions) => knowledgeBase().search(query, searchOptions),
    documents: loadCorpus(knowledgeDir).documents,
    areas: loadAreaChanges(knowledgeDir),
    policy,
    referrals: loadReferrals(knowledgeDir),
    feedback,
    stats,
    watches,
    versions,
    today,
    consoleSignIn: consoleAuth,
    ...(options.consoleUrl ? { consoleUrl: options.consoleUrl } : {}),
  });
  return {
    ...ports,
    extension: createDeskExtension(desk, { policy, stats, today }),
    // Remembered as told only once sent (serve), so a notice that could not go out comes again.
    ruleNotices: () => watches.pending(policy, versions.rules),
    erase: (userKey) => userData.erase(userKey),
    purgeRetained: async () => {
      const purged =
        (await stats.purgeExpired()) + (await feedback.purgeExpired()) + (await consoleAuth.purgeExpired());
      // Runs after the sessions' purge: what both deleted leaves the log too.
      await userData.flush();
      return purged;
    },
  };
}

/** Options of {@link openConversation}. */
export interface OpenConversationOptions {
  databasePath?: string;
  /** User keys of commune staff and volunteers (`STAFF_IDS`, parsed). */
  staffIds?: readonly string[];
  ttlDays?: number;
  /** Days a question without a good answer is kept (QUESTION_RETENTION_DAYS). */
  questionRetentionDays?: number;
  /** USER_KEY_SECRET; without it the secret file next to the database is used (see openDatabase). */
  userKeySecret?: string;
  maxMessageLength?: number;
  onError?: ConversationDeps["onError"];
  /** Session writes for a user with an open batch here are held for its commit (see `startApp`'s inbox). */
  deferredWrites?: DeferredWrites;
  /** Where staff open the web console, told with a /dangnhap code. */
  consoleUrl?: string;
  /** Every store on this PostgreSQL database instead of the SQLite file (DATABASE_URL and its tuning). */
  postgres?: PostgresSettings;
}

/** DATABASE_URL and the pool's tuning. */
export type PostgresSettings = { url: string } & Omit<PostgresOptions, "userKeySecret">;

/**
 * The session store with a user's writes held while that user has an open batch in `writes`. A held write is
 * applied inside the SQLite transaction that completes the turn: `store` must then answer synchronously.
 */
function deferringSessions(store: SessionStore, writes: DeferredWrites): SessionStorePort {
  return {
    ttlDays: store.ttlDays,
    load: (userKey) => store.load(userKey),
    save(userKey, state, flow) {
      if (!writes.defer(userKey, () => store.save(userKey, state, flow))) store.save(userKey, state, flow);
    },
    delete(userKey) {
      if (!writes.defer(userKey, () => store.delete(userKey))) store.delete(userKey);
    },
    purgeExpired: () => store.purgeExpired(),
  };
}

/**
 * Opens everything a conversation needs: the database (with migrations), the flows (validated), the
 * session store, the knowledge base and the scorer. Throws `DataFileError` on a broken flow or rule file.
 */
export async function openConversation(options: OpenConversationOptions = {}): Promise<{
  conversation: Conversation;
  /** The open SQLite database: every store, or with PostgreSQL the search index only. */
  database: AppDatabase;
  /** The PostgreSQL database every store is on, when `options.postgres` was given. */
  postgres?: PostgresDatabase;
  /** Opens the staff desk's stores where this conversation keeps them (for the console). */
  staffStores: StaffStoresFactory;
  close(): Promise<void>;
  ruleNotices(): MaybePromise<PendingNotice[]>;
  probe(): MaybePromise<StorageStatus>;
  /** Sessions dropped at this start by the move to keyed digests (see `AppDatabase.droppedSessions`). */
  droppedSessions: number;
}> {
  const databasePath = options.databasePath ?? DEFAULT_DATABASE_PATH;
  const flows = loadFlows();
  const secret = options.userKeySecret ? { userKeySecret: options.userKeySecret } : {};
  // Loaded only for DATABASE_URL: the terminal and the other commands never load PostgreSQL's client.
  const backend = options.postgres
    ? await (
        await import("./postgres-backend.ts")
      ).openPostgresBackend(options.postgres, options.userKeySecret)
    : undefined;
  const postgres = backend?.database;
  let database: AppDatabase | undefined;
  try {
    database = openDatabase(databasePath, secret);
    const ttlDays = options.ttlDays ?? DEFAULT_SESSION_TTL_DAYS;
    let sessions: SessionStorePort;
    if (backend) sessions = backend.sessions(ttlDays);
    else {
      const stored = createSessionStore(database, { ttlDays });
      sessions = options.deferredWrites ? deferringSessions(stored, options.deferredWrites) : stored;
    }
    const stores = backend?.staffStores ?? sqliteStaffStores(database);
    const { ruleNotices, ...ports } = createAssistantPorts(database, {
      stores,
      ...(options.staffIds ? { staffIds: options.staffIds } : {}),
      ...(options.questionRetentionDays ? { questionRetentionDays: options.questionRetentionDays } : {}),
      ...(options.consoleUrl ? { consoleUrl: options.consoleUrl } : {}),
    });
    const conversation = createConversation({
      flows,
      sessions,
      ...ports,
      // Several instances share a PostgreSQL database: one of them purges, as scheduled work.
      ...(postgres ? { purgeOnMessages: false } : {}),
      ...(options.maxMessageLength ? { maxMessageLength: options.maxMessageLength } : {}),
      ...(options.onError ? { onError: options.onError } : {}),
    });
    const local = database;
    return {
      conversation,
      database: local,
      ...(postgres ? { postgres } : {}),
      staffStores: stores,
      close: async () => {
        local.close();
        await postgres?.close();
      },
      ruleNotices,
      probe: postgres ? () => postgres.probe() : () => local.probe(),
      droppedSessions: local.droppedSessions,
    };
  } catch (error) {
    database?.close();
    await postgres?.close();
    throw error;
  }
}
