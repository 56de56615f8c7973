// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "data/", "coverage/", "dist/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
    },
  },
  {
    // The staff console's scripts run in the browser.
    files: ["src/console/static/**/*.js"],
    languageOptions: {
      globals: {
        document: "readonly",
        window: "readonly",
        navigator: "readonly",
        Element: "readonly",
        setTimeout: "readonly",
        fetch: "readonly",
      },
    },
  },
  {
    // Pure logic: no file system, database, network or channel code in here.
    files: [
      "src/domain/**/*.ts",
      "src/text/**/*.ts",
      "src/flows/engine.ts",
      "src/flows/answers.ts",
      // The rest of the flow engine's pure modules (the runner, loader, core and wiring do the I/O).
      "src/flows/{definition,household,intent,messages,ports,render,reply,schema,split,validate,walk}.ts",
      "src/shared/did-you-mean.ts",
      // Direct answers: everything but the loader.
      "src/answers/{schema,concepts,dates,compose,answerer,household}.ts",
      "src/knowledge/structure.ts",
      "src/knowledge/terms.ts",
      "src/knowledge/query.ts",
      "src/knowledge/citation.ts",
      "src/knowledge/format.ts",
      // Staff features: everything but the two loaders (referrals-load.ts, versions.ts).
      "src/staff/{roles,plan-outline,citations,documents,search-filters,quick-household,referrals,feedback,stats,case-summary,desk,rule-watch}.ts",
      // The console's HTML and form reading (its app, services and printer do the I/O).
      "src/console/{html,pages,check-form}.ts",
    ],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "node:*",
                "fs",
                "path",
                "http",
                "https",
                "better-sqlite3",
                "drizzle-orm",
                "drizzle-orm/*",
                "grammy",
                "grammy/*",
                "hono",
                "hono/*",
                "pino",
              ],
              message:
                "Pure modules take data and return data; do I/O in a loader, storage or channel module.",
            },
          ],
        },
      ],
    },
  },
);
