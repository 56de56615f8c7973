#!/usr/bin/env node
// The compiled program: src/ (TypeScript) compiled by tsc into dist/ (JavaScript), which is what runs, so no
// TypeScript transpiler is loaded at run time.
//
// `compiledEntry()` (used by bin/hoichinhsach.mjs) returns dist/cli/main.js, compiling first when dist/ is
// missing or older than a file in src/ or a tsconfig: a checkout, a `git pull` or an edit never runs stale code,
// and a fresh build checks in a few milliseconds. Without src/ (the container image) dist/ is taken as it is.
// `node bin/build.mjs` compiles when needed (npm's `prepare` runs it after `npm install`); `--force` always.
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SRC = join(ROOT, "src");
const DIST = join(ROOT, "dist");
const ENTRY = join(DIST, "cli", "main.js");
/** Written after a successful build: when it started and how many source files there were. */
const STAMP = join(DIST, ".build-stamp.json");
/** Held (an atomic mkdir) while one process compiles, so that processes started together build once. */
const LOCK = join(ROOT, ".build-lock");
const CONFIGS = ["tsconfig.json", "tsconfig.build.json"].map((name) => join(ROOT, name));
/** Data that tsc does not copy but the compiled code reads next to itself. */
const COPIED = [join("storage", "migrations"), join("storage", "migrations-pg"), join("console", "static")];

/** The newest modification time of the sources and configs, and how many source files there are. */
function sourceState() {
  let newest = 0;
  let files = 0;
  for (const entry of readdirSync(SRC, { recursive: true, withFileTypes: true })) {
    // Tests are not compiled (tsconfig.build.json), so editing one needs no build.
    if (!entry.isFile() || entry.name.endsWith(".test.ts")) continue;
    files++;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  for (const config of CONFIGS) newest = Math.max(newest, statSync(config).mtimeMs);
  return { newest, files };
}

function readStamp() {
  try {
    return JSON.parse(readFileSync(STAMP, "utf8"));
  } catch {
    return undefined;
  }
}

/** True when dist/ holds a build of the sources as they are now. */
export function isFresh() {
  if (!existsSync(SRC)) return existsSync(ENTRY);
  const stamp = readStamp();
  if (!stamp || !existsSync(ENTRY)) return false;
  const state = sourceState();
  // A file removed or renamed changes the count.
  return state.files === stamp.files && state.newest < stamp.started;
}

function hasTypeScript() {
  try {
    createRequire(import.meta.url).resolve("typescript/bin/tsc");
    return true;
  } catch {
    return false;
  }
}

function compile() {
  const started = Date.now();
  const { files } = sourceState();
  const stamp = readStamp();
  // A file removed or renamed, or changed compiler options, leave output behind that only a full build clears.
  const configChanged = CONFIGS.some((config) => statSync(config).mtimeMs >= (stamp?.started ?? 0));
  if (stamp?.files !== files || configChanged) rmSync(DIST, { recursive: true, force: true });
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  } catch {
    throw new Error("dist/ is missing or out of date and TypeScript is not installed: run `npm install`.");
  }
  const run = spawnSync(process.execPath, [tsc, "-p", join(ROOT, "tsconfig.build.json")], {
    cwd: ROOT,
    // stdout is the program's own (a JSONL stream, say): the compiler speaks on stderr.
    stdio: ["ignore", 2, 2],
  });
  if (run.status !== 0) throw new Error(`tsc -p tsconfig.build.json failed (exit code ${run.status})`);
  for (const path of COPIED) cpSync(join(SRC, path), join(DIST, path), { recursive: true });
  writeFileSync(STAMP, JSON.stringify({ started, files }) + "\n");
}

/** Sleeps without an event loop (the CLI has not started one yet). */
function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Compiles if dist/ is not fresh (or `force`), once even when several processes ask together. */
export function build({ force = false, quiet = false } = {}) {
  if (!force && isFresh()) return;
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      // A lock left by a process that died while compiling is taken over after two minutes.
      if (Date.now() - statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs > 120_000) {
        rmSync(LOCK, { recursive: true, force: true });
      } else if (Date.now() > deadline) {
        throw new Error(`another build holds ${LOCK}; remove it if no build is running`);
      }
      sleep(200);
    }
  }
  try {
    if (!force && isFresh()) return; // built by the process that held the lock
    if (!quiet) process.stderr.write("hoichinhsach: biên dịch src/ sang dist/ (tsc)…\n");
    compile();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** The compiled entry module's URL, built first if needed. */
export function compiledEntry() {
  build();
  return pathToFileURL(ENTRY).href;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const force = process.argv.includes("--force");
  const prepare = process.argv.includes("--prepare");
  if (prepare && !existsSync(SRC)) {
    // `npm ci` in the image's build stage runs before the sources are copied in.
  } else if (prepare && !hasTypeScript()) {
    process.stderr.write("hoichinhsach: TypeScript is not installed (--omit=dev); dist/ not built.\n");
  } else {
    try {
      build({ force });
    } catch (error) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
    }
  }
}
