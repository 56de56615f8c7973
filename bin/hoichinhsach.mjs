#!/usr/bin/env node
// Entry point of the `hoichinhsach` command. It runs the compiled JavaScript in dist/, compiling src/ first
// when dist/ is missing or older than the sources (see build.mjs), so a checkout works with `npm install` alone.
import { compiledEntry } from "./build.mjs";

let entry;
try {
  entry = compiledEntry();
} catch (error) {
  // The compiler's own messages are already on stderr; no stack trace after them.
  process.stderr.write(`hoichinhsach: chưa chạy được, vì không biên dịch được src/: ${error.message}\n`);
  process.exit(1);
}
const { main } = await import(entry);
process.exitCode = await main(process.argv.slice(2));
