/**
 * The shape of a decision: what the scorer returns for one household. The per-kind details of a programme
 * are spread on the programme object (`maxAmount`, `supportPercent`, ...).
 */
import type { Category, ProgramKind, ProgramStatus, Reference } from "./policy.ts";
import type { EducationLevel } from "./household.ts";

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

/** Learning-cost support for one pupil (hỗ trợ chi phí học tập). */
export interface LearningCostSupport {
  /** Confirmed amount per month, or null when not confirmed (see `estimatedAmountPerMonth`). */
  amountPerMonth: number | null;
  /** An unconfirmed amount, labelled "chưa xác nhận" in the reasons. */
  estimatedAmountPerMonth: number | null;
  monthsPerYear: number | null;
  confirmed: boolean;
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

/** Credit details. */
export interface CreditDetails {
  /** Maximum loan (VND), per `amountUnit`; null when not confirmed or not applicable. */
  maxAmount: number | null;
  amountUnit: "per_household" | "per_student_per_month" | "per_facility" | "per_worker";
  /** Percent per year; null when not confirmed (see `estimatedInterestRatePerYear`). */
  interestRatePerYear: number | null;
  /** An unconfirmed (derived) rate, labelled "chưa xác nhận"; null when none. */
  estimatedInterestRatePerYear: number | null;
  termMonths: number | null;
}
/** A credit programme decision (NHCSXH loans). */
export interface CreditDecision extends ProgramDecisionBase, CreditDetails {
  kind: "credit";
  persons: (PersonOutcomeBase & CreditDetails)[];
}

/** Health-insurance details: the minimum share of the premium the state pays. */
export interface HealthInsuranceDetails {
  /** Percent for members without a personal rule (null when undecided). */
  supportPercent: number | null;
  estimatedSupportPercent: number | null;
}
/** The BHYT premium-support decision. */
export interface HealthInsuranceDecision extends ProgramDecisionBase, HealthInsuranceDetails {
  kind: "health_insurance";
  /** Members whose support differs from the household's (e.g. children under 6, pupils and students). */
  persons: (PersonOutcomeBase & HealthInsuranceDetails)[];
}

/** Tuition details for one learner. */
export interface TuitionDetails {
  exemption: "full" | "70" | "50" | "none";
  learningCostSupport: LearningCostSupport | null;
}
/** The tuition decision: per learner. */
export interface TuitionDecision extends ProgramDecisionBase {
  kind: "tuition";
  persons: (PersonOutcomeBase &
    TuitionDetails & { education: EducationLevel | null; publicSchool: boolean | null })[];
}

/** Cash support details (electricity bill support). */
export interface CashSupportDetails {
  amountPerMonth: number | null;
  estimatedAmountPerMonth: number | null;
  kwhPerMonth: number | null;
}
/** A cash-support decision. */
export interface CashSupportDecision extends ProgramDecisionBase, CashSupportDetails {
  kind: "cash_support";
  persons: (PersonOutcomeBase & CashSupportDetails)[];
}

/** A service decision (free legal aid): no figures. */
export interface ServiceDecision extends ProgramDecisionBase {
  kind: "service";
  persons: PersonOutcomeBase[];
}

/** One programme's decision; `kind` tells which details it carries. */
export type ProgramDecision =
  CreditDecision | HealthInsuranceDecision | TuitionDecision | CashSupportDecision | ServiceDecision;

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
