import { z } from "zod";

/**
 * Shapes of the Zalo Bot Platform's answers and updates, as documented in `shared/reference/zalo-bot-api.md`.
 * Objects are loose (unknown fields pass) and ids accept strings or numbers: the platform's documentation and
 * the clients seen in the wild disagree on details, so the schemas are tolerant where a reading is unverified.
 */

/** Every answer: `{ ok, result?, error_code?, description? }`. HTTP 200 does not mean success; `ok` does. */
export const ZaloEnvelope = z.looseObject({
  ok: z.boolean(),
  result: z.unknown().optional(),
  error_code: z.number().optional(),
  description: z.string().optional(),
});

const Id = z.union([z.string().min(1), z.number()]).transform(String);

/** A message inside an update. */
export const ZaloMessage = z.looseObject({
  message_id: Id,
  date: z.number().optional(),
  from: z.looseObject({ id: Id, display_name: z.string().optional(), is_bot: z.boolean().optional() }),
  chat: z.looseObject({ id: Id, chat_type: z.string().optional() }),
  text: z.string().optional(),
});

/** An inbound update, from getUpdates or a webhook delivery. */
export const ZaloUpdate = z.looseObject({
  event_name: z.string().min(1),
  message: ZaloMessage.optional(),
});

/** An inbound update. */
export type ZaloUpdate = z.infer<typeof ZaloUpdate>;

/** The event names the bot acts on; any other name is ignored without error. */
export const ZALO_MESSAGE_EVENTS = [
  "message.text.received",
  "message.image.received",
  "message.sticker.received",
  "message.voice.received",
  "message.unsupported.received",
] as const;

/** `getMe` result. */
export const ZaloBotInfo = z.looseObject({
  id: Id,
  account_name: z.string().optional(),
  account_type: z.string().optional(),
  can_join_groups: z.boolean().optional(),
});

/** `sendMessage` result. */
export const ZaloSentMessage = z.looseObject({ message_id: Id.optional(), date: z.number().optional() });

/** `getWebhookInfo` result. */
export const ZaloWebhookInfo = z.looseObject({
  url: z.string().optional(),
  updated_at: z.union([z.number(), z.string()]).optional(),
});
