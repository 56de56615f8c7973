import { describe, expect, it } from "vitest";
import { STORAGE_CAUSE_TEXT, storageCause } from "./storage-cause.ts";

const coded = (code: string, message = "x") => Object.assign(new Error(message), { code });

describe("storageCause", () => {
  it("classes SQLite and file system errors", () => {
    expect(storageCause(coded("SQLITE_BUSY_SNAPSHOT"))).toBe("busy");
    expect(storageCause(coded("SQLITE_NOTADB"))).toBe("corrupt");
    expect(storageCause(coded("EROFS"))).toBe("read_only");
    expect(storageCause(coded("ENOSPC"))).toBe("full");
    expect(storageCause(new Error("no code"))).toBe("unknown");
  });

  it("classes PostgreSQL's SQLSTATE codes and the driver's connection failures", () => {
    expect(storageCause(coded("ECONNREFUSED"))).toBe("unreachable");
    expect(storageCause(coded("28P01"))).toBe("auth");
    expect(storageCause(coded("3D000"))).toBe("no_database");
    expect(storageCause(coded("57014"))).toBe("timeout");
    expect(storageCause(coded("55P03"))).toBe("timeout");
    expect(storageCause(coded("57P01"))).toBe("unreachable");
    expect(storageCause(coded("08006"))).toBe("unreachable");
    expect(storageCause(coded("25006"))).toBe("read_only");
    expect(storageCause(coded("53300"))).toBe("busy");
    expect(storageCause(coded("42P01"))).toBe("unknown");
    expect(storageCause(new Error("timeout exceeded when trying to connect"))).toBe("timeout");
    expect(storageCause(new Error("Connection terminated unexpectedly"))).toBe("unreachable");
  });

  it("has a Vietnamese explanation for every class", () => {
    for (const text of Object.values(STORAGE_CAUSE_TEXT)) expect(text.length).toBeGreaterThan(5);
  });
});
