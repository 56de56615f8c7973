#!/usr/bin/env node
// Entry point of the `hoichinhsach` command. It runs the compiled JavaScript in dist/, compiling src/ first
// when dist/ is missing or older than the sources (see build.mjs), so a checkout works with `npm install` alone.
import { compiledEntry } from "./build.mjs";

const { main } = await import(compiledEntry());
process.exitCode = await main(process.argv.slice(2));
