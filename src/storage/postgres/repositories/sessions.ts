import type { StoredSession } from "../../../flows/ports.ts";
import { sessionTtlDays } from "../../repositories/sessions.ts";
import type { PostgresDatabase } from "../database.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The session store of ../../repositories/sessions.ts, on PostgreSQL: the same methods, returning promises. */
export interface PostgresSessionStore {
  readonly ttlDays: number;
  load(userKey: string): Promise<StoredSession | undefined>;
  save(userKey: string, state: unknown, flow: { id: string; version: number } | null): Promise<void>;
  delete(userKey: string): Promise<void>;
  purgeExpired(): Promise<number>;
}

/**
 * Conversation sessions in PostgreSQL (table `sessions`), keyed by the keyed digest of the user key; expiry is
 * enforced on every read (an expired row is deleted and not returned), and saving pushes it back `ttlDays`
 * after the last message. Every statement goes through `database.query`, so it joins the caller's transaction.
 *
 * ```ts
 * const store = createPostgresSessionStore(database, { ttlDays: 30 });
 * await store.save("telegram:42", snapshot, { id: "eligibility", version: 1 });
 * ```
 */
export function createPostgresSessionStore(
  database: PostgresDatabase,
  options: { ttlDays?: number; now?: () => Date } = {},
): PostgresSessionStore {
  const ttlDays = sessionTtlDays(options.ttlDays);
  const now = options.now ?? (() => new Date());
  const digest = (userKey: string): string => database.userKeys.digest(userKey);
  const remove = async (key: string): Promise<void> => {
    await database.query("delete from sessions where user_key = $1", [key]);
  };
  return {
    ttlDays,
    async load(userKey) {
      const key = digest(userKey);
      const { rows } = await database.query<{
        state: string;
        flowId: string | null;
        flowVersion: number | null;
        updatedAt: number;
        expiresAt: number;
      }>(
        `select state, flow_id as "flowId", flow_version as "flowVersion", updated_at as "updatedAt",
           expires_at as "expiresAt"
         from sessions where user_key = $1`,
        [key],
      );
      const row = rows[0];
      if (!row) return undefined;
      if (row.expiresAt <= now().getTime()) {
        await remove(key);
        return undefined;
      }
      return {
        state: JSON.parse(row.state) as unknown,
        flowId: row.flowId,
        flowVersion: row.flowVersion,
        updatedAt: new Date(row.updatedAt),
      };
    },
    async save(userKey, state, flow) {
      const at = now().getTime();
      await database.query(
        `insert into sessions (user_key, flow_id, flow_version, state, updated_at, expires_at)
         values ($1, $2, $3, $4, $5, $6)
         on conflict (user_key) do update set flow_id = excluded.flow_id, flow_version = excluded.flow_version,
           state = excluded.state, updated_at = excluded.updated_at, expires_at = excluded.expires_at`,
        [
          digest(userKey),
          flow?.id ?? null,
          flow?.version ?? null,
          JSON.stringify(state),
          at,
          at + ttlDays * DAY_MS,
        ],
      );
    },
    delete: (userKey) => remove(digest(userKey)),
    async purgeExpired() {
      return (await database.query("delete from sessions where expires_at <= $1", [now().getTime()]))
        .rowCount;
    },
  };
}
