import { parseArgs } from "node:util";
import { createCore, startApp, type AppTuning, type CoreFactory } from "../../app.ts";
import { formatConfigProblems, loadConfig, secretsOf } from "../../config.ts";
import { createLogger } from "../../logging.ts";
import { UserInputError } from "../../shared/errors.ts";
import { EXIT, type Command } from "../io.ts";

/** Options of {@link createServeCommand}, for tests. */
export interface ServeCommandOptions {
  /** Stops the server when aborted, instead of waiting for SIGINT / SIGTERM. */
  signal?: AbortSignal;
  tuning?: AppTuning;
  /** Called once the server listens, with its port. */
  onListening?: (port: number) => void;
}

/**
 * Builds the `serve` command around a core factory: reads and validates the configuration, builds the core,
 * starts every configured channel and the HTTP server, and on SIGINT / SIGTERM stops gracefully (a second signal
 * forces the exit). Logs go to standard output as JSON lines.
 */
export function createServeCommand(makeCore: CoreFactory, options: ServeCommandOptions = {}): Command {
  return async (args, io) => {
    try {
      parseArgs({ args, options: {}, strict: true, allowPositionals: false });
    } catch {
      throw new UserInputError(
        "Lệnh serve không nhận tuỳ chọn nào; cấu hình bằng biến môi trường (xem .env.example).",
      );
    }
    const loaded = loadConfig(io.env);
    if (!loaded.ok) {
      io.stderr.write(`${formatConfigProblems(loaded.error)}\n`);
      return EXIT.badInput;
    }
    const config = loaded.value;
    if (!config.telegram && !config.zalo) {
      io.stderr.write(
        "Chưa có kênh nào: đặt TELEGRAM_BOT_TOKEN và/hoặc ZALO_BOT_TOKEN. / No channel configured: set TELEGRAM_BOT_TOKEN and/or ZALO_BOT_TOKEN.\n",
      );
      return EXIT.badInput;
    }
    if (!config.userKeySecret) {
      io.stderr.write(
        `${formatConfigProblems([
          "USER_KEY_SECRET: bắt buộc với serve, để khoá người dùng lưu trong cơ sở dữ liệu không dò ngược được (tạo bằng: openssl rand -base64 32) / required by serve, so that stored user keys cannot be reversed (generate with: openssl rand -base64 32)",
        ])}\n`,
      );
      return EXIT.badInput;
    }
    const logger = createLogger({
      level: config.logLevel,
      secrets: secretsOf(config),
      destination: io.stdout,
    });

    const core = await makeCore(config, { logger });

    let app;
    try {
      app = await startApp({ config, core, logger, ...(options.tuning ? { tuning: options.tuning } : {}) });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      await core.close?.();
      if (code === "EADDRINUSE" || code === "EACCES") {
        io.stderr.write(
          `Không mở được cổng ${config.port} (${String(code)}). / Cannot listen on port ${config.port}.\n`,
        );
        return EXIT.failure;
      }
      throw error;
    }
    options.onListening?.(app.port);

    const reason = await waitForStop(options.signal, () => {
      logger.warn({}, "second signal: exiting without waiting");
      process.exit(EXIT.failure);
    });
    logger.info({ reason }, "shutdown requested");
    await app.stop();
    await core.close?.();
    return EXIT.ok;
  };
}

/** Resolves with the signal's name on SIGINT / SIGTERM (or "aborted"); a second signal calls `force`. */
function waitForStop(signal: AbortSignal | undefined, force: () => void): Promise<string> {
  return new Promise((resolve) => {
    const onSignal = (name: NodeJS.Signals): void => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      process.once("SIGINT", force);
      process.once("SIGTERM", force);
      resolve(name);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    signal?.addEventListener(
      "abort",
      () => {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
        resolve("aborted");
      },
      { once: true },
    );
  });
}

/** `hoichinhsach serve`, carrying the core built by {@link createCore}. */
export const run: Command = createServeCommand(createCore);
