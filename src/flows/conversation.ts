/**
 * The channel-agnostic conversation core: `handle(userKey, text)` → replies. The terminal uses it now,
 * Telegram and Zalo next (issue 5). It loads the user's session, runs the engine and its effects, stores
 * the new state, and splits long replies to the channel's limit. It never throws: any failure becomes a
 * polite Vietnamese reply, and messages of one user are handled one after another (so two quick answers
 * cannot race) while different users proceed independently.
 */

import { z } from "zod";
import type { FlowSet } from "./definition.ts";
import { initialSnapshot, SNAPSHOT_FORMAT, type EngineContext, type Snapshot } from "./engine.ts";
import { MESSAGES } from "./messages.ts";
import type { EligibilityPort, KnowledgePort, SessionStorePort } from "./ports.ts";
import { createReply, mergeReplies, splitReply, type Reply } from "./reply.ts";
import { runTurn } from "./runner.ts";
import { TELEGRAM_MESSAGE_LIMIT } from "../shared/split-message.ts";

/** What the core is built from: the compiled flows, storage, and the two ports. */
export interface ConversationDeps {
  flows: FlowSet;
  sessions: SessionStorePort;
  knowledge: KnowledgePort;
  eligibility: EligibilityPort;
  /** The clock (tests pass a fixed one). */
  now?: () => Date;
  /** Time zone that decides "today" (answers like "năm ngoái", the assessment date). Default Vietnam. */
  timeZone?: string;
  /** Longest message the channel accepts; longer replies are split at line boundaries. Default 4,096. */
  maxMessageLength?: number;
  /**
   * Told about every failure, with where it happened; for the channel's logger. It never receives message
   * text or answers, only the error and a pseudonymous stage name.
   */
  onError?: (error: unknown, stage: string) => void;
}

/** A message from a user: plain text, or a button press carrying the question it belonged to. */
export interface UserMessage {
  text: string;
  /** `Reply.question` of the message whose button was pressed. */
  question?: string;
}

/** The conversation core. */
export interface Conversation {
  /**
   * Handles one message of one user and returns the replies to send, in order. Never rejects.
   * `maxMessageLength` overrides the core's limit for this call (e.g. Zalo's 2,000).
   */
  handle(
    userKey: string,
    message: string | UserMessage,
    options?: { maxMessageLength?: number },
  ): Promise<Reply[]>;
  /** The commands, for a channel's command menu (Telegram `setMyCommands`). */
  readonly commands: readonly { command: string; description: string }[];
  /** Deletes expired sessions now; returns how many. Also runs by itself at most once an hour. */
  purgeExpired(): number;
}

const answerSchema = z.union([
  z.strictObject({
    type: z.literal("value"),
    value: z.union([
      z.string(),
      z.number(),
      z.boolean(),
      z.array(z.union([z.string(), z.number(), z.boolean()])),
    ]),
  }),
  z.strictObject({ type: z.literal("unknown") }),
]);

/** A stored snapshot is untrusted input (older releases, manual edits): checked before use. */
const snapshotSchema = z.strictObject({
  format: z.literal(SNAPSHOT_FORMAT),
  mode: z.enum(["menu", "interview", "ask"]),
  noticeShown: z.boolean(),
  interview: z
    .strictObject({
      flowId: z.string(),
      flowVersion: z.number(),
      answers: z.record(z.string(), answerSchema),
      history: z.array(z.string()),
      pending: z.string().nullable(),
      misses: z.number().int().min(0),
    })
    .optional(),
});

const HOUR_MS = 60 * 60 * 1000;

const dateFormats = new Map<string, { format: Intl.DateTimeFormat; minute: number; date: string }>();

/** Today's date as ISO "YYYY-MM-DD" in a time zone. */
export function isoDateIn(date: Date, timeZone: string): string {
  // Formatting in a time zone is slow next to everything else a message costs; the date can only change on
  // a minute boundary (zone offsets are whole quarter hours), so remember it per minute.
  const minute = Math.floor(date.getTime() / 60_000);
  let cached = dateFormats.get(timeZone);
  if (!cached) {
    const format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    cached = { format, minute: Number.NaN, date: "" };
    dateFormats.set(timeZone, cached);
  }
  if (cached.minute !== minute) {
    cached.date = cached.format.format(date);
    cached.minute = minute;
  }
  return cached.date;
}

/**
 * Creates the conversation core over its dependencies.
 *
 * ```ts
 * const conversation = createConversation({ flows: loadFlows(), sessions, knowledge, eligibility });
 * const replies = await conversation.handle("telegram:42", "/kiemtra");
 * for (const reply of replies) send(reply.text, reply.choices); // or reply.fallbackText without buttons
 * ```
 */
export function createConversation(deps: ConversationDeps): Conversation {
  const now = deps.now ?? (() => new Date());
  const timeZone = deps.timeZone ?? "Asia/Ho_Chi_Minh";
  const defaultLimit = deps.maxMessageLength ?? TELEGRAM_MESSAGE_LIMIT;
  const context: EngineContext = { flows: deps.flows, ttlDays: deps.sessions.ttlDays };
  const report = (error: unknown, stage: string): void => {
    try {
      deps.onError?.(error, stage);
    } catch {
      // A failing logger must not turn into a failed reply.
    }
  };
  const ports = { knowledge: deps.knowledge, eligibility: deps.eligibility, onError: report };
  const queues = new Map<string, Promise<unknown>>();
  let lastPurge = 0;

  const purgeExpired = (): number => {
    lastPurge = now().getTime();
    return deps.sessions.purgeExpired();
  };

  function restore(userKey: string): { snapshot: Snapshot; replaced: boolean } {
    const stored = deps.sessions.load(userKey);
    if (!stored) return { snapshot: initialSnapshot(), replaced: false };
    const parsed = snapshotSchema.safeParse(stored.state);
    if (parsed.success) return { snapshot: parsed.data, replaced: false };
    return { snapshot: initialSnapshot(), replaced: true };
  }

  async function process(userKey: string, message: UserMessage, limit: number): Promise<Reply[]> {
    if (now().getTime() - lastPurge > HOUR_MS) {
      try {
        purgeExpired();
      } catch (error) {
        report(error, "purge");
      }
    }
    const { snapshot, replaced } = restore(userKey);
    const turn = await runTurn(
      context,
      snapshot,
      {
        type: "message",
        text: message.text,
        today: isoDateIn(now(), timeZone),
        ...(message.question ? { question: message.question } : {}),
      },
      ports,
    );
    if (turn.erase) deps.sessions.delete(userKey);
    if (turn.persist || replaced) {
      const interview = turn.snapshot.interview;
      deps.sessions.save(
        userKey,
        turn.snapshot,
        interview ? { id: interview.flowId, version: interview.flowVersion } : null,
      );
    }
    const replies = replaced ? [createReply(MESSAGES.flowChanged), ...turn.replies] : turn.replies;
    if (replies.length === 0) replies.push(createReply(MESSAGES.internal));
    return mergeReplies(replies, limit).flatMap((reply) => splitReply(reply, limit));
  }

  return {
    commands: Object.values(deps.flows.assistant.commands).map((c) => ({
      command: c.slash,
      description: c.description,
    })),
    purgeExpired,
    handle(userKey, message, options) {
      const limit = options?.maxMessageLength ?? defaultLimit;
      const input: UserMessage =
        typeof message === "string"
          ? { text: message }
          : {
              text: String(message?.text ?? ""),
              ...(message?.question ? { question: String(message.question) } : {}),
            };
      const key = String(userKey);
      const previous = queues.get(key) ?? Promise.resolve();
      const result = previous.then(
        () => process(key, input, limit),
        () => process(key, input, limit),
      );
      const safe = result.catch((error: unknown) => {
        report(error, "handle");
        return [createReply(MESSAGES.internal)];
      });
      queues.set(key, safe);
      void safe.then(() => {
        if (queues.get(key) === safe) queues.delete(key);
      });
      return safe;
    },
  };
}
