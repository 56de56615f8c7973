/**
 * The plan documents for staff: the list (`/vanban`, `hoichinhsach docs`) with number, date, issuer, area
 * then and now, period and whether it is over; the table of contents of one plan; and a whole section
 * (`/doc <id> <mục>`, `hoichinhsach doc <id> <mục>`) with its paste-ready citation. Pure: the corpus and the
 * administrative changes are passed in.
 */
import { issuedOnLabel, placeKey, provinceLabel, provinceNow } from "../knowledge/citation.ts";
import type { AreaChanges, CorpusDocument, PlanMetadata } from "../knowledge/load.ts";
import { closestName } from "../shared/did-you-mean.ts";
import { foldDiacritics } from "../text/vietnamese.ts";
import { documentReference, planCitation, planStatus } from "./citations.ts";
import { findSection, outlineOf, plainText, type Outline } from "./plan-outline.ts";
import { err, ok, type Result } from "../shared/result.ts";

function shortDate(iso: string): string {
  const [year, month, day] = iso.split("-");
  return `${day}/${month}/${year}`;
}

/** "số 02/KH-UBND", "số để trống (in là “Số: /KH-UBND”)", "không ghi số". */
function numberLine(metadata: PlanMetadata): string {
  if (metadata.number) return `số ${metadata.number}`;
  if (metadata.numberAsPrinted) return `số để trống trong văn bản (in là “Số: ${metadata.numberAsPrinted}”)`;
  return "văn bản không ghi số";
}

/** The area a plan was issued for, and what it is now: "tỉnh Thái Bình (nay thuộc tỉnh Hưng Yên, từ 01/07/2025)". */
export function areaThenAndNow(metadata: PlanMetadata, areas: AreaChanges, onDate: string): string {
  const local = metadata.issuer.replace(/^(?:Ủy|Uỷ) ban nhân dân\s+/i, "");
  const then = metadata.level === "province" ? local : `${local}, ${provinceLabel(metadata.province)}`;
  if (onDate < areas.changedOn) return then;
  const since = shortDate(areas.changedOn);
  const notes: string[] = [];
  if (metadata.level !== "province" && areas.districtLevelAbolished) notes.push("cấp huyện không còn");
  const merged = provinceNow(metadata.province, areas);
  if (merged) {
    notes.push(
      placeKey(merged.now) === placeKey(metadata.province)
        ? `${provinceLabel(metadata.province)} mới gồm cả ${merged.was
            .filter((was) => placeKey(was) !== placeKey(metadata.province))
            .map(provinceLabel)
            .join(", ")}`
        : `nay thuộc ${provinceLabel(merged.now)}`,
    );
  }
  return notes.length > 0 ? `${then} (${notes.join("; ")}, từ ${since})` : then;
}

/** True when the plan's period ended before the given date's year. */
export function isOver(metadata: PlanMetadata, onDate: string): boolean {
  return Number(onDate.slice(0, 4)) > metadata.period.to;
}

/**
 * The document list: one block per plan, with the id to type in `/doc`.
 *
 * ```ts
 * renderDocumentList(corpus.documents.map((d) => d.metadata), areas, "2026-03-01");
 * ```
 */
export function renderDocumentList(
  documents: readonly PlanMetadata[],
  areas: AreaChanges,
  onDate: string,
): string {
  if (documents.length === 0) return "Chưa có kế hoạch nào trong cơ sở dữ liệu.";
  const blocks = documents.map((metadata, index) => {
    const period =
      metadata.period.from === metadata.period.to
        ? `năm ${metadata.period.from}`
        : `${metadata.period.from}–${metadata.period.to}`;
    const state = isOver(metadata, onDate) ? "đã hết thời hạn" : "còn trong thời hạn";
    return [
      `${index + 1}. ${metadata.title}`,
      `   Mã: ${metadata.id}`,
      `   ${metadata.kind}${metadata.number ? " " : ", "}${numberLine(metadata)}; ${issuedOnLabel(metadata.issuedOn).replace("không ghi ngày", "văn bản không ghi ngày ban hành")}`,
      `   Cơ quan ban hành: ${metadata.issuer}`,
      `   Địa bàn: ${areaThenAndNow(metadata, areas, onDate)}`,
      `   Thời hạn: ${period}, ${state}`,
    ].join("\n");
  });
  return [
    `Có ${documents.length} kế hoạch. Xem một mục: /doc <mã> <mục> (ví dụ: /doc ${documents[0]!.id} I)`,
    "",
    blocks.join("\n\n"),
  ].join("\n");
}

// === One document

/** Finds a document by id (or close to it), by its number ("02/KH-UBND") or by a word of its area. */
export function resolveDocument(
  documents: readonly PlanMetadata[],
  wanted: string,
): Result<PlanMetadata, { message: string }> {
  const text = wanted.trim();
  const folded = foldDiacritics(text).replace(/\s+/g, "-");
  const byId = documents.find((metadata) => metadata.id === folded);
  if (byId) return ok(byId);
  const byNumber = documents.filter(
    (metadata) => metadata.number && foldDiacritics(metadata.number) === foldDiacritics(text),
  );
  if (byNumber.length === 1) return ok(byNumber[0]!);
  const byPrefix = documents.filter((metadata) => metadata.id.startsWith(folded));
  if (byPrefix.length === 1 && folded.length >= 3) return ok(byPrefix[0]!);
  const guess = closestName(
    folded,
    documents.map((metadata) => metadata.id),
  );
  const ids = documents.map((metadata) => metadata.id).join(", ");
  return err({
    message: `Không có văn bản mã “${text}”.${guess ? ` Có phải “${guess}”?` : ""} Các mã: ${ids}. Gõ /vanban để xem danh sách.`,
  });
}

/** The outlines of the corpus, computed once per document (the text is parsed only on first use). */
export function createOutlines(documents: readonly CorpusDocument[]): (id: string) => Outline | undefined {
  const cache = new Map<string, Outline>();
  const byId = new Map(documents.map((document) => [document.metadata.id, document]));
  return (id) => {
    const cached = cache.get(id);
    if (cached) return cached;
    const document = byId.get(id);
    if (!document) return undefined;
    const outline = outlineOf(document.text);
    cache.set(id, outline);
    return outline;
  };
}

/** The table of contents of one plan: each numbered heading with the key to type. */
export function renderTableOfContents(document: CorpusDocument, outline: Outline): string {
  const lines = outline.sections.map(
    (section) => `${"  ".repeat(section.depth - 1)}${section.key}  ${section.title || section.path.at(-1)}`,
  );
  return [
    `${documentReference(document.metadata)}`,
    `Các mục (gõ /doc ${document.metadata.id} <mục>, ví dụ /doc ${document.metadata.id} ${outline.sections[1]?.key ?? "I"}):`,
    ...(outline.preamble ? ["mo-dau  Phần mở đầu (căn cứ ban hành)"] : []),
    ...lines,
  ].join("\n");
}

/**
 * A whole section, sub-sections included, as the reader sees it (markup removed), followed by its citation
 * and the plan's status on `onDate`. When the number is ambiguous or absent, says which numbers exist.
 *
 * ```ts
 * renderSection(thaiBinh, outline, "IV.1.2", areas, "2026-03-01").text
 * // "1.2. Hỗ trợ về y tế …\n\nTrích dẫn: Theo khoản 1.2 Mục IV Kế hoạch số 02/KH-UBND …"
 * ```
 */
export function renderSection(
  document: CorpusDocument,
  outline: Outline,
  wanted: string,
  areas: AreaChanges,
  onDate: string,
): Result<{ text: string; citation: string }, { message: string }> {
  const { metadata } = document;
  const lookup = findSection(outline, wanted);
  const status = planStatus(metadata, areas, onDate).map((line) => `Lưu ý: ${line}`);
  switch (lookup.type) {
    case "found": {
      const citation = planCitation(metadata, lookup.section.path);
      const body = plainText(document.text, lookup.section.start, lookup.section.end);
      return ok({ text: [body, "", `Trích dẫn: ${citation}`, ...status].join("\n"), citation });
    }
    case "preamble": {
      const citation = planCitation(metadata, []);
      const body = plainText(document.text, lookup.start, lookup.end);
      return ok({ text: [body, "", `Trích dẫn: ${citation}`, ...status].join("\n"), citation });
    }
    case "ambiguous":
      return err({
        message: [
          `Có ${lookup.candidates.length} mục số “${wanted.trim()}” trong văn bản này. Bạn muốn xem mục nào?`,
          ...lookup.candidates.map(
            (section) =>
              `/doc ${metadata.id} ${section.key}  (${section.path.map((label) => label.slice(0, 50)).join(" › ")})`,
          ),
        ].join("\n"),
      });
    case "not_found":
      return err({
        message: `Văn bản ${metadata.id} không có mục “${lookup.wanted}”. Các mục lớn: ${outline.sections
          .filter((section) => section.depth === 1)
          .map((section) => section.key)
          .join(", ")}. Gõ /doc ${metadata.id} để xem mục lục.`,
      });
    case "invalid":
      return err({
        message: `Chưa đọc được số mục “${wanted.trim()}”. Ghi số mục như trong văn bản, ví dụ IV.1.2, 1.2 hoặc II.2.a.`,
      });
  }
}
