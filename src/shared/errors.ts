/**
 * A data file under knowledge/ or flows/ is broken. Thrown at load (start-up), never while serving: the
 * message names the file, the path inside it and how to fix it.
 */
export class DataFileError extends Error {
  override readonly name = "DataFileError";
  readonly file: string;
  readonly problems: string[];

  constructor(file: string, problems: string[], options?: { cause?: unknown }) {
    super(`${file}:\n${problems.map((p) => `  - ${p}`).join("\n")}`, options);
    this.file = file;
    this.problems = problems;
  }
}

/** The user's input to a command is unusable (exit code 2 on the CLI); the message is Vietnamese and user-safe. */
export class UserInputError extends Error {
  override readonly name = "UserInputError";
}

/**
 * The database file cannot be used (missing folder, read-only, corrupt, not SQLite). The message names the
 * file and the cause class, never the underlying error's text.
 */
export class StorageError extends Error {
  override readonly name = "StorageError";
  readonly file: string;
  readonly storageCause: string;

  constructor(file: string, storageCause: string, options?: { cause?: unknown }) {
    super(`Storage unusable: ${file} (${storageCause})`, options);
    this.file = file;
    this.storageCause = storageCause;
  }
}
