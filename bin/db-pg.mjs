#!/usr/bin/env node
// `npm run db:pg`: a PostgreSQL cluster for development under ./data/pg (Debian's `postgresql` package),
// started if it is not running, and the DATABASE_URL to use. `npm run db:pg -- stop` stops it.
import { join } from "node:path";
import {
  clusterRunning,
  clusterUrl,
  findPostgresBin,
  freePort,
  startCluster,
  stopCluster,
} from "./pg-cluster.mjs";

const folder = join(process.cwd(), "data", "pg");
const bin = findPostgresBin();
if (!bin) {
  process.stderr.write("PostgreSQL is not installed: sudo apt-get install postgresql (Debian, Ubuntu).\n");
  process.exit(1);
}
try {
  if (process.argv[2] === "stop") {
    if (clusterRunning({ bin, folder })) stopCluster({ bin, folder });
    process.stdout.write(`stopped (${folder})\n`);
  } else {
    const url = clusterRunning({ bin, folder })
      ? clusterUrl(folder)
      : startCluster({
          bin,
          folder,
          port: Number(process.env.PGPORT_DEV ?? 0) || (await freePort()),
          // Room for several instances' pools and the test suite's (.ci/run uses this server).
          maxConnections: 300,
        });
    process.stdout.write(`PostgreSQL running, data in ${folder}\nDATABASE_URL=${url}\n`);
  }
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
