/**
 * `npm run bench`: runs every bench/*.bench.ts one after another, each in its own process so that one
 * benchmark's memory and JIT state do not colour the next. Pass names to run a subset: `npm run bench -- kb`.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { machineReferenceMs } from "./support/machine.ts";

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((name) => name.endsWith(".bench.ts"))
  .filter((name) => wanted.length === 0 || wanted.some((w) => name.startsWith(w)))
  .sort();

// Read figures against this: the same work takes twice as long on some days' machines as on others.
const reference = () => `${machineReferenceMs().toFixed(0)} ms`;
console.log(
  `machine reference at start: ${reference()} for a fixed JavaScript workload (bench/support/machine.ts; ` +
    `compare with the reference printed with the figures in bench/README.md)`,
);
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file}`);
  const run = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", join(here, file)], {
    stdio: "inherit",
  });
  if (run.status !== 0) failed++;
}
console.log(`\nmachine reference at end: ${reference()}`);
process.exitCode = failed > 0 ? 1 : 0;
