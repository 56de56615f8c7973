/**
 * The channel-agnostic conversation core: `handle(userKey, text)` → replies, shared by the terminal,
 * Telegram and Zalo. It loads the user's session, runs the engine and its effects, stores
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
import { runTurn, type TurnResult } from "./runner.ts";
import type { MaybePromise } from "../shared/maybe-promise.ts";
import { TELEGRAM_MESSAGE_LIMIT } from "../shared/split-message.ts";
import { storageCause } from "../shared/storage-cause.ts";
import { stripInvisible } from "../text/vietnamese.ts";

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
  /** What runs around the flows for every message (the staff desk, feedback, statistics); optional. */
  extension?: ConversationExtension;
  /**
   * Erases everything stored about a user (/xoa) in every store, not only the session; without it, /xoa
   * deletes the session.
   */
  erase?: (userKey: string) => MaybePromise<void>;
  /** Deletes what outlived its retention period besides sessions (kept questions); run with the purge. */
  purgeRetained?: () => MaybePromise<number>;
  /**
   * Whether a message purges what expired when the last purge is an hour old (default true). Off where the
   * purge is scheduled work of its own (several instances on one database: one of them runs it).
   */
  purgeOnMessages?: boolean;
}

/**
 * Something that runs around the flows without being part of them: it sees each message before the engine
 * (and may answer it itself), and each turn's outcome after (and may add replies). What it remembers is kept
 * in the user's session, so it expires with the session and /xoa deletes it. It must not throw for a
 * message; if it does, the core carries on as if it were absent.
 */
export interface ConversationExtension {
  /** Before the engine. `state` is what the extension returned last time for this user (untrusted JSON). */
  before(userKey: string, message: UserMessage, state: unknown): MaybePromise<ExtensionStep>;
  /** After the engine's turn (not called when {@link before} handled the message). */
  after(userKey: string, turn: TurnOutcome, state: unknown): MaybePromise<ExtensionStep>;
}

/** What an extension did with a message or a turn. */
export interface ExtensionStep {
  /** The message is answered by the extension: the engine does not see it. */
  handled?: boolean;
  /** Replies to send (after the engine's, for `after`). */
  replies: Reply[];
  /** What to remember for the user (JSON); undefined forgets everything. */
  state: unknown;
  /** The engine should now start the eligibility interview (as if the user typed its command). */
  startInterview?: boolean;
}

/** A turn as an extension sees it. */
export interface TurnOutcome {
  /** The interview's result, when this turn showed it. */
  result?: TurnResult["result"];
  searches: TurnResult["searches"];
  /** The user asked to delete everything (/xoa). */
  erased: boolean;
  /** The turn ends on a question the user has to answer (an interview step). */
  awaitingAnswer: boolean;
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
  purgeExpired(): Promise<number>;
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
  extension: z.json().optional(),
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

/** The class of a failure, for logs: the storage cause, or the error's type. Never its message. */
export function failureClass(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && (code.startsWith("SQLITE_") || /^E[A-Z]+$/.test(code)))
    return `storage:${storageCause(error)}`;
  const name = error instanceof Error ? error.constructor.name : typeof error;
  return `error:${/^[A-Za-z]\w{0,40}$/.test(name) ? name : "unknown"}`;
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
  const figure = deps.eligibility.figure?.bind(deps.eligibility);
  const context: EngineContext = {
    flows: deps.flows,
    ttlDays: deps.sessions.ttlDays,
    ...(figure ? { figure } : {}),
  };
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

  const purgeExpired = async (): Promise<number> => {
    lastPurge = now().getTime();
    return (await deps.sessions.purgeExpired()) + ((await deps.purgeRetained?.()) ?? 0);
  };

  /** The stored session: the engine's snapshot and the extension's state, kept side by side. */
  async function restore(
    userKey: string,
  ): Promise<{ snapshot: Snapshot; extension: unknown; replaced: boolean }> {
    const stored = await deps.sessions.load(userKey);
    if (!stored) return { snapshot: initialSnapshot(), extension: undefined, replaced: false };
    const parsed = snapshotSchema.safeParse(stored.state);
    if (!parsed.success) return { snapshot: initialSnapshot(), extension: undefined, replaced: true };
    const { extension, ...snapshot } = parsed.data;
    return { snapshot, extension, replaced: false };
  }

  /** Runs an extension hook; a failing one is reported and skipped (the message is still answered). */
  async function extend(
    hook: "before" | "after",
    run: (extension: ConversationExtension) => MaybePromise<ExtensionStep>,
  ): Promise<ExtensionStep | undefined> {
    if (!deps.extension) return undefined;
    try {
      return await run(deps.extension);
    } catch (error) {
      report(error, `extension.${hook}`);
      return undefined;
    }
  }

  async function process(userKey: string, message: UserMessage, limit: number): Promise<Reply[]> {
    if (deps.purgeOnMessages !== false && now().getTime() - lastPurge > HOUR_MS) {
      try {
        await purgeExpired();
      } catch (error) {
        report(error, "purge");
      }
    }
    const restored = await restore(userKey);
    const { replaced } = restored;
    let extensionState = restored.extension;
    const replies: Reply[] = replaced ? [createReply(MESSAGES.flowChanged)] : [];
    const save = async (snapshot: Snapshot): Promise<void> => {
      const interview = snapshot.interview;
      await deps.sessions.save(
        userKey,
        extensionState === undefined ? snapshot : { ...snapshot, extension: extensionState },
        interview ? { id: interview.flowId, version: interview.flowVersion } : null,
      );
    };

    const before = await extend("before", (extension) => extension.before(userKey, message, extensionState));
    let text = message.text;
    let question = message.question;
    // The extension's state is stored when it changed (compared as JSON: it is small).
    let extensionChanged = false;
    if (before) {
      extensionChanged = JSON.stringify(before.state) !== JSON.stringify(extensionState);
      extensionState = before.state;
      replies.push(...before.replies);
      if (before.handled && !before.startInterview) {
        if (extensionChanged || replaced) await save(restored.snapshot);
        return finish(replies, limit);
      }
      if (before.startInterview) {
        text = `/${deps.flows.assistant.commands.check.slash}`;
        question = undefined;
      }
    }

    const turn = await runTurn(
      context,
      restored.snapshot,
      { type: "message", text, today: isoDateIn(now(), timeZone), ...(question ? { question } : {}) },
      ports,
    );
    replies.push(...turn.replies);
    if (turn.erase) {
      if (deps.erase) await deps.erase(userKey);
      else await deps.sessions.delete(userKey);
      extensionState = undefined;
    }
    const stateBefore = JSON.stringify(extensionState);
    const after = await extend("after", (extension) =>
      extension.after(
        userKey,
        {
          ...(turn.result ? { result: turn.result } : {}),
          searches: turn.searches,
          erased: turn.erase,
          awaitingAnswer: turn.snapshot.interview?.pending != null,
        },
        extensionState,
      ),
    );
    if (after) {
      extensionState = after.state;
      replies.push(...after.replies);
      if (JSON.stringify(extensionState) !== stateBefore) extensionChanged = true;
    }
    // After /xoa the session is gone; it is stored again only if something new must be remembered.
    const erasedForGood = turn.erase && extensionState === undefined;
    if (turn.persist || replaced || (extensionChanged && !erasedForGood)) await save(turn.snapshot);
    return finish(replies, limit);
  }

  function finish(replies: Reply[], limit: number): Reply[] {
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
      // Invisible characters pasted into a message would split words for search and the answer parsers.
      const input: UserMessage =
        typeof message === "string"
          ? { text: stripInvisible(message) }
          : {
              text: stripInvisible(String(message?.text ?? "")),
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
        return [{ ...createReply(MESSAGES.internal), failure: failureClass(error) }];
      });
      queues.set(key, safe);
      void safe.then(() => {
        if (queues.get(key) === safe) queues.delete(key);
      });
      return safe;
    },
  };
}
