import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import { numberedChoices } from "../choices.ts";
import type { Choice, Reply } from "../ports.ts";
import { splitMessage, TELEGRAM_MESSAGE_LIMIT } from "../../shared/split-message.ts";
import { encodeChoiceData } from "./callback-data.ts";

/** One Telegram message to send: plain text (no parse mode) and, on the last part of a reply, its buttons. */
export interface TelegramMessage {
  text: string;
  replyMarkup?: InlineKeyboardMarkup;
}

/** Labels up to this length are paired two per row (yes/no side by side); longer ones get a row each. */
const SHORT_LABEL = 14;

/**
 * Renders a reply as Telegram messages: the text split at 4,096 characters on line boundaries, and the choices as
 * inline buttons under the last part. If a button's data cannot fit Telegram's 64 bytes, all choices are shown
 * as numbered lines instead (the core understands the number or the word), so a reply is never lost.
 *
 * ```ts
 * for (const m of renderTelegramReply(reply)) await api.sendMessage(chatId, m.text, { reply_markup: m.replyMarkup });
 * ```
 */
export function renderTelegramReply(reply: Reply, limit = TELEGRAM_MESSAGE_LIMIT): TelegramMessage[] {
  const choices = reply.choices ?? [];
  const buttons = choices.length > 0 ? choiceButtons(choices, reply.stepId ?? "") : undefined;
  const text = choices.length > 0 && !buttons ? `${reply.text}\n\n${numberedChoices(choices)}` : reply.text;
  const parts = splitMessage(text, limit);
  if (buttons && parts.length === 0) parts.push("…");
  const messages: TelegramMessage[] = parts.map((part) => ({ text: part }));
  const last = messages[messages.length - 1];
  if (buttons && last) last.replyMarkup = { inline_keyboard: buttons };
  return messages;
}

function choiceButtons(choices: Choice[], stepId: string): InlineKeyboardButton[][] | undefined {
  const buttons: InlineKeyboardButton[] = [];
  for (const choice of choices) {
    const data = encodeChoiceData(stepId, choice.value);
    if (data === undefined) return undefined;
    buttons.push({ text: choice.label, callback_data: data });
  }
  const perRow = choices.every((c) => c.label.length <= SHORT_LABEL) ? 2 : 1;
  const rows: InlineKeyboardButton[][] = [];
  for (let i = 0; i < buttons.length; i += perRow) rows.push(buttons.slice(i, i + perRow));
  return rows;
}
