/**
 * `hoichinhsach console`: the staff web console alone, for a single office PC without bots: the embedded SQLite
 * file, no token, on PORT (default 3000) of HOST (default 127.0.0.1, this computer only). Staff sign in with a
 * code from `hoichinhsach console-login <kênh:mã>` (or /dangnhap, when a bot shares the database).
 */
import { parseArgs } from "node:util";
import { startHttpServer, createHttpApp } from "../../server/http.ts";
import { formatConfigProblems, loadConfig, secretsOf } from "../../config.ts";
import { createConsoleMount, type ConsoleTuning } from "../../console/mount.ts";
import { createLogger } from "../../logging.ts";
import { UserInputError } from "../../shared/errors.ts";
import { openDatabase } from "../../storage/database.ts";
import { EXIT, write, type CliIO, type Command } from "../io.ts";

const USAGE = `Cách dùng: hoichinhsach console [--db TỆP]
  Mở trang làm việc của cán bộ tại http://HOST:PORT/console (mặc định http://127.0.0.1:3000/console).
  Cán bộ (STAFF_IDS) đăng nhập bằng mã một lần: hoichinhsach console-login telegram:123
  Biến môi trường: PORT, HOST, DATABASE_PATH, STAFF_IDS, CONSOLE_IDLE_MINUTES, TRUST_PROXY, USER_KEY_SECRET (xem .env.example).
`;

/** Options of {@link createConsoleCommand}, for tests. */
export interface ConsoleCommandOptions {
  signal?: AbortSignal;
  onListening?: (port: number) => void;
  tuning?: ConsoleTuning;
}

/** Builds the `console` command. */
export function createConsoleCommand(options: ConsoleCommandOptions = {}): Command {
  return async (args: string[], io: CliIO) => {
    let values: { db?: string; help?: boolean };
    try {
      values = parseArgs({
        args,
        options: { db: { type: "string" }, help: { type: "boolean", short: "h" } },
        strict: true,
      }).values;
    } catch {
      throw new UserInputError(`Tuỳ chọn không hợp lệ: ${args.join(" ")}\n${USAGE}`);
    }
    if (values.help) {
      await write(io.stdout, USAGE);
      return EXIT.ok;
    }
    const loaded = loadConfig(io.env);
    if (!loaded.ok) {
      io.stderr.write(`${formatConfigProblems(loaded.error)}\n`);
      return EXIT.badInput;
    }
    const config = { ...loaded.value, ...(values.db ? { databasePath: values.db } : {}) };
    if (!config.staffIds?.length) {
      io.stderr.write(
        "Chưa có cán bộ nào: đặt STAFF_IDS (ví dụ STAFF_IDS=telegram:123456) để có người đăng nhập được. / No staff configured: set STAFF_IDS.\n",
      );
      return EXIT.badInput;
    }
    const host = io.env.HOST?.trim() ? config.host : "127.0.0.1";
    const logger = createLogger({
      level: config.logLevel,
      secrets: secretsOf(config),
      destination: io.stdout,
    });
    const database = openDatabase(
      config.databasePath,
      config.userKeySecret ? { userKeySecret: config.userKeySecret } : {},
    );
    const mount = createConsoleMount(database, config, logger, options.tuning ?? {});
    const app = createHttpApp({ logger, webhooks: {}, readiness: () => database.probe(), mounts: [mount] });
    app.get("/", (c) => c.redirect("/console", 302));
    let server;
    try {
      server = await startHttpServer(app, { port: config.port, host });
    } catch (error) {
      database.close();
      const code = (error as { code?: unknown }).code;
      if (code === "EADDRINUSE" || code === "EACCES") {
        io.stderr.write(
          `Không mở được cổng ${config.port} (${String(code)}). / Cannot listen on port ${config.port}.\n`,
        );
        return EXIT.failure;
      }
      throw error;
    }
    logger.info({ port: server.port, host }, "console started");
    options.onListening?.(server.port);
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        resolve();
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
      options.signal?.addEventListener("abort", stop, { once: true });
    });
    await server.close(2000);
    mount.close();
    database.close();
    logger.info({}, "console stopped");
    return EXIT.ok;
  };
}

/** `hoichinhsach console`. */
export const run: Command = createConsoleCommand();
