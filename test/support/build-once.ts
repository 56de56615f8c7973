/**
 * Global setup of the e2e project: compiles src/ into dist/ if it is missing or stale (bin/build.mjs), once,
 * so that the CLI processes the tests spawn start at once and never compile side by side.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  const build = fileURLToPath(new URL("../../bin/build.mjs", import.meta.url));
  const run = spawnSync(process.execPath, [build], { stdio: "inherit" });
  if (run.status !== 0) throw new Error(`bin/build.mjs failed (exit code ${run.status})`);
}
