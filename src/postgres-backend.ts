/**
 * The stores on PostgreSQL (DATABASE_URL), for the composition root: in a module of their own, loaded only when
 * configured, so that the terminal and the other commands never load PostgreSQL's client.
 */

import { createAsyncFeedbackStore, createAsyncUsageStats } from "./staff/services/feedback.ts";
import { createAsyncRuleWatchStore } from "./staff/services/rule-watches.ts";
import type { SessionStorePort } from "./flows/ports.ts";
import type { PostgresSettings, StaffStoresFactory } from "./composition.ts";
import { openPostgres, type PostgresDatabase } from "./storage/postgres/database.ts";
import { createPostgresConsoleAuthStore } from "./storage/postgres/repositories/console-auth.ts";
import {
  createPostgresFeedbackRepository,
  createPostgresUsageEventRepository,
} from "./storage/postgres/repositories/feedback.ts";
import { createPostgresRuleWatchRepository } from "./storage/postgres/repositories/rule-watches.ts";
import { createPostgresSessionStore } from "./storage/postgres/repositories/sessions.ts";
import { createPostgresUserData } from "./storage/postgres/repositories/user-data.ts";

/** The open PostgreSQL database, and the conversation's and the staff desk's stores on it. */
export interface PostgresBackend {
  database: PostgresDatabase;
  sessions(ttlDays: number): SessionStorePort;
  staffStores: StaffStoresFactory;
}

/** Opens the PostgreSQL database of DATABASE_URL (migrated); every instance must share USER_KEY_SECRET. */
async function openDatabaseOf(
  settings: PostgresSettings,
  userKeySecret: string | undefined,
): Promise<PostgresDatabase> {
  if (!userKeySecret)
    throw new Error(
      "USER_KEY_SECRET is required with DATABASE_URL: every instance must digest user keys alike",
    );
  const { url, ...tuning } = settings;
  return openPostgres(url, { userKeySecret, ...tuning });
}

/** Opens the PostgreSQL database (migrated) and the stores on it. */
export async function openPostgresBackend(
  settings: PostgresSettings,
  userKeySecret: string | undefined,
): Promise<PostgresBackend> {
  const database = await openDatabaseOf(settings, userKeySecret);
  return {
    database,
    sessions: (ttlDays) => createPostgresSessionStore(database, { ttlDays }),
    staffStores: postgresStaffStores(database),
  };
}

/** The staff desk's stores on PostgreSQL, shared by every instance. */
function postgresStaffStores(database: PostgresDatabase): StaffStoresFactory {
  return (clock) => ({
    stats: createAsyncUsageStats(createPostgresUsageEventRepository(database, clock)),
    feedback: createAsyncFeedbackStore(createPostgresFeedbackRepository(database, clock)),
    watches: createAsyncRuleWatchStore(createPostgresRuleWatchRepository(database, clock)),
    userData: createPostgresUserData(database, clock),
    consoleAuth: createPostgresConsoleAuthStore(
      database,
      clock.consoleIdleMs ? { idleMs: clock.consoleIdleMs } : {},
    ),
  });
}
