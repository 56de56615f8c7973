import { describe, expect, it } from "vitest";
import { usePostgresDatabase } from "../../../test/support/postgres.ts";
import { openPostgres } from "./database.ts";

const SECRET = "pg-test-secret-0123456789abcdef0123456789";
const pg = usePostgresDatabase();

describe.runIf(pg.available)("openPostgres", () => {
  it("opens, migrates and probes", async () => {
    const database = await openPostgres(pg.url(), { userKeySecret: SECRET });
    expect(await database.probe()).toEqual({ ok: true });
    const { rows } = await database.query<{ n: number }>("select count(*) as n from sessions");
    expect(rows).toEqual([{ n: 0 }]);
    await database.close();
  });
});
