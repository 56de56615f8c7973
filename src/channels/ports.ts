/**
 * The port between the chat channels (Telegram, Zalo) and the conversation core. The channels only carry
 * text and choices; everything about the conversation (flows, eligibility, knowledge) stays behind
 * {@link ConversationCore}, so nothing channel-specific enters the core.
 */

/** One option the user can pick: shown as a button on Telegram and as a numbered line on Zalo. */
export interface Choice {
  /** What the user sees, in Vietnamese ("Có", "Không"). */
  label: string;
  /** What comes back to the core when the option is picked (a stable id, not the label). */
  value: string;
}

/** One message from the assistant to the user. A long `text` is split by the channel at its own limit. */
export interface Reply {
  text: string;
  /** Options for the current step: buttons on Telegram, numbered lines on Zalo. */
  choices?: Choice[];
  /**
   * The step the choices belong to, e.g. `eligibility@3:ask_income`. Telegram buttons carry it back so that the
   * core can recognise a stale button (after a restart or a flow change) and answer with the current step.
   */
  stepId?: string;
  /**
   * A file to send after the text (the printable case summary). Telegram sends it as a document; Zalo, whose
   * bots cannot send files, says where to get it instead.
   */
  attachment?: { filename: string; mediaType: "text/html"; content: string };
  /** Set by the core on the apology for a message it could not handle: the cause class, logged, never sent. */
  failure?: string;
}

/**
 * What the user sent. A typed message (commands such as `/batdau` included, and on Zalo the number or the word
 * of a numbered choice) is `text`; a pressed Telegram button is `choice`. When a button's data cannot be read
 * (made by an older version of the bot), `stepId` and `value` are empty strings: treat it as a stale button.
 */
export type Inbound = { type: "text"; text: string } | { type: "choice"; stepId: string; value: string };

/**
 * The conversation core as the channels see it.
 *
 * ```ts
 * const replies = await core.handle("telegram:123456", { type: "text", text: "/kiemtra" });
 * ```
 */
export interface ConversationCore {
  /** Never throws; one user's failure never affects another. userKey is "<channel>:<user id>". */
  handle(userKey: string, input: Inbound): Promise<Reply[]>;
}
