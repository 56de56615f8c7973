/**
 * What the conversation core sends back: channel-agnostic replies with optional choices. Telegram shows
 * `choices` as buttons beside `text`; Zalo and the terminal, which have none, send `fallbackText` (the text
 * with the choices as numbered lines, answered by number or by word). Pure.
 */

import { splitMessage } from "../shared/split-message.ts";
import { choiceNumber } from "../shared/choices.ts";

/** One choice offered with a reply: the button label, and the text to send back as if the user typed it. */
export interface ReplyChoice {
  label: string;
  value: string;
}

/** A file sent with a reply where the channel can (the printable case summary). */
export interface ReplyAttachment {
  filename: string;
  mediaType: "text/html";
  content: string;
}

/** One message to the user. */
export interface Reply {
  /** The message without its choices (for channels with buttons). */
  text: string;
  /** Choices to show as buttons; absent when the reply asks nothing. */
  choices?: readonly ReplyChoice[];
  /** True when several choices may be picked (the deprivation question): send them as "1, 4, 7". */
  multiple?: boolean;
  /** The message with the choices as numbered lines, for channels without buttons. */
  fallbackText: string;
  /**
   * Which question this reply asks, as `flowId@version:stepKey`, for a channel to put in its button data:
   * a press on a button of an older question is recognised and answered with the current one.
   */
  question?: string;
  /** A file to send after the message (Telegram: a document; the terminal: a file saved; Zalo: a note). */
  attachment?: ReplyAttachment;
  /**
   * Set on the apology sent when the message could not be handled: the cause class ("storage:read_only",
   * "error:TypeError"), for the channel's log line. Never shown.
   */
  failure?: string;
}

/** Builds a {@link Reply}, rendering the fallback text from the choices. */
export function createReply(
  text: string,
  options: {
    choices?: readonly ReplyChoice[];
    multiple?: boolean;
    question?: string;
    attachment?: ReplyAttachment;
  } = {},
): Reply {
  const { choices, multiple, question, attachment } = options;
  const numbered = choices?.length
    ? `\n${choices.map((choice, i) => `${choiceNumber(choice, i)}. ${choice.label}`).join("\n")}`
    : "";
  return {
    text,
    ...(choices?.length ? { choices } : {}),
    ...(multiple ? { multiple } : {}),
    fallbackText: text + numbered,
    ...(question ? { question } : {}),
    ...(attachment ? { attachment } : {}),
  };
}

/**
 * Joins consecutive replies into one message where that reads better: a reply without choices followed by
 * another one ("Đã ghi: 3.500.000 đ." then the next question) becomes one message, as long as the result
 * stays within `limit`.
 */
export function mergeReplies(replies: readonly Reply[], limit: number): Reply[] {
  const merged: Reply[] = [];
  for (const reply of replies) {
    const previous = merged.at(-1);
    if (
      previous &&
      !previous.choices &&
      !previous.question &&
      !previous.attachment &&
      previous.text.length + reply.fallbackText.length + 2 <= limit &&
      previous.text.length < 600
    ) {
      merged[merged.length - 1] = {
        ...reply,
        text: `${previous.text}\n\n${reply.text}`,
        fallbackText: `${previous.text}\n\n${reply.fallbackText}`,
      };
    } else merged.push(reply);
  }
  return merged;
}

/**
 * Splits a reply that is too long for a channel into several, at line boundaries: the choices stay with
 * the last part. Both `text` and `fallbackText` of every part fit `limit`.
 */
export function splitReply(reply: Reply, limit: number): Reply[] {
  if (reply.fallbackText.length <= limit) return [reply];
  const numbered = reply.fallbackText.slice(reply.text.length);
  const parts = splitMessage(reply.text, limit);
  const last = parts.pop() ?? "";
  const replies = parts.map((text) => createReply(text));
  const options = {
    choices: reply.choices,
    multiple: reply.multiple,
    question: reply.question,
    attachment: reply.attachment,
  };
  if (last.length + numbered.length <= limit) replies.push(createReply(last, options));
  else {
    // The choices do not fit beside the last part: send them as a message of their own.
    replies.push(createReply(last));
    const choicesOnly = createReply("", options);
    const lines = splitMessage(choicesOnly.fallbackText, limit);
    for (const [i, text] of lines.entries()) {
      replies.push(i === lines.length - 1 ? { ...choicesOnly, text, fallbackText: text } : createReply(text));
    }
  }
  return replies;
}
