import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { StorageError } from "../shared/errors.ts";
import { openDatabase } from "./database.ts";

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
