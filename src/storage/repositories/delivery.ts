import type { MaybePromise } from "../../shared/maybe-promise.ts";
import type { AppDatabase } from "../database.ts";

/** A stored update claimed for handling. */
export interface InboxItem {
  id: number;
  platform: string;
  updateId: string;
  /** The update as received, JSON. */
  payload: string;
  /** Times it was claimed, this one included. */
  attempts: number;
}

/** An update as received, to store in the inbox. */
export interface ReceivedUpdate {
  platform: string;
  updateId: string;
  /** The update as received, JSON. */
  payload: string;
  /** The sender's user key, plain ("zalo:abc"); stored as its keyed digest only. Absent for an update of no one. */
  userKey?: string;
}

/** A message to send, channel-rendered. */
export interface OutgoingMessage {
  platform: string;
  target: string;
  /** JSON. */
  payload: string;
}

/** An outbox row claimed for sending. */
export interface ClaimedMessage extends OutgoingMessage {
  id: number;
  /** Attempts, this one included. */
  attempts: number;
  /** Failures after which the message may have arrived (a crash during a send counts as one). */
  ambiguous: number;
}

/** A {@link DeliveryStore.receive} waiting for the group commit. */
export interface ReceiveRequest {
  update: ReceivedUpdate;
  owner: string;
  now: number;
  leaseUntil: number;
}

/** A {@link DeliveryStore.complete} waiting for the group commit. */
export interface CompleteRequest {
  inboxId: number;
  owner: string;
  messages: readonly OutgoingMessage[];
  now: number;
  leaseUntil: number;
  within?: () => MaybePromise<void>;
}

/** What became of one request of a group commit: what the single call returns, or why it failed. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * The durable inbox and outbox of the channels. Every method is one statement or one transaction; the claims
 * are guarded updates (`... where status = 'pending' or the lease ran out`) so that several processes can share
 * the tables, and nothing here depends on SQLite beyond its SQL dialect (`insert ... on conflict do nothing
 * returning`, `update ... returning`, both also PostgreSQL). Times are epoch milliseconds passed in by the
 * caller. Results may be promises: callers await them.
 */
export interface DeliveryStore {
  /**
   * Records a received update, already claimed by `owner` until `leaseUntil` (the receiving process handles it
   * at once). Undefined when `(platform, updateId)` is already known: a repeated delivery. `userKey` is the
   * sender's user key ("telegram:42"): only its keyed digest is stored, so that /xoa can find the update while it
   * waits, and the replies queued for it.
   */
  receive(
    update: ReceivedUpdate,
    owner: string,
    now: number,
    leaseUntil: number,
  ): MaybePromise<InboxItem | undefined>;
  /** Claims up to `limit` updates of `platform` that wait (pending, or their lease ran out), oldest first. */
  claimInbox(
    platform: string,
    owner: string,
    now: number,
    leaseUntil: number,
    limit: number,
  ): MaybePromise<InboxItem[]>;
  /**
   * In one transaction: marks the update handled (clearing its payload and user digest, keeping its key for
   * de-duplication), queues its replies (under the update's user digest) and
   * runs `within` (the turn's own writes, on the same connection). The first reply to a chat with nothing queued
   * is queued already claimed by `owner` until `leaseUntil`, and returned, to be sent at once. Undefined, and
   * nothing written, when `owner` no longer holds the update's lease.
   */
  complete(
    inboxId: number,
    owner: string,
    messages: readonly OutgoingMessage[],
    now: number,
    leaseUntil: number,
    within?: () => MaybePromise<void>,
  ): MaybePromise<ClaimedMessage[] | undefined>;
  /**
   * Group commit: the receives and completes, each as {@link receive} and {@link complete} make it, in one
   * transaction (one commit, and the pages they share written once). A request that fails has its own writes
   * rolled back and its error in its outcome; the others are kept. Throws, nothing written, when the transaction
   * itself fails.
   */
  commitBatch?(
    receives: readonly ReceiveRequest[],
    completes: readonly CompleteRequest[],
  ): {
    received: Outcome<InboxItem | undefined>[];
    completed: Outcome<ClaimedMessage[] | undefined>[];
  };
  /**
   * Claims the oldest message of a chat if it is due and not held by a live lease. A message found still
   * `sending` under an expired lease has its `ambiguous` count raised: its sender died mid-call.
   */
  claimNext(
    platform: string,
    target: string,
    owner: string,
    now: number,
    leaseUntil: number,
  ): MaybePromise<ClaimedMessage | undefined>;
  /** Chats whose oldest message is due and claimable, most overdue first. */
  dueChats(now: number, limit: number): MaybePromise<Array<{ platform: string; target: string }>>;
  /**
   * Deletes a message that was sent (or is given up), if `owner` still holds it. The delete is made with the
   * next write, or at the end of the event loop turn, whichever comes first: one commit for many messages.
   */
  finish(id: number, owner: string): MaybePromise<void>;
  /** Makes the deletes still waiting (before the database is closed). */
  flush(): MaybePromise<void>;
  /** Puts a claimed message back, to be tried again at `nextAttemptAt`. */
  retryLater(id: number, owner: string, nextAttemptAt: number, ambiguous: number): MaybePromise<void>;
  /**
   * At start-up: gives back what a previous run of the same `owner` had claimed when it stopped (its messages
   * still being sent count one ambiguous failure). Returns the rows released.
   */
  releaseOwn(owner: string): MaybePromise<{ updates: number; messages: number }>;
  /**
   * Gives back the messages of one chat that `owner` holds, as they were (not counted as ambiguous failures):
   * its sender knows it did not start sending them. Returns how many.
   */
  releaseChat(platform: string, target: string, owner: string): MaybePromise<number>;
  /** Forgets the keys of updates handled before `before`; returns how many. */
  purgeHandled(before: number): MaybePromise<number>;
  /** Updates not yet handled and messages not yet sent. */
  backlog(): MaybePromise<{ updates: number; messages: number }>;
}

/**
 * The SQLite {@link DeliveryStore}: the port, answered synchronously. `complete` runs `within` inside its
 * transaction and throws if it returns a promise (a transaction on the shared connection never spans an await).
 */
export interface SqliteDeliveryStore extends DeliveryStore {
  receive(...args: Parameters<DeliveryStore["receive"]>): InboxItem | undefined;
  claimInbox(...args: Parameters<DeliveryStore["claimInbox"]>): InboxItem[];
  complete(...args: Parameters<DeliveryStore["complete"]>): ClaimedMessage[] | undefined;
  claimNext(...args: Parameters<DeliveryStore["claimNext"]>): ClaimedMessage | undefined;
  dueChats(now: number, limit: number): Array<{ platform: string; target: string }>;
  finish(id: number, owner: string): void;
  flush(): void;
  retryLater(...args: Parameters<DeliveryStore["retryLater"]>): void;
  releaseOwn(owner: string): { updates: number; messages: number };
  releaseChat(platform: string, target: string, owner: string): number;
  purgeHandled(before: number): number;
  backlog(): { updates: number; messages: number };
  commitBatch: NonNullable<DeliveryStore["commitBatch"]>;
}

/**
 * The {@link DeliveryStore} over the application database (tables `inbox` and `outbox`). Statements are
 * prepared once on the raw handle: they run for every update.
 *
 * ```ts
 * const store = createDeliveryStore(openDatabase(":memory:"));
 * const item = store.receive({ platform: "zalo", updateId: "m1", payload }, "host:3000", now, now + 60_000);
 * ```
 */
export function createDeliveryStore(database: AppDatabase): SqliteDeliveryStore {
  const { sqlite } = database;
  // Deletes of sent messages, made in the next write's transaction (see finish()).
  let sent: Array<{ id: number; owner: string }> = [];
  const sentIds = new Set<number>();
  let flushScheduled = false;
  const deleteMessage = sqlite.prepare<{ id: number; owner: string }>(
    `delete from outbox where id = @id and lease_owner = @owner`,
  );
  const flushSent = (): void => {
    if (sent.length === 0) return;
    const batch = sent;
    sent = [];
    sentIds.clear();
    for (const row of batch) deleteMessage.run(row);
  };
  /** `write` in one transaction with the deletes waiting. */
  const withSent = <A extends unknown[], R>(write: (...args: A) => R): ((...args: A) => R) => {
    const tx = sqlite.transaction((...args: A) => {
      flushSent();
      return write(...args);
    });
    return (...args) => tx(...args);
  };

  const insertUpdate = sqlite.prepare<
    {
      platform: string;
      updateId: string;
      payload: string;
      userKey: string | null;
      owner: string;
      now: number;
      leaseUntil: number;
    },
    { id: number }
  >(
    `insert into inbox (platform, update_id, status, payload, user_key, attempts, received_at, lease_owner,
       lease_until)
     values (@platform, @updateId, 'processing', @payload, @userKey, 1, @now, @owner, @leaseUntil)
     on conflict (platform, update_id) do nothing
     returning id`,
  );
  const claimUpdates = sqlite.prepare<
    { platform: string; owner: string; now: number; leaseUntil: number; limit: number },
    InboxItem
  >(
    `update inbox set status = 'processing', lease_owner = @owner, lease_until = @leaseUntil,
       attempts = attempts + 1
     where id in (
         select id from inbox
         where platform = @platform and status <> 'done'
           and (status = 'pending' or (status = 'processing' and lease_until < @now))
         order by id limit @limit)
       and (status = 'pending' or (status = 'processing' and lease_until < @now))
     returning id, platform, update_id as updateId, payload, attempts`,
  );
  // The digest of the update's sender, read before markHandled clears it: the replies are queued under it.
  const heldUserKey = sqlite.prepare<{ id: number; owner: string }, { userKey: string | null }>(
    `select user_key as userKey from inbox where id = @id and status = 'processing' and lease_owner = @owner`,
  );
  const markHandled = sqlite.prepare<{ id: number; owner: string; now: number }>(
    `update inbox set status = 'done', payload = null, user_key = null, lease_owner = null, lease_until = null,
       handled_at = @now
     where id = @id and status = 'processing' and lease_owner = @owner`,
  );
  const insertMessage = sqlite.prepare<OutgoingMessage & { userKey: string | null; now: number }>(
    `insert into outbox (platform, target, payload, user_key, status, attempts, ambiguous, next_attempt_at,
       created_at)
     values (@platform, @target, @payload, @userKey, 'pending', 0, 0, @now, @now)`,
  );
  const insertClaimed = sqlite.prepare<
    OutgoingMessage & { userKey: string | null; now: number; owner: string; leaseUntil: number },
    { id: number }
  >(
    `insert into outbox (platform, target, payload, user_key, status, attempts, ambiguous, next_attempt_at,
       created_at, lease_owner, lease_until)
     values (@platform, @target, @payload, @userKey, 'sending', 1, 0, @now, @now, @owner, @leaseUntil)
     returning id`,
  );
  const chatHasQueued = sqlite.prepare<{ platform: string; target: string }, { one: number }>(
    `select 1 as one from outbox where platform = @platform and target = @target limit 1`,
  );
  const completeOne = (
    id: number,
    owner: string,
    messages: readonly OutgoingMessage[],
    now: number,
    leaseUntil: number,
    within: (() => MaybePromise<void>) | undefined,
  ): ClaimedMessage[] | undefined => {
    const held = heldUserKey.get({ id, owner });
    if (!held || markHandled.run({ id, owner, now }).changes !== 1) return undefined;
    const { userKey } = held;
    const claimed: ClaimedMessage[] = [];
    const seen = new Set<string>();
    for (const message of messages) {
      const chat = `${message.platform}:${message.target}`;
      if (!seen.has(chat) && !chatHasQueued.get(message)) {
        const row = insertClaimed.get({ ...message, userKey, now, owner, leaseUntil });
        if (row) claimed.push({ ...message, id: row.id, attempts: 1, ambiguous: 0 });
      } else insertMessage.run({ ...message, userKey, now });
      seen.add(chat);
    }
    const ran = within?.();
    if (ran instanceof Promise) {
      void ran.catch(() => undefined);
      throw new Error("complete: `within` must be synchronous on SQLite (it runs inside the transaction)");
    }
    return claimed;
  };
  const completeTx = withSent(completeOne);
  // Inside the group commit's transaction: a savepoint, so that a failing turn (its own writes) is undone alone.
  const completeNested = sqlite.transaction(completeOne);
  const claimMessage = sqlite.prepare<
    { platform: string; target: string; owner: string; now: number; leaseUntil: number },
    ClaimedMessage
  >(
    `update outbox set status = 'sending', lease_owner = @owner, lease_until = @leaseUntil,
       attempts = attempts + 1,
       ambiguous = ambiguous + case when status = 'sending' then 1 else 0 end
     where id = (select min(id) from outbox where platform = @platform and target = @target)
       and next_attempt_at <= @now
       and (status = 'pending' or lease_until < @now)
     returning id, platform, target, payload, attempts, ambiguous`,
  );
  // A chat's first messages, to see without writing whether there is one to claim (see claimNext).
  const chatHead = sqlite.prepare<
    { platform: string; target: string },
    { id: number; status: string; leaseUntil: number | null; nextAttemptAt: number }
  >(
    `select id, status, lease_until as leaseUntil, next_attempt_at as nextAttemptAt from outbox
     where platform = @platform and target = @target order by id limit 4`,
  );
  const selectDue = sqlite.prepare<{ now: number; limit: number }, { platform: string; target: string }>(
    `select platform, target from outbox o
     where next_attempt_at <= @now and (status = 'pending' or lease_until < @now)
       and id = (select min(id) from outbox h where h.platform = o.platform and h.target = o.target)
     order by next_attempt_at limit @limit`,
  );
  const putBack = sqlite.prepare<{ id: number; owner: string; at: number; ambiguous: number }>(
    `update outbox set status = 'pending', lease_owner = null, lease_until = null, next_attempt_at = @at,
       ambiguous = @ambiguous
     where id = @id and lease_owner = @owner`,
  );
  const releaseUpdates = sqlite.prepare<{ owner: string }>(
    `update inbox set status = 'pending', lease_owner = null, lease_until = null
     where status = 'processing' and lease_owner = @owner`,
  );
  const releaseMessages = sqlite.prepare<{ owner: string }>(
    `update outbox set status = 'pending', ambiguous = ambiguous + 1, lease_owner = null, lease_until = null
     where status = 'sending' and lease_owner = @owner`,
  );
  const releaseChatMessages = sqlite.prepare<{ platform: string; target: string; owner: string }>(
    `update outbox set status = 'pending', lease_owner = null, lease_until = null
     where platform = @platform and target = @target and status = 'sending' and lease_owner = @owner`,
  );
  const purge = sqlite.prepare<{ before: number }>(
    `delete from inbox where status = 'done' and handled_at < @before`,
  );
  const countUpdates = sqlite.prepare<[], { n: number }>(
    `select count(*) as n from inbox where status <> 'done'`,
  );
  const countMessages = sqlite.prepare<[], { n: number }>(`select count(*) as n from outbox`);

  const receiveOne = (update: ReceivedUpdate, owner: string, now: number, leaseUntil: number) =>
    insertUpdate.get({
      platform: update.platform,
      updateId: update.updateId,
      payload: update.payload,
      // Never the account id itself: the keyed digest every store uses (see user-keys.ts).
      userKey: update.userKey === undefined ? null : database.userKeys.digest(update.userKey),
      owner,
      now,
      leaseUntil,
    });
  const receiveTx = withSent(receiveOne);
  const itemOf = (update: ReceivedUpdate, row: { id: number } | undefined): InboxItem | undefined =>
    row
      ? {
          id: row.id,
          platform: update.platform,
          updateId: update.updateId,
          payload: update.payload,
          attempts: 1,
        }
      : undefined;
  /** One request of a group commit; a failure that ended the transaction ends the whole batch. */
  const attempt = <T>(run: () => T): Outcome<T> => {
    try {
      return { ok: true, value: run() };
    } catch (error) {
      if (!sqlite.inTransaction) throw error;
      return { ok: false, error };
    }
  };
  const batchTx = withSent((receives: readonly ReceiveRequest[], completes: readonly CompleteRequest[]) => ({
    received: receives.map((r) =>
      attempt(() => itemOf(r.update, receiveOne(r.update, r.owner, r.now, r.leaseUntil))),
    ),
    completed: completes.map((c) =>
      attempt(() => completeNested(c.inboxId, c.owner, c.messages, c.now, c.leaseUntil, c.within)),
    ),
  }));
  const claimNextTx = withSent(
    (platform: string, target: string, owner: string, now: number, leaseUntil: number) =>
      claimMessage.get({ platform, target, owner, now, leaseUntil }),
  );
  const flush = withSent(() => undefined);

  return {
    receive: (update, owner, now, leaseUntil) => itemOf(update, receiveTx(update, owner, now, leaseUntil)),
    claimInbox(platform, owner, now, leaseUntil, limit) {
      return claimUpdates.all({ platform, owner, now, leaseUntil, limit }).sort((a, b) => a.id - b.id);
    },
    complete: (inboxId, owner, messages, now, leaseUntil, within) =>
      completeTx(inboxId, owner, messages, now, leaseUntil, within),
    commitBatch: (receives, completes) => batchTx(receives, completes),
    claimNext(platform, target, owner, now, leaseUntil) {
      // Most often the chat's only row is the message just sent, its delete still waiting: nothing to claim,
      // and no write (no commit) to find that out.
      const head = chatHead.all({ platform, target });
      const first = head.find((row) => !sentIds.has(row.id));
      if (head.length < 4 && !first) return undefined;
      if (
        first &&
        (first.nextAttemptAt > now || (first.status !== "pending" && (first.leaseUntil ?? 0) >= now))
      )
        return undefined;
      return claimNextTx(platform, target, owner, now, leaseUntil);
    },
    dueChats(now, limit) {
      flush();
      return selectDue.all({ now, limit });
    },
    finish(id, owner) {
      sent.push({ id, owner });
      sentIds.add(id);
      if (flushScheduled) return;
      flushScheduled = true;
      setImmediate(() => {
        flushScheduled = false;
        // The database may have been closed meanwhile: then flush() was called before.
        if (sqlite.open) flush();
      });
    },
    flush,
    retryLater(id, owner, nextAttemptAt, ambiguous) {
      putBack.run({ id, owner, at: nextAttemptAt, ambiguous });
    },
    releaseChat: (platform, target, owner) => releaseChatMessages.run({ platform, target, owner }).changes,
    releaseOwn: (owner) => ({
      updates: releaseUpdates.run({ owner }).changes,
      messages: releaseMessages.run({ owner }).changes,
    }),
    purgeHandled: (before) => purge.run({ before }).changes,
    backlog() {
      flush();
      return { updates: countUpdates.get()?.n ?? 0, messages: countMessages.get()?.n ?? 0 };
    },
  };
}
