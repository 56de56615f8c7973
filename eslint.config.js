// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import { IO_PACKAGES, pureGlobs } from "./bin/layers.mjs";

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
    // Pure logic: no file system, database, network or channel code in here. The list, and the layers, are
    // in bin/layers.mjs, which `npm run lint` also runs to follow imports through other modules.
    files: pureGlobs(),
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: IO_PACKAGES,
              message:
                "Pure modules take data and return data; do I/O in a loader, storage or channel module.",
            },
          ],
        },
      ],
    },
  },
);
