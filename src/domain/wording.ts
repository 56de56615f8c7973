/**
 * Vietnamese words the scorer composes reasons from (category and level names, how a person is named).
 * Policy-specific sentences live in the data; these are the generic pieces. Pure.
 */
import type { EducationLevel, Person } from "./household.ts";
import type { Category } from "./policy.ts";

/** "hộ nghèo", "hộ cận nghèo", ... */
export const CATEGORY_LABEL: Record<Category, string> = {
  poor: "hộ nghèo",
  near_poor: "hộ cận nghèo",
  average_living: "hộ có mức sống trung bình",
  none: "không thuộc diện hộ nghèo, cận nghèo hay mức sống trung bình",
};

/** A result's category in a line: the category, or that the household is in none, or not known yet. */
export const RESULT_CATEGORY_LABEL: Record<Category | "unknown", string> = {
  ...CATEGORY_LABEL,
  none: "không thuộc diện hộ nghèo, cận nghèo",
  unknown: "chưa xác định được",
};

/** An estimated category: "có thể thuộc diện hộ cận nghèo"; none and unknown as they are. */
export function estimatedCategoryLabel(category: Category | "unknown"): string {
  return category === "none" || category === "unknown"
    ? RESULT_CATEGORY_LABEL[category]
    : `có thể thuộc diện ${CATEGORY_LABEL[category]}`;
}

/** Education levels in plain words. */
export const EDUCATION_LABEL: Record<EducationLevel, string> = {
  preschool: "mầm non",
  primary: "tiểu học",
  lower_secondary: "trung học cơ sở",
  upper_secondary: "trung học phổ thông",
  vocational: "trung cấp, sơ cấp hoặc học nghề",
  college: "cao đẳng",
  university: "đại học",
};

/** Education levels as a form or a list writes them, short ("THCS", "THPT"). */
export const EDUCATION_SHORT_LABEL: Record<EducationLevel, string> = {
  preschool: "mẫu giáo",
  primary: "tiểu học",
  lower_secondary: "THCS",
  upper_secondary: "THPT",
  vocational: "trung cấp, học nghề",
  college: "cao đẳng",
  university: "đại học",
};

/** "hộ nghèo hoặc hộ cận nghèo". */
export function categoriesText(categories: readonly Category[]): string {
  return categories.map((category) => CATEGORY_LABEL[category]).join(" hoặc ");
}

/** "Người thứ 2 (8 tuổi)", or "Người thứ 2 (học tiểu học)" when the age is not given. */
export function personName(index: number, person: Person): string {
  if (person.age !== undefined) return `Người thứ ${index + 1} (${person.age} tuổi)`;
  return person.education
    ? `Người thứ ${index + 1} (học ${EDUCATION_LABEL[person.education]})`
    : `Người thứ ${index + 1}`;
}

/** Joins sentences' clauses with "; " and ends with a full stop. */
export function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
