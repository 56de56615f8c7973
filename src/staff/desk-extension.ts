/**
 * The staff desk as a conversation extension: it puts the staff chat commands (/toi, /tim, /vanban,
 * /doc, /nhanh, /tomtat, /thaymat, /thongke), the "Đúng / Sai / Chưa rõ" feedback, the opt-in to rule-change
 * notices and the anonymous statistics around the flows, for every channel alike. What it remembers lives in
 * the user's session (it expires with it, /xoa deletes it); the desk itself decides who may see what.
 *
 * ```ts
 * const extension = createDeskExtension(createStaffDesk(ports), { policy, stats, watches });
 * const conversation = createConversation({ flows, sessions, knowledge, eligibility, extension });
 * ```
 */
import type { Decision } from "../domain/decision.ts";
import { decide } from "../domain/eligibility.ts";
import { z } from "zod";
import {
  parseHousehold,
  readStoredHousehold,
  storeHousehold,
  type HouseholdInput,
} from "../domain/household.ts";
import type { PolicyKnowledge } from "../domain/policy.ts";
import type { ConversationExtension, ExtensionStep } from "../flows/conversation.ts";
import { createReply, type Reply } from "../flows/reply.ts";
import type { SearchOutcome } from "../knowledge/types.ts";
import type { DeskPorts, DeskReply, DeskState, StaffDesk } from "./desk.ts";

/** What the extension keeps for a user between messages (JSON, in the session). */
export interface ExtensionState {
  desk?: DeskState;
  /** Values of the choices offered last, so that a typed number (Zalo, the terminal) picks the same one. */
  offered?: string[];
  /** The household of the last check's result, for the opt-in to rule-change notices. */
  lastCheck?: HouseholdInput;
}

/** What the extension needs besides the desk. */
export interface DeskExtensionPorts {
  policy: PolicyKnowledge;
  stats?: DeskPorts["stats"];
  /** Today in Vietnam, ISO (the date a stored household is decided on again). */
  today(): string;
}

/** Sent instead of the opt-in confirmation when there is no result to watch. */
const NOTHING_TO_WATCH =
  "Chưa có kết quả kiểm tra nào để theo dõi. Gõ /kiemtra để kiểm tra hộ của bạn, rồi chọn “Báo cho tôi khi chính sách thay đổi”.";

/** Format of the stored state; a state of another format is dropped (one without a format is older: read). */
const STATE_FORMAT = 1;

/**
 * The stored state is untrusted (older releases, manual edits): its shape is checked and its households are
 * read like any input. The desk's other parts are its own business and kept as they are.
 */
const storedStateSchema = z.object({
  format: z.literal(STATE_FORMAT).optional(),
  desk: z
    .looseObject({
      expectedFor: z.number().int().optional(),
      onBehalf: z.object({ residentName: z.string().optional() }).optional(),
      feedback: z.looseObject({ household: z.unknown().optional() }).optional(),
      lastCase: z
        .object({
          household: z.unknown(),
          notes: z.array(z.object({ kind: z.enum(["assumed", "unread", "ignored"]), text: z.string() })),
        })
        .optional(),
    })
    .optional(),
  offered: z.array(z.string()).optional(),
  lastCheck: z.unknown().optional(),
});

export function readState(raw: unknown): ExtensionState {
  const parsed = storedStateSchema.safeParse(raw);
  if (!parsed.success) return {};
  const { desk, offered, lastCheck } = parsed.data;
  const state: ExtensionState = {};
  if (desk) {
    const { lastCase, feedback, ...rest } = desk;
    const read: DeskState = { ...(rest as DeskState) };
    const household = lastCase ? readStoredHousehold(lastCase.household) : undefined;
    if (lastCase && household) read.lastCase = { ...lastCase, household };
    if (feedback) {
      // A disputed decision keeps its household (for the draft test case): unreadable, it is left out.
      const { household: stored, ...answer } = feedback;
      const disputed = stored === undefined ? undefined : readStoredHousehold(stored);
      read.feedback = {
        ...(answer as NonNullable<DeskState["feedback"]>),
        ...(disputed ? { household: disputed } : {}),
      };
    }
    state.desk = read;
  }
  if (offered) state.offered = offered;
  const household = lastCheck === undefined ? undefined : readStoredHousehold(lastCheck);
  if (household) state.lastCheck = household;
  return state;
}

/** The state to store, with its format and its households in their stored form; nothing when nothing is left. */
export function compact(state: ExtensionState): Record<string, unknown> | undefined {
  const kept: Record<string, unknown> = {};
  if (state.desk && Object.keys(state.desk).length > 0) {
    const { lastCase, ...desk } = state.desk;
    kept.desk = lastCase
      ? { ...desk, lastCase: { ...lastCase, household: storeHousehold(lastCase.household) } }
      : desk;
  }
  if (state.offered?.length) kept.offered = state.offered;
  if (state.lastCheck) kept.lastCheck = storeHousehold(state.lastCheck);
  return Object.keys(kept).length > 0 ? { format: STATE_FORMAT, ...kept } : undefined;
}

function toReply(reply: DeskReply): Reply {
  return createReply(reply.text, {
    ...(reply.choices ? { choices: reply.choices } : {}),
    ...(reply.attachment ? { attachment: reply.attachment } : {}),
  });
}

/** The values of the last choices among `replies`, for reading a typed number next time. */
function offeredValues(replies: readonly DeskReply[]): string[] | undefined {
  const withChoices = replies.findLast((reply) => reply.choices?.length);
  return withChoices?.choices?.map((choice) => choice.value);
}

/**
 * Creates the extension over a desk. Typed numbers pick among the extension's own last choices (the
 * feedback and the opt-in); everything else goes to the desk, then to the flows.
 */
export function createDeskExtension(desk: StaffDesk, ports: DeskExtensionPorts): ConversationExtension {
  const step = (state: ExtensionState, replies: DeskReply[], extra: Partial<ExtensionStep> = {}) => ({
    ...extra,
    replies: replies.map(toReply),
    state: compact(state),
  });

  return {
    async before(userKey, message, raw) {
      const state = readState(raw);
      let text = message.text;
      // "2" after "1. Đúng 2. Sai 3. Chưa rõ 4. Báo cho tôi…" means the second of those choices.
      const number = /^\s*(\d{1,2})\s*\.?\s*$/.exec(text);
      const { offered: _shown, ...rest } = state;
      if (number && state.offered && !message.question) {
        const picked = state.offered[Number(number[1]) - 1];
        if (picked === undefined) {
          const hint = `Bạn chọn một số từ 1 đến ${state.offered.length}, hoặc gõ câu hỏi của bạn.`;
          return step(state, [{ text: hint }], { handled: true });
        }
        text = picked;
      }

      if (desk.isOptIn(text)) {
        if (!rest.lastCheck) return step(rest, [{ text: NOTHING_TO_WATCH }], { handled: true });
        const household = { ...rest.lastCheck, assessedOn: ports.today() };
        const confirmation = await desk.optIn(userKey, household, decide(household, ports.policy));
        const { lastCheck: _watched, ...kept } = rest;
        return step({ ...kept, desk: dropFeedback(kept.desk) }, [confirmation], { handled: true });
      }

      const result = await desk.handle(userKey, text, rest.desk ?? {});
      const next: ExtensionState = { ...rest, desk: result.state };
      if (!result.handled) return step(next, []);
      const offered = offeredValues(result.replies);
      return step({ ...next, ...(offered ? { offered } : {}) }, result.replies, {
        handled: true,
        ...(result.startInterview ? { startInterview: true } : {}),
      });
    },

    async after(userKey, turn, raw) {
      if (turn.erased) {
        await desk.forget(userKey);
        return { replies: [], state: undefined };
      }
      const state = readState(raw);
      for (const search of turn.searches) {
        if (search.outcome) await ports.stats?.recordSearch(search.outcome as SearchOutcome, userKey);
      }
      const shown = turn.result ? resultOf(turn.result) : undefined;
      if (shown) await ports.stats?.recordScreening(shown.decision);
      // While a question waits for its answer, a numbered answer belongs to it: offer nothing.
      if (turn.awaitingAnswer) return step(state, []);

      if (shown) {
        const replies: DeskReply[] = [];
        let deskState = state.desk ?? {};
        const onBehalf = desk.finishOnBehalf(userKey, deskState, shown.household, shown.decision);
        if (onBehalf) {
          // The case summary lists where to go, with the details.
          deskState = onBehalf.state;
          replies.push(...onBehalf.replies);
        } else {
          const places = desk.referralsAfter(shown.household, shown.decision);
          if (places) replies.push({ text: places });
        }
        // Staff can print the last case with /tomtat, as after /nhanh.
        if (desk.roleOf(userKey) === "staff")
          deskState = { ...deskState, lastCase: { household: shown.household, notes: [] } };
        const offer = desk.offerFeedback(deskState, { kind: "decision", ...shown });
        // A volunteer checking for someone else does not sign up for that person's notices.
        const choices = onBehalf ? offer.reply.choices : [...(offer.reply.choices ?? []), desk.optInChoice()];
        const question = { ...offer.reply, ...(choices ? { choices } : {}) };
        replies.push(question);
        return step(
          { ...state, desk: offer.state, lastCheck: shown.household, offered: offeredValues([question]) },
          replies,
        );
      }

      const answered = turn.searches.findLast((search) => search.outcome);
      const outcome = answered?.outcome as SearchOutcome | undefined;
      if (answered && outcome && outcome.type !== "invalid") {
        const offer = desk.offerFeedback(state.desk ?? {}, {
          kind: "search",
          question: answered.query,
          outcome,
        });
        // Staff can paste the source of a plain answer as /tim gives it.
        const citations = desk.answerCitations(userKey, outcome);
        return step({ ...state, desk: offer.state, offered: offeredValues([offer.reply]) }, [
          ...(citations ? [{ text: citations }] : []),
          offer.reply,
        ]);
      }
      return step(state, []);
    },
  };

  /** The household and decision of a result shown by the flows (the real scorer made it). */
  function resultOf(result: NonNullable<Parameters<ConversationExtension["after"]>[1]["result"]>) {
    const parsed = parseHousehold(result.household);
    return parsed.ok ? { household: parsed.value, decision: result.decision as Decision } : undefined;
  }
}

function dropFeedback(state: DeskState | undefined): DeskState | undefined {
  if (!state) return undefined;
  const { feedback: _judged, ...rest } = state;
  return rest;
}
