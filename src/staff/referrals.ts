/**
 * Where to go next: the referral directory (knowledge/referrals.yaml) as data, the entries that fit a
 * household's province and decision, and their rendering. Provinces are matched as they are since the
 * 2025 mergers ("Thái Bình" finds the Hưng Yên entries, with a note). Nothing unverified is shown as fact:
 * a sample entry says "mẫu, cần kiểm tra lại", a missing phone number says so. Pure.
 */
import { z } from "zod";
import { placeKey, provinceLabel, provinceNow } from "../knowledge/citation.ts";
import type { AreaChanges } from "../knowledge/load.ts";

/** What kind of place an entry is, in the order they are shown. */
export const REFERRAL_KINDS = [
  "commune_committee",
  "vbsp_transaction_point",
  "vbsp_office",
  "legal_aid_centre",
] as const;
export type ReferralKind = (typeof REFERRAL_KINDS)[number];

const STATUSES = ["eligible", "possible", "needs_info", "not_eligible"] as const;
type Status = (typeof STATUSES)[number];

const detail = z.strictObject({ text: z.string().min(1).nullable(), verified: z.boolean() });

const entrySchema = z
  .strictObject({
    id: z.string().regex(/^[a-z][a-z0-9_]*$/, "must be snake_case"),
    kind: z.enum(REFERRAL_KINDS),
    name: z.string().min(1),
    province: z.string().min(1).nullable(),
    when: z.union([
      z.literal("always"),
      z
        .array(
          z.strictObject({
            programmes: z
              .array(z.string().regex(/^(?:\*|[a-z_]+(?:\.[a-z_]+)*)$/, "a programme id, its prefix or *"))
              .min(1),
            statuses: z.array(z.enum(STATUSES)).min(1),
          }),
        )
        .min(1),
    ]),
    address: detail,
    hours: detail,
    phone: z.strictObject({
      number: z
        .string()
        .regex(/^[0-9 .()+-]{3,20}$/, "digits, spaces and . ( ) + - only")
        .nullable(),
      verified: z.boolean(),
    }),
    how_to_reach: z.string().min(1),
    sample: z.boolean(),
    source: z.url({ protocol: /^https$/, error: "must be an https:// page" }).nullable(),
  })
  .superRefine((entry, context) => {
    // Nothing is shown as checked without the page it was checked on.
    const verified = [entry.address.verified, entry.hours.verified, entry.phone.verified].some(Boolean);
    if (verified && !entry.source) {
      context.addIssue({
        code: "custom",
        path: ["source"],
        message: "a verified field needs the https page it was read on",
      });
    }
    if (verified && entry.sample) {
      context.addIssue({
        code: "custom",
        path: ["sample"],
        message: "an entry with verified fields is not a sample: set sample: false",
      });
    }
    for (const field of ["address", "hours"] as const) {
      if (entry[field].verified && entry[field].text === null) {
        context.addIssue({
          code: "custom",
          path: [field, "verified"],
          message: "cannot be verified without a text",
        });
      }
    }
    if (entry.phone.verified && entry.phone.number === null) {
      context.addIssue({
        code: "custom",
        path: ["phone", "verified"],
        message: "cannot be verified without a number",
      });
    }
  });

/** The schema of knowledge/referrals.yaml. */
export const referralFileSchema = z.strictObject({
  description: z.string().min(1),
  reviewed_on: z.iso.date().nullable(),
  entries: z.array(entrySchema).min(1),
});

/** One place to contact. */
export type ReferralEntry = z.infer<typeof entrySchema>;

/** The directory as loaded. */
export interface ReferralDirectory {
  reviewedOn: string | null;
  entries: ReferralEntry[];
}

/** The part of a decision referrals depend on: each programme's id and status. */
export interface ProgrammeOutcome {
  id: string;
  status: Status;
}

/** The entries for a household, and notes (merged province, no entry for the province). */
export interface Referrals {
  entries: ReferralEntry[];
  notes: string[];
}

function programmeMatches(pattern: string, id: string): boolean {
  return pattern === "*" || id === pattern || id.startsWith(`${pattern}.`);
}

function wanted(entry: ReferralEntry, programmes: readonly ProgrammeOutcome[]): boolean {
  if (entry.when === "always") return true;
  return entry.when.some((rule) =>
    programmes.some(
      (programme) =>
        rule.statuses.includes(programme.status) &&
        rule.programmes.some((pattern) => programmeMatches(pattern, programme.id)),
    ),
  );
}

/**
 * The places to contact for a household: the entries valid everywhere and those of its province (as it is
 * now), kept when a programme of the decision calls for them, in the order of {@link REFERRAL_KINDS}.
 *
 * ```ts
 * referralsFor(directory, areas, { province: "Thái Bình", programmes: decision.programs });
 * // entries: UBND xã, điểm giao dịch NHCSXH, chi nhánh NHCSXH Hưng Yên, …; notes: ["tỉnh Thái Bình nay thuộc tỉnh Hưng Yên …"]
 * ```
 */
export function referralsFor(
  directory: ReferralDirectory,
  areas: AreaChanges,
  household: { province?: string | null; programmes?: readonly ProgrammeOutcome[] },
): Referrals {
  const notes: string[] = [];
  const programmes = household.programmes ?? [];
  let provinceKey: string | null = null;
  if (household.province) {
    const merged = provinceNow(household.province, areas);
    const key = placeKey(household.province);
    // An alias ("HCM") names the province too.
    const aliased = Object.entries(areas.aliases ?? {}).find(([, aliases]) =>
      aliases.some((alias) => placeKey(alias) === key),
    );
    const now = merged?.now ?? aliased?.[0] ?? household.province;
    provinceKey = placeKey(provinceNow(now, areas)?.now ?? now);
    if (merged && placeKey(merged.now) !== key) {
      const was = merged.was.find((name) => placeKey(name) === key) ?? household.province.trim();
      notes.push(
        `${provinceLabel(was)} nay thuộc ${provinceLabel(merged.now)} (từ ${shortDate(areas.changedOn)}): địa chỉ theo ${provinceLabel(merged.now)}.`,
      );
    }
    const known = directory.entries.some(
      (entry) => entry.province !== null && placeKey(entry.province) === provinceKey,
    );
    if (!known)
      notes.push(
        `Danh bạ chưa có địa chỉ cấp tỉnh cho “${household.province.trim()}”: hỏi UBND xã, phường nơi cư trú.`,
      );
  }
  const entries = directory.entries
    .filter(
      (entry) =>
        entry.province === null || (provinceKey !== null && placeKey(entry.province) === provinceKey),
    )
    .filter((entry) => wanted(entry, programmes));
  // An entry valid everywhere stands in for the province's own: shown only when the province has none.
  const provincialKinds = new Set(entries.filter((entry) => entry.province !== null).map((e) => e.kind));
  const shown = entries
    .filter((entry) => entry.province !== null || !provincialKinds.has(entry.kind))
    .sort((a, b) => REFERRAL_KINDS.indexOf(a.kind) - REFERRAL_KINDS.indexOf(b.kind));
  return { entries: shown, notes };
}

function shortDate(iso: string): string {
  const [year, month, day] = iso.split("-");
  return `${day}/${month}/${year}`;
}

/** The label of an unverified detail. */
export const UNVERIFIED = "mẫu, cần kiểm tra lại";

/** The lines of one entry: name, address, hours, phone, how to reach; unverified details say so. */
export function referralLines(entry: ReferralEntry): string[] {
  const mark = (verified: boolean): string => (verified ? "" : ` (${UNVERIFIED})`);
  return [
    `${entry.name}${entry.sample ? ` [${UNVERIFIED}]` : ""}`,
    `Địa chỉ: ${entry.address.text ? `${entry.address.text}${mark(entry.address.verified)}` : "chưa có địa chỉ đã kiểm tra"}`,
    `Giờ làm việc: ${entry.hours.text ? `${entry.hours.text}${mark(entry.hours.verified)}` : "chưa rõ"}`,
    `Điện thoại: ${entry.phone.number ? `${entry.phone.number}${mark(entry.phone.verified)}` : "chưa có số đã kiểm tra"}`,
    `Cách liên hệ: ${entry.how_to_reach}`,
  ];
}

/** The referrals as a chat message (or a block of the case summary). */
export function renderReferrals(referrals: Referrals): string {
  if (referrals.entries.length === 0) return "";
  const blocks = referrals.entries.map((entry) => {
    const [name, ...rest] = referralLines(entry);
    return [`• ${name}`, ...rest.map((line) => `  ${line}`)].join("\n");
  });
  return ["Nơi liên hệ tiếp theo:", ...referrals.notes.map((note) => `ℹ️ ${note}`), ...blocks].join("\n");
}

/**
 * The referrals in a few lines, for the end of a resident's check: each place and how to reach it (the
 * details — address, hours, phone — are in {@link renderReferrals} and the case summary).
 */
export function renderReferralsShort(referrals: Referrals): string {
  if (referrals.entries.length === 0) return "";
  return [
    "Nơi liên hệ:",
    ...referrals.notes.map((note) => `ℹ️ ${note}`),
    ...referrals.entries.map((entry) => `• ${referralLines(entry)[0]}: ${entry.how_to_reach}`),
  ].join("\n");
}
