import { defineConfig } from "drizzle-kit";

// `npm run db:generate` writes a new SQL migration into src/storage/migrations from the schema files;
// the migrations are committed and applied at start-up by openDatabase().
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/storage/schema/*.ts",
  out: "./src/storage/migrations",
});
