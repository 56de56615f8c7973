/**
 * The staff desk: the staff and volunteers' chat commands (/toi, /tim and "xem thêm", /vanban, /doc, /nhanh, /tomtat,
 * /thaymat, /thongke, the "Đúng / Sai / Chưa rõ" feedback and the right answer staff add to it), ready for the
 * conversation core to call before its own handling. It touches nothing outside its ports (knowledge base,
 * scorer data, stores), keeps what it must remember between messages in a small {@link DeskState} that the
 * core stores with its session, and never gives a resident staff data: staff-only commands get a polite
 * refusal and nothing else.
 *
 * ```ts
 * const desk = createStaffDesk(ports);
 * const result = desk.handle(userKey, text, session.desk ?? {});
 * session.desk = result.state;
 * if (result.handled) return result.replies; // else the core handles the message as before
 * ```
 */
import { addDays } from "../domain/dates.ts";
import type { Decision } from "../domain/decision.ts";
import { decide } from "../domain/eligibility.ts";
import { parseHousehold, type HouseholdInput } from "../domain/household.ts";
import type { PolicyKnowledge } from "../domain/policy.ts";
import type { AreaChanges, CorpusDocument } from "../knowledge/load.ts";
import type { SearchOptions, SearchOutcome } from "../knowledge/types.ts";
import { foldDiacritics, normalizeVietnamese } from "../text/vietnamese.ts";
import {
  householdFacts,
  renderCaseSummaryHtml,
  renderCaseSummaryText,
  renderDecisionText,
} from "./case-summary.ts";
import { createCitationIndex, decisionCitations } from "./citations.ts";
import {
  createOutlines,
  renderDocumentList,
  renderSection,
  renderTableOfContents,
  resolveDocument,
} from "./documents.ts";
import {
  EXPECTED_PROMPT,
  FEEDBACK_CHOICES,
  FEEDBACK_PROMPT,
  FEEDBACK_THANKS,
  decisionAnswerRecord,
  type AnswerVersions,
  type FeedbackInput,
  readVerdict,
  searchAnswerRecord,
} from "./feedback.ts";
import {
  indicatorsOn,
  parseQuickHousehold,
  renderQuickNotes,
  type QuickNote,
} from "../answers/quick-household.ts";
import { referralsFor, renderReferralsShort, type ReferralDirectory } from "./referrals.ts";
import {
  formatSignInCode,
  mayUse,
  renderRole,
  STAFF_ONLY_MESSAGE,
  type Role,
  type StaffCommand,
  type StaffDirectory,
} from "./roles.ts";
import {
  isMoreRequest,
  nextPage,
  PAGE_SIZE,
  pageOf,
  parseSearchCommand,
  renderAnswerCitations,
  renderSearchPage,
  resolveFilters,
  SEARCH_LIMIT,
  type SearchRequest,
} from "./search-filters.ts";
import { OPT_IN_CONFIRM, OPT_IN_LABEL } from "./rule-watch.ts";
import type { FeedbackStorePort, UsageStatsPort } from "./services/feedback.ts";
import type { RuleWatchStorePort } from "./services/rule-watches.ts";
import { renderStats } from "./stats.ts";
import type { ConsoleAuthPort } from "../storage/repositories/console-auth.ts";

/** One message to send; `choices` become buttons (Telegram) or numbered lines (Zalo). */
export interface DeskReply {
  text: string;
  choices?: readonly { label: string; value: string }[];
  /** A file to send with the message where the channel can (the printable case summary). */
  attachment?: { filename: string; mediaType: "text/html"; content: string };
}

/** What the desk remembers between messages (stored by the core with its session; JSON). */
export interface DeskState {
  /** The last /tim, for "xem thêm". */
  search?: SearchRequest;
  /** The last answer, which "Đúng / Sai / Chưa rõ" would judge. */
  feedback?: Omit<FeedbackInput, "verdict" | "role" | "versions">;
  /** A disputed feedback waiting for the right answer from staff. */
  expectedFor?: number;
  /** The last household checked with /nhanh, for /tomtat. */
  lastCase?: { household: HouseholdInput; notes: QuickNote[] };
  /** A check on someone's behalf (/thaymat) in progress; the name only if the volunteer typed one. */
  onBehalf?: { residentName?: string };
}

/** The outcome of a message: handled here (replies to send) or left to the core; the state to keep. */
export interface DeskResult {
  handled: boolean;
  replies: DeskReply[];
  state: DeskState;
  /** /thaymat: the core should start its eligibility interview now. */
  startInterview?: boolean;
}

/** What the desk needs. */
export interface DeskPorts {
  staff: StaffDirectory;
  /** The knowledge base's search (`openKnowledgeBase().search`). */
  search(query: string, options: SearchOptions): SearchOutcome;
  documents: readonly CorpusDocument[];
  areas: AreaChanges;
  policy: PolicyKnowledge;
  referrals: ReferralDirectory;
  feedback?: Pick<FeedbackStorePort, "record" | "addExpected">;
  stats?: Pick<UsageStatsPort, "recordScreening" | "recordSearch" | "summary">;
  /** The opt-ins to rule-change notices (staff/services/rule-watches.ts). */
  watches?: Pick<RuleWatchStorePort, "watch" | "unwatch">;
  versions: AnswerVersions;
  /** Today in Vietnam, ISO. */
  today(): string;
  /** Sign-in codes of the staff web console (storage/repositories/console-auth.ts); /dangnhap needs it. */
  consoleSignIn?: Pick<ConsoleAuthPort, "mintCode">;
  /** Where staff open the console (PUBLIC_URL + /console), shown with the code when known. */
  consoleUrl?: string;
}

const COMMANDS: Record<string, StaffCommand | "tomtat"> = {
  toi: "toi",
  dangnhap: "dangnhap",
  tim: "tim",
  vanban: "vanban",
  doc: "doc",
  nhanh: "nhanh",
  thaymat: "thaymat",
  thongke: "thongke",
  tomtat: "tomtat",
};

/** "/tim@bot abc" → { name: "tim", rest: "abc" }; null for anything else. */
function readCommand(text: string): { name: StaffCommand | "tomtat"; rest: string } | null {
  const match = /^\s*\/([a-z]+)(?:@\w+)?(?:\s+([\s\S]*))?$/i.exec(text);
  if (!match) return null;
  const name = COMMANDS[match[1]!.toLowerCase()];
  return name ? { name, rest: (match[2] ?? "").trim() } : null;
}

const SKIP = /^(?:bo qua|thoi|khong|ko|huy|skip)$/;

/** Which passages a page of /tim showed (for the feedback record). */
function pageShown(outcome: SearchOutcome, page: number, role: Role): { from: number; count: number } {
  const size = PAGE_SIZE[role];
  const results = outcome.type === "invalid" ? [] : outcome.results;
  return { from: (pageOf(results, page, size).page - 1) * size, count: size };
}

/** Under /toi for staff: what they start most often. */
const STAFF_BUTTONS = [
  { label: "Kiểm tra thay người dân", value: "/thaymat" },
  { label: "Thống kê", value: "/thongke" },
];

/** The data of the opt-in button. */
export const OPT_IN_VALUE = "watch:on";

const FEEDBACK_BUTTONS = FEEDBACK_CHOICES.map((choice) => ({
  label: choice.label,
  value: `fb:${choice.value}`,
}));

/**
 * Creates the desk over its ports. Everything it computes once (outlines, citation index, metadata) is
 * computed here.
 */
export function createStaffDesk(ports: DeskPorts) {
  const metadata = ports.documents.map((document) => document.metadata);
  const plans = new Map(metadata.map((entry) => [entry.id, entry]));
  const outlines = createOutlines(ports.documents);
  const citationIndex = createCitationIndex(ports.policy);
  const programmeTitles = new Map(ports.policy.programs.map((program) => [program.id, program.title]));
  const provinces = ports.policy.provinces.map((province) => province.info.name);
  const reply = (text: string, extra: Omit<DeskReply, "text"> = {}): DeskReply => ({ text, ...extra });
  const done = (state: DeskState, ...replies: DeskReply[]): DeskResult => ({ handled: true, replies, state });
  const withFeedback = (text: string): DeskReply =>
    reply(`${text}\n\n${FEEDBACK_PROMPT}`, { choices: FEEDBACK_BUTTONS });

  const searchPage = async (
    request: SearchRequest,
    role: Role,
    notes: readonly string[],
    state: DeskState,
    userKey: string,
  ): Promise<DeskResult> => {
    const outcome = ports.search(request.query, { ...request.options, limit: SEARCH_LIMIT });
    if (request.page === 1) await ports.stats?.recordSearch(outcome, userKey);
    const text = renderSearchPage(outcome, { page: request.page, role, notes, plans });
    const next: DeskState = { ...state, search: request };
    if (outcome.type === "invalid") return done({ ...next, feedback: undefined }, reply(text));
    return done(
      {
        ...next,
        feedback: {
          kind: "search",
          question: request.query,
          answer: searchAnswerRecord(outcome, pageShown(outcome, request.page, role)),
        },
      },
      withFeedback(text),
    );
  };

  const decisionReplies = (
    household: HouseholdInput,
    notes: readonly QuickNote[],
  ): { text: string; decision: Decision } => {
    const decision = decide(household, ports.policy);
    const citations = decisionCitations(decision, citationIndex, plans);
    const referrals = referralsFor(ports.referrals, ports.areas, {
      ...(household.province ? { province: household.province } : {}),
      programmes: decision.programs,
    });
    const text = [
      "Đã đọc dòng nhập:",
      renderQuickNotes(notes),
      "",
      renderDecisionText(decision, { citations, referrals }),
      "",
      "Gõ /tomtat (hoặc /tomtat <tên người dân>) để lấy bản tóm tắt hồ sơ để in.",
    ].join("\n");
    return { text, decision };
  };

  const caseSummary = (
    household: HouseholdInput,
    decision: Decision,
    notes: readonly QuickNote[],
    residentName?: string,
  ): DeskReply[] => {
    const labels = new Map(
      indicatorsOn(ports.policy, decision.assessedOn).map((indicator) => [indicator.id, indicator.label]),
    );
    const input = {
      decision,
      facts: householdFacts(household, labels),
      preparedOn: ports.today(),
      citations: decisionCitations(decision, citationIndex, plans),
      referrals: referralsFor(ports.referrals, ports.areas, {
        ...(household.province ? { province: household.province } : {}),
        programmes: decision.programs,
      }),
      notes,
      rulesVersion: ports.versions.rules,
      ...(residentName ? { residentName } : {}),
    };
    return [
      reply(renderCaseSummaryText(input), {
        attachment: {
          filename: `tom-tat-ho-so-${input.preparedOn}.html`,
          mediaType: "text/html",
          content: renderCaseSummaryHtml(input),
        },
      }),
    ];
  };

  const command = async (
    name: StaffCommand | "tomtat",
    rest: string,
    role: Role,
    state: DeskState,
    userKey: string,
  ): Promise<DeskResult> => {
    if (!mayUse(role, name === "tomtat" ? "nhanh" : name)) return done(state, reply(STAFF_ONLY_MESSAGE));
    switch (name) {
      case "toi":
        // Staff get the on-behalf check and the statistics as buttons too (numbered on Zalo).
        return done(state, reply(renderRole(role), role === "staff" ? { choices: STAFF_BUTTONS } : {}));
      case "tim": {
        const parsed = parseSearchCommand(rest);
        if (!parsed.ok) return done(state, reply(parsed.error.message));
        const resolved = resolveFilters(parsed.value.filters, { documents: metadata, areas: ports.areas });
        if (!resolved.ok) return done(state, reply(resolved.error.message));
        return searchPage(
          { query: parsed.value.query, options: resolved.value.options, page: 1 },
          role,
          resolved.value.notes,
          state,
          userKey,
        );
      }
      case "vanban":
        return done(state, reply(renderDocumentList(metadata, ports.areas, ports.today())));
      case "doc": {
        const [id, ...section] = rest.split(/\s+/).filter(Boolean);
        if (!id)
          return done(
            state,
            reply(
              "Gõ /doc <mã văn bản> <mục>, ví dụ /doc thai-binh-2017-2020 IV.1.2. Gõ /vanban để xem các mã.",
            ),
          );
        const found = resolveDocument(metadata, id);
        if (!found.ok) return done(state, reply(found.error.message));
        const document = ports.documents.find((candidate) => candidate.metadata.id === found.value.id)!;
        const outline = outlines(document.metadata.id)!;
        if (section.length === 0) return done(state, reply(renderTableOfContents(document, outline)));
        const rendered = renderSection(document, outline, section.join(" "), ports.areas, ports.today());
        return done(state, reply(rendered.ok ? rendered.value.text : rendered.error.message));
      }
      case "nhanh": {
        const parsed = parseQuickHousehold(rest, {
          today: ports.today(),
          indicators: (date) => indicatorsOn(ports.policy, date),
          provinces,
        });
        if (!parsed.ok) {
          const notes = parsed.error.notes.length > 0 ? `\n${renderQuickNotes(parsed.error.notes)}` : "";
          return done(state, reply(`${parsed.error.message}${notes}`));
        }
        const valid = parseHousehold(parsed.value.household, { indicatorIds: ports.policy.indicatorIds });
        if (!valid.ok)
          return done(state, reply(`Dữ liệu hộ chưa hợp lệ: ${valid.error.map((p) => p.message).join(" ")}`));
        const { text, decision } = decisionReplies(valid.value, parsed.value.notes);
        await ports.stats?.recordScreening(decision);
        return done(
          {
            ...state,
            lastCase: { household: valid.value, notes: parsed.value.notes },
            feedback: { kind: "decision", household: valid.value, answer: decisionAnswerRecord(decision) },
          },
          withFeedback(text),
        );
      }
      case "tomtat": {
        if (!state.lastCase)
          return done(state, reply("Chưa có hộ nào để tóm tắt. Gõ /nhanh <mô tả hộ trên một dòng> trước."));
        const decision = decide(state.lastCase.household, ports.policy);
        const name = rest.trim() || undefined;
        return done(state, ...caseSummary(state.lastCase.household, decision, state.lastCase.notes, name));
      }
      case "thaymat": {
        const name = rest.trim().slice(0, 100) || undefined;
        return {
          handled: true,
          startInterview: true,
          state: { ...state, onBehalf: name ? { residentName: name } : {} },
          replies: [
            reply(
              `Bắt đầu kiểm tra thay cho người dân${name ? ` (${name})` : ""}. Hãy hỏi và trả lời từng câu theo lời người dân. ` +
                "Cuối cùng bạn sẽ nhận bản tóm tắt hồ sơ để gửi UBND xã hoặc luật sư" +
                (name
                  ? "; tên chỉ ghi trên bản tóm tắt."
                  : "; bản tóm tắt không ghi tên (gõ /thaymat <tên> nếu cần ghi)."),
            ),
          ],
        };
      }
      case "dangnhap": {
        if (!ports.consoleSignIn)
          return done(state, reply("Trang làm việc trên máy tính chưa được bật trên máy chủ này."));
        const { code } = await ports.consoleSignIn.mintCode(userKey);
        return done(
          state,
          reply(
            [
              `Mã đăng nhập trang làm việc: ${formatSignInCode(code)}`,
              `Mở ${ports.consoleUrl ?? "trang làm việc (/console trên máy chủ của xã)"} trên máy tính và nhập mã này.`,
              "Mã dùng được một lần, trong 10 phút. Không đưa mã cho người khác.",
            ].join("\n"),
          ),
        );
      }
      case "thongke": {
        if (!ports.stats) return done(state, reply("Chưa bật thống kê trên máy chủ này."));
        const to = ports.today();
        const summary = await ports.stats.summary({ from: addDays(to, -29), to });
        return done(state, reply(renderStats(summary, programmeTitles)));
      }
    }
  };

  return {
    /** The role of a user key (STAFF_IDS). */
    roleOf: (userKey: string): Role => ports.staff.roleOf(userKey),

    /**
     * Handles a message if it is the desk's: a staff command, "xem thêm" after /tim, a verdict after an
     * answer, the right answer after "Sai". Otherwise `handled: false`, and the state forgets the pending
     * feedback (the answer it was for is no longer on screen).
     */
    async handle(userKey: string, text: string, state: DeskState): Promise<DeskResult> {
      const role = ports.staff.roleOf(userKey);
      const folded = foldDiacritics(normalizeVietnamese(text)).trim();
      const parsed = readCommand(text);
      if (state.expectedFor !== undefined && !parsed) {
        const { expectedFor, ...rest } = state;
        if (SKIP.test(folded)) return done(rest, reply("Đã bỏ qua."));
        await ports.feedback?.addExpected(expectedFor, text);
        return done(
          rest,
          reply("Đã ghi kết quả đúng. Câu trả lời này sẽ thành một ca kiểm thử. Cảm ơn bạn."),
        );
      }
      if (parsed) {
        const { expectedFor: _dropped, ...rest } = state;
        return command(parsed.name, parsed.rest, role, rest, userKey);
      }
      const verdict = state.feedback ? readVerdict(text) : undefined;
      if (verdict && state.feedback) {
        const id = await ports.feedback?.record({
          ...state.feedback,
          userKey,
          verdict,
          role,
          versions: ports.versions,
        });
        const { feedback: _judged, ...rest } = state;
        if (role === "staff" && verdict !== "correct" && id !== undefined) {
          // The example fits what was judged: a passage for a search, a decision for a household.
          const prompt = EXPECTED_PROMPT[state.feedback.kind];
          return done({ ...rest, expectedFor: id }, reply(`${FEEDBACK_THANKS[verdict]}\n${prompt}`));
        }
        return done(rest, reply(FEEDBACK_THANKS[verdict]));
      }
      if (state.search && isMoreRequest(text))
        return searchPage(nextPage(state.search), role, [], state, userKey);
      const { feedback: _unanswered, ...rest } = state;
      return { handled: false, replies: [], state: rest };
    },

    /**
     * Makes an answer the core gave judgeable ("Đúng / Sai / Chưa rõ"): returns the state to keep and the
     * feedback question to append (with its buttons).
     */
    offerFeedback(
      state: DeskState,
      answer:
        | { kind: "search"; question: string; outcome: SearchOutcome }
        | { kind: "decision"; household: HouseholdInput; decision: Decision },
    ): { state: DeskState; reply: DeskReply } {
      const feedback: DeskState["feedback"] =
        answer.kind === "search"
          ? { kind: "search", question: answer.question, answer: searchAnswerRecord(answer.outcome) }
          : { kind: "decision", household: answer.household, answer: decisionAnswerRecord(answer.decision) };
      return { state: { ...state, feedback }, reply: reply(FEEDBACK_PROMPT, { choices: FEEDBACK_BUTTONS }) };
    },

    /** For staff, paste-ready citations of the passages a plain answer showed; empty for residents. */
    answerCitations(userKey: string, outcome: SearchOutcome): string {
      return ports.staff.roleOf(userKey) === "staff" ? renderAnswerCitations(outcome, plans) : "";
    },

    /** Where to go next after a check's result, in a few lines (empty when the directory has nothing). */
    referralsAfter(household: HouseholdInput, decision: Decision): string {
      return renderReferralsShort(
        referralsFor(ports.referrals, ports.areas, {
          ...(household.province ? { province: household.province } : {}),
          programmes: decision.programs,
        }),
      );
    },

    /** The choice to append after a resident's result ("Báo cho tôi khi chính sách thay đổi"). */
    optInChoice(): { label: string; value: string } {
      return { label: OPT_IN_LABEL, value: OPT_IN_VALUE };
    },

    /** True for the opt-in button or its words. */
    isOptIn(text: string): boolean {
      const folded = foldDiacritics(normalizeVietnamese(text))
        .replace(/[^\p{L}\p{N}:]+/gu, " ")
        .trim();
      return (
        text.trim() === OPT_IN_VALUE ||
        folded === foldDiacritics(OPT_IN_LABEL).toLowerCase() ||
        folded === "/baothaydoi"
      );
    },

    /** Records the opt-in for the household just decided (the core calls it when {@link isOptIn}). */
    async optIn(userKey: string, household: HouseholdInput, decision: Decision): Promise<DeskReply> {
      if (!ports.watches)
        return reply("Chức năng báo khi chính sách thay đổi chưa được bật trên máy chủ này.");
      await ports.watches.watch(userKey, household, decision, ports.versions.rules);
      return reply(OPT_IN_CONFIRM);
    },

    /** /xoa: forgets the user's opt-in at once (the core deletes its own session). */
    async forget(userKey: string): Promise<void> {
      await ports.watches?.unwatch(userKey);
    },

    /**
     * After the core's interview ends with a decision: for a check on someone's behalf (/thaymat), the case
     * summary (text and printable HTML), and the name forgotten; null otherwise.
     */
    finishOnBehalf(
      userKey: string,
      state: DeskState,
      household: HouseholdInput,
      decision: Decision,
    ): DeskResult | null {
      if (!state.onBehalf || ports.staff.roleOf(userKey) !== "staff") return null;
      const { onBehalf, ...rest } = state;
      return done(rest, ...caseSummary(household, decision, [], onBehalf.residentName));
    },
  };
}

/** The desk's interface. */
export type StaffDesk = ReturnType<typeof createStaffDesk>;
