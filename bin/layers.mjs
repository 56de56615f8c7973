#!/usr/bin/env node
// The layers of src/ and the pure modules, in one place: eslint.config.js builds its direct-import rule from
// them, and `node bin/layers.mjs` (run by `npm run lint`, and by test/layers.test.ts) walks the import graph
// for what a per-file rule cannot see: a layer importing one above it, and a pure module reaching I/O through
// another module. Test files are not checked.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, posix, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The layers, lowest first: a module may import its own layer and those below, never one above (type-only
 * imports included). A path ending in "/" is a folder.
 */
export const LAYERS = [
  { name: "foundation", paths: ["src/shared/", "src/text/", "src/logging.ts"] },
  { name: "domain", paths: ["src/domain/"] },
  { name: "flows", paths: ["src/flows/"] },
  { name: "storage", paths: ["src/storage/"] },
  { name: "knowledge", paths: ["src/knowledge/", "src/answers/"] },
  { name: "staff", paths: ["src/staff/"] },
  { name: "screening", paths: ["src/screening/"] },
  { name: "adapters", paths: ["src/config.ts", "src/channels/", "src/console/", "src/server/"] },
  { name: "root", paths: ["src/app.ts", "src/composition.ts", "src/postgres-backend.ts", "src/cli/"] },
];

/**
 * Pure modules take data and return data: neither they nor anything they import at run time (`import type`
 * is erased) may import an I/O package. Braces list files of one folder.
 */
export const PURE = [
  "src/domain/",
  "src/text/",
  "src/flows/{answers,definition,engine,household,intent,messages,ports,render,reply,schema,validate,walk}.ts",
  "src/shared/{choices,did-you-mean,errors,result,split-message,storage-cause}.ts",
  "src/answers/{schema,concepts,dates,compose,answerer,household,quick-household}.ts",
  "src/knowledge/{structure,terms,query,citation,format}.ts",
  "src/staff/{roles,plan-outline,citations,documents,search-filters,referrals,feedback,stats,case-summary,desk,rule-watch,scrub}.ts",
  "src/console/{html,pages,check-form}.ts",
  "src/screening/{columns,row,result}.ts",
];

/** Packages that do I/O (file system, database, network, channels, logging). */
export const IO_PACKAGES = [
  "node:*",
  "fs",
  "path",
  "http",
  "https",
  "better-sqlite3",
  "pg",
  "drizzle-orm",
  "drizzle-orm/*",
  "grammy",
  "grammy/*",
  "@grammyjs/*",
  "hono",
  "hono/*",
  "@hono/*",
  "pino",
];

/** {@link PURE} as ESLint `files` globs. */
export function pureGlobs() {
  return PURE.map((entry) => (entry.endsWith("/") ? `${entry}**/*.ts` : entry));
}

function expandPure() {
  return PURE.flatMap((entry) => {
    const braces = /^(.*)\{([^}]+)\}(.*)$/.exec(entry);
    return braces ? braces[2].split(",").map((name) => `${braces[1]}${name}${braces[3]}`) : [entry];
  });
}

function covers(path, entry) {
  return entry.endsWith("/") ? path.startsWith(entry) : path === entry;
}

function layerOf(path) {
  return LAYERS.findIndex((layer) => layer.paths.some((entry) => covers(path, entry)));
}

function isIoPackage(specifier) {
  return IO_PACKAGES.some((pattern) =>
    pattern.endsWith("*") ? specifier.startsWith(pattern.slice(0, -1)) : specifier === pattern,
  );
}

// Static imports and re-exports (`import type` / `export type` marked), and `import("…")` with a literal.
const STATIC = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?["']([^"']+)["']/gm;
const DYNAMIC = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

/** The imports of one file: `{ specifier, typeOnly }`. */
export function importsOf(text) {
  // Comments out, so that an example in a doc comment is not read as an import.
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const found = [];
  for (const match of code.matchAll(STATIC)) found.push({ specifier: match[3], typeOnly: Boolean(match[2]) });
  for (const match of code.matchAll(DYNAMIC)) found.push({ specifier: match[1], typeOnly: false });
  return found;
}

function sourceFiles(root, folder) {
  const files = [];
  for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
    const path = posix.join(folder, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(root, path));
    else if (path.endsWith(".ts") && !path.endsWith(".test.ts")) files.push(path);
  }
  return files;
}

/**
 * The violations in the tree at `root` (its `src/`), as readable lines; none when the layers hold.
 */
export function checkLayers(root) {
  const files = sourceFiles(root, "src");
  const known = new Set(files);
  /** Per file: its local imports (resolved paths) and the I/O packages it imports at run time. */
  const graph = new Map();
  const problems = [];
  for (const file of files) {
    const local = [];
    const io = [];
    for (const { specifier, typeOnly } of importsOf(readFileSync(join(root, file), "utf8"))) {
      if (specifier.startsWith(".")) {
        const target = posix.normalize(posix.join(posix.dirname(file), specifier));
        if (known.has(target)) local.push({ target, typeOnly });
      } else if (!typeOnly && isIoPackage(specifier)) io.push(specifier);
    }
    graph.set(file, { local, io });
  }

  for (const file of files) {
    const layer = layerOf(file);
    if (layer < 0) {
      problems.push(`${file}: in no layer (add its folder to LAYERS in bin/layers.mjs)`);
      continue;
    }
    for (const { target } of graph.get(file).local) {
      const targetLayer = layerOf(target);
      if (targetLayer > layer)
        problems.push(
          `${file} (${LAYERS[layer].name}) imports ${target} (${LAYERS[targetLayer].name}), a layer above`,
        );
    }
  }

  const pure = expandPure();
  for (const file of files.filter((path) => pure.some((entry) => covers(path, entry)))) {
    // Breadth first over run-time imports, so the chain reported is a shortest one.
    const via = new Map([[file, null]]);
    const queue = [file];
    while (queue.length > 0) {
      const current = queue.shift();
      const { local, io } = graph.get(current);
      if (io.length > 0) {
        const chain = [current];
        for (let step = via.get(current); step !== null; step = via.get(step)) chain.unshift(step);
        problems.push(`${file} is pure but reaches ${io[0]}: ${chain.join(" → ")}`);
        break;
      }
      for (const { target, typeOnly } of local)
        if (!typeOnly && !via.has(target)) {
          via.set(target, current);
          queue.push(target);
        }
    }
  }
  return problems;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  const problems = checkLayers(root);
  for (const problem of problems) console.error(problem.split(sep).join("/"));
  if (problems.length > 0) {
    console.error(
      `\n${problems.length} layer rule(s) broken; the layers are described in docs/development.md.`,
    );
    process.exit(1);
  }
  console.log(`Layers hold (${relative(process.cwd(), root) || "."}/src).`);
}
