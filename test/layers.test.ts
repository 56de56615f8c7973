import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
// @ts-expect-error A plain script without declarations (it runs before anything is compiled).
import { checkLayers, importsOf } from "../bin/layers.mjs";

const check = checkLayers as (root: string) => string[];
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

describe("the layers of src/", () => {
  it("hold in this repository", () => {
    expect(check(ROOT)).toEqual([]);
  });

  describe("on a small tree", () => {
    let root: string | undefined;
    afterEach(() => {
      if (root) rmSync(root, { recursive: true, force: true });
    });

    function tree(files: Record<string, string>): string {
      root = mkdtempSync(join(tmpdir(), "layers-"));
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), text);
      }
      return root;
    }

    it("reports a layer importing one above, type-only imports included", () => {
      const problems = check(
        tree({
          "src/domain/eligibility.ts": 'import type { Reply } from "../flows/reply.ts";\n',
          "src/flows/reply.ts": "export type Reply = string;\n",
          "src/storage/database.ts": 'import { decide } from "../domain/eligibility.ts";\n',
        }),
      );
      expect(problems).toEqual([
        "src/domain/eligibility.ts (domain) imports src/flows/reply.ts (flows), a layer above",
      ]);
    });

    it("reports a pure module reaching I/O through another module, not through a type-only import", () => {
      const problems = check(
        tree({
          "src/staff/search-filters.ts": [
            'import type { AppDatabase } from "../storage/database.ts";',
            'import {\n  documentPlaces,\n} from "../knowledge/search.ts";',
          ].join("\n"),
          "src/knowledge/search.ts": 'import { sql } from "../storage/query.ts";\n',
          "src/storage/query.ts": 'export { sql } from "drizzle-orm";\n',
          "src/storage/database.ts": 'import Database from "better-sqlite3";\n',
          "src/staff/roles.ts": 'import type { AppDatabase } from "../storage/database.ts";\n',
        }),
      );
      expect(problems).toEqual([
        "src/staff/search-filters.ts is pure but reaches drizzle-orm: " +
          "src/staff/search-filters.ts → src/knowledge/search.ts → src/storage/query.ts",
      ]);
    });

    it("reports a module in no layer", () => {
      expect(check(tree({ "src/plugins/extra.ts": "export const x = 1;\n" }))).toEqual([
        "src/plugins/extra.ts: in no layer (add its folder to LAYERS in bin/layers.mjs)",
      ]);
    });
  });

  it("reads imports, re-exports and dynamic imports, not examples in comments", () => {
    const read = importsOf as (text: string) => { specifier: string; typeOnly: boolean }[];
    expect(
      read(
        [
          '/**\n * ```ts\n * import { x } from "./example.ts";\n * ```\n */',
          'import { a, type B } from "./a.ts";',
          'import type { C } from "./c.ts";',
          'export { d } from "./d.ts";',
          'export type { E } from "./e.ts";',
          'import "./side-effect.ts";',
          'const f = await import("./f.ts");',
        ].join("\n"),
      ),
    ).toEqual([
      { specifier: "./a.ts", typeOnly: false },
      { specifier: "./c.ts", typeOnly: true },
      { specifier: "./d.ts", typeOnly: false },
      { specifier: "./e.ts", typeOnly: true },
      { specifier: "./side-effect.ts", typeOnly: false },
      { specifier: "./f.ts", typeOnly: false },
    ]);
  });
});
