/**
 * The one place a channel's user key ("telegram:123") becomes what is stored: an HMAC-SHA-256 digest keyed
 * with a server secret, so the database file alone cannot be matched against every possible account id. Where
 * the account itself must be reached again (a rule-change notice), the key is stored sealed (AES-256-GCM with
 * a key derived from the same secret) next to its digest.
 */

import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** Digest and seal user keys with one secret. */
export interface UserKeys {
  /** The stored form of a user key: deterministic, so it can be looked up, and irreversible without the secret. */
  digest(userKey: string): string;
  /** The user key encrypted, for what must be delivered later; {@link open} reverses it. */
  seal(userKey: string): string;
  /** The user key back from {@link seal}; null when it was sealed with another secret or is damaged. */
  open(sealed: string): string | null;
}

/** Shortest accepted secret, in characters (32 random bytes in base64 or hex are longer). */
export const MIN_SECRET_LENGTH = 32;

/**
 * Digests and seals keyed with `secret`.
 *
 * ```ts
 * const keys = createUserKeys(process.env.USER_KEY_SECRET!);
 * keys.digest("telegram:42"); // "f3Q…", the same on every call
 * ```
 */
export function createUserKeys(secret: string): UserKeys {
  if (secret.length < MIN_SECRET_LENGTH)
    throw new RangeError(`The user key secret must be at least ${MIN_SECRET_LENGTH} characters`);
  // Separate keys for the two uses, so a digest never doubles as encryption material.
  const digestKey = createHmac("sha256", secret).update("user-key-digest/v1").digest();
  const sealKey = createHmac("sha256", secret).update("user-key-seal/v1").digest();
  // A user's messages come in runs; the digest is on every message's path.
  const recent = new Map<string, string>();
  return {
    digest(userKey) {
      let value = recent.get(userKey);
      if (value === undefined) {
        value = createHmac("sha256", digestKey).update(userKey, "utf8").digest("base64url");
        if (recent.size >= 5000) recent.clear();
        recent.set(userKey, value);
      }
      return value;
    },
    seal(userKey) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", sealKey, iv);
      const body = Buffer.concat([cipher.update(userKey, "utf8"), cipher.final()]);
      return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url")}`;
    },
    open(sealed) {
      if (!sealed.startsWith("v1.")) return null;
      const raw = Buffer.from(sealed.slice(3), "base64url");
      if (raw.length < 28) return null;
      try {
        const decipher = createDecipheriv("aes-256-gcm", sealKey, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
      } catch {
        return null;
      }
    },
  };
}

/** Where the terminal keeps its own secret: next to the database file. */
export function secretFileFor(databasePath: string): string {
  return `${databasePath}.key`;
}

/**
 * The secret in `path`, created (random, owner-only permissions) when the file does not exist. For the
 * terminal and the staff commands, which run without configuration; `serve` takes USER_KEY_SECRET instead.
 */
export function loadOrCreateSecretFile(path: string): string {
  try {
    const existing = readFileSync(path, "utf8").trim();
    if (existing.length >= MIN_SECRET_LENGTH) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(dirname(path), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  // The mode above is narrowed by the umask only; make sure of it even over an existing empty file.
  chmodSync(path, 0o600);
  return secret;
}

/**
 * The user keys for a database: keyed with `USER_KEY_SECRET` when it is set, otherwise with the secret file
 * next to the database (created on first use), or a throw-away secret for an in-memory database.
 */
export function userKeysFor(databasePath: string, env: NodeJS.ProcessEnv = {}): UserKeys {
  const configured = env.USER_KEY_SECRET?.trim();
  if (configured) return createUserKeys(configured);
  if (databasePath === ":memory:") return createUserKeys(randomBytes(32).toString("base64url"));
  return createUserKeys(loadOrCreateSecretFile(secretFileFor(databasePath)));
}
