import { Api, GrammyError, HttpError } from "grammy";
import { parseArgs } from "node:util";
import { TELEGRAM_ALLOWED_UPDATES } from "../../channels/telegram/bot.ts";
import { createZaloClient } from "../../channels/zalo/client.ts";
import { ZaloApiError, ZaloHttpError } from "../../channels/zalo/errors.ts";
import {
  formatConfigProblems,
  loadConfig,
  secretsOf,
  webhookUrl,
  type AppConfig,
  type ChannelName,
} from "../../config.ts";
import { createRedactor } from "../../logging.ts";
import { UserInputError } from "../../shared/errors.ts";
import { EXIT, write, type Command } from "../io.ts";

const USAGE = `Cách dùng: hoichinhsach webhooks <set|info|delete> [--channel telegram|zalo] [--drop-pending]
  set     đăng ký webhook <PUBLIC_URL>/webhooks/<kênh> với secret đã cấu hình
  info    xem webhook đang đăng ký
  delete  gỡ webhook (quay về long polling)
Mặc định: mọi kênh có token. --drop-pending (Telegram): bỏ các cập nhật đang chờ.`;

type Action = "set" | "info" | "delete";

/**
 * `hoichinhsach webhooks set|info|delete`: registers, shows or removes the webhooks of the configured channels,
 * explicitly (serve never does it as a side effect). `set` needs PUBLIC_URL and each channel's secret. Prints
 * one line per channel; tokens never appear, even in errors. Exit 1 if any channel failed.
 */
export const run: Command = async (args, io) => {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { channel: { type: "string" }, "drop-pending": { type: "boolean", default: false } },
    });
  } catch {
    throw new UserInputError(USAGE);
  }
  const [action, ...extra] = parsed.positionals;
  if ((action !== "set" && action !== "info" && action !== "delete") || extra.length > 0)
    throw new UserInputError(USAGE);
  const only = parsed.values.channel;
  if (only !== undefined && only !== "telegram" && only !== "zalo") throw new UserInputError(USAGE);

  const loaded = loadConfig(io.env);
  if (!loaded.ok) {
    io.stderr.write(`${formatConfigProblems(loaded.error)}\n`);
    return EXIT.badInput;
  }
  const config = loaded.value;
  const channels = (["telegram", "zalo"] as const).filter(
    (c) => config[c] && (only === undefined || only === c),
  );
  if (channels.length === 0) {
    throw new UserInputError(
      only
        ? `Kênh ${only} chưa có token (${only === "telegram" ? "TELEGRAM_BOT_TOKEN" : "ZALO_BOT_TOKEN"}).`
        : "Chưa có kênh nào: đặt TELEGRAM_BOT_TOKEN và/hoặc ZALO_BOT_TOKEN.",
    );
  }
  if (action === "set" && !config.publicUrl) {
    throw new UserInputError(
      "Cần đặt PUBLIC_URL (địa chỉ https:// công khai của máy chủ) trước khi đăng ký webhook.",
    );
  }

  const redact = createRedactor(secretsOf(config));
  let failed = 0;
  for (const channel of channels) {
    try {
      const line = await perform(action, channel, config, parsed.values["drop-pending"] ?? false);
      await write(io.stdout, `${channel}: ${line}\n`);
    } catch (error) {
      failed++;
      await write(io.stderr, `${channel}: ${redact(describe(error))}\n`);
    }
  }
  return failed > 0 ? EXIT.failure : EXIT.ok;
};

async function perform(
  action: Action,
  channel: ChannelName,
  config: AppConfig,
  dropPending: boolean,
): Promise<string> {
  const settings = config[channel];
  if (!settings) throw new Error("not configured");
  if (channel === "telegram") {
    const api = new Api(settings.token, { apiRoot: settings.apiRoot });
    if (action === "set") {
      const url = webhookUrl(config.publicUrl ?? "", "telegram");
      await api.setWebhook(url, {
        secret_token: settings.webhookSecret ?? "",
        allowed_updates: [...TELEGRAM_ALLOWED_UPDATES],
        max_connections: 40,
        drop_pending_updates: dropPending,
      });
      return `đã đăng ký webhook → ${url}`;
    }
    if (action === "delete") {
      await api.deleteWebhook({ drop_pending_updates: dropPending });
      return "đã gỡ webhook (dùng long polling)";
    }
    const info = await api.getWebhookInfo();
    if (!info.url)
      return `chưa đăng ký webhook (long polling); ${info.pending_update_count} cập nhật đang chờ`;
    const lastError = info.last_error_message
      ? `; lỗi gần nhất: ${info.last_error_message} (${new Date((info.last_error_date ?? 0) * 1000).toISOString()})`
      : "";
    return `webhook ${info.url}; ${info.pending_update_count} cập nhật đang chờ${lastError}`;
  }

  const client = createZaloClient({ token: settings.token, apiRoot: settings.apiRoot });
  if (action === "set") {
    const url = webhookUrl(config.publicUrl ?? "", "zalo");
    await client.setWebhook({ url, secret_token: settings.webhookSecret ?? "" });
    return `đã đăng ký webhook → ${url}`;
  }
  if (action === "delete") {
    await client.deleteWebhook();
    return "đã gỡ webhook (dùng long polling)";
  }
  const info = await client.getWebhookInfo();
  if (!info.url) return "chưa đăng ký webhook (long polling)";
  const since = info.updated_at !== undefined ? ` (cập nhật ${formatTime(info.updated_at)})` : "";
  return `webhook ${info.url}${since}`;
}

function formatTime(value: number | string): string {
  const date = typeof value === "number" ? new Date(value < 1e12 ? value * 1000 : value) : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}

/** A one-line, operator-facing description of a failed call; the caller redacts it. */
function describe(error: unknown): string {
  if (error instanceof GrammyError) return `Bot API từ chối (${error.error_code}: ${error.description})`;
  if (error instanceof ZaloApiError)
    return `Bot API từ chối (${error.error_code ?? "?"}: ${error.description ?? ""})`;
  if (error instanceof HttpError || error instanceof ZaloHttpError)
    return `không gọi được Bot API (${error.message})`;
  return `lỗi: ${error instanceof Error ? error.message : String(error)}`;
}
