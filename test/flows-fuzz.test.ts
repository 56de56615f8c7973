/**
 * Randomised robustness test of the conversation core: thousands of random and hostile messages (empty,
 * 10,000 characters, emoji, control characters, odd number formats, injection strings, commands at every
 * step, stale and forged buttons) from several users at once, with a scorer that reports random missing
 * facts. Whatever comes in, `handle` resolves with at least one non-empty reply within the channel limit,
 * and no interview ever holds more than 20 answers. The seed is fixed so a failure can be replayed.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createConversation } from "../src/flows/conversation.ts";
import { loadFlows } from "../src/flows/load.ts";
import { HOUSEHOLD_FACTS, type EligibilityPort } from "../src/flows/ports.ts";
import { openDatabase } from "../src/storage/database.ts";
import { createSessionStore } from "../src/storage/repositories/sessions.ts";
import { createFakeKnowledge, createTestScorer } from "./support/fake-deps.ts";

const SEED = 20261122;
const MESSAGES = 4000;
const LIMIT = 4096;

function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const next = random(SEED);
const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
const randomString = (length: number, alphabet: string) =>
  Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join("");

const flows = loadFlows();
const slashes = Object.values(flows.assistant.commands).map((c) => `/${c.slash}`);
const words = Object.values(flows.assistant.commands).flatMap((c) => c.words);
const answers = [
  "1",
  "2",
  "3",
  "4",
  "0",
  "có",
  "không",
  "ko",
  "không biết",
  "3tr5",
  "800k",
  "hộ nghèo",
  "cận nghèo",
  "3/2024",
  "2, 7, 9",
  "bốn người",
  "lớp 7",
  "trường công",
  "12 triệu",
  "phường",
];
const hostile = [
  "",
  "   ",
  "\n\n\n",
  "\u0000\u0001\u0007\u001b[31m",
  "\u200b\u200e\u202e\ufeff",
  "\ud800",
  "\udc00abc",
  "😀😀😀",
  "👨‍👩‍👧‍👦",
  "🇻🇳",
  "1e9",
  "-3tr",
  "3..5tr",
  "0x10",
  "∞",
  "NaN",
  "3,5,6",
  "١٢٣",
  "３",
  "999999999999999999999",
  "1.000.000.000.000đ",
  "3tr5tr5",
  "tháng 13 năm 2024",
  "31/2/2024",
  "'; drop table sessions; --",
  "<script>alert(1)</script>",
  "{{7*7}} ${process.exit(1)}",
  '{"type":"decided"}',
  "/",
  "//",
  "/ kiemtra",
  "/hoi",
  "/hoi " + "vay vốn ".repeat(200),
  "/xoa@bot extra",
  "/KIEMTRA",
  "/kiemtra\n1",
  "?",
  "???",
  "vay vốn lãi suất bao nhiêu?",
  "ho ngheo co duoc vay von ko",
];

function message(): string {
  const roll = next();
  if (roll < 0.3) return pick(answers);
  if (roll < 0.45) return pick(slashes);
  if (roll < 0.55) return pick(words);
  if (roll < 0.75) return pick(hostile);
  if (roll < 0.8) return randomString(10_000, "aăâbcdđeêghiklmnoôơpqrstuưvxy 0123456789.,?!\n😀");
  if (roll < 0.9) return randomString(1 + Math.floor(next() * 40), "0123456789.,/-k tr triệu nghìn");
  return randomString(
    1 + Math.floor(next() * 60),
    "\u0000\u0008\u001f\u007f\u0085\u200b\ud83d\ude00abcxyz ?/",
  );
}

const scorer = createTestScorer();
/** Reports the fake decision with a random subset of facts as missing: any routing must stay bounded. */
const randomScorer: EligibilityPort = {
  decide(household) {
    const outcome = scorer.decide(household);
    if (!outcome.ok || next() < 0.3) return outcome;
    return {
      ok: true,
      value: {
        ...outcome.value,
        missingFacts: HOUSEHOLD_FACTS.filter(() => next() < 0.4).map((fact) => ({ fact })),
      },
    };
  },
};

const database = openDatabase(":memory:");
afterAll(() => database.close());
const sessions = createSessionStore(database);
const conversation = createConversation({
  flows,
  sessions,
  knowledge: createFakeKnowledge(),
  eligibility: randomScorer,
  maxMessageLength: LIMIT,
});

describe("the conversation core under random and hostile input", () => {
  it(`answers ${MESSAGES} messages from 6 users without ever failing (seed ${SEED})`, async () => {
    const users = ["telegram:1", "telegram:2", "zalo:abc", "terminal:x", "", "a".repeat(500)];
    const seenQuestions = new Map<string, string>();
    let sent = 0;
    while (sent < MESSAGES) {
      // A few users at once, like concurrent updates.
      const batch = Array.from({ length: 1 + Math.floor(next() * 4) }, () => {
        const user = pick(users);
        const text = message();
        const button =
          next() < 0.1
            ? next() < 0.5
              ? (seenQuestions.get(user) ?? "x")
              : pick(["eligibility@0:ask_area", "assistant:menu", "garbage", ""])
            : undefined;
        return { user, text, button };
      });
      sent += batch.length;
      const results = await Promise.all(
        batch.map(({ user, text, button }) =>
          conversation.handle(user, button === undefined ? text : { text, question: button }),
        ),
      );
      for (const [i, replies] of results.entries()) {
        const context = JSON.stringify({
          user: batch[i]!.user.slice(0, 20),
          text: batch[i]!.text.slice(0, 80),
        });
        expect(replies.length, context).toBeGreaterThan(0);
        for (const reply of replies) {
          expect(reply.fallbackText.trim(), context).not.toBe("");
          expect(reply.fallbackText.length, context).toBeLessThanOrEqual(LIMIT);
          // The fake knowledge base echoes the question, so the user's own text is left out of this check.
          const own = reply.fallbackText.replaceAll(batch[i]!.text.trim(), "");
          expect(own, context).not.toMatch(/undefined|NaN|\[object Object\]|\n\s+at /);
        }
        const question = [...replies].reverse().find((r) => r.question)?.question;
        if (question) seenQuestions.set(batch[i]!.user, question);
      }
    }
    for (const user of users) {
      const state = sessions.load(user)?.state as
        { interview?: { history: string[]; answers: object } } | undefined;
      expect(state?.interview?.history.length ?? 0).toBeLessThanOrEqual(20);
      expect(Object.keys(state?.interview?.answers ?? {}).length).toBeLessThanOrEqual(20);
    }
  });

  it("walks complete interviews with random answers and never asks more than 20 questions", async () => {
    const valid = [
      "1",
      "2",
      "3",
      "4",
      "5",
      "0",
      "có",
      "không",
      "không biết",
      "3tr5",
      "1tr",
      "30 triệu",
      "3/2024",
      "1, 4",
      "2",
    ];
    let finished = 0;
    for (let run = 0; run < 150; run++) {
      const user = `walker:${run}`;
      let asked = 0;
      let replies = await conversation.handle(user, "/kiemtra");
      for (let turn = 0; turn < 60; turn++) {
        const question = [...replies].reverse().find((r) => r.question)?.question;
        if (replies.some((r) => r.text.includes("KẾT QUẢ ƯỚC TÍNH"))) finished++;
        if (!question || question === "assistant:menu") break;
        const before =
          (sessions.load(user)?.state as { interview?: { history: string[] } }).interview?.history.length ??
          0;
        replies = await conversation.handle(user, { text: pick(valid), question });
        const after =
          (sessions.load(user)?.state as { interview?: { history: string[] } } | undefined)?.interview
            ?.history.length ?? 0;
        if (after > before) asked++;
      }
      expect(asked).toBeLessThanOrEqual(20);
    }
    // The walks must really reach the result, or the bound above proves nothing.
    expect(finished).toBeGreaterThan(100);
  });
});
