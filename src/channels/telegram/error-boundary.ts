import type { BotError, Context } from "grammy";
import type { Logger } from "../../logging.ts";
import { channelMessage } from "../messages.ts";

/**
 * The Telegram channel's error boundary: whatever escapes the handlers of one update is logged with its update
 * id, and the user is always told something polite (never the error's own message). A failure here never
 * reaches another update.
 *
 * ```ts
 * const guarded = bot.errorBoundary(telegramErrorBoundary(logger));
 * ```
 */
export function telegramErrorBoundary(logger: Logger): (error: BotError<Context>) => Promise<void> {
  return async (error) => {
    const ctx = error.ctx;
    logger.error({ channel: "telegram", update_id: ctx.update.update_id, err: error.error }, "update failed");
    const chatId = ctx.chat?.id ?? ctx.from?.id;
    if (chatId === undefined) return;
    if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
    await ctx.api.sendMessage(chatId, channelMessage("internal")).catch((sendError: unknown) => {
      logger.warn(
        { channel: "telegram", update_id: ctx.update.update_id, err: sendError },
        "apology not delivered",
      );
    });
  };
}
