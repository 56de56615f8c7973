import type { StoredSession } from "../../../flows/ports.ts";
import { sessionTtlDays } from "../../repositories/sessions.ts";
import { SCOPE, type PostgresDatabase, type PostgresTransaction } from "../database.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The session store of ../../repositories/sessions.ts, on PostgreSQL: the same methods, returning promises. */
export interface PostgresSessionStore {
  readonly ttlDays: number;
  load(userKey: string): Promise<StoredSession | undefined>;
  save(userKey: string, state: unknown, flow: { id: string; version: number } | null): Promise<void>;
  delete(userKey: string): Promise<void>;
  purgeExpired(): Promise<number>;
}

/** A row of `sessions`, as read. */
export interface StoredSessionRow {
  state: string;
  flowId: string | null;
  flowVersion: number | null;
  updatedAt: number;
  expiresAt: number;
}

const readKey = (digest: string): string => `session:read:${digest}`;
const saveKey = (digest: string): string => `session:save:${digest}`;

/** Carries the session of `digest` as `transaction` read it (null: none), for the store's next load in it. */
export function carrySessionRead(
  transaction: PostgresTransaction,
  digest: string,
  row: StoredSessionRow | null,
): void {
  transaction.carry(readKey(digest), row);
}

/** Drops what `transaction` carries or holds of the session of `digest`: it is being deleted. */
export function dropCarriedSession(transaction: PostgresTransaction, digest: string): void {
  transaction.unhold(saveKey(digest));
  transaction.take(readKey(digest));
}

const UPSERT = `insert into sessions (user_key, flow_id, flow_version, state, updated_at, expires_at)
  values ($1, $2, $3, $4, $5, $6)
  on conflict (user_key) do update set flow_id = excluded.flow_id, flow_version = excluded.flow_version,
    state = excluded.state, updated_at = excluded.updated_at, expires_at = excluded.expires_at`;

/**
 * Conversation sessions in PostgreSQL (table `sessions`), keyed by the keyed digest of the user key; expiry is
 * enforced on every read (an expired row is deleted and not returned), and saving pushes it back `ttlDays`
 * after the last message. Every statement joins the transaction open for the user ({@link SCOPE}.user), if any;
 * there, a save goes with the COMMIT.
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
  const turnOf = (key: string): PostgresTransaction | undefined => database.transactionIn(SCOPE.user(key));
  const remove = async (key: string): Promise<void> => {
    const turn = turnOf(key);
    if (turn) dropCarriedSession(turn, key);
    await (turn ?? database).query("delete from sessions where user_key = $1", [key]);
  };
  return {
    ttlDays,
    async load(userKey) {
      const key = digest(userKey);
      const turn = turnOf(key);
      // In a turn, the session comes read with the turn's start (or as this turn saved it).
      const carried = turn?.take(readKey(key)) as StoredSessionRow | null | undefined;
      const row =
        carried !== undefined
          ? carried
          : (
              await (turn ?? database).query<StoredSessionRow>(
                `select state, flow_id as "flowId", flow_version as "flowVersion", updated_at as "updatedAt",
                   expires_at as "expiresAt"
                 from sessions where user_key = $1`,
                [key],
              )
            ).rows[0];
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
      const key = digest(userKey);
      const row: StoredSessionRow = {
        flowId: flow?.id ?? null,
        flowVersion: flow?.version ?? null,
        state: JSON.stringify(state),
        updatedAt: at,
        expiresAt: at + ttlDays * DAY_MS,
      };
      const values = [key, row.flowId, row.flowVersion, row.state, row.updatedAt, row.expiresAt];
      // In a turn the save goes with its COMMIT; a later load in it reads the session as saved.
      const turn = turnOf(key);
      if (turn?.hold({ text: UPSERT, values }, saveKey(key))) turn.carry(readKey(key), row);
      else await database.query(UPSERT, values);
    },
    delete: (userKey) => remove(digest(userKey)),
    async purgeExpired() {
      return (await database.query("delete from sessions where expires_at <= $1", [now().getTime()]))
        .rowCount;
    },
  };
}
