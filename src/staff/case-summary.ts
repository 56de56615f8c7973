/**
 * The case summary a volunteer hands to the commune or a lawyer after checking a household on a resident's
 * behalf (`/thaymat`, `hoichinhsach check --quick … --html`): the answers, each programme's decision with
 * its reasons and citations, the facts still unknown, the documents to bring, the date of the rules
 * applied. As chat text and as a printable, self-contained HTML page. The resident's name appears only when
 * the volunteer typed one. Also the staff's readable decision for `check --quick`. Pure.
 */
import type { Decision, ProgramDecision } from "../domain/decision.ts";
import { formatVnd } from "../domain/format.ts";
import type { HouseholdInput } from "../domain/household.ts";
import type { CitationGroup } from "./citations.ts";
import type { QuickNote } from "../answers/quick-household.ts";
import { referralLines, type Referrals } from "./referrals.ts";
import { EDUCATION_SHORT_LABEL, estimatedCategoryLabel } from "../domain/wording.ts";

/** One answer, as read back: "Khu vực" → "nông thôn". */
export interface CaseFact {
  label: string;
  value: string;
}

/** What a case summary is made of. */
export interface CaseSummaryInput {
  decision: Decision;
  /** The answers, read back ({@link householdFacts} for a household input). */
  facts: readonly CaseFact[];
  /** The day the summary is made, ISO. */
  preparedOn: string;
  /** Only when the volunteer typed it; never guessed or taken from an account name. */
  residentName?: string;
  /** Legal bases as paste-ready lines ({@link decisionCitations}). */
  citations?: readonly CitationGroup[];
  /** Where to go next. */
  referrals?: Referrals;
  /** What was assumed when the household was typed on one line. */
  notes?: readonly QuickNote[];
  /** Version of the rules data (src/staff/versions.ts), printed for traceability. */
  rulesVersion?: string;
}

/** A programme status in words, as the case summary and the screening results write it. */
export const STATUS_LABEL: Record<ProgramDecision["status"], string> = {
  eligible: "Đủ điều kiện (theo thông tin đã khai)",
  possible: "Có thể được, sau khi UBND xã công nhận",
  needs_info: "Cần thêm thông tin",
  not_eligible: "Không đủ điều kiện",
};

const STATUS_ORDER: Record<ProgramDecision["status"], number> = {
  eligible: 0,
  possible: 1,
  needs_info: 2,
  not_eligible: 3,
};

const LISTED_LABEL: Record<NonNullable<HouseholdInput["listedStatus"]>, string> = {
  poor: "có tên trong danh sách hộ nghèo",
  near_poor: "có tên trong danh sách hộ cận nghèo",
  none: "không có tên trong danh sách",
  unknown: "không rõ",
};

const FLAG_LABEL: Partial<Record<keyof HouseholdInput, string>> = {
  agricultural: "Làm nông, lâm, ngư, diêm nghiệp",
  inPoorCommune: "Ở xã nghèo",
  inEthnicMinorityArea: "Ở vùng đồng bào dân tộc thiểu số và miền núi",
  inDifficultArea: "Ở vùng khó khăn",
  inExtremelyDifficultArea: "Ở thôn, xã đặc biệt khó khăn",
  needsWaterSupply: "Cần công trình nước sạch",
  needsSanitation: "Cần nhà tiêu hợp vệ sinh",
};

function dayMonthYear(iso: string): string {
  const [year, month, day] = iso.split("-");
  return `${day}/${month}/${year}`;
}

/**
 * A household input read back as answers, in plain words. `indicatorLabels` names the deprivation
 * indicators (from the standard applied).
 */
export function householdFacts(
  household: HouseholdInput,
  indicatorLabels: ReadonlyMap<string, string> = new Map(),
): CaseFact[] {
  const facts: CaseFact[] = [
    {
      label: "Khu vực",
      value: household.area === "rural" ? "nông thôn (xã)" : "thành thị (phường, thị trấn)",
    },
    { label: "Số người trong hộ", value: String(household.members) },
  ];
  if (household.province) facts.push({ label: "Tỉnh, thành phố", value: household.province });
  if (household.listedStatus)
    facts.push({ label: "Danh sách của xã", value: LISTED_LABEL[household.listedStatus] });
  if (household.leftListOn)
    facts.push({ label: "Ra khỏi danh sách ngày", value: dayMonthYear(household.leftListOn) });
  if (household.monthlyIncome !== undefined)
    facts.push({ label: "Thu nhập cả hộ", value: `${formatVnd(household.monthlyIncome)}/tháng` });
  if (household.incomePerPerson !== undefined) {
    facts.push({ label: "Thu nhập bình quân", value: `${formatVnd(household.incomePerPerson)}/người/tháng` });
  }
  if (household.deprivations) {
    facts.push({
      label: "Chỉ số thiếu hụt",
      value:
        household.deprivations.length === 0
          ? "không thiếu chỉ số nào"
          : `${household.deprivations.length}: ${household.deprivations.map((id) => indicatorLabels.get(id) ?? id).join(", ")}`,
    });
  } else if (household.deprivationCount !== undefined) {
    facts.push({ label: "Số chỉ số thiếu hụt", value: String(household.deprivationCount) });
  }
  for (const [flag, label] of Object.entries(FLAG_LABEL) as [keyof HouseholdInput, string][]) {
    const value = household[flag];
    if (typeof value === "boolean") facts.push({ label, value: value ? "có" : "không" });
  }
  household.persons?.forEach((person, index) => {
    const parts = [`${person.age} tuổi`];
    if (person.education) parts.push(`học ${EDUCATION_SHORT_LABEL[person.education] ?? person.education}`);
    if (person.publicSchool !== undefined)
      parts.push(person.publicSchool ? "trường công lập" : "trường ngoài công lập");
    if (person.ethnicMinority) parts.push("dân tộc thiểu số");
    if (person.disability) parts.push("khuyết tật");
    facts.push({ label: `Thành viên ${index + 1}`, value: parts.join(", ") });
  });
  return facts;
}

/** The programmes, most favourable first. */
function ordered(decision: Decision): ProgramDecision[] {
  return [...decision.programs].sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status]);
}

/**
 * The facts still unknown, each once, most useful first; then each programme left at "needs more
 * information" that no missing fact explains (e.g. the list status answered "không biết"), with its reason.
 */
export function unknownFacts(decision: Decision): string[] {
  const explained = new Set(decision.missingFacts.flatMap((fact) => fact.programs));
  const open = decision.programs
    .filter((program) => program.status === "needs_info" && !explained.has(program.id))
    .map((program) => `${program.title}: ${onRecord(program.reasons[0] ?? "cần thêm thông tin")}`);
  return [...new Set([...decision.missingFacts.map((fact) => fact.reason), ...open])];
}

const DOCUMENT_WORDS = /mang theo|giấy đề nghị|giấy xác nhận|giấy tờ|căn cước|mẫu số/i;

/** What to bring: the next steps of the programmes still open that name a paper or a document. */
export function documentsToBring(decision: Decision): string[] {
  return [
    ...new Set(
      decision.programs
        .filter((program) => program.status !== "not_eligible")
        .flatMap((program) => program.nextSteps)
        .filter((step) => DOCUMENT_WORDS.test(step)),
    ),
  ];
}

/** "chuẩn nghèo … áp dụng từ 01/01/2022 đến 31/12/2026, đánh giá ngày 01/03/2026". */
export function rulesAppliedLine(decision: Decision): string {
  const standard = decision.standard
    ? `${decision.standard.title}, áp dụng từ ${dayMonthYear(decision.standard.from)} đến ${dayMonthYear(decision.standard.to)}`
    : "không có chuẩn nghèo nào trong dữ liệu áp dụng cho ngày này";
  return `Quy định áp dụng cho ngày đánh giá ${dayMonthYear(decision.assessedOn)}: ${standard}.`;
}

function citationsOf(citations: readonly CitationGroup[] | undefined, id: string): string[] {
  return citations?.find((group) => group.id === id)?.lines ?? [];
}

/**
 * The decision as staff read it after `/nhanh` or `check --quick`: the category with its reasons, each
 * programme (most favourable first) with status, reasons, next steps and citations, then what is unknown.
 * Staff typed what the household declared, so the reasons say "đã khai", not "bạn" (see {@link onRecord}).
 */
export function renderDecisionText(
  decision: Decision,
  options: { citations?: readonly CitationGroup[]; referrals?: Referrals; notes?: readonly QuickNote[] } = {},
): string {
  const blocks: string[] = [];
  const c = decision.classification;
  blocks.push(
    [
      `KẾT QUẢ: hộ ${estimatedCategoryLabel(c.category)}${c.basis === "listed" ? " (theo danh sách của xã)" : " (ước tính theo số liệu đã khai)"}.`,
      rulesAppliedLine(decision),
      ...c.reasons.map((reason) => `• ${onRecord(reason)}`),
      ...citationsOf(options.citations, "standard").map((line) => `  Căn cứ: ${line}`),
    ].join("\n"),
  );
  for (const program of ordered(decision)) {
    const lines = [
      `${program.title}: ${STATUS_LABEL[program.status]}${program.confirmed ? "" : " (có số liệu chưa được xác nhận)"}`,
    ];
    lines.push(...program.reasons.map((reason) => `• ${onRecord(reason)}`));
    if (program.status !== "not_eligible") lines.push(...program.nextSteps.map((step) => `→ ${step}`));
    lines.push(...citationsOf(options.citations, program.id).map((line) => `  Căn cứ: ${line}`));
    blocks.push(lines.join("\n"));
  }
  const unknown = unknownFacts(decision);
  if (unknown.length > 0)
    blocks.push(["Còn thiếu thông tin:", ...unknown.map((reason) => `• ${reason}`)].join("\n"));
  if (options.notes && options.notes.length > 0) {
    blocks.push(["Khi đọc dòng nhập:", ...options.notes.map((note) => `• ${note.text}`)].join("\n"));
  }
  if (options.referrals && options.referrals.entries.length > 0) {
    blocks.push(
      [
        "Nơi liên hệ:",
        ...options.referrals.notes.map((note) => `ℹ️ ${note}`),
        ...options.referrals.entries.map((entry) =>
          referralLines(entry)
            .map((line, i) => (i === 0 ? `• ${line}` : `  ${line}`))
            .join("\n"),
        ),
      ].join("\n"),
    );
  }
  blocks.push(DISCLAIMER);
  return blocks.join("\n\n");
}

/** Said at the end of every summary. */
export const DISCLAIMER =
  "Đây là ước tính theo thông tin được cung cấp, không phải quyết định công nhận. Chỉ UBND xã, phường công nhận hộ nghèo, hộ cận nghèo qua rà soát. Mức hỗ trợ là mức tối thiểu của trung ương; địa phương có thể hỗ trợ thêm.";

/** The case summary as chat text. */
export function renderCaseSummaryText(input: CaseSummaryInput): string {
  const head = [
    "TÓM TẮT HỒ SƠ",
    ...(input.residentName?.trim() ? [`Người được hỗ trợ: ${input.residentName.trim()}`] : []),
    `Ngày lập: ${dayMonthYear(input.preparedOn)}`,
    "",
    "Thông tin đã khai:",
    ...input.facts.map((fact) => `• ${fact.label}: ${fact.value}`),
  ].join("\n");
  const documents = documentsToBring(input.decision);
  return [
    head,
    renderDecisionText(input.decision, {
      ...(input.citations ? { citations: input.citations } : {}),
      ...(input.referrals ? { referrals: input.referrals } : {}),
      ...(input.notes ? { notes: input.notes } : {}),
    }).replace(`\n\n${DISCLAIMER}`, ""),
    ...(documents.length > 0
      ? [["Giấy tờ cần mang:", ...documents.map((step) => `• ${step}`)].join("\n")]
      : []),
    DISCLAIMER,
  ].join("\n\n");
}

// === HTML

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char]!,
  );
}

const STYLE = `
  @page { size: A4; margin: 16mm 14mm; }
  * { box-sizing: border-box; }
  body { font-family: "Noto Sans", "DejaVu Sans", Arial, sans-serif; font-size: 11pt; line-height: 1.45; color: #111; margin: 0 auto; max-width: 180mm; padding: 8mm 0; }
  h1 { font-size: 16pt; margin: 0 0 2mm; text-transform: uppercase; letter-spacing: 0.02em; }
  h2 { font-size: 12.5pt; margin: 6mm 0 2mm; border-bottom: 1px solid #999; padding-bottom: 1mm; }
  h3 { font-size: 11.5pt; margin: 4mm 0 1mm; }
  .meta { color: #333; margin: 0 0 1mm; }
  table.facts { border-collapse: collapse; width: 100%; }
  table.facts th, table.facts td { border: 1px solid #bbb; padding: 1.2mm 2mm; text-align: left; vertical-align: top; }
  table.facts th { width: 38%; background: #f3f3f3; font-weight: 600; }
  .programme { break-inside: avoid; border: 1px solid #ccc; border-left: 4px solid #777; padding: 2mm 3mm; margin: 2mm 0; }
  .programme.eligible { border-left-color: #1b7f3b; }
  .programme.possible, .programme.needs_info { border-left-color: #b7791f; }
  .programme.not_eligible { border-left-color: #a61b1b; }
  .status { font-weight: 700; }
  ul { margin: 1mm 0 1mm 5mm; padding: 0; }
  li { margin: 0.5mm 0; }
  .cite { font-size: 9.5pt; color: #333; }
  .note { font-size: 9.5pt; color: #444; border-top: 1px solid #999; margin-top: 6mm; padding-top: 2mm; }
  .sign { display: flex; justify-content: space-between; margin-top: 10mm; break-inside: avoid; }
  .sign div { width: 45%; text-align: center; min-height: 25mm; }
  @media print { body { padding: 0; } a { color: inherit; text-decoration: none; } }
`;

/**
 * The scorer speaks to the person asking ("Theo thông tin bạn cung cấp"); the printed summary goes into the
 * commune's file, where "bạn" would name nobody, so the same sentences say who declared what.
 */
const ON_RECORD: [RegExp, string][] = [
  [/thông tin bạn cung cấp/g, "thông tin đã khai"],
  [/số liệu bạn cung cấp/g, "số liệu đã khai"],
  [/Theo bạn cho biết/g, "Theo thông tin đã khai"],
  [/Bạn chưa rõ/g, "Người khai chưa rõ"],
];

/** A scorer sentence as written for the record (see {@link ON_RECORD}). */
export function onRecord(text: string): string {
  let out = text;
  for (const [pattern, replacement] of ON_RECORD) out = out.replace(pattern, replacement);
  return out;
}

function list(items: readonly string[], className = ""): string {
  if (items.length === 0) return "";
  return `<ul${className ? ` class="${className}"` : ""}>${items.map((item) => `<li>${escapeHtml(item)}</li>`).join("")}</ul>`;
}

/**
 * The case summary as a printable, self-contained HTML page (inline CSS, no script, no external resource):
 * print it or save it as PDF from any browser.
 *
 * ```ts
 * const html = renderCaseSummaryHtml({ decision, facts: householdFacts(household), preparedOn: "2026-03-01" });
 * ```
 */
export function renderCaseSummaryHtml(input: CaseSummaryInput): string {
  const { decision } = input;
  const name = input.residentName?.trim();
  const c = decision.classification;
  const programmes = ordered(decision)
    .map((program) => {
      const cites = citationsOf(input.citations, program.id);
      return [
        `<section class="programme ${program.status}">`,
        `<h3>${escapeHtml(program.title)}</h3>`,
        `<p class="status">${escapeHtml(STATUS_LABEL[program.status])}${program.confirmed ? "" : " — có số liệu chưa được xác nhận"}</p>`,
        list(program.reasons.map(onRecord)),
        program.status !== "not_eligible" && program.nextSteps.length > 0
          ? `<p><strong>Việc cần làm:</strong></p>${list(program.nextSteps)}`
          : "",
        cites.length > 0 ? `<p class="cite"><strong>Căn cứ:</strong></p>${list(cites, "cite")}` : "",
        "</section>",
      ].join("");
    })
    .join("\n");
  const unknown = unknownFacts(decision);
  const documents = documentsToBring(decision);
  const standardCites = citationsOf(input.citations, "standard");
  const referrals = input.referrals?.entries ?? [];
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`Tóm tắt hồ sơ${name ? ` — ${name}` : ""} — ${dayMonthYear(input.preparedOn)}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Tóm tắt hồ sơ kiểm tra chính sách giảm nghèo</h1>
${name ? `<p class="meta"><strong>Người được hỗ trợ:</strong> ${escapeHtml(name)}</p>` : ""}
<p class="meta"><strong>Ngày lập:</strong> ${dayMonthYear(input.preparedOn)} · <strong>Ngày đánh giá:</strong> ${dayMonthYear(decision.assessedOn)}</p>
<p class="meta">${escapeHtml(rulesAppliedLine(decision))}${input.rulesVersion ? ` <span class="cite">(dữ liệu quy định: ${escapeHtml(input.rulesVersion)})</span>` : ""}</p>

<h2>1. Thông tin đã khai</h2>
<table class="facts"><tbody>
${input.facts.map((fact) => `<tr><th>${escapeHtml(fact.label)}</th><td>${escapeHtml(fact.value)}</td></tr>`).join("\n")}
</tbody></table>
${
  input.notes && input.notes.length > 0
    ? `<p class="cite"><strong>Khi nhập:</strong></p>${list(
        input.notes.map((note) => note.text),
        "cite",
      )}`
    : ""
}

<h2>2. Kết quả phân loại</h2>
<p><strong>Hộ ${escapeHtml(estimatedCategoryLabel(c.category))}</strong> ${c.basis === "listed" ? "(theo danh sách của xã)" : "(ước tính theo số liệu đã khai)"}.</p>
${list(c.reasons.map(onRecord))}
${standardCites.length > 0 ? `<p class="cite"><strong>Căn cứ:</strong></p>${list(standardCites, "cite")}` : ""}

<h2>3. Từng chính sách</h2>
${programmes}

<h2>4. Thông tin còn thiếu</h2>
${unknown.length > 0 ? list(unknown) : "<p>Không còn thiếu thông tin nào cho các chính sách trên.</p>"}

<h2>5. Giấy tờ cần mang</h2>
${documents.length > 0 ? list(documents) : "<p>Căn cước của chủ hộ; hỏi UBND xã, phường về giấy tờ cụ thể.</p>"}
${
  referrals.length > 0
    ? `<h2>6. Nơi liên hệ</h2>${list(input.referrals?.notes ?? [], "cite")}${referrals
        .map((entry) => {
          const [title, ...rest] = referralLines(entry);
          return `<h3>${escapeHtml(title!)}</h3>${list(rest)}`;
        })
        .join("")}`
    : ""
}
<div class="sign"><div>Người lập<br><br><br>(ký, ghi rõ họ tên)</div><div>Người được hỗ trợ<br><br><br>(ký, ghi rõ họ tên)</div></div>
<p class="note">${escapeHtml(DISCLAIMER)}</p>
</body>
</html>
`;
}
