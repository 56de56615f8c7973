/**
 * Golden transcripts: conversations written as data (`flows/tests/*.yaml`, user line → expected reply
 * fragments and the question the assistant ends on), replayed through the real conversation core over a
 * real SQLite file. The ports are a parameter, so the same transcripts run against test fakes now and
 * against the real knowledge base and scorer once they are wired in.
 */

import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import { openDatabase, type AppDatabase } from "../../src/storage/database.ts";
import { createSessionStore } from "../../src/storage/repositories/sessions.ts";
import { foldDiacritics, normalizeVietnamese } from "../../src/text/vietnamese.ts";
import {
  createConversation,
  type ConversationExtension,
  type UserMessage,
} from "../../src/flows/conversation.ts";
import type { FlowSet } from "../../src/flows/definition.ts";
import type { EligibilityPort, KnowledgePort } from "../../src/flows/ports.ts";
import type { Reply } from "../../src/flows/reply.ts";

const fragments = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));

/** One turn: a user line and what the replies must (and must not) contain, or a restart. */
export const transcriptTurnSchema = z.union([
  z.strictObject({
    /** What the user types (a number in YAML is read as its text). */
    user: z.union([z.string(), z.number()]).transform(String),
    /** Send the line as a button press: `true` for the question on screen, or an explicit (stale) reference. */
    button: z.union([z.literal(true), z.string()]).optional(),
    /** Fragments that must appear in this turn's replies (compared without case and diacritics). */
    bot: fragments.optional(),
    /** Fragments that must not appear. */
    not: fragments.optional(),
    /** The question key the turn ends on (`ask_income`, `ask_student_level#2`), or null for none. */
    asks: z.string().nullable().optional(),
    /** Whether a file (the printable case summary) comes with the replies. */
    attachment: z.boolean().optional(),
  }),
  z.strictObject({
    /** Start a new core over the same database file, as after a process restart. */
    restart: z.literal(true),
  }),
]);
export type TranscriptTurn = z.infer<typeof transcriptTurnSchema>;

/** A transcript file. */
export const transcriptSchema = z.strictObject({
  description: z.string().min(1),
  /** The date the conversation happens on (answers like "năm ngoái", the 3-year window). */
  today: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .default("2026-11-22"),
  /** The user is commune staff or a volunteer (listed in STAFF_IDS). */
  staff: z.boolean().default(false),
  /** At most this many distinct questions may be asked in the whole transcript. */
  questions_at_most: z.number().int().positive().optional(),
  turns: z.array(transcriptTurnSchema).min(1),
});
export type Transcript = z.infer<typeof transcriptSchema>;

/** Reads and validates a transcript file. */
export function loadTranscript(path: string): Transcript {
  return transcriptSchema.parse(parse(readFileSync(path, "utf8")));
}

/** The ports a replay runs against. */
export interface TranscriptPorts {
  knowledge: KnowledgePort;
  eligibility: EligibilityPort;
  /** What runs around the flows (the staff desk), as in the product. */
  extension?: ConversationExtension;
}

/** One failed expectation, with the turn and the replies that were actually sent. */
export interface TranscriptFailure {
  turn: number;
  user: string;
  problem: string;
  replies: string;
}

/** Text compared without case, diacritics or spacing differences; symbols and emoji are kept. */
function comparable(text: string): string {
  return foldDiacritics(normalizeVietnamese(text)).replace(/\s+/g, " ");
}

/** The question key of a reply's reference (`eligibility@1:ask_area` → `ask_area`). */
function keyOfRef(ref: string | undefined): string | null {
  if (!ref) return null;
  const colon = ref.lastIndexOf(":");
  return colon < 0 ? ref : ref.slice(colon + 1);
}

/**
 * Replays a transcript through `createConversation` over the SQLite file at `databasePath` (a `restart`
 * turn opens a new database handle and a new core on the same file) and returns every failed expectation.
 * An empty list means the transcript passed.
 */
export async function replayTranscript(
  transcript: Transcript,
  options: {
    flows: FlowSet;
    /** The ports over the transcript's database; `staffIds` lists the user when the transcript is staff's. */
    ports: (database: AppDatabase, who: { staffIds: string[] }) => TranscriptPorts;
    databasePath: string;
    userKey?: string;
  },
): Promise<TranscriptFailure[]> {
  const failures: TranscriptFailure[] = [];
  const userKey = options.userKey ?? "terminal:transcript";
  const now = () => new Date(`${transcript.today}T03:00:00Z`);
  const open = () => {
    const database = openDatabase(options.databasePath);
    const ports = options.ports(database, { staffIds: transcript.staff ? [userKey] : [] });
    const conversation = createConversation({
      flows: options.flows,
      sessions: createSessionStore(database, { now }),
      ...ports,
      now,
    });
    return { database, conversation };
  };
  let current = open();
  const asked = new Set<string>();
  let onScreen: string | undefined;
  try {
    for (const [index, turn] of transcript.turns.entries()) {
      if ("restart" in turn) {
        current.database.close();
        current = open();
        continue;
      }
      const message: UserMessage =
        turn.button === undefined
          ? { text: turn.user }
          : { text: turn.user, question: turn.button === true ? (onScreen ?? "") : turn.button };
      const replies: Reply[] = await current.conversation.handle(userKey, message);
      const text = replies.map((r) => r.fallbackText).join("\n\n");
      const folded = comparable(text);
      const fail = (problem: string) =>
        failures.push({ turn: index + 1, user: turn.user, problem, replies: text });
      for (const fragment of turn.bot ?? [])
        if (!folded.includes(comparable(fragment))) fail(`missing "${fragment}"`);
      for (const fragment of turn.not ?? [])
        if (folded.includes(comparable(fragment))) fail(`unexpected "${fragment}"`);
      if (turn.attachment !== undefined && replies.some((r) => r.attachment) !== turn.attachment)
        fail(turn.attachment ? "no file attached" : "a file attached");
      const ref = [...replies].reverse().find((r) => r.question)?.question;
      if (ref) onScreen = ref;
      const key = keyOfRef(ref);
      if (key && !key.startsWith("menu")) asked.add(key);
      if (turn.asks !== undefined && key !== turn.asks)
        fail(`asks ${JSON.stringify(key)}, expected ${JSON.stringify(turn.asks)}`);
    }
  } finally {
    current.database.close();
  }
  if (transcript.questions_at_most !== undefined && asked.size > transcript.questions_at_most) {
    failures.push({
      turn: 0,
      user: "",
      problem: `asked ${asked.size} questions (${[...asked].join(", ")}), at most ${transcript.questions_at_most} expected`,
      replies: "",
    });
  }
  return failures;
}
