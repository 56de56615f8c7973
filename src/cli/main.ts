import { suggest } from "../shared/did-you-mean.ts";
import { DataFileError, PollerTaken, StorageError, UserInputError } from "../shared/errors.ts";
import { PostgresStorageError } from "../storage/postgres/errors.ts";
import { STORAGE_CAUSE_TEXT, type StorageCause } from "../shared/storage-cause.ts";
import { EXIT, processIO, type CliIO, type Command } from "./io.ts";

/**
 * The sub-commands of `hoichinhsach`, loaded on demand so that a command only pays for what it uses
 * (`check` never opens the database, for instance).
 */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {};

/** Registers a sub-command; called by the command table below. */
function command(name: string, summary: string, load: () => Promise<Command>): void {
  COMMANDS[name] = { summary, load };
}

// === Command table (one line per command)
command("chat", "Trò chuyện với trợ lý (--script TỆP)", async () => (await import("./commands/chat.ts")).run);
command("serve", "chạy bot Telegram, Zalo và webhook", async () => (await import("./commands/serve.ts")).run);
command("webhooks", "đặt, xem, gỡ webhook", async () => (await import("./commands/webhooks.ts")).run);
command("ask", "Tra cứu kế hoạch giảm nghèo", async () => (await import("./commands/ask.ts")).run);
command("index", "Lập lại chỉ mục tra cứu", async () => (await import("./commands/index-kb.ts")).run);
command("check", "Xét điều kiện hưởng chính sách", async () => (await import("./commands/check.ts")).run);
command(
  "docs",
  "Danh sách kế hoạch (số, ngày, địa bàn, thời hạn)",
  async () => (await import("./commands/docs.ts")).run,
);
command("doc", "Xem trọn một mục của kế hoạch", async () => (await import("./commands/doc.ts")).run);
command(
  "referrals",
  "Nơi liên hệ (UBND xã, NHCSXH, trợ giúp pháp lý)",
  async () => (await import("./commands/referrals.ts")).run,
);
command(
  "feedback",
  "Xuất phản hồi Sai/Chưa rõ thành ca kiểm thử",
  async () => (await import("./commands/feedback.ts")).run,
);
command("stats", "Thống kê ẩn danh cho cán bộ", async () => (await import("./commands/stats.ts")).run);
command(
  "console",
  "Trang làm việc của cán bộ trên máy tính (/console)",
  async () => (await import("./commands/console.ts")).run,
);
command(
  "console-login",
  "Mã đăng nhập trang làm việc cho một cán bộ",
  async () => (await import("./commands/console-login.ts")).run,
);
command(
  "watches",
  "Báo cho người đăng ký khi quy định đổi",
  async () => (await import("./commands/watches.ts")).run,
);

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, { summary }]) => `  ${name.padEnd(10)} ${summary}`);
  return ["Cách dùng: hoichinhsach <lệnh> [tuỳ chọn]", "", "Các lệnh:", ...lines, ""].join("\n");
}

/**
 * Runs the CLI with the given arguments and returns the exit code. Never lets an exception reach the user as
 * a stack trace: input errors exit 2 with their Vietnamese message, broken data files exit 1 naming the file,
 * an unusable database exits 1 naming the file and the cause, anything else exits 1 with a short apology (details only with HOICHINHSACH_DEBUG=1).
 */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(usage());
    return name ? EXIT.ok : EXIT.badInput;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    const close = suggest(name, Object.keys(COMMANDS));
    const hint = close ? ` Có phải bạn muốn gõ "${close}"?` : "";
    io.stderr.write(`Không có lệnh "${name}".${hint}\n\n${usage()}`);
    return EXIT.badInput;
  }
  try {
    const run = await entry.load();
    return await run(args, io);
  } catch (error) {
    if (error instanceof UserInputError) {
      io.stderr.write(`${error.message}\n`);
      return EXIT.badInput;
    }
    if (error instanceof DataFileError) {
      io.stderr.write(`Tệp dữ liệu bị lỗi, cần sửa trước khi chạy:\n${error.message}\n`);
      return EXIT.failure;
    }
    if (error instanceof PostgresStorageError) {
      const cause = STORAGE_CAUSE_TEXT[error.storageCause as StorageCause] ?? error.storageCause;
      io.stderr.write(
        `Không dùng được cơ sở dữ liệu PostgreSQL ${error.file}: ${cause}. Kiểm tra DATABASE_URL.\n${error.message}\n`,
      );
      return EXIT.failure;
    }
    if (error instanceof PollerTaken) {
      io.stderr.write(`${error.message}\n`);
      return EXIT.failure;
    }
    if (error instanceof StorageError) {
      const cause = STORAGE_CAUSE_TEXT[error.storageCause as StorageCause] ?? error.storageCause;
      io.stderr.write(
        `Không dùng được tệp cơ sở dữ liệu "${error.file}": ${cause} (${error.storageCause}). Kiểm tra DATABASE_PATH hoặc --db.\n`,
      );
      return EXIT.failure;
    }
    io.stderr.write("Xin lỗi, đã có lỗi ngoài dự kiến. Vui lòng thử lại.\n");
    if (io.env.HOICHINHSACH_DEBUG === "1") io.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
    return EXIT.failure;
  }
}
