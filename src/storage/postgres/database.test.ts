import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../../../bin/pg-cluster.mjs";
import {
  asAdmin,
  postgresServerUrl,
  usePostgresDatabase,
  withDatabase,
} from "../../../test/support/postgres.ts";
import { StorageError } from "../../shared/errors.ts";
import { createPostgresDeliveryStore } from "./repositories/delivery.ts";
import { createPostgresRuleWatchRepository } from "./repositories/rule-watches.ts";
import { createPostgresSessionStore } from "./repositories/sessions.ts";
import {
  openPostgres,
  PG_MIGRATIONS_FOLDER,
  PostgresStorageError,
  SCOPE,
  UserLockTimeout,
  type PostgresDatabase,
  type PostgresOptions,
  type PostgresTransaction,
} from "./database.ts";

const SECRET = "pg-test-secret-0123456789abcdef0123456789";
const pg = usePostgresDatabase();
const opened: PostgresDatabase[] = [];
afterEach(async () => {
  for (const database of opened.splice(0)) await database.close();
});

async function open(url = pg.url(), options: Partial<PostgresOptions> = {}): Promise<PostgresDatabase> {
  const database = await openPostgres(url, { userKeySecret: SECRET, poolSize: 4, ...options });
  opened.push(database);
  return database;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What `open` threw. */
async function failure(url: string, options: Partial<PostgresOptions> = {}): Promise<PostgresStorageError> {
  try {
    await open(url, options);
  } catch (error) {
    return error as PostgresStorageError;
  }
  throw new Error("opened");
}

describe.runIf(pg.available)("openPostgres: migrations", () => {
  it("applies the committed migrations once when ten instances start at once", async () => {
    const url = await pg.another();
    const databases = await Promise.all(Array.from({ length: 10 }, () => open(url, { poolSize: 2 })));
    const journal = JSON.parse(readFileSync(join(PG_MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as {
      entries: unknown[];
    };
    const { rows } = await databases[0]!.query<{ n: number }>(
      "select count(*) as n from drizzle.__drizzle_migrations",
    );
    expect(journal.entries.length).toBeGreaterThan(0);
    expect(rows[0]?.n).toBe(journal.entries.length);
    for (const database of databases) expect(await database.probe()).toEqual({ ok: true });
    // And again later: nothing to apply.
    await open(url);
    const again = await databases[0]!.query<{ n: number }>(
      "select count(*) as n from drizzle.__drizzle_migrations",
    );
    expect(again.rows[0]?.n).toBe(journal.entries.length);
  });

  it("has every table of the SQLite schema but the knowledge base's", async () => {
    const database = await open();
    const { rows } = await database.query<{ name: string }>(
      "select table_name as name from information_schema.tables where table_schema = 'public' order by 1",
    );
    expect(rows.map((row) => row.name)).toEqual([
      "console_codes",
      "console_lockouts",
      "console_sessions",
      "feedback",
      "inbox",
      "outbox",
      "rule_watches",
      "sessions",
      "storage_probe",
      "usage_events",
    ]);
  });
});

describe.runIf(pg.available)("openPostgres: failures", () => {
  it("names host, port and database, never the password, when nothing listens on the port", async () => {
    const port = await freePort();
    const error = await failure(`postgres://hcs:sekret-pass@127.0.0.1:${port}/hcs`, {
      connectTimeoutMs: 2000,
    });
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ host: "127.0.0.1", port, database: "hcs", storageCause: "unreachable" });
    expect(error.message).toContain(`127.0.0.1:${port}/hcs`);
    expect(error.message).toContain("host and port");
    expect(error.message).not.toContain("sekret-pass");
  });

  it("says the password or user was refused", async () => {
    const url = new URL(pg.url());
    url.password = "wrong-password-here";
    const error = await failure(url.toString());
    expect(error).toMatchObject({ storageCause: "auth" });
    expect(error.message).toContain("user and password");
    expect(error.message).not.toContain("wrong-password-here");
  });

  it("says the database does not exist", async () => {
    const error = await failure(withDatabase(postgresServerUrl()!, "hcs_no_such_database"));
    expect(error).toMatchObject({ storageCause: "no_database", database: "hcs_no_such_database" });
  });

  it("probes without throwing: ok, then the cause once the database is gone", async () => {
    const url = await pg.another();
    const database = await open(url);
    expect(await database.probe()).toEqual({ ok: true });
    await asAdmin(`drop database ${new URL(url).pathname.slice(1)} with (force)`);
    const status = await database.probe();
    expect(status.ok).toBe(false);
    expect(["unreachable", "no_database"]).toContain(!status.ok && status.cause);
  });
});

describe.runIf(pg.available)("transactions", () => {
  it("joins the stores' statements about a user to the transaction open for the user, nested calls included", async () => {
    const database = await open();
    const sessions = createPostgresSessionStore(database);
    const userScope = (userKey: string): string => SCOPE.user(database.userKeys.digest(userKey));
    await expect(
      database.inTransaction(async () => {
        await sessions.save("telegram:1", { n: 1 }, null);
        // Named by one of its scopes, a nested call joins it.
        await database.inTransaction(
          () => sessions.save("telegram:1", { n: 2 }, null),
          [userScope("telegram:2"), userScope("telegram:1")],
        );
        expect((await sessions.load("telegram:1"))?.state).toEqual({ n: 2 });
        // Another user's statements are not part of it.
        await sessions.save("telegram:3", { n: 3 }, null);
        throw new Error("turn failed");
      }, [userScope("telegram:1")]),
    ).rejects.toThrow("turn failed");
    expect(await sessions.load("telegram:1")).toBeUndefined();
    expect(await sessions.load("telegram:3")).toBeDefined();
    expect(database.transactionIn(userScope("telegram:1"))).toBeUndefined();
    await database.inTransaction(
      () => sessions.save("telegram:1", { n: 4 }, null),
      [userScope("telegram:1")],
    );
    expect((await sessions.load("telegram:1"))?.state).toEqual({ n: 4 });
    const { rows } = await database.db.execute<{ n: number }>("select count(*)::int as n from sessions");
    expect(rows[0]?.n).toBe(2);
  });

  it("sends the writes held back with the COMMIT, and rolls everything back when one fails", async () => {
    const database = await open();
    const insert = (key: string) => ({
      text: `insert into sessions (user_key, state, updated_at, expires_at) values ($1, '{}', 0, $2)`,
      values: [key, Date.now() + 60_000],
    });
    const count = async (on: Pick<PostgresTransaction, "query"> = database): Promise<number> =>
      (await on.query<{ n: number }>("select count(*) as n from sessions where user_key like 'held-%'"))
        .rows[0]!.n;

    let held: Promise<unknown> | undefined;
    let ended: PostgresTransaction | undefined;
    await database.inTransaction(async (transaction) => {
      ended = transaction;
      held = transaction.hold(insert("held-1"));
      await transaction.query(insert("held-2").text, insert("held-2").values);
      // Not written yet: it goes with the COMMIT. Outside the transaction, neither is seen yet.
      expect(await count(transaction)).toBe(1);
      expect(await count()).toBe(0);
    });
    await expect(held).resolves.toMatchObject({ rowCount: 1 });
    expect(await count()).toBe(2);

    let failed: Promise<unknown> | undefined;
    await expect(
      database.inTransaction(async (transaction) => {
        failed = transaction.hold(insert("held-3"));
        await transaction.query(insert("held-4").text, insert("held-4").values);
        transaction.hold(insert("held-1")); // a repeated key: fails at the commit
      }),
    ).rejects.toThrow(/duplicate key/);
    await expect(failed).rejects.toThrow();
    expect(await count()).toBe(2);
    // Once the transaction ended, there is nothing to hold the statement for.
    expect(ended!.hold(insert("held-5"))).toBeUndefined();
  });

  it("runs what follows the commit outside the transaction, even when it was started inside", async () => {
    const database = await open();
    let afterwards: Promise<boolean> | undefined;
    await database.inTransaction(async (transaction) => {
      const held = transaction.hold({ text: "select 1 as one", values: [] })!;
      afterwards = held.then(async () => {
        // On a connection of the pool, not on the transaction's, which went back to it.
        await transaction.query("select 1");
        return transaction.hold({ text: "select 1", values: [] }) === undefined;
      });
    });
    expect(await afterwards).toBe(true);
  });

  it("reads a session saved in the user's transaction as saved, and deletes it for good", async () => {
    const database = await open();
    const sessions = createPostgresSessionStore(database);
    const scopes = [SCOPE.user(database.userKeys.digest("telegram:7"))];
    await database.inTransaction(async () => {
      await sessions.save("telegram:7", { step: 1 }, null);
      expect((await sessions.load("telegram:7"))?.state).toEqual({ step: 1 });
      await sessions.save("telegram:7", { step: 2 }, null);
      expect((await sessions.load("telegram:7"))?.state).toEqual({ step: 2 });
    }, scopes);
    expect((await sessions.load("telegram:7"))?.state).toEqual({ step: 2 });
    await database.inTransaction(async () => {
      await sessions.save("telegram:7", { step: 3 }, null);
      await sessions.delete("telegram:7");
    }, scopes);
    expect(await sessions.load("telegram:7")).toBeUndefined();
  });

  it("keeps a user's watch with the user's turn, and the notices' deletion of a watch out of it", async () => {
    const database = await open();
    const watches = createPostgresRuleWatchRepository(database);
    const household = {
      area: "urban",
      members: 3,
      monthlyIncome: 4_000_000,
      assessedOn: "2026-03-01",
    } as const;
    const summary = { category: "near_poor", programs: {} };
    const digest = (userKey: string): string => database.userKeys.digest(userKey);
    await watches.save("telegram:8", household, summary, "r1");
    await expect(
      database.inTransaction(async () => {
        // The resident opts in during a turn that then fails: the opt-in goes with it.
        await watches.save("telegram:9", household, summary, "r1");
        expect(await watches.has("telegram:9")).toBe(true);
        // The notices end a watch while a turn of its user is open: that deletion stands on its own.
        expect(await watches.delete(digest("telegram:8"))).toBe(true);
        throw new Error("turn failed");
      }, [SCOPE.user(digest("telegram:9")), SCOPE.user(digest("telegram:8"))]),
    ).rejects.toThrow("turn failed");
    expect(await watches.has("telegram:9")).toBe(false);
    expect(await watches.has("telegram:8")).toBe(false);
  });

  it("stores an update delivered to two instances at once exactly once", async () => {
    const [one, two] = await Promise.all([open(), open()]);
    const stores = [createPostgresDeliveryStore(one!), createPostgresDeliveryStore(two!)];
    const now = Date.now();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        Promise.all(
          stores.map((store, s) =>
            store.receive(
              { platform: "zalo", updateId: `race-${i}`, payload: "{}" },
              `i${s}`,
              now,
              now + 60_000,
            ),
          ),
        ),
      ),
    );
    for (const pair of results) expect(pair.filter((item) => item !== undefined)).toHaveLength(1);
    const { rows } = await one!.query<{ n: number }>(
      "select count(*) as n from inbox where update_id like 'race-%'",
    );
    expect(rows[0]?.n).toBe(40);
  });

  it("tells a repeat from the first delivery when both arrive together at one instance", async () => {
    const store = createPostgresDeliveryStore(await open());
    const now = Date.now();
    const receive = (updateId: string) =>
      store.receive({ platform: "zalo", updateId, payload: "{}" }, "i0", now, now + 60_000);
    // Received during one turn of the event loop: inserted in one statement.
    const [first, repeat, other] = await Promise.all([receive("twice"), receive("twice"), receive("once")]);
    expect(first).toMatchObject({ updateId: "twice", attempts: 1 });
    expect(repeat).toBeUndefined();
    expect(other).toMatchObject({ updateId: "once" });
    expect(await receive("twice")).toBeUndefined();
  });
});

describe.runIf(pg.available)("the outbox's deletes of sent replies", () => {
  it("tries a failed delete again with the chat's next statement, not over and over while the database is away", async () => {
    const database = await open();
    let down = false;
    let deletes = 0;
    const flaky: PostgresDatabase = {
      ...database,
      query: (text, values) => {
        if (text.startsWith("delete from outbox")) deletes++;
        return down
          ? Promise.reject(new Error("Connection terminated unexpectedly"))
          : database.query(text, values);
      },
    };
    const store = createPostgresDeliveryStore(flaky);
    const now = Date.now();
    const item = (await store.receive(
      { platform: "zalo", updateId: "d1", payload: "{}" },
      "a",
      now,
      now + 60_000,
    ))!;
    const reply = { platform: "zalo", target: "42", payload: "{}" };
    const [claimed] = (await store.complete(item.id, "a", [reply], now, now + 15_000))!;
    down = true;
    await store.finish(claimed!.id, "a");
    await sleep(100);
    // One attempt at the end of that turn of the event loop, then nothing while nothing else is written.
    expect(deletes).toBe(1);
    down = false;
    expect(await store.claimNext("zalo", "42", "a", now + 1, now + 15_000)).toBeUndefined();
    const { rows } = await database.query<{ n: number }>("select count(*) as n from outbox");
    expect(rows[0]?.n).toBe(0);
  });
});

describe.runIf(pg.available)("the outbox across instances", () => {
  it("claims one reply per chat when two instances complete turns for the same chat at once", async () => {
    const [one, two] = await Promise.all([open(), open()]);
    const stores = [createPostgresDeliveryStore(one!), createPostgresDeliveryStore(two!)];
    const now = Date.now();
    for (let round = 0; round < 20; round++) {
      const items = await Promise.all(
        stores.map(async (store, s) => ({
          store,
          item: (await store.receive(
            { platform: "telegram", updateId: `chat-${round}-${s}`, payload: "{}" },
            `i${s}`,
            now,
            now + 60_000,
          ))!,
          owner: `i${s}`,
        })),
      );
      const reply = { platform: "telegram", target: `chat-${round}`, payload: "{}" };
      const claimed = await Promise.all(
        items.map(({ store, item, owner }) =>
          store.complete(item.id, owner, [reply], now, now + 15_000, () => sleep(5)),
        ),
      );
      expect(claimed.flatMap((list) => list ?? [])).toHaveLength(1);
    }
  });
});

describe.runIf(pg.available)("the user's turn lock", () => {
  /** A turn as the app runs it: a transaction that starts with the user's lock (hcs_turn_start). */
  const withTurn = <T>(database: PostgresDatabase, user: string, fn: () => Promise<T> | T): Promise<T> =>
    createPostgresDeliveryStore(database).inTurn(0, "test", database.userKeys.digest(user), async () => fn());

  /**
   * Two turns at once on two instances, the order their starts and ends happened in. The first turn lasts until
   * the second has started, or a second when it cannot start (its user's lock is held).
   */
  async function twoTurns(first: string, second: string): Promise<string[]> {
    const [a, b] = await Promise.all([open(), open()]);
    const events: string[] = [];
    let secondStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (secondStarted = resolve));
    let firstStarted: () => void = () => undefined;
    const firstRunning = new Promise<void>((resolve) => (firstStarted = resolve));
    const firstTurn = withTurn(a!, first, async () => {
      events.push("A start");
      firstStarted();
      await Promise.race([started, sleep(1000)]);
      events.push("A end");
    });
    await firstRunning;
    const secondTurn = withTurn(b!, second, async () => {
      events.push("B start");
      secondStarted();
      await sleep(50);
      events.push("B end");
    });
    await Promise.all([firstTurn, secondTurn]);
    return events;
  }

  it("runs one user's turns one at a time across instances", async () => {
    expect(await twoTurns("user-1", "user-1")).toEqual(["A start", "A end", "B start", "B end"]);
  });

  it("runs two users' turns side by side", async () => {
    expect(await twoTurns("user-1", "user-2")).toEqual(["A start", "B start", "A end", "B end"]);
  });

  it("gives up with a clear error when the user's lock is held past the lock timeout", async () => {
    const holder = await open();
    const waiter = await open(pg.url(), { lockTimeoutMs: 200 });
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked: () => void = () => undefined;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holding = withTurn(holder, "user-9", async () => {
      locked();
      await held;
    });
    await isLocked;
    const started = Date.now();
    await expect(withTurn(waiter, "user-9", () => "never")).rejects.toBeInstanceOf(UserLockTimeout);
    expect(Date.now() - started).toBeLessThan(2000);
    release();
    await holding;
    expect(await withTurn(waiter, "user-9", () => "now")).toBe("now");
  });
});

describe.runIf(pg.available)("tryLeadership", () => {
  it("is held by one at a time, and passes on when released", async () => {
    const [a, b] = await Promise.all([open(), open()]);
    const leader = await a!.tryLeadership("rule-watch-check");
    expect(leader?.held).toBe(true);
    expect(await b!.tryLeadership("rule-watch-check")).toBeNull();
    const other = await b!.tryLeadership("purge");
    expect(other).not.toBeNull();
    await other!.release();
    await leader!.release();
    expect(leader!.held).toBe(false);
    const next = await b!.tryLeadership("rule-watch-check");
    expect(next).not.toBeNull();
    await next!.release();
  });

  it("goes with its connection: when the holder's connection dies, another instance takes over", async () => {
    const [a, b] = await Promise.all([open(), open()]);
    const leader = (await a!.tryLeadership("purge"))!;
    expect(await b!.tryLeadership("purge")).toBeNull();
    // The holder's backend killed, as when its process dies: the server drops its session locks.
    const { rows } = await b!.query<{ pid: number }>(
      "select pid from pg_locks where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database())",
    );
    expect(rows).toHaveLength(1);
    await b!.query("select pg_terminate_backend($1)", [rows[0]!.pid]);
    await leader.lost;
    expect(leader.held).toBe(false);
    const next = await b!.tryLeadership("purge");
    expect(next).not.toBeNull();
    await next!.release();
  });
});
