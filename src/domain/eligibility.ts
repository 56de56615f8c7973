/**
 * The eligibility scorer: `decide(household, policy)` returns, for the household's category under the
 * standard in force and for each programme, whether it qualifies, with what, why (each deciding condition in
 * plain Vietnamese), on what legal basis, what to do next, and which facts would settle what is still open.
 * It never says a household "is" poor: only the commune's review recognises that. Pure: data in, data out.
 */
import { classify, standardOn, type ClassificationResult } from "./classify.ts";
import { PERSONS, sharingKeyReads, type FactRead } from "./condition-types.ts";
import {
  categoryKey,
  evaluateAll,
  MEMBERS_UNKNOWN,
  type EvaluationContext,
  type PersonRef,
  type Truth,
} from "./conditions.ts";
import { formatDateVi, vietnamDate, within } from "./dates.ts";
import type {
  Decision,
  MissingFact,
  PersonOutcomeBase,
  ProgramDecision,
  ProvinceSummary,
  StandardSummary,
} from "./decision.ts";
import { factLabel, factRank } from "./facts.ts";
import { decisionDetails, figureRank, figureSentences, takesHighest } from "./kinds.ts";
import type { HouseholdInput } from "./household.ts";
import { lowerConfidence, resolveValue, type ResolvedValue } from "./parameters.ts";
import {
  provinceKey,
  type Confidence,
  type PolicyKnowledge,
  type PovertyStandard,
  type Program,
  type ProgramStatus,
  type ProvinceOverride,
  type Reference,
  type RuleCase,
  type ValueSource,
} from "./policy.ts";
import { internReferences, internTexts } from "./intern.ts";
import { personName, sentence } from "./wording.ts";

// The types a caller of decide() works with, in one place.
export type {
  Classification,
  Decision,
  MissingFact,
  ProgramDecision,
  ProgramStatus,
  Reference,
  StandardSummary,
} from "./decision.ts";
export type { FieldProblem, HouseholdInput, Person } from "./household.ts";
export type { PolicyKnowledge } from "./policy.ts";

/** Options of {@link decide}. */
export interface DecideOptions {
  /**
   * The date to assess on when the household gives no `assessedOn` ("YYYY-MM-DD"). Callers pass today's date
   * in Vietnam; when both are absent the clock is read (the one impure step, kept for convenience).
   */
  today?: string;
  /**
   * False: decide afresh, sharing no outcome with earlier households (the decision is the same; tests
   * compare the two). Default true: a list of households is decided much faster.
   */
  share?: boolean;
}

const STATUS_RANK: Record<ProgramStatus, number> = {
  eligible: 3,
  possible: 2,
  needs_info: 1,
  not_eligible: 0,
};

// === Units: the household, or one person of it, under one programme

type Yes = Extract<Truth, { v: "yes" }>;

interface Hit {
  rule: RuleCase;
  truth: Yes;
  index: number;
}

/** The figures granted to a unit, resolved on the date (shared objects: compare by identity). */
type Fields = Record<string, ResolvedValue | string>;

/** What the rules say about a unit, before any sentence is written. */
interface Assessment {
  status: ProgramStatus;
  grants: Hit[];
  denials: Hit[];
  pending: { rule: RuleCase; truth: Extract<Truth, { v: "unknown" }>; index: number }[];
  refusals: Extract<Truth, { v: "no" }>[];
  fields: Fields;
  /** The granting cases whose figures were used. */
  used: Hit[];
  covered: boolean;
  /** Facts that settle an undecided unit. */
  needs: string[];
  /** Facts that could improve a granted unit (a higher figure, or eligible instead of possible). */
  upgrades: string[];
}

/** A unit explained: the sentences and references of its assessment. */
interface Explanation {
  reasons: string[];
  /** What the unit gets and why, without the condition sentences (for a person's line in the summary). */
  summary: string[];
  confidence: Confidence;
  references: Reference[];
}

function addAll<T>(into: T[], items: readonly T[]): void {
  for (const item of items) if (!into.includes(item)) into.push(item);
}

function resolveField(
  source: ValueSource | string,
  rule: RuleCase,
  context: EvaluationContext,
): ResolvedValue | string {
  if (typeof source === "string") return source;
  return resolveValue(source, context.date, context.input.area, rule.confidence);
}

/**
 * Picks, per figure, the value from the granting cases (eligible before possible): the highest where the
 * kind says so (the highest share of the premium, the widest exemption), else the first case's.
 */
function pickFields(
  program: Program,
  grants: Hit[],
  context: EvaluationContext,
): { fields: Fields; used: Hit[] } {
  const kind = program.support;
  const fields: Fields = {};
  const used: Hit[] = [];
  for (const grant of grants) {
    for (const name in grant.rule.then) {
      if (name in fields) continue;
      let pool = grants.filter((candidate) => candidate.rule.then[name] !== undefined);
      const eligible = pool.filter((candidate) => candidate.truth.grade === "eligible");
      if (eligible.length > 0) pool = eligible;
      let best = pool[0]!;
      let bestValue = resolveField(best.rule.then[name]!, best.rule, context);
      if (takesHighest(kind, name)) {
        for (let i = 1; i < pool.length; i++) {
          const value = resolveField(pool[i]!.rule.then[name]!, pool[i]!.rule, context);
          if (figureRank(kind, name, value) > figureRank(kind, name, bestValue)) {
            best = pool[i]!;
            bestValue = value;
          }
        }
      }
      fields[name] = bestValue;
      if (!used.includes(best)) used.push(best);
    }
  }
  if (used.length === 0 && grants.length > 0)
    used.push(grants.find((grant) => grant.truth.grade === "eligible") ?? grants[0]!);
  return { fields, used };
}

/** True when a pending case could give the unit more than what it got. */
function couldImprove(
  program: Program,
  pending: RuleCase,
  pendingIndex: number,
  grants: Hit[],
  fields: Fields,
  used: Hit[],
  context: EvaluationContext,
): boolean {
  if (grants.every((grant) => grant.truth.grade === "possible")) return true;
  const kind = program.support;
  for (const name in pending.then) {
    const current = fields[name];
    if (takesHighest(kind, name)) {
      if (
        figureRank(kind, name, resolveField(pending.then[name]!, pending, context)) >
        figureRank(kind, name, current)
      )
        return true;
    } else if (current === undefined || used.every((grant) => pendingIndex < grant.index)) {
      return true;
    }
  }
  return false;
}

/**
 * Applies the cases to a unit. `shared` holds the outcomes of household-level cases already evaluated for
 * this household, so a person's evaluation does not redo them.
 */
function assess(
  program: Program,
  cases: RuleCase[],
  context: EvaluationContext,
  person: PersonRef | undefined,
  covered: boolean,
  shared: Map<RuleCase, Truth>,
): Assessment {
  const grants: Hit[] = [];
  const denials: Hit[] = [];
  const pending: Assessment["pending"] = [];
  const refusals: Assessment["refusals"] = [];
  for (let index = 0; index < cases.length; index++) {
    const rule = cases[index]!;
    let truth = rule.usesPerson ? undefined : shared.get(rule);
    if (!truth) {
      truth = evaluateAll(rule.when, context, person);
      if (!rule.usesPerson) shared.set(rule, truth);
      // Without members, a per-person rule that could still apply needs the members before anything else.
      else if (!person && truth.v === "unknown") truth = MEMBERS_UNKNOWN;
    }
    if (truth.v === "yes") (rule.denies ? denials : grants).push({ rule, truth, index });
    else if (truth.v === "unknown") pending.push({ rule, truth, index });
    else refusals.push(truth);
  }

  const needs: string[] = [];
  const upgrades: string[] = [];
  if (grants.length > 0) {
    const { fields, used } = pickFields(program, grants, context);
    for (const grant of used) addAll(upgrades, grant.truth.upgrade);
    for (const open of pending) {
      if (couldImprove(program, open.rule, open.index, grants, fields, used, context))
        addAll(upgrades, open.truth.missing);
    }
    const status = grants.some((grant) => grant.truth.grade === "eligible") ? "eligible" : "possible";
    return { status, grants, denials, pending, refusals, fields, used, covered, needs, upgrades };
  }
  // A case still open may grant: ask for its facts before concluding "no" (a denial only explains a no).
  let status: ProgramStatus = "not_eligible";
  if (pending.length > 0 || (!covered && denials.length === 0)) {
    status = "needs_info";
    for (const open of pending) addAll(needs, open.truth.missing);
  }
  return { status, grants, denials, pending, refusals, fields: {}, used: [], covered, needs, upgrades };
}

function unconfirmedSentence(value: ResolvedValue): string | null {
  if (value.confidence === "high" && (value.value !== null || value.estimate === null)) return null;
  const label = value.label ?? "Mức này";
  const ask = value.ask ? `, hãy hỏi ${value.ask}` : "";
  return sentence(`${label}: mức này chưa được xác nhận${ask}${value.note ? `. Lý do: ${value.note}` : ""}`);
}

/** Writes the reasons of an assessed unit. */
function explain(program: Program, unit: Assessment, context: EvaluationContext): Explanation {
  const reasons: string[] = [];
  const summary: string[] = [];
  const references: Reference[] = [];
  let confidence: Confidence = "high";

  if (unit.used.length > 0) {
    for (const grant of unit.used) {
      addAll(reasons, grant.truth.texts);
      // A condition resting on an unconfirmed figure says so; keep that in the short summary too.
      addAll(
        summary,
        grant.truth.texts.filter((text) => text.includes("chưa được xác nhận")),
      );
      addAll(reasons, [grant.rule.reason]);
      addAll(summary, [grant.rule.reason]);
      addAll(references, grant.rule.references);
      addAll(references, grant.truth.references);
      confidence = lowerConfidence(
        confidence,
        lowerConfidence(grant.rule.confidence, grant.truth.confidence),
      );
      if (grant.rule.confidence !== "high") {
        const warning = sentence(`Quy định này chưa được xác nhận, hãy hỏi ${grant.rule.ask}`);
        addAll(reasons, [warning]);
        addAll(summary, [warning]);
      }
    }
    const figures = figureSentences(program.support, unit.fields, program.amountUnit);
    addAll(reasons, figures);
    addAll(summary, figures);
    for (const key in unit.fields) {
      const value = unit.fields[key]!;
      if (typeof value === "string") continue;
      addAll(references, value.references);
      confidence = lowerConfidence(confidence, value.value === null ? "low" : value.confidence);
      const warning = unconfirmedSentence(value);
      if (warning) {
        addAll(reasons, [warning]);
        addAll(summary, [warning]);
      }
    }
    return { reasons, summary, confidence, references };
  }

  if (unit.status === "needs_info") {
    if (!unit.covered) {
      const period = `${formatDateVi(program.coveredFrom)}${program.coveredTo ? ` đến ${formatDateVi(program.coveredTo)}` : ""}`;
      reasons.push(
        `Dữ liệu về chính sách này chỉ đầy đủ từ ${period}; chưa thể kết luận cho ngày ${formatDateVi(context.date)}, hãy hỏi cơ quan phụ trách.`,
      );
      confidence = "low";
    }
    for (const open of unit.pending) {
      addAll(reasons, [open.truth.text]);
      if (open.truth.missing.length === 0) confidence = "low";
    }
    return { reasons, summary: reasons, confidence, references };
  }

  if (unit.denials.length > 0) {
    for (const denial of unit.denials) {
      addAll(reasons, denial.truth.texts);
      addAll(reasons, [denial.rule.reason]);
      addAll(summary, [denial.rule.reason]);
      addAll(references, denial.rule.references);
      confidence = lowerConfidence(
        confidence,
        lowerConfidence(denial.rule.confidence, denial.truth.confidence),
      );
      if (denial.rule.confidence !== "high")
        addAll(reasons, [sentence(`Điều này chưa được xác nhận, hãy hỏi ${denial.rule.ask}`)]);
    }
    return { reasons, summary, confidence, references };
  }

  for (const refusal of unit.refusals) {
    addAll(reasons, [refusal.text]);
    confidence = lowerConfidence(confidence, refusal.confidence);
  }
  return { reasons, summary: reasons, confidence, references };
}

// === Programme decisions

/** The figures of a unit, as the decision carries them (by the programme's kind). */
function details(program: Program, unit: Assessment): Record<string, unknown> {
  return decisionDetails(program.support, unit.fields, program.amountUnit, unit.status);
}

function sameRules(a: Hit[], b: Hit[]): boolean {
  return a.length === b.length && a.every((hit, i) => hit.rule === b[i]!.rule);
}

/**
 * True when a person's outcome is the household's: same status, figures and deciding cases (resolved values
 * are shared objects, so identity compares them). Only persons whose outcome differs are listed.
 */
function sameOutcome(a: Assessment, b: Assessment): boolean {
  if (a.status !== b.status || !sameRules(a.used, b.used) || !sameRules(a.denials, b.denials)) return false;
  let count = 0;
  for (const key in a.fields) {
    if (a.fields[key] !== b.fields[key]) return false;
    count++;
  }
  return count === Object.keys(b.fields).length;
}

interface ProgramOutcome {
  decision: ProgramDecision;
  needs: string[];
  upgrades: string[];
}

/** The reason of a per-person programme when the household describes no member it could apply to. */
const NOBODY_CONCERNED = "Theo thông tin bạn cung cấp, trong hộ không có ai thuộc diện của chính sách này.";

const programFacts = new WeakMap<Program, Map<string, MissingFact>>();

/** A programme's missing fact (built once per programme and fact, shared). */
function programFact(program: Program, fact: string): MissingFact {
  let byFact = programFacts.get(program);
  if (!byFact) programFacts.set(program, (byFact = new Map()));
  let entry = byFact.get(fact);
  if (!entry) {
    entry = Object.freeze({
      fact,
      reason: `Cần biết ${factLabel(fact)}.`,
      programs: Object.freeze([program.id]) as string[],
    });
    byFact.set(fact, entry);
  }
  return entry;
}

const decisionFacts = new Map<string, MissingFact>();

/** A decision-level missing fact, shared between households needing the same fact for the same programmes. */
function decisionFact(fact: string, programs: string[], titles: (id: string) => string): MissingFact {
  const key = `${fact}|${programs.join(",")}`;
  let entry = decisionFacts.get(key);
  if (!entry) {
    const which =
      programs.length > 0 ? `, để xét: ${programs.map(titles).join("; ")}` : ", để ước tính diện hộ";
    entry = Object.freeze({
      fact,
      reason: `Cần biết ${factLabel(fact)}${which}.`,
      programs: Object.freeze(programs) as string[],
    });
    if (decisionFacts.size > 10_000) decisionFacts.clear();
    decisionFacts.set(key, entry);
  }
  return entry;
}

const stepTexts = new WeakMap<Program, Partial<Record<ProgramStatus, string[]>>>();

/** The next-step texts of a programme for a status (built once per programme). */
function nextStepsOf(program: Program, status: ProgramStatus): string[] {
  let byStatus = stepTexts.get(program);
  if (!byStatus) stepTexts.set(program, (byStatus = {}));
  return (byStatus[status] ??= Object.freeze(program.nextSteps[status].map((step) => step.text)) as string[]);
}

// === Memo of programme outcomes
//
// A programme's outcome is a pure function of what its cases read: the date, the area, what decides the
// household's category and its province (the situation, read by every programme), and the facts its
// condition types declare (condition-types.ts: household flags, the date it left the list, a deprivation,
// the members). Screening a commune's list meets the same situations again and again, so outcomes are kept,
// frozen, and shared (which also lets the serialiser reuse their JSON). Keying each programme on the facts
// it reads, not on every fact, keeps the number of situations to decide small; an outcome that depends on
// the members described one by one is not shared.

/** Situations (date, area, category, province) kept; past this, the memo starts afresh. */
const MAX_MEMO_KEYS = 10_000;
/** Outcomes kept per programme and situation (one per combination of the facts it reads). */
const MAX_OUTCOMES_PER_KEY = 1_000;

/** Per policy: situation → by programme index: the programme's own key → its outcome. */
const outcomeMemo = new WeakMap<PolicyKnowledge, Map<string, Map<number | string, ProgramOutcome>[]>>();

/** Per policy: the facts each programme reads, and all of them (each read's index in that list). */
interface PolicyReads {
  all: FactRead[];
  /** By programme index: indexes in `all`. */
  byProgram: number[][];
}

const policyReads = new WeakMap<PolicyKnowledge, PolicyReads>();

/** The facts each programme reads besides the situation (national cases and every province's), found once. */
function readsOfPolicy(policy: PolicyKnowledge): PolicyReads {
  let reads = policyReads.get(policy);
  if (!reads) {
    const all: FactRead[] = [];
    const byProgram = policy.programs.map((program) => {
      const local = policy.provinces.flatMap((province) => province.cases.get(program.id) ?? []);
      const own = sharingKeyReads([...program.cases, ...local].flatMap((rule) => rule.when));
      // A per-person programme's outcome depends on the members whenever they are described.
      if (program.scope === "person" && !own.includes(PERSONS)) own.push(PERSONS);
      return own.map((read) => {
        if (!all.includes(read)) all.push(read);
        return all.indexOf(read);
      });
    });
    reads = { all, byProgram };
    policyReads.set(policy, reads);
  }
  return reads;
}

/** The key of a household's outcome for a programme, or null when it must not be shared. */
function outcomeKey(
  reads: PolicyReads,
  program: number,
  codes: (number | string | null | undefined)[],
  input: HouseholdInput,
) {
  let code = 0;
  let text = "";
  for (const index of reads.byProgram[program]!) {
    const read = reads.all[index]!;
    let value = codes[index];
    if (value === undefined) codes[index] = value = read.code!(input);
    if (value === null) return null;
    if (typeof value === "number") code = code * (read.states ?? 1) + value;
    else text += `|${value}`;
  }
  return text ? `${code}${text}` : code;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** Every programme's outcome: from the memo, or decided (and kept when it can be shared). */
function programOutcomes(
  policy: PolicyKnowledge,
  province: ProvinceOverride | undefined,
  context: EvaluationContext,
): ProgramOutcome[] {
  const { input } = context;
  if (context.unshared) return policy.programs.map((program) => evaluateProgram(program, province, context));
  let memo = outcomeMemo.get(policy);
  if (!memo) outcomeMemo.set(policy, (memo = new Map()));
  const situation = `${context.date}|${input.area}|${categoryKey(context)}|${province?.info.id ?? ""}`;
  let byProgram = memo.get(situation);
  if (!byProgram) {
    if (memo.size >= MAX_MEMO_KEYS) memo.clear();
    byProgram = [];
    memo.set(situation, byProgram);
  }
  const reads = readsOfPolicy(policy);
  const codes: (number | string | null | undefined)[] = new Array(reads.all.length);
  const outcomes: ProgramOutcome[] = [];
  for (let i = 0; i < policy.programs.length; i++) {
    const program = policy.programs[i]!;
    const key = outcomeKey(reads, i, codes, input);
    if (key === null) {
      outcomes.push(evaluateProgram(program, province, context));
      continue;
    }
    let known = byProgram[i];
    if (!known) byProgram[i] = known = new Map();
    let outcome = known.get(key);
    if (!outcome) {
      if (known.size >= MAX_OUTCOMES_PER_KEY) known.clear();
      outcome = deepFreeze(evaluateProgram(program, province, context));
      known.set(key, outcome);
    }
    outcomes.push(outcome);
  }
  return outcomes;
}

const activeByProgram = new WeakMap<Program, Map<string, RuleCase[]>>();

/** The cases in force on a date, national then local (computed once per programme, province and date). */
function activeCases(
  program: Program,
  localCases: RuleCase[],
  province: ProvinceOverride | undefined,
  date: string,
): RuleCase[] {
  let byKey = activeByProgram.get(program);
  if (!byKey) activeByProgram.set(program, (byKey = new Map()));
  const key = `${province?.info.id ?? ""}|${date}`;
  let active = byKey.get(key);
  if (!active) {
    if (byKey.size >= 256) byKey.clear();
    active = [...program.cases, ...localCases].filter((rule) => within(date, rule.from, rule.to));
    byKey.set(key, active);
  }
  return active;
}

function evaluateProgram(
  program: Program,
  province: ProvinceOverride | undefined,
  context: EvaluationContext,
): ProgramOutcome {
  const { input, date } = context;
  const localCases = province?.cases.get(program.id) ?? [];
  const active = activeCases(program, localCases, province, date);
  const covered = within(date, program.coveredFrom, program.coveredTo);
  // Given persons are the members described one by one; the others take the household's outcome. An empty
  // list says no member needs describing (a conversation found no student), so person rules apply to nobody.
  const persons = program.scope === "person" ? input.persons : undefined;
  const shared = new Map<RuleCase, Truth>();

  const household = assess(
    program,
    persons ? active.filter((rule) => !rule.usesPerson) : active,
    context,
    undefined,
    covered,
    shared,
  );
  const personUnits = (persons ?? []).map((person, index) => ({
    ref: { index, person },
    unit: assess(program, active, context, { index, person }, covered, shared),
  }));
  const shown = personUnits.filter((entry) => !sameOutcome(entry.unit, household));

  let status = household.status;
  let best: Assessment = household;
  for (const entry of shown) {
    if (STATUS_RANK[entry.unit.status] > STATUS_RANK[status]) {
      status = entry.unit.status;
      best = entry.unit;
    }
  }
  // The programme's own figures are the household's (members listed apart), unless only members can qualify.
  const figuresOf = !persons || active.some((rule) => !rule.usesPerson) ? household : best;

  const householdText = explain(program, household, context);
  const reasons: string[] = [];
  const references: Reference[] = [...program.references];
  let confidence = householdText.confidence;
  if (!persons || household.status !== "not_eligible" || shown.length === 0)
    addAll(reasons, householdText.reasons);
  addAll(references, householdText.references);
  const personEntries = shown.map((entry) => {
    const text = explain(program, entry.unit, context);
    const name = personName(entry.ref.index, entry.ref.person);
    addAll(
      reasons,
      // Lines about the person already start with their name; the others get it.
      text.summary.map((line) => (line.startsWith(name) ? line : `${name}: ${line}`)),
    );
    addAll(references, text.references);
    confidence = lowerConfidence(confidence, text.confidence);
    const base: PersonOutcomeBase = {
      personIndex: entry.ref.index,
      status: entry.unit.status,
      reasons: text.reasons,
      confirmed: text.confidence === "high",
    };
    const extra: Record<string, unknown> = {};
    for (const fact of program.support.personFacts)
      extra[fact] = (entry.ref.person as Record<string, unknown>)[fact] ?? null;
    // Built in place (spreading three objects per person is a measurable cost for a whole commune's list).
    return Object.assign(base, extra, details(program, entry.unit));
  });
  if (reasons.length === 0) {
    // Nobody in the household is concerned: say why for the members described.
    for (const entry of personUnits) addAll(reasons, explain(program, entry.unit, context).reasons);
    if (personUnits.length === 0) reasons.push(NOBODY_CONCERNED);
  }

  // Local cases whose period is over: say so, since people still quote old plans.
  for (const rule of localCases) {
    if (within(date, rule.from, rule.to) || !rule.province) continue;
    if (evaluateAll(rule.when, context).v === "no") continue;
    const period = `từ ${rule.from ? formatDateVi(rule.from) : "trước"} đến ${rule.to ? formatDateVi(rule.to) : "nay"}`;
    reasons.push(
      `Lưu ý: ${rule.reason} Quy định này của ${rule.province.name} chỉ áp dụng ${period}, nay không còn áp dụng cho ngày ${formatDateVi(date)}.`,
    );
    addAll(references, rule.references);
  }
  addAll(reasons, program.notes[status]);

  const needs: string[] = [];
  const upgrades: string[] = [];
  for (const unit of [household, ...personUnits.map((entry) => entry.unit)]) {
    if (status === "needs_info") addAll(needs, unit.needs);
    else addAll(upgrades, unit.needs);
    addAll(upgrades, unit.upgrades);
  }
  const missingFacts: MissingFact[] = [...needs, ...upgrades.filter((fact) => !needs.includes(fact))].map(
    (fact) => programFact(program, fact),
  );

  const decision: Record<string, unknown> = {
    id: program.id,
    kind: program.kind,
    title: program.title,
    status,
    reasons,
    references: internReferences(references),
    confirmed: confidence === "high",
    nextSteps: nextStepsOf(program, status),
    missingFacts,
  };
  if (!program.support.perPerson) Object.assign(decision, details(program, figuresOf));
  decision.persons = personEntries;
  return { decision: decision as unknown as ProgramDecision, needs, upgrades };
}

// === The decision

function matchProvince(
  name: string | undefined,
  policy: PolicyKnowledge,
  date: string,
): { override: ProvinceOverride | undefined; summary: ProvinceSummary | null } {
  if (name === undefined) return { override: undefined, summary: null };
  const key = provinceKey(name);
  const override = policy.provinces.find((province) => province.keys.includes(key));
  if (!override) {
    return {
      override: undefined,
      summary: {
        input: name,
        id: null,
        name: null,
        notes: [
          `Dữ liệu chưa có chính sách riêng của "${name}"; các mức dưới đây là mức tối thiểu của trung ương, địa phương có thể hỗ trợ thêm.`,
        ],
      },
    };
  }
  const notes: string[] = [];
  const info = override.info;
  if (info.mergedInto && info.mergedOn && date >= info.mergedOn) {
    notes.push(
      `Từ ngày ${formatDateVi(info.mergedOn)}, ${info.name} đã hợp nhất vào ${info.mergedInto}; chính sách riêng hiện hành do ${info.mergedInto} quyết định.`,
    );
  }
  if (info.note) notes.push(info.note);
  return { override, summary: { input: name, id: info.id, name: info.name, notes } };
}

/** Per policy: the facts every programme needs (and could use), in order → the decision's ranked list. */
const missingLists = new WeakMap<PolicyKnowledge, Map<string, MissingFact[]>>();

/**
 * The facts worth asking next, most useful first: those that settle a programme before those that could
 * improve one, then in the interview's order. A commune's list needs the same few combinations again and
 * again, so each ranked list is built once, frozen and shared.
 */
function aggregateMissing(
  policy: PolicyKnowledge,
  outcomes: ProgramOutcome[],
  classification: ClassificationResult,
  listed: HouseholdInput["listedStatus"],
): MissingFact[] {
  // The category itself is worth settling even when no programme hangs on it alone.
  const categoryFacts =
    classification.classification.category === "unknown"
      ? [...(listed === undefined ? ["listedStatus"] : []), ...classification.missing]
      : [];
  let key = categoryFacts.join(",");
  for (const outcome of outcomes) key += `;${outcome.needs.join(",")}/${outcome.upgrades.join(",")}`;
  let byKey = missingLists.get(policy);
  if (!byKey) missingLists.set(policy, (byKey = new Map()));
  let ranked = byKey.get(key);
  if (!ranked) {
    ranked = Object.freeze(rankMissing(outcomes, categoryFacts)) as MissingFact[];
    if (byKey.size >= 10_000) byKey.clear();
    byKey.set(key, ranked);
  }
  return ranked;
}

function rankMissing(outcomes: ProgramOutcome[], categoryFacts: string[]): MissingFact[] {
  const byFact = new Map<string, { score: number; programs: string[] }>();
  const note = (fact: string, weight: number, program: string | null) => {
    let entry = byFact.get(fact);
    if (!entry) byFact.set(fact, (entry = { score: 0, programs: [] }));
    entry.score += weight;
    if (program && !entry.programs.includes(program)) entry.programs.push(program);
  };
  for (const outcome of outcomes) {
    for (const fact of outcome.needs) note(fact, 2, outcome.decision.id);
    for (const fact of outcome.upgrades) note(fact, 1, outcome.decision.id);
  }
  for (const fact of categoryFacts) note(fact, 1, null);
  if (byFact.size === 0) return [];
  const titles = (id: string) => outcomes.find((outcome) => outcome.decision.id === id)?.decision.title ?? id;
  return [...byFact.entries()]
    .sort(([a, x], [b, y]) => y.score - x.score || factRank(a) - factRank(b) || a.localeCompare(b))
    .map(([fact, entry]) => decisionFact(fact, entry.programs, titles));
}

const summaries = new WeakMap<PovertyStandard, StandardSummary>();

/** The standard as shown in decisions (one shared, frozen object per standard). */
function summaryOf(standard: PovertyStandard): StandardSummary {
  let summary = summaries.get(standard);
  if (!summary) {
    summary = Object.freeze({
      id: standard.id,
      title: standard.title,
      from: standard.from,
      to: standard.to,
      references: internReferences(standard.references),
    });
    summaries.set(standard, summary);
  }
  return summary;
}

/**
 * Decides, for one household, its category under the poverty standard in force on the assessment date and
 * its eligibility for every programme in the policy (national rules plus the overrides of its province).
 *
 * ```ts
 * const policy = loadPolicyKnowledge();
 * const decision = decide({ assessedOn: "2026-03-01", area: "rural", members: 4, monthlyIncome: 5_000_000,
 *   deprivationCount: 3, listedStatus: "none" }, policy);
 * decision.classification.category; // "poor" (estimated: "hộ có thể thuộc diện hộ nghèo")
 * decision.programs.find((p) => p.id === "credit.poor_household")?.status; // "possible"
 * ```
 *
 * @param input a validated household (see `parseHousehold`)
 * @param policy the compiled policy (see `loadPolicyKnowledge`)
 * @param options `today`, used when the household gives no `assessedOn`
 */
export function decide(
  input: HouseholdInput,
  policy: PolicyKnowledge,
  options: DecideOptions = {},
): Decision {
  const date = input.assessedOn ?? options.today ?? vietnamDate(Date.now());
  // A household that says when it left the list is, by that, not on it (unless it says otherwise).
  const listed = input.listedStatus ?? (input.leftListOn ? "none" : undefined);
  const classification = classify(input, policy, date, listed);
  const context: EvaluationContext = { input, date, listed, classification };
  if (options.share === false) context.unshared = true;
  const { override, summary: province } = matchProvince(input.province, policy, date);

  const outcomes = programOutcomes(policy, override, context);
  const programs = outcomes.map((outcome) => outcome.decision);
  const standard = standardOn(policy, date);
  const standardSummary = standard ? summaryOf(standard) : null;

  const notes: string[] = [policy.notes.national_minimum!.text];
  const estimatedSomething =
    programs.some((program) => program.status === "possible") ||
    classification.classification.basis === "estimated";
  if (estimatedSomething) notes.push(policy.notes.review_process!.text);
  if (classification.classification.incomePerPerson !== null)
    notes.push(policy.notes.income_definition!.text);
  if (classification.classification.deprivationCount !== null)
    notes.push(policy.notes.deprivation_survey!.text);
  if (province) notes.push(...province.notes);

  return {
    assessedOn: date,
    standard: standardSummary,
    classification: classification.classification,
    programs,
    missingFacts: aggregateMissing(policy, outcomes, classification, listed),
    province,
    notes: internTexts(notes),
  };
}
