/**
 * The console as a mount of an HTTP server: `serve` puts it under /console on its webhook server, and
 * `hoichinhsach console` serves it alone. Its data are loaded on the first request to /console, so a server
 * that never shows the console never pays for it.
 */
import type { Hono } from "hono";
import type { AppConfig } from "../config.ts";
import type { Logger } from "../logging.ts";
import type { AppDatabase } from "../storage/database.ts";
import { createConsoleApp } from "./app.ts";
import { createPdfPrinter, type PrintPdf } from "./pdf.ts";
import { removeOrphans, ScreeningJobs } from "./screen-jobs.ts";
import { createConsoleServices, type ConsoleServicesOptions } from "./services.ts";

/** What a test or benchmark may change. */
export interface ConsoleTuning extends Pick<ConsoleServicesOptions, "today" | "now" | "knowledgeDir"> {
  printPdf?: PrintPdf;
}

/** A prefix and the handler of everything under it; see `HttpAppOptions.mounts`. */
export interface ConsoleMount {
  prefix: "/console";
  fetch(request: Request, env: unknown): Response | Promise<Response>;
  /** Releases what the console opened (the database stays its owner's). */
  close(): void;
}

/** The console over an open database, configured like `serve`. */
export function createConsoleMount(
  database: AppDatabase,
  config: Pick<AppConfig, "staffIds" | "consoleIdleMinutes" | "trustProxy" | "publicUrl">,
  logger: Logger,
  tuning: ConsoleTuning = {},
  stores?: ConsoleServicesOptions["stores"],
): ConsoleMount {
  // Result files of a console that died before deleting them go at start.
  removeOrphans();
  let app: Hono | undefined;
  let close = (): void => {};
  const open = (): Hono => {
    if (app) return app;
    const services = createConsoleServices(database, {
      ...(config.staffIds ? { staffIds: config.staffIds } : {}),
      ...(config.consoleIdleMinutes ? { idleMs: config.consoleIdleMinutes * 60_000 } : {}),
      ...(tuning.today ? { today: tuning.today } : {}),
      ...(tuning.now ? { now: tuning.now } : {}),
      ...(tuning.knowledgeDir ? { knowledgeDir: tuning.knowledgeDir } : {}),
      ...(stores ? { stores } : {}),
    });
    const screening = new ScreeningJobs({ policy: services.policy, logger, today: () => services.today() });
    close = () => {
      screening.close();
      services.close();
    };
    app = createConsoleApp({
      screening,
      services,
      logger,
      printPdf: tuning.printPdf ?? createPdfPrinter(),
      httpsPublicUrl: config.publicUrl?.startsWith("https://") ?? false,
      trustProxy: config.trustProxy ?? false,
    }) as unknown as Hono;
    return app;
  };
  return {
    prefix: "/console",
    fetch: (request, env) => open().fetch(request, env),
    close: () => close(),
  };
}
