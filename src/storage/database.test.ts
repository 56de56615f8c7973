import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { StorageError } from "../shared/errors.ts";
import { MIGRATIONS_FOLDER, openDatabase } from "./database.ts";
import { createRuleWatchStore } from "../staff/services/rule-watches.ts";

const scratch = mkdtempSync(join(tmpdir(), "hcs-db-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("openDatabase", () => {
  it("turns secure delete on", () => {
    const database = openDatabase(":memory:");
    expect(database.sqlite.pragma("secure_delete", { simple: true })).toBe(1);
    database.close();
  });

  it("names the file and the cause when the file is not a database", () => {
    const path = join(scratch, "garbage.db");
    writeFileSync(path, "not a database ".repeat(400));
    let thrown: unknown;
    try {
      openDatabase(path);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StorageError);
    expect(thrown).toMatchObject({ file: path, storageCause: "corrupt" });
  });
});

describe("moving a database to keyed digests (migration 0005)", () => {
  it("starts sessions afresh and says how many, drops unlinked questions, seals watches", () => {
    // A database as the release before left it: migrations up to 0004 only.
    const folder = join(scratch, "migrations-0004");
    cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
    const journalPath = join(folder, "meta", "_journal.json");
    const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
    journal.entries = journal.entries.filter((entry) => entry.tag < "0005");
    writeFileSync(journalPath, JSON.stringify(journal));
    const path = join(scratch, "old.db");
    const old = new Database(path);
    migrate(drizzle(old), { migrationsFolder: folder });
    old.exec(`
      insert into sessions (user_key, state, updated_at, expires_at) values ('plain-sha', '{}', 0, 9999999999999);
      insert into usage_events (day, kind, answered, question) values ('2026-01-01', 'search', 0, 'nha so 5');
      insert into rule_watches (user_key, household, last_summary, rules_version, created_on, checked_on, expires_on)
        values ('telegram:9', '{}', '{}', 'r', '2026-01-01', '2026-01-01', '2099-01-01');`);
    old.close();

    const database = openDatabase(path, { userKeySecret: "m".repeat(40) });
    expect(database.droppedSessions).toBe(1);
    const count = (sql: string) => database.sqlite.prepare(sql).pluck().get();
    expect(count("select count(*) from sessions")).toBe(0);
    expect(count("select count(*) from usage_events where question is not null")).toBe(0);
    expect(count("select count(*) from usage_events")).toBe(1);
    expect(createRuleWatchStore(database).has("telegram:9")).toBe(true);
    expect(count("select count(*) from rule_watches where user_key like 'telegram:%'")).toBe(0);
    database.close();
    const again = openDatabase(path, { userKeySecret: "m".repeat(40) });
    expect(again.droppedSessions).toBe(0);
    again.close();
  });
});

describe("the storage probe", () => {
  it("is ok while the file can be read and written", () => {
    const database = openDatabase(join(scratch, "ok.db"));
    expect(database.probe()).toEqual({ ok: true });
    database.close();
  });

  it("notices the file deleted, or deleted and re-created, while open", () => {
    const path = join(scratch, "deleted.db");
    const database = openDatabase(path);
    unlinkSync(path);
    expect(database.probe()).toEqual({ ok: false, cause: "missing" });
    writeFileSync(path, "");
    expect(database.probe()).toEqual({ ok: false, cause: "replaced" });
    database.close();
  });

  it("notices storage that can no longer be written", () => {
    const database = openDatabase(join(scratch, "read-only.db"));
    // File modes do not stop the superuser tests may run as; this refuses writes the same way.
    database.sqlite.pragma("query_only = ON");
    expect(database.probe()).toEqual({ ok: false, cause: "read_only" });
    database.close();
  });
});
