/**
 * The traffic of the channel benchmark's real-core phases: what many residents would send at once. Each user
 * plays one of the golden transcripts (`flows/tests/*.yaml`: /kiemtra, answers such as "3tr5" or "bốn người",
 * /quaylai, unreadable answers, stale buttons…) and, between its turns, sometimes asks a knowledge-base question
 * (`test/kb/questions.yaml`, written with diacritics, without them, or with a typo). At the end of a transcript
 * the user sends /xoa, so the next round starts like a new user and plays the transcript as recorded.
 *
 * The transcripts are recorded once through the real core before the load, which gives each turn its kind
 * (question, answer or command) and, for Telegram, the button a resident would tap instead of typing: the
 * question on screen and the value of the choice the typed answer names.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { channelCore } from "../../src/app.ts";
import type { Inbound, Reply } from "../../src/channels/ports.ts";
import { foldForMatch } from "../../src/flows/answers.ts";
import { createConversation } from "../../src/flows/conversation.ts";
import { readCommand } from "../../src/flows/intent.ts";
import { loadFlows } from "../../src/flows/load.ts";
import { MESSAGES } from "../../src/flows/messages.ts";
import { loadTranscript } from "../../test/support/transcript.ts";
import { createPolicyPorts } from "../../src/composition.ts";
import { openDatabase } from "../../src/storage/database.ts";
import { createSessionStore } from "../../src/storage/repositories/sessions.ts";

/** What a message is, for the mix: a knowledge-base question, an interview answer, or a command. */
export type TurnKind = "question" | "answer" | "command";

/** One message a user sends: typed text, and on Telegram possibly a button press instead. */
export interface Turn {
  kind: TurnKind;
  /** What the user types (Zalo; Telegram when there is no button). */
  text: string;
  /** The button a Telegram user taps for this answer: the question on screen and the choice's value. */
  button?: { stepId: string; value: string };
  /**
   * The typed answer was not understood when recorded (the core re-asked with an example): some transcripts
   * do so on purpose, and the real scorer sometimes asks in another order than the transcripts were written for.
   */
  unreadable?: true;
}

/** A recorded transcript: its file name and turns, ending with /xoa. */
export interface Script {
  name: string;
  turns: Turn[];
}

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The evaluation questions, each in its three written forms (with diacritics, without, with a typo). */
export function loadKbQuestions(): string[] {
  const entries = parse(readFileSync(join(root, "test", "kb", "questions.yaml"), "utf8")) as {
    q: string;
    plain: string;
    typo: string;
  }[];
  return entries.flatMap((entry) => [entry.q, entry.plain, entry.typo]);
}

/** The choice a typed answer names on a reply with choices: by its number, its value or its label. */
function choiceNamed(reply: Reply | undefined, text: string): string | undefined {
  if (!reply?.choices || !reply.stepId) return undefined;
  const typed = foldForMatch(text);
  const index = reply.choices.findIndex(
    (choice, i) =>
      typed === String(i + 1) || typed === foldForMatch(choice.value) || typed === foldForMatch(choice.label),
  );
  return index < 0 ? undefined : reply.choices[index]!.value;
}

/**
 * Replays every golden transcript through the real core (knowledge base and scorer over a temporary SQLite
 * file) and returns them as scripts: each turn with its kind and, where the previous reply offered buttons,
 * the button press a Telegram user would send.
 */
export async function recordScripts(): Promise<Script[]> {
  const directory = mkdtempSync(join(tmpdir(), "hcs-bench-record-"));
  const database = openDatabase(join(directory, "record.db"));
  try {
    const flows = loadFlows();
    const ports = createPolicyPorts(database);
    let searched = false;
    const conversation = createConversation({
      flows,
      sessions: createSessionStore(database),
      knowledge: {
        ...ports.knowledge,
        search: (query) => {
          searched = true;
          return ports.knowledge.search(query);
        },
      },
      eligibility: ports.eligibility,
    });
    const core = channelCore(conversation);
    const transcriptsDir = join(root, "flows", "tests");
    const scripts: Script[] = [];
    for (const file of readdirSync(transcriptsDir)
      .filter((name) => name.endsWith(".yaml"))
      .sort()) {
      const userKey = `record:${file}`;
      const turns: Turn[] = [];
      let onScreen: Reply | undefined;
      for (const turn of [...loadTranscript(join(transcriptsDir, file)).turns, { user: "/xoa" }]) {
        if ("restart" in turn) continue;
        let button: Turn["button"];
        if (typeof turn.button === "string") button = { stepId: turn.button, value: turn.user };
        else if (turn.button === true && onScreen?.stepId)
          button = { stepId: onScreen.stepId, value: turn.user };
        else {
          const value = choiceNamed(onScreen, turn.user);
          if (value !== undefined && onScreen?.stepId) button = { stepId: onScreen.stepId, value };
        }
        const input: Inbound =
          typeof turn.button === "string" && button
            ? { type: "choice", ...button }
            : { type: "text", text: turn.user };
        searched = false;
        const replies = await core.handle(userKey, input);
        const kind: TurnKind = searched
          ? "question"
          : readCommand(turn.user, flows.commands)
            ? "command"
            : "answer";
        const unreadable = replies.some((reply) => reply.text.includes(MESSAGES.unreadable));
        turns.push({
          kind,
          text: turn.user,
          ...(button ? { button } : {}),
          ...(unreadable ? { unreadable } : {}),
        });
        onScreen = [...replies].reverse().find((reply) => reply.choices?.length) ?? replies.at(-1);
      }
      scripts.push({ name: file.replace(/\.yaml$/, ""), turns });
    }
    return scripts;
  } finally {
    database.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

/** A small deterministic hash to [0, 1): a user's choices do not depend on how the load interleaves users. */
function unit(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x27d4eb2f, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
  return ((h ^ (h >>> 15)) >>> 0) / 4294967296;
}

/**
 * Users and what each sends next. User `u` plays script `u mod scripts`, from the start, one turn per message,
 * except that with probability `questionShare` the message is a knowledge-base question instead (the script
 * waits). Deterministic per user.
 */
export function createTraffic(scripts: Script[], questions: string[], questionShare: number) {
  const position = new Map<number, { turn: number; sent: number }>();
  return {
    /** The next message of user `u`. */
    next(user: number): Turn {
      const state = position.get(user) ?? { turn: 0, sent: 0 };
      position.set(user, state);
      const draw = unit(user, state.sent++);
      if (draw < questionShare) {
        const pick = Math.floor(unit(user + 7919, state.sent) * questions.length);
        return { kind: "question", text: questions[pick]! };
      }
      const script = scripts[user % scripts.length]!;
      const turn = script.turns[state.turn % script.turns.length]!;
      state.turn++;
      return turn;
    },
  };
}
