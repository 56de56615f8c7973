import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startCheckpointer } from "./checkpointer.ts";
import { openDatabase, type AppDatabase } from "./database.ts";

let folder: string | undefined;
let database: AppDatabase | undefined;
afterEach(() => {
  database?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe("WAL checkpoints on a thread of their own", () => {
  it("copies the WAL into the database file while the connection itself never checkpoints", async () => {
    folder = mkdtempSync(join(tmpdir(), "hcs-checkpoint-"));
    const path = join(folder, "db.sqlite");
    database = openDatabase(path);
    const checkpointer = startCheckpointer(database, path, 20);
    expect(database.sqlite.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
    const before = statSync(path).size;
    database.sqlite.exec("create table filler (x text)");
    const insert = database.sqlite.prepare("insert into filler values (?)");
    database.sqlite.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run("x".repeat(1000));
    })();
    const deadline = Date.now() + 5000;
    while (statSync(path).size < before + 1_000_000 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(statSync(path).size).toBeGreaterThan(before + 1_000_000);
    await checkpointer.stop();
    expect(database.sqlite.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
  });
});
