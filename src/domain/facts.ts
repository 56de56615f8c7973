/**
 * The household facts the scorer can ask about: their field names (as in {@link HouseholdInput}), a short
 * Vietnamese label, and the order in which a conversation should ask them when they matter equally. The
 * order puts the facts that settle most programmes first (is the household on the commune's list; income),
 * and the ones that only refine a figure last.
 */

/** Yes/no facts about the household as a whole. */
export const HOUSEHOLD_FLAGS = [
  "agricultural",
  "inPoorCommune",
  "inEthnicMinorityArea",
  "inDifficultArea",
  "inExtremelyDifficultArea",
  "needsWaterSupply",
  "needsSanitation",
] as const;
/** One of {@link HOUSEHOLD_FLAGS}. */
export type HouseholdFlag = (typeof HOUSEHOLD_FLAGS)[number];

/** Yes/no facts about one person of the household. */
export const PERSON_FLAGS = ["ethnicMinority", "publicSchool", "disability"] as const;
/** One of {@link PERSON_FLAGS}. */
export type PersonFlag = (typeof PERSON_FLAGS)[number];

/** The fields of a household's input (`HouseholdInput`): the one list of the facts a household states. */
export const HOUSEHOLD_FIELDS = [
  "assessedOn",
  "area",
  "members",
  "monthlyIncome",
  "incomePerPerson",
  "deprivations",
  "deprivationCount",
  "listedStatus",
  "leftListOn",
  ...HOUSEHOLD_FLAGS,
  "province",
  "persons",
] as const;
/** One of {@link HOUSEHOLD_FIELDS}. */
export type HouseholdField = (typeof HOUSEHOLD_FIELDS)[number];

/** The fields of one person (`Person`). */
export const PERSON_FIELDS = ["age", "education", ...PERSON_FLAGS] as const;
/** One of {@link PERSON_FIELDS}. */
export type PersonField = (typeof PERSON_FIELDS)[number];

/** How a yes/no fact reads in a reason: when true, when false, and the question when unknown. */
export interface FlagWording {
  label: string;
  yes: string;
  no: string;
  unknown: string;
}

/** Wording of the household flags; the subject ("Hộ") is part of the sentence. */
export const HOUSEHOLD_FLAG_WORDING: Record<HouseholdFlag, FlagWording> = {
  agricultural: {
    label: "hộ làm nông, lâm, ngư hoặc diêm nghiệp",
    yes: "Hộ làm nông nghiệp, lâm nghiệp, ngư nghiệp hoặc diêm nghiệp.",
    no: "Hộ không làm nông nghiệp, lâm nghiệp, ngư nghiệp hay diêm nghiệp.",
    unknown: "Chưa biết hộ có làm nông nghiệp, lâm nghiệp, ngư nghiệp hoặc diêm nghiệp không.",
  },
  inPoorCommune: {
    label: "hộ sống ở xã nghèo",
    yes: "Hộ đang sống ở xã nghèo (xã thuộc danh sách xã nghèo do Thủ tướng quyết định).",
    no: "Hộ không sống ở xã nghèo.",
    unknown: "Chưa biết hộ có sống ở xã nghèo không.",
  },
  inEthnicMinorityArea: {
    label: "hộ sống ở xã, thôn vùng đồng bào dân tộc thiểu số và miền núi",
    yes: "Hộ sống ở xã, thôn thuộc vùng đồng bào dân tộc thiểu số và miền núi.",
    no: "Hộ không sống ở xã, thôn thuộc vùng đồng bào dân tộc thiểu số và miền núi.",
    unknown: "Chưa biết hộ có sống ở xã, thôn thuộc vùng đồng bào dân tộc thiểu số và miền núi không.",
  },
  inDifficultArea: {
    label: "hộ sống ở vùng có điều kiện kinh tế - xã hội khó khăn",
    yes: "Hộ sống ở vùng có điều kiện kinh tế - xã hội khó khăn hoặc đặc biệt khó khăn.",
    no: "Hộ không sống ở vùng có điều kiện kinh tế - xã hội khó khăn.",
    unknown: "Chưa biết hộ có sống ở vùng có điều kiện kinh tế - xã hội khó khăn không.",
  },
  inExtremelyDifficultArea: {
    label: "hộ sống ở thôn, xã đặc biệt khó khăn",
    yes: "Hộ sống ở thôn đặc biệt khó khăn, xã khu vực III hoặc xã đặc biệt khó khăn vùng bãi ngang ven biển, hải đảo.",
    no: "Hộ không sống ở thôn, xã đặc biệt khó khăn.",
    unknown: "Chưa biết hộ có sống ở thôn, xã đặc biệt khó khăn không.",
  },
  needsWaterSupply: {
    label: "hộ chưa có hoặc có công trình cấp nước bị hư hỏng",
    yes: "Hộ chưa có công trình nước sạch, hoặc công trình đã hư hỏng.",
    no: "Hộ đã có công trình nước sạch dùng được.",
    unknown: "Chưa biết hộ đã có công trình nước sạch dùng được chưa.",
  },
  needsSanitation: {
    label: "hộ chưa có hoặc có nhà tiêu hợp vệ sinh bị hư hỏng",
    yes: "Hộ chưa có nhà tiêu hợp vệ sinh, hoặc nhà tiêu đã hư hỏng.",
    no: "Hộ đã có nhà tiêu hợp vệ sinh dùng được.",
    unknown: "Chưa biết hộ đã có nhà tiêu hợp vệ sinh dùng được chưa.",
  },
};

/** Wording of the person flags; the subject (the person) is prepended by the caller. */
export const PERSON_FLAG_WORDING: Record<PersonFlag, FlagWording> = {
  ethnicMinority: {
    label: "là người dân tộc thiểu số",
    yes: "là người dân tộc thiểu số",
    no: "không phải người dân tộc thiểu số",
    unknown: "chưa rõ có phải người dân tộc thiểu số không",
  },
  publicSchool: {
    label: "học trường công lập",
    yes: "học trường công lập",
    no: "học trường ngoài công lập (tư thục, dân lập)",
    unknown: "chưa rõ học trường công lập hay ngoài công lập",
  },
  disability: {
    label: "là người khuyết tật",
    yes: "là người khuyết tật",
    no: "không phải người khuyết tật",
    unknown: "chưa rõ có phải người khuyết tật không",
  },
};

/**
 * Facts in the order a conversation should ask them when they settle the same number of programmes.
 * Person facts (`persons[2].publicSchool`) rank by their last segment, after "persons".
 */
export const FACT_ORDER = [
  "listedStatus",
  "monthlyIncome",
  "deprivations",
  "leftListOn",
  "persons",
  "agricultural",
  "inPoorCommune",
  "ethnicMinority",
  "inEthnicMinorityArea",
  "inDifficultArea",
  "inExtremelyDifficultArea",
  "education",
  "publicSchool",
  "age",
  "disability",
  "needsWaterSupply",
  "needsSanitation",
] as const;

/** What each fact is, in Vietnamese, for the reason attached to a missing fact. */
export const FACT_LABELS: Record<string, string> = {
  listedStatus: "hộ có tên trong danh sách hộ nghèo, hộ cận nghèo của xã hay không",
  monthlyIncome: "thu nhập bình quân mỗi tháng của cả hộ (hoặc bình quân đầu người)",
  deprivations: "hộ thiếu hụt những chỉ số dịch vụ xã hội cơ bản nào (nhà ở, nước sạch, bảo hiểm y tế, ...)",
  leftListOn: "ngày hộ ra khỏi danh sách hộ nghèo hoặc hộ cận nghèo (nếu có)",
  persons: "các thành viên trong hộ: tuổi, có đang đi học không, có phải người dân tộc thiểu số không",
  age: "tuổi của thành viên này",
  ethnicMinority: "thành viên này có phải người dân tộc thiểu số không",
  education: "thành viên này đang học bậc nào",
  publicSchool: "thành viên này học trường công lập hay ngoài công lập",
  disability: "thành viên này có phải người khuyết tật không",
  ...Object.fromEntries(HOUSEHOLD_FLAGS.map((flag) => [flag, HOUSEHOLD_FLAG_WORDING[flag].label])),
};

/** Rank of a fact name for asking order (lower asks first); unknown names go last. */
export function factRank(fact: string): number {
  const key = fact.includes(".") ? fact.slice(fact.lastIndexOf(".") + 1) : fact;
  const index = (FACT_ORDER as readonly string[]).indexOf(key);
  return index < 0 ? FACT_ORDER.length : index;
}

/** The Vietnamese description of a fact name, person facts included ("persons[1].publicSchool"). */
export function factLabel(fact: string): string {
  const person = /^persons\[(\d+)\]\.(\w+)$/.exec(fact);
  if (person) return `người thứ ${Number(person[1]) + 1}: ${FACT_LABELS[person[2]!] ?? person[2]}`;
  return FACT_LABELS[fact] ?? fact;
}
