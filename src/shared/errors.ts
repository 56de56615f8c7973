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

/**
 * Another instance already long-polls a channel's bot on the shared database: Telegram and Zalo allow one poller
 * per bot, so several instances must use webhooks.
 */
export class PollerTaken extends Error {
  override readonly name = "PollerTaken";
  readonly channel: string;

  constructor(channel: string) {
    super(
      `Một tiến trình khác đang nhận tin ${channel} bằng long polling trên cùng cơ sở dữ liệu; nhiều tiến trình phải dùng webhook (đặt PUBLIC_URL). / Another instance is already long-polling ${channel} on this database; several instances must use webhooks (set PUBLIC_URL).`,
    );
    this.channel = channel;
  }
}
