import { integer, sqliteTable } from "drizzle-orm/sqlite-core";

/** One row rewritten by the readiness check, to prove the file can be written now. */
export const storageProbe = sqliteTable("storage_probe", {
  id: integer("id").primaryKey(),
  checkedAt: integer("checked_at").notNull(),
});
