/**
 * The shape of a decision: what the scorer returns for one household. The details of a programme, by its
 * kind of support, are spread on the programme object (`maxAmount`, `supportPercent`, ...).
 */
import type { Category, ProgramKind, ProgramStatus, Reference } from "./policy.ts";

export type { Category, ProgramKind, ProgramStatus, Reference };

/** The poverty standard applied on the assessment date. */
export interface StandardSummary {
  id: string;
  title: string;
  from: string;
  to: string;
  references: Reference[];
}

/** Which category the household falls in (from the commune's list, or estimated from its own figures). */
export interface Classification {
  /** "unknown" when the facts given (or the data) do not settle it; see `candidates`. */
  category: Category | "unknown";
  /** "listed": the commune's list decides; "estimated": from the household's own figures. */
  basis: "listed" | "estimated";
  /** VND per person per month, as used (null when not given). */
  incomePerPerson: number | null;
  /** The poverty income line for the household's area under the standard (null when unknown). */
  incomeLine: number | null;
  /** All income lines of the standard for the area (null where the standard has none or it is unknown). */
  lines: { poor: number | null; nearPoor: number | null; averageLiving: number | null };
  /** Deprivations counted under the standard (null when not given). */
  deprivationCount: number | null;
  /** The categories still possible; one element when the category is settled. */
  candidates: Category[];
  /** For a listed household that also gave figures: what the figures alone point to (else null). */
  estimatedCategory: Category | "unknown" | null;
  /** False when a figure or rule the category rests on is not confirmed. */
  confirmed: boolean;
  reasons: string[];
  references: Reference[];
}

/** A fact that would settle (or improve) undecided programmes, most useful first. */
export interface MissingFact {
  /** A HouseholdInput field name, or a person field like "persons[1].publicSchool". */
  fact: string;
  /** Why it matters, in Vietnamese. */
  reason: string;
  /** The programmes it would settle or refine. */
  programs: string[];
}

/** Fields common to every programme decision. */
export interface ProgramDecisionBase {
  id: string;
  kind: ProgramKind;
  title: string;
  status: ProgramStatus;
  /** Plain Vietnamese sentences: each condition that decided it, the figures, what is not confirmed. */
  reasons: string[];
  references: Reference[];
  /** False when any figure or rule this decision rests on is medium/low confidence or missing. */
  confirmed: boolean;
  /** Where to apply, what to bring, how the commune review works. */
  nextSteps: string[];
  /** Facts that would settle or refine this programme. */
  missingFacts: MissingFact[];
}

/** Per-person outcome inside a per-person programme (only persons whose outcome differs from the household's). */
export interface PersonOutcomeBase {
  personIndex: number;
  status: ProgramStatus;
  reasons: string[];
  confirmed: boolean;
}

/**
 * One programme's decision: the common fields, then the details its kind of support declares
 * (`knowledge/kinds/<kind>.yaml`, `decision`), in that order: credit `maxAmount`, `amountUnit`,
 * `interestRatePerYear`, `estimatedInterestRatePerYear`, `termMonths`; health insurance `supportPercent`,
 * `estimatedSupportPercent`; cash support `amountPerMonth`, `estimatedAmountPerMonth`, `kwhPerMonth`. A
 * per-person kind (tuition) carries its details in `persons` only (`exemption`, `learningCostSupport`).
 */
export interface ProgramDecision extends ProgramDecisionBase {
  /** Members whose outcome differs from the household's (a per-person kind: every member it applies to). */
  persons: PersonOutcome[];
  readonly [detail: string]: unknown;
}

/** One member's outcome, with the details of the programme's kind (and the person facts it repeats). */
export interface PersonOutcome extends PersonOutcomeBase {
  readonly [detail: string]: unknown;
}

/** The province named in the input and what the data knows about it. */
export interface ProvinceSummary {
  /** As given. */
  input: string;
  /** The override's id when one matched, else null. */
  id: string | null;
  name: string | null;
  notes: string[];
}

/** The scorer's answer for one household. */
export interface Decision {
  assessedOn: string;
  /** Null when no standard in the data covers the date. */
  standard: StandardSummary | null;
  classification: Classification;
  programs: ProgramDecision[];
  /** Facts that would settle undecided programmes, most useful first. */
  missingFacts: MissingFact[];
  province: ProvinceSummary | null;
  /** General notes: national figures are minimums, how the commune review works, ... */
  notes: string[];
}
