import { bigint, integer, pgTable } from "drizzle-orm/pg-core";

/** One row rewritten by the readiness check, to prove the database can be written now. */
export const storageProbe = pgTable("storage_probe", {
  id: integer("id").primaryKey(),
  checkedAt: bigint("checked_at", { mode: "number" }).notNull(),
});
