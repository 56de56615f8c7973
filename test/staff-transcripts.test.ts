/**
 * Golden transcripts of the staff commands (test/staff-transcripts/*.yaml), replayed through the staff desk
 * over the real knowledge base, scorer data, referral directory and stores (a temporary SQLite file per
 * transcript). Fragments are compared without case or diacritics, like the conversation's transcripts.
 *
 * ```yaml
 * description: …
 * staff: [telegram:100]        # STAFF_IDS of the transcript
 * turns:
 *   - as: telegram:100         # user key (default: the first staff id)
 *     user: /toi
 *     bot: [vai trò: cán bộ xã]  # fragments that must appear
 *     not: [người dân]          # fragments that must not appear
 *     handled: true             # the desk answered (default true)
 *     choices: [Đúng, Sai]      # button labels
 *     attachment: true          # a printable case summary is attached
 *     start_interview: true     # /thaymat asks the core to start its interview
 *   - finish_on_behalf: { area: rural, members: 4, listedStatus: poor }   # the core's interview ended
 * after: { feedback: 2, disputed_with_expected: 1 }   # rows in the feedback table at the end
 * ```
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import { decide } from "../src/domain/eligibility.ts";
import { parseHousehold } from "../src/domain/household.ts";
import { loadAreaChanges, loadCorpus } from "../src/knowledge/load.ts";
import { openKnowledgeBase } from "../src/knowledge/open.ts";
import { loadPolicyKnowledge } from "../src/knowledge/policy-load.ts";
import type { KnowledgeBase } from "../src/knowledge/types.ts";
import { createStaffDesk, type DeskState } from "../src/staff/desk.ts";
import { loadReferrals } from "../src/staff/referrals-load.ts";
import { loadStaffDirectory } from "../src/staff/roles.ts";
import { openDatabase, type AppDatabase } from "../src/storage/database.ts";
import { createFeedbackStore, createUsageStats } from "../src/staff/services/feedback.ts";
import { foldDiacritics } from "../src/text/vietnamese.ts";

const DIR = fileURLToPath(new URL("./staff-transcripts", import.meta.url));
const TODAY = "2026-03-01";

const turnSchema = z.union([
  z.strictObject({
    user: z.string(),
    as: z.string().optional(),
    bot: z.array(z.string()).default([]),
    not: z.array(z.string()).default([]),
    handled: z.boolean().default(true),
    choices: z.array(z.string()).optional(),
    attachment: z.boolean().optional(),
    start_interview: z.boolean().optional(),
  }),
  z.strictObject({
    finish_on_behalf: z.record(z.string(), z.unknown()),
    as: z.string().optional(),
    bot: z.array(z.string()).default([]),
    not: z.array(z.string()).default([]),
  }),
]);
const transcriptSchema = z.strictObject({
  description: z.string().min(1),
  staff: z.array(z.string()),
  turns: z.array(turnSchema).min(1),
  after: z
    .strictObject({ feedback: z.number().int(), disputed_with_expected: z.number().int() })
    .partial()
    .optional(),
});

const policy = loadPolicyKnowledge();
const corpus = loadCorpus();
const areas = loadAreaChanges();
const referrals = loadReferrals();
const comparable = (text: string): string => foldDiacritics(text.normalize("NFC")).replace(/\s+/g, " ");

let dir: string;
let kb: KnowledgeBase;
let kbDatabase: AppDatabase;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "staff-transcripts-"));
  kbDatabase = openDatabase(join(dir, "kb.db"));
  kb = openKnowledgeBase({ database: kbDatabase, today: () => TODAY });
});
afterAll(() => {
  kb.close();
  kbDatabase.close();
  rmSync(dir, { recursive: true, force: true });
});

const files = readdirSync(DIR)
  .filter((name) => name.endsWith(".yaml"))
  .sort();

describe.each(files)("%s", (file) => {
  const transcript = transcriptSchema.parse(parse(readFileSync(join(DIR, file), "utf8")));
  it(transcript.description, async () => {
    const database = openDatabase(join(dir, `${file}.db`));
    try {
      const staff = loadStaffDirectory({ STAFF_IDS: transcript.staff.join(",") });
      if (!staff.ok) throw new Error(staff.error.join("\n"));
      const feedback = createFeedbackStore(database, { now: () => Date.UTC(2026, 2, 1, 3) });
      const desk = createStaffDesk({
        staff: staff.value,
        search: (query, options) => kb.search(query, options),
        documents: corpus.documents,
        areas,
        policy,
        referrals,
        feedback,
        stats: createUsageStats(database, { now: () => Date.UTC(2026, 2, 1, 3) }),
        versions: { rules: "rules-test", knowledge: "plans-test" },
        today: () => TODAY,
      });
      const states = new Map<string, DeskState>();
      for (const [index, turn] of transcript.turns.entries()) {
        const who = turn.as ?? transcript.staff[0] ?? "telegram:1";
        const where = `${file} turn ${index + 1}`;
        let text: string;
        if ("finish_on_behalf" in turn) {
          const household = parseHousehold({ assessedOn: TODAY, ...turn.finish_on_behalf });
          if (!household.ok) throw new Error(`${where}: ${household.error.map((p) => p.message).join(" ")}`);
          const result = desk.finishOnBehalf(
            who,
            states.get(who) ?? {},
            household.value,
            decide(household.value, policy),
          );
          if (!result) throw new Error(`${where}: no case summary`);
          states.set(who, result.state);
          text = result.replies.map((r) => r.text).join("\n");
          expect(
            result.replies.some((r) => r.attachment),
            where,
          ).toBe(true);
        } else {
          const result = await desk.handle(who, turn.user, states.get(who) ?? {});
          states.set(who, result.state);
          expect(result.handled, `${where}: handled`).toBe(turn.handled);
          text = result.replies.map((r) => r.text).join("\n");
          if (turn.choices)
            expect(
              result.replies.flatMap((r) => r.choices ?? []).map((c) => c.label),
              where,
            ).toEqual(turn.choices);
          if (turn.attachment !== undefined) {
            const attachment = result.replies.find((r) => r.attachment)?.attachment;
            expect(Boolean(attachment), `${where}: attachment`).toBe(turn.attachment);
            if (attachment) {
              expect(attachment.mediaType).toBe("text/html");
              text += `\n${attachment.content}`;
            }
          }
          if (turn.start_interview !== undefined)
            expect(Boolean(result.startInterview), where).toBe(turn.start_interview);
        }
        for (const fragment of turn.bot)
          expect(comparable(text), `${where}: “${fragment}” in:\n${text}`).toContain(comparable(fragment));
        for (const fragment of turn.not)
          expect(comparable(text), `${where}: “${fragment}” must not appear in:\n${text}`).not.toContain(
            comparable(fragment),
          );
      }
      if (transcript.after?.feedback !== undefined) {
        const count = database.sqlite.prepare("SELECT count(*) AS n FROM feedback").get() as { n: number };
        expect(count.n).toBe(transcript.after.feedback);
      }
      if (transcript.after?.disputed_with_expected !== undefined) {
        expect(feedback.disputed().filter((record) => record.expected).length).toBe(
          transcript.after.disputed_with_expected,
        );
      }
    } finally {
      database.close();
    }
  });
});
