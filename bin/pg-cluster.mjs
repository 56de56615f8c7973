// A PostgreSQL cluster of one's own from Debian's `postgresql` package (initdb, pg_ctl), for the tests
// (test/support/postgres-server.ts) and for a developer (`npm run db:pg`, bin/db-pg.mjs). The server listens
// on 127.0.0.1 with password authentication (scram) for TCP, and on a unix socket in the cluster's folder.
// PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user (runuser), which owns
// the folder.
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  statSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";

const DEBIAN_ROOT = "/usr/lib/postgresql";

/** The newest Debian PostgreSQL's bin folder with initdb and pg_ctl, or null when none is installed. */
export function findPostgresBin() {
  if (!existsSync(DEBIAN_ROOT)) return null;
  const versions = readdirSync(DEBIAN_ROOT)
    .filter((name) => existsSync(join(DEBIAN_ROOT, name, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(DEBIAN_ROOT, versions[0], "bin") : null;
}

/** A TCP port free on 127.0.0.1 now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const asRoot = typeof process.getuid === "function" && process.getuid() === 0;

/** The `postgres` user's uid and gid, when running as root. */
function postgresIds() {
  const run = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  if (run.status !== 0)
    throw new Error("running as root, and there is no `postgres` user to run PostgreSQL as");
  return { uid: Number(run.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Runs a PostgreSQL program (as `postgres` when root); throws with its output when it fails. */
function run(bin, program, args) {
  const command = join(bin, program);
  const result = asRoot
    ? spawnSync("runuser", ["-u", "postgres", "--", command, ...args], { encoding: "utf8" })
    : spawnSync(command, args, { encoding: "utf8" });
  if (result.status !== 0)
    throw new Error(
      `${program} failed (${result.status ?? result.error?.message}): ${result.stderr || result.stdout}`,
    );
  return result.stdout;
}

/** Creates `folder` (owned by `postgres` when root). */
function ownedFolder(folder) {
  mkdirSync(dirname(folder), { recursive: true });
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  if (asRoot) {
    const { uid, gid } = postgresIds();
    chownSync(folder, uid, gid);
    // `postgres` must pass through the parent (search only; it cannot list it).
    const parent = dirname(folder);
    chmodSync(parent, statSync(parent).mode | 0o001);
  }
}

/**
 * Starts (initialising it first if needed) the cluster kept in `folder` on `port`, and returns its
 * connection URL (user `postgres`, the password stored in the folder). `fast` turns durability off (tests);
 * `settings` are more server settings (`name=value`).
 */
export function startCluster({
  bin,
  folder,
  port,
  fast = false,
  maxConnections = 100,
  settings: extra = [],
}) {
  ownedFolder(folder);
  const data = join(folder, "data");
  const passwordFile = join(folder, "password");
  if (!existsSync(join(data, "PG_VERSION"))) {
    const password = `pw${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    if (asRoot) {
      const { uid, gid } = postgresIds();
      chownSync(passwordFile, uid, gid);
    }
    run(bin, "initdb", [
      "-D",
      data,
      "-U",
      "postgres",
      `--pwfile=${passwordFile}`,
      "--auth-local=trust",
      "--auth-host=scram-sha-256",
      "-E",
      "UTF8",
      "--locale=C",
    ]);
  }
  const password = readFileSync(passwordFile, "utf8").trim();
  const settings = [
    `-p ${port}`,
    `-k ${folder}`,
    "-c listen_addresses=127.0.0.1",
    `-c max_connections=${maxConnections}`,
    ...(fast ? ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"] : []),
    ...extra.map((setting) => `-c ${setting}`),
  ].join(" ");
  run(bin, "pg_ctl", [
    "-D",
    data,
    "-l",
    join(folder, "server.log"),
    "-o",
    settings,
    "-w",
    "-t",
    "60",
    "start",
  ]);
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}

/** The cluster in `folder` runs (pg_ctl status). */
export function clusterRunning({ bin, folder }) {
  const data = join(folder, "data");
  if (!existsSync(join(data, "PG_VERSION"))) return false;
  const command = join(bin, "pg_ctl");
  const args = ["-D", data, "status"];
  const result = asRoot
    ? spawnSync("runuser", ["-u", "postgres", "--", command, ...args], { encoding: "utf8" })
    : spawnSync(command, args, { encoding: "utf8" });
  return result.status === 0;
}

/** The URL of the running cluster in `folder`, from its password file and postmaster.pid (its port). */
export function clusterUrl(folder) {
  const password = readFileSync(join(folder, "password"), "utf8").trim();
  const port = readFileSync(join(folder, "data", "postmaster.pid"), "utf8")
    .split("\n")[3]
    ?.trim();
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}

/** Stops the cluster in `folder` (fast shutdown: sessions are ended). */
export function stopCluster({ bin, folder, mode = "fast" }) {
  run(bin, "pg_ctl", ["-D", join(folder, "data"), "-m", mode, "-w", "stop"]);
}
