// Apart from the driver: the CLI reports this error on every command without loading PostgreSQL's client.
import { StorageError } from "../../shared/errors.ts";
import { STORAGE_CAUSE_TEXT, type StorageCause } from "../../shared/storage-cause.ts";

/**
 * A PostgreSQL store that cannot be used: names `host:port/database` (never the password), the cause class and
 * what to check. A {@link StorageError} like SQLite's, so the same handling applies.
 */
export class PostgresStorageError extends StorageError {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  constructor(
    where: { host: string; port: number; database: string },
    cause: StorageCause,
    options?: { cause?: unknown },
  ) {
    super(`postgresql://${where.host}:${where.port}/${where.database}`, cause, options);
    this.host = where.host;
    this.port = where.port;
    this.database = where.database;
    this.message = `PostgreSQL unusable at ${this.file} (${cause}): ${STORAGE_CAUSE_TEXT[cause]}. ${CHECK[cause] ?? CHECK.unknown}`;
  }
}

const CHECK: Partial<Record<StorageCause, string>> = {
  unreachable:
    "Check that the server runs and that DATABASE_URL's host and port are right (and reachable from here).",
  auth: "Check the user and password in DATABASE_URL, and pg_hba.conf on the server.",
  timeout:
    "Check the server's load and the network; the waits are DATABASE_STATEMENT_TIMEOUT_MS and DATABASE_LOCK_TIMEOUT_MS.",
  no_database: "Create the database (createdb) or fix its name in DATABASE_URL.",
  read_only: "The server is read-only (a standby?): point DATABASE_URL at the primary.",
  full: "Free disk space on the server.",
  busy: "The server refuses more connections: lower DATABASE_POOL_SIZE or raise max_connections.",
  unknown: "Check DATABASE_URL and the server's log.",
};
