#!/usr/bin/env node
// Entry point of the `hoichinhsach` command. The sources are TypeScript, run through tsx's loader so that a
// checkout works with `npm install` alone, with no separate build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
