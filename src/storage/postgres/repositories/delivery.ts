import type {
  ClaimedMessage,
  InboxItem,
  OutgoingMessage,
  ReceivedUpdate,
} from "../../repositories/delivery.ts";
import {
  LOCK_NOT_AVAILABLE,
  LOCK_SPACE,
  lockKey,
  SCOPE,
  UserLockTimeout,
  type PostgresDatabase,
  type PostgresTransaction,
} from "../database.ts";
import { carrySessionRead, type StoredSessionRow } from "./sessions.ts";

/** The row of hcs_turn_start (src/storage/migrations-pg/0001_turn_functions.sql). */
type StartedTurn = { holds: boolean; earlierWaiting: boolean } & {
  [K in keyof StoredSessionRow]: StoredSessionRow[K] | null;
};

/**
 * The {@link import("../../repositories/delivery.ts").DeliveryStore} on PostgreSQL: the same methods and
 * semantics, returning promises. `complete` joins the transaction open for its update ({@link SCOPE}.update),
 * if any; its `within` may be async, and runs in the same transaction.
 */
export interface PostgresDeliveryStore {
  receive(
    update: ReceivedUpdate,
    owner: string,
    now: number,
    leaseUntil: number,
  ): Promise<InboxItem | undefined>;
  claimInbox(
    platform: string,
    owner: string,
    now: number,
    leaseUntil: number,
    limit: number,
  ): Promise<InboxItem[]>;
  complete(
    inboxId: number,
    owner: string,
    messages: readonly OutgoingMessage[],
    now: number,
    leaseUntil: number,
    within?: () => unknown,
  ): Promise<ClaimedMessage[] | undefined>;
  claimNext(
    platform: string,
    target: string,
    owner: string,
    now: number,
    leaseUntil: number,
  ): Promise<ClaimedMessage | undefined>;
  dueChats(now: number, limit: number): Promise<Array<{ platform: string; target: string }>>;
  finish(id: number, owner: string): Promise<void>;
  flush(): Promise<void>;
  retryLater(id: number, owner: string, nextAttemptAt: number, ambiguous: number): Promise<void>;
  releaseOwn(owner: string): Promise<{ updates: number; messages: number }>;
  releaseChat(platform: string, target: string, owner: string): Promise<number>;
  purgeHandled(before: number): Promise<number>;
  backlog(): Promise<{ updates: number; messages: number }>;
  /**
   * Runs `turn` as the turn of update `inboxId`, in one transaction that the stores' statements about the user
   * and the update join ({@link SCOPE}). It starts by taking the user's lock (`digest`, the keyed digest;
   * bounded by the lock timeout, then a {@link UserLockTimeout}), and `turn` is told whether `owner` still holds
   * the update (its row then stays locked to the commit, so no other instance completes it meanwhile) and
   * whether an update of the same user received before it is still to be handled. The user's session, read in
   * the same round trip, is carried for the session store (repositories/sessions.ts).
   */
  inTurn<T>(
    inboxId: number,
    owner: string,
    digest: string,
    turn: (standing: { holds: boolean; earlierWaiting: boolean }) => Promise<T>,
  ): Promise<T>;
}

/**
 * The durable inbox and outbox on PostgreSQL (tables `inbox` and `outbox`): the statements of the SQLite store
 * (guarded claims under leases, `insert ... on conflict do nothing returning`), with `for update skip locked`
 * in the claims so that instances claiming at once take different rows instead of waiting on each other. A
 * repeated delivery to another instance meets the unique `(platform, update_id)` and is not stored twice, and
 * a chat is found idle (its first reply queued already claimed) under the chat's advisory lock, so two instances
 * never send to one chat at once.
 *
 * ```ts
 * const store = createPostgresDeliveryStore(database);
 * const item = await store.receive({ platform: "zalo", updateId: "m1", payload }, "host:3000", now, now + 60_000);
 * ```
 */
export function createPostgresDeliveryStore(database: PostgresDatabase): PostgresDeliveryStore {
  const { query } = database;
  const sent = createSentDeletes((ids, owners) =>
    query(
      `delete from outbox o using unnest($1::bigint[], $2::text[]) as s(id, owner)
       where o.id = s.id and o.lease_owner = s.owner`,
      [ids, owners],
    ),
  );
  const flush = (): Promise<void> => sent.flush();
  const receipts = createReceipts(database);

  const claimedRow = (row: ClaimedMessage): ClaimedMessage => ({
    id: row.id,
    platform: row.platform,
    target: row.target,
    payload: row.payload,
    attempts: row.attempts,
    ambiguous: row.ambiguous,
  });

  /** The turn's first statement (hcs_turn_start): the user's lock, where the update stands, the session. */
  const startTurn = async (
    transaction: PostgresTransaction,
    inboxId: number,
    owner: string,
    digest: string,
  ): Promise<{ holds: boolean; earlierWaiting: boolean }> => {
    let row: StartedTurn | undefined;
    try {
      ({
        rows: [row],
      } = await transaction.query<StartedTurn>(
        `select holds, earlier_waiting as "earlierWaiting", session_state as "state",
           session_flow_id as "flowId", session_flow_version as "flowVersion", session_updated_at as "updatedAt",
           session_expires_at as "expiresAt"
         from hcs_turn_start($1, $2, $3, $4, $5)`,
        [LOCK_SPACE.user, lockKey(digest), inboxId, owner, digest],
      ));
    } catch (error) {
      if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE)
        throw new UserLockTimeout(database.lockTimeoutMs, { cause: error });
      throw error;
    }
    if (!row) return { holds: false, earlierWaiting: false };
    carrySessionRead(transaction, digest, row.state === null ? null : (row as StoredSessionRow));
    return { holds: row.holds, earlierWaiting: row.earlierWaiting };
  };

  return {
    receive: (update, owner, now, leaseUntil) => receipts.add(update, owner, now, leaseUntil),

    async claimInbox(platform, owner, now, leaseUntil, limit) {
      const { rows } = await query<InboxItem>(
        `update inbox set status = 'processing', lease_owner = $2, lease_until = $4, attempts = attempts + 1
         where id in (
             select id from inbox
             where platform = $1 and status <> 'done'
               and (status = 'pending' or (status = 'processing' and lease_until < $3))
             order by id limit $5
             for update skip locked)
           and (status = 'pending' or (status = 'processing' and lease_until < $3))
         returning id, platform, update_id as "updateId", payload, attempts`,
        [platform, owner, now, leaseUntil, limit],
      );
      return rows.sort((a, b) => a.id - b.id);
    },

    async complete(inboxId, owner, messages, now, leaseUntil, within) {
      // The messages sent to its chats are deleted first, so that a chat whose last reply went is found idle.
      const batch = sent.take(messages.map((message) => `${message.platform}:${message.target}`));
      const statement = {
        text: `select held, ids, statuses from hcs_turn_finish($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        values: [
          inboxId,
          owner,
          now,
          leaseUntil,
          batch.ids,
          batch.owners,
          LOCK_SPACE.chat,
          messages.map((message) => message.platform),
          messages.map((message) => message.target),
          messages.map((message) => message.payload),
          messages.map((message) => lockKey(`${message.platform}:${message.target}`)),
        ],
      };
      type Finished = { held: boolean; ids: number[] | null; statuses: string[] | null };
      let result: { rows: Finished[] };
      try {
        // In a turn, it goes with the turn's COMMIT (and with the session it saved), in one round trip; else in
        // a transaction of its own. Either way it is answered once committed, which must not be awaited inside.
        const { finished } = await database.inTransaction(
          async (transaction) => {
            const held = transaction.hold<Finished>(statement)!;
            await within?.();
            return { finished: held };
          },
          [SCOPE.update(inboxId)],
        );
        result = await finished;
      } catch (error) {
        batch.restore();
        throw error;
      }
      const row = result.rows[0];
      if (!row?.held) return undefined;
      const claimed: ClaimedMessage[] = [];
      messages.forEach((message, i) => {
        if (row.statuses?.[i] !== "sending") return;
        const id = row.ids![i]!;
        sent.claimed(id, `${message.platform}:${message.target}`);
        claimed.push({ ...message, id, attempts: 1, ambiguous: 0 });
      });
      return claimed;
    },

    inTurn(inboxId, owner, digest, turn) {
      return database.inTransaction(
        async (transaction) => turn(await startTurn(transaction, inboxId, owner, digest)),
        [SCOPE.user(digest), SCOPE.update(inboxId)],
      );
    },

    async claimNext(platform, target, owner, now, leaseUntil) {
      // The chat's sent messages waiting to be deleted go in the same statement (skipped by the claim, since the
      // statement does not see its own delete).
      const chat = `${platform}:${target}`;
      const batch = sent.take([chat]);
      let claimed: ClaimedMessage[];
      try {
        ({ rows: claimed } = await query<ClaimedMessage>(
          `with sent as (
             delete from outbox o using unnest($6::bigint[], $7::text[]) as s(id, owner)
             where o.id = s.id and o.lease_owner = s.owner)
           update outbox set status = 'sending', lease_owner = $3, lease_until = $5, attempts = attempts + 1,
             ambiguous = ambiguous + case when status = 'sending' then 1 else 0 end
           where id = (select min(id) from outbox where platform = $1 and target = $2 and id <> all($6::bigint[]))
             and next_attempt_at <= $4
             and (status = 'pending' or lease_until < $4)
           returning id, platform, target, payload, attempts, ambiguous`,
          [platform, target, owner, now, leaseUntil, batch.ids, batch.owners],
        ));
      } catch (error) {
        batch.restore();
        throw error;
      }
      if (!claimed[0]) return undefined;
      sent.claimed(claimed[0].id, chat);
      return claimedRow(claimed[0]);
    },

    async dueChats(now, limit) {
      await flush();
      const { rows } = await query<{ platform: string; target: string }>(
        `select platform, target from outbox o
         where next_attempt_at <= $1 and (status = 'pending' or lease_until < $1)
           and id = (select min(id) from outbox h where h.platform = o.platform and h.target = o.target)
         order by next_attempt_at limit $2`,
        [now, limit],
      );
      return rows;
    },

    async finish(id, owner) {
      // Not awaited: made by the chat's next statement, or with others at the end of this turn of the event loop
      // (see createSentDeletes).
      sent.add(id, owner);
    },

    flush,

    async retryLater(id, owner, nextAttemptAt, ambiguous) {
      sent.forget(id);
      await flush();
      await query(
        `update outbox set status = 'pending', lease_owner = null, lease_until = null, next_attempt_at = $3,
           ambiguous = $4
         where id = $1 and lease_owner = $2`,
        [id, owner, nextAttemptAt, ambiguous],
      );
    },

    async releaseOwn(owner) {
      const updates = await query(
        `update inbox set status = 'pending', lease_owner = null, lease_until = null
         where status = 'processing' and lease_owner = $1`,
        [owner],
      );
      const messages = await query(
        `update outbox set status = 'pending', ambiguous = ambiguous + 1, lease_owner = null, lease_until = null
         where status = 'sending' and lease_owner = $1`,
        [owner],
      );
      return { updates: updates.rowCount, messages: messages.rowCount };
    },

    async releaseChat(platform, target, owner) {
      // A message sent and not yet deleted must not be given back to be sent again.
      await flush();
      const { rowCount } = await query(
        `update outbox set status = 'pending', lease_owner = null, lease_until = null
         where platform = $1 and target = $2 and status = 'sending' and lease_owner = $3`,
        [platform, target, owner],
      );
      return rowCount;
    },

    async purgeHandled(before) {
      return (await query("delete from inbox where status = 'done' and handled_at < $1", [before])).rowCount;
    },

    async backlog() {
      await flush();
      const { rows } = await query<{ updates: number; messages: number }>(
        `select (select count(*) from inbox where status <> 'done') as updates,
           (select count(*) from outbox) as messages`,
      );
      return rows[0] ?? { updates: 0, messages: 0 };
    },
  };
}

/** Deletes of sent messages taken to go in a statement, as its parameters. */
interface SentBatch {
  ids: number[];
  owners: string[];
  /** Puts them back, when the statement failed. */
  restore(): void;
}

/**
 * The deletes of sent messages, kept per chat (`platform:target`): a statement of that chat made in the same turn
 * of the event loop carries them (its next claim, or the turn queueing its next replies, which then finds it
 * idle); the others are made together at the end of that turn, by `run`. Not later: the chat's next turn may
 * come to another instance, which must find it idle. A sent message left behind would only be sent again once
 * its lease ran out, if its sender died meanwhile.
 */
function createSentDeletes(run: (ids: number[], owners: string[]) => Promise<unknown>) {
  const waiting = new Map<string, Array<{ id: number; owner: string }>>();
  /** The chat of each message claimed here and not yet finished. */
  const chatOf = new Map<number, string>();
  let scheduled = false;

  const take = (chats: Iterable<string> | undefined): SentBatch => {
    const rows: Array<{ id: number; owner: string; chat: string }> = [];
    for (const chat of chats ? new Set(chats) : [...waiting.keys()]) {
      for (const row of waiting.get(chat) ?? []) rows.push({ ...row, chat });
      waiting.delete(chat);
    }
    return {
      ids: rows.map((row) => row.id),
      owners: rows.map((row) => row.owner),
      restore() {
        // Not flushed again at once: while the database is away that would spin.
        for (const row of rows) push(row.chat, row.id, row.owner, false);
      },
    };
  };
  // One flush at a time: a flush asked for waits for the one under way.
  let flushing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    flushing = flushing
      .catch(() => undefined)
      .then(async () => {
        const batch = take(undefined);
        if (batch.ids.length === 0) return;
        try {
          await run(batch.ids, batch.owners);
        } catch (error) {
          // Tried again with the chat's next statement, or the next flush.
          batch.restore();
          throw error;
        }
      });
    return flushing;
  };
  const push = (chat: string, id: number, owner: string, schedule = true): void => {
    const rows = waiting.get(chat);
    if (rows) rows.push({ id, owner });
    else waiting.set(chat, [{ id, owner }]);
    if (!schedule || scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      flush().catch(() => undefined);
    });
  };
  return {
    /** Message `id`, of `chat`, was claimed here. */
    claimed(id: number, chat: string): void {
      chatOf.set(id, chat);
    },
    /** Message `id` was given back unsent. */
    forget(id: number): void {
      chatOf.delete(id);
    },
    /** Message `id` was sent: its delete waits. */
    add(id: number, owner: string): void {
      const chat = chatOf.get(id) ?? "";
      chatOf.delete(id);
      push(chat, id, owner);
    },
    /** Takes the waiting deletes of `chats`, to go in a statement. */
    take: (chats: Iterable<string>): SentBatch => take(chats),
    /** Makes every waiting delete now. */
    flush,
  };
}

/** Most received updates inserted in one statement. */
const RECEIPT_BATCH = 64;

/**
 * Received updates inserted together: those that arrive during one turn of the event loop go in one statement
 * (one round trip), each told whether it was new. A repeat within the batch is a repeat like any other.
 */
function createReceipts(database: PostgresDatabase) {
  let batch: Array<{
    request: { update: ReceivedUpdate; owner: string; now: number; leaseUntil: number };
    resolve: (item: InboxItem | undefined) => void;
    reject: (error: unknown) => void;
  }> = [];
  const insert = async (): Promise<void> => {
    const entries = batch;
    if (entries.length === 0) return;
    batch = [];
    try {
      const { rows } = await database.query<{ id: number; platform: string; updateId: string }>(
        `insert into inbox (platform, update_id, status, payload, user_key, attempts, received_at, lease_owner,
           lease_until)
         select platform, update_id, 'processing', payload, user_key, 1, received_at, lease_owner, lease_until
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::bigint[])
           as r(platform, update_id, payload, user_key, received_at, lease_owner, lease_until)
         on conflict (platform, update_id) do nothing
         returning id, platform, update_id as "updateId"`,
        [
          entries.map((e) => e.request.update.platform),
          entries.map((e) => e.request.update.updateId),
          entries.map((e) => e.request.update.payload),
          // Never the account id itself: the keyed digest every store uses (see user-keys.ts).
          entries.map((e) =>
            e.request.update.userKey === undefined
              ? null
              : database.userKeys.digest(e.request.update.userKey),
          ),
          entries.map((e) => e.request.now),
          entries.map((e) => e.request.owner),
          entries.map((e) => e.request.leaseUntil),
        ],
      );
      const ids = new Map(rows.map((row) => [`${row.platform}\u0000${row.updateId}`, row.id]));
      for (const { request, resolve } of entries) {
        const key = `${request.update.platform}\u0000${request.update.updateId}`;
        const id = ids.get(key);
        // The first of a repeated pair gets the row; the other is a repeat.
        ids.delete(key);
        resolve(
          id === undefined
            ? undefined
            : {
                id,
                platform: request.update.platform,
                updateId: request.update.updateId,
                payload: request.update.payload,
                attempts: 1,
              },
        );
      }
    } catch (error) {
      for (const { reject } of entries) reject(error);
    }
  };
  return {
    add(
      update: ReceivedUpdate,
      owner: string,
      now: number,
      leaseUntil: number,
    ): Promise<InboxItem | undefined> {
      return new Promise((resolve, reject) => {
        batch.push({ request: { update, owner, now, leaseUntil }, resolve, reject });
        if (batch.length >= RECEIPT_BATCH) void insert();
        else if (batch.length === 1) setImmediate(() => void insert());
      });
    },
  };
}
