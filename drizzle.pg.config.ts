import { defineConfig } from "drizzle-kit";

// The PostgreSQL twin of drizzle.config.ts: `npm run db:generate` writes both dialects' migrations; these
// are committed in src/storage/migrations-pg and applied at start-up by openPostgres().
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/storage/postgres/schema/*.ts",
  out: "./src/storage/migrations-pg",
});
