import type {
  ClaimedMessage,
  InboxItem,
  OutgoingMessage,
  ReceivedUpdate,
} from "../../repositories/delivery.ts";
import { LOCK_SPACE, lockKey, type PostgresDatabase } from "../database.ts";

/**
 * The {@link import("../../repositories/delivery.ts").DeliveryStore} on PostgreSQL: the same methods and
 * semantics, returning promises. `complete`'s `within` may be async; it runs in the same transaction.
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
   * Where update `inboxId` stands as its turn starts: whether `owner` still holds it (claimed, not handled; its
   * row then stays locked to the commit, so no other instance completes it meanwhile), and whether an update of
   * the same user (`digest`, the keyed digest) received before it is still to be handled.
   */
  turnCheck(
    inboxId: number,
    owner: string,
    digest: string,
  ): Promise<{ holds: boolean; earlierWaiting: boolean }>;
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
  // Deletes of sent messages, batched: made before the next write, or at the end of the event loop turn.
  let sent: Array<{ id: number; owner: string }> = [];
  let scheduled: Promise<void> | undefined;
  const flush = async (): Promise<void> => {
    if (sent.length === 0) return;
    const batch = sent;
    sent = [];
    try {
      await query(
        `delete from outbox o using unnest($1::bigint[], $2::text[]) as s(id, owner)
         where o.id = s.id and o.lease_owner = s.owner`,
        [batch.map((row) => row.id), batch.map((row) => row.owner)],
      );
    } catch (error) {
      // Tried again with the next write: a sent message left behind would be sent again once its lease ran out.
      sent = batch.concat(sent);
      throw error;
    }
  };

  const claimedRow = (row: ClaimedMessage): ClaimedMessage => ({
    id: row.id,
    platform: row.platform,
    target: row.target,
    payload: row.payload,
    attempts: row.attempts,
    ambiguous: row.ambiguous,
  });

  return {
    async receive(update, owner, now, leaseUntil) {
      await flush();
      const { rows } = await query<{ id: number }>(
        `insert into inbox (platform, update_id, status, payload, user_key, attempts, received_at, lease_owner,
           lease_until)
         values ($1, $2, 'processing', $3, $4, 1, $5, $6, $7)
         on conflict (platform, update_id) do nothing
         returning id`,
        [
          update.platform,
          update.updateId,
          update.payload,
          // Never the account id itself: the keyed digest every store uses (see user-keys.ts).
          update.userKey === undefined ? null : database.userKeys.digest(update.userKey),
          now,
          owner,
          leaseUntil,
        ],
      );
      const row = rows[0];
      return row
        ? {
            id: row.id,
            platform: update.platform,
            updateId: update.updateId,
            payload: update.payload,
            attempts: 1,
          }
        : undefined;
    },

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
      await flush();
      return database.inTransaction(async () => {
        // Marks the update handled if `owner` still holds it, and reads the sender's digest as it was (the
        // replies are queued under it): one statement, the row locked by the update.
        const marked = await query<{ userKey: string | null }>(
          `with held as (
             select id, user_key from inbox where id = $1 and status = 'processing' and lease_owner = $2 for update)
           update inbox i set status = 'done', payload = null, user_key = null, lease_owner = null,
             lease_until = null, handled_at = $3
           from held where i.id = held.id
           returning held.user_key as "userKey"`,
          [inboxId, owner, now],
        );
        const heldRow = marked.rows[0];
        if (marked.rowCount !== 1 || !heldRow) return undefined;
        const { userKey } = heldRow;
        const claimed: ClaimedMessage[] = [];
        const seen = new Set<string>();
        for (const message of messages) {
          const chat = `${message.platform}:${message.target}`;
          if (!seen.has(chat)) {
            // Whether the chat is idle is decided under the chat's lock, held to the commit: two turns
            // completing at once for one chat (on two instances) do not both find it idle. Its own statement,
            // so that the check below reads what a turn committed while this one waited.
            await query("select pg_advisory_xact_lock($1, $2)", [LOCK_SPACE.chat, lockKey(chat)]);
          }
          // The first reply to an idle chat is queued already claimed; the others wait their turn.
          const { rows } = await query<{ id: number; status: string }>(
            `insert into outbox (platform, target, payload, user_key, status, attempts, ambiguous,
               next_attempt_at, created_at, lease_owner, lease_until)
             select $1, $2, $3, $4, s.status, case when s.status = 'sending' then 1 else 0 end, 0, $5, $5,
               case when s.status = 'sending' then $6 end, case when s.status = 'sending' then $7::bigint end
             from (select case when $8::boolean
                     or exists (select 1 from outbox where platform = $1 and target = $2)
                   then 'pending' else 'sending' end as status) as s
             returning id, status`,
            [
              message.platform,
              message.target,
              message.payload,
              userKey,
              now,
              owner,
              leaseUntil,
              seen.has(chat),
            ],
          );
          const row = rows[0];
          if (row?.status === "sending") claimed.push({ ...message, id: row.id, attempts: 1, ambiguous: 0 });
          seen.add(chat);
        }
        await within?.();
        return claimed;
      });
    },

    async turnCheck(inboxId, owner, digest) {
      const { rows } = await query<{ holds: boolean; earlierWaiting: boolean }>(
        `with held as (
           select id from inbox where id = $1 and status = 'processing' and lease_owner = $2 for update)
         select exists (select 1 from held) as holds,
           exists (select 1 from inbox where user_key = $3 and id < $1 and status <> 'done') as "earlierWaiting"`,
        [inboxId, owner, digest],
      );
      return rows[0] ?? { holds: false, earlierWaiting: false };
    },

    async claimNext(platform, target, owner, now, leaseUntil) {
      await flush();
      const { rows } = await query<ClaimedMessage>(
        `update outbox set status = 'sending', lease_owner = $3, lease_until = $5, attempts = attempts + 1,
           ambiguous = ambiguous + case when status = 'sending' then 1 else 0 end
         where id = (select min(id) from outbox where platform = $1 and target = $2)
           and next_attempt_at <= $4
           and (status = 'pending' or lease_until < $4)
         returning id, platform, target, payload, attempts, ambiguous`,
        [platform, target, owner, now, leaseUntil],
      );
      return rows[0] ? claimedRow(rows[0]) : undefined;
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

    finish(id, owner) {
      sent.push({ id, owner });
      if (!scheduled) {
        scheduled = new Promise<void>((resolve, reject) =>
          setImmediate(() => {
            scheduled = undefined;
            flush().then(resolve, reject);
          }),
        );
        // A caller that does not wait for the delete (as with SQLite's) must not crash the process when it
        // fails: the delete stays queued for the next write.
        scheduled.catch(() => undefined);
      }
      return scheduled;
    },

    flush,

    async retryLater(id, owner, nextAttemptAt, ambiguous) {
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
