/**
 * Search with filters for staff: the chat form `/tim <câu hỏi> [tinh:<tỉnh>] [vanban:<mã>] [nam:<năm>]`,
 * the filters checked against the corpus with a helpful message when nothing matches (and a note when a
 * province is matched through its merger, e.g. "Hưng Yên" finds the Thái Bình plan), and paging ("xem
 * thêm": more results per page for staff). Pure: the corpus metadata and the areas are passed in.
 */
import { documentPlaces, placeKey, provinceLabel, provinceNow } from "../knowledge/citation.ts";
import type { AreaChanges, PlanMetadata } from "../knowledge/load.ts";
import type { SearchOptions, SearchOutcome, SearchResult } from "../knowledge/types.ts";
import { err, ok, type Result } from "../shared/result.ts";
import { closestName } from "../shared/did-you-mean.ts";
import { foldDiacritics, normalizeVietnamese } from "../text/vietnamese.ts";
import { planCitation } from "./citations.ts";
import { resolveDocument } from "./documents.ts";
import { sectionKey, sectionNumber } from "./plan-outline.ts";
import type { Role } from "./roles.ts";

/** The filters as typed, before they are checked. */
export interface SearchFilters {
  province?: string;
  document?: string;
  year?: string;
}

/** A search to run (and to keep in the session for "xem thêm"): question, checked options, page. */
export interface SearchRequest {
  query: string;
  options: Pick<SearchOptions, "documentId" | "province" | "year">;
  /** 1-based. */
  page: number;
}

/** Results per page: staff read more at once. */
export const PAGE_SIZE: Record<Role, number> = { staff: 5, resident: 3 };

/** How many results a paged search asks the knowledge base for (its maximum). */
export const SEARCH_LIMIT = 20;

const FILTER_KEYS: Record<string, keyof SearchFilters> = {
  tinh: "province",
  tp: "province",
  "thanh pho": "province",
  province: "province",
  vanban: "document",
  "van ban": "document",
  vb: "document",
  doc: "document",
  document: "document",
  nam: "year",
  year: "year",
};

const FILTER =
  /(?:^|\s)\[?\s*(tinh|tp|thanh pho|province|vanban|van ban|vb|doc|document|nam|year)\s*[:=]\s*/g;

/**
 * Reads `/tim <câu hỏi> [tinh:<tỉnh>] [vanban:<mã>] [nam:<năm>]` (with or without the command, brackets,
 * diacritics; `=` for `:`; a value runs to the next filter). The command word itself is optional.
 *
 * ```ts
 * parseSearchCommand("/tim hộ cận nghèo bhyt tinh:Hưng Yên nam:2018")
 * // { ok: true, value: { query: "hộ cận nghèo bhyt", filters: { province: "Hưng Yên", year: "2018" } } }
 * ```
 */
export function parseSearchCommand(
  text: string,
): Result<{ query: string; filters: SearchFilters }, { message: string }> {
  const original = normalizeVietnamese(text).replace(/^\s*\/tim(?:@\w+)?\b/i, " ");
  // Folding keeps positions (one letter for one letter), so matches in the folded text cut the original.
  const folded = [...original]
    .map((char) => (foldDiacritics(char).length === char.length ? foldDiacritics(char) : char))
    .join("");
  const found = [...folded.matchAll(FILTER)];
  const filters: SearchFilters = {};
  const queryParts = [original.slice(0, found[0]?.index ?? original.length)];
  for (const [index, match] of found.entries()) {
    const key = FILTER_KEYS[match[1]!]!;
    const start = match.index + match[0].length;
    const end = found[index + 1]?.index ?? original.length;
    let value = original.slice(start, end).trim();
    // "[tinh:Hưng Yên] câu hỏi": a closing bracket ends the value; what follows is question again.
    const close = value.indexOf("]");
    if (close >= 0) {
      queryParts.push(value.slice(close + 1));
      value = value.slice(0, close).trim();
    }
    value = value.replace(/^["“']|["”']$/g, "").trim();
    if (!value)
      return err({
        message: `Bộ lọc “${match[1]}:” chưa có giá trị. Ví dụ: /tim vay vốn tinh:Hưng Yên nam:2018`,
      });
    if (filters[key] !== undefined)
      return err({ message: `Bộ lọc “${match[1]}:” được ghi hai lần; chỉ ghi một lần.` });
    filters[key] = value;
  }
  const query = queryParts.join(" ").replace(/[[\]]/g, " ").replace(/\s+/g, " ").trim();
  if (!query) {
    return err({
      message: "Hãy ghi câu hỏi sau /tim, ví dụ: /tim hộ cận nghèo được hỗ trợ bảo hiểm y tế tinh:Hưng Yên",
    });
  }
  return ok({ query, filters });
}

/** What the filters became: the search options and notes to show above the results. */
export interface ResolvedFilters {
  options: SearchRequest["options"];
  notes: string[];
}

function periodLabel(metadata: PlanMetadata): string {
  return metadata.period.from === metadata.period.to
    ? `năm ${metadata.period.from}`
    : `${metadata.period.from}–${metadata.period.to}`;
}

/** "Thái Bình (2017–2020)", the area of a plan in lists. */
function planArea(metadata: PlanMetadata): string {
  return metadata.level === "province"
    ? metadata.province
    : `${metadata.issuer.replace(/^(?:Ủy|Uỷ) ban nhân dân\s+/i, "")}, ${metadata.province}`;
}

/**
 * Checks the filters against the corpus. A province is matched by its name then or now, with or without
 * diacritics, or an alias ("HCM"); a plan found through a merger gets a note. When nothing matches, the
 * message says what exists (a close spelling, the province an old one now belongs to, the plans' periods).
 */
export function resolveFilters(
  filters: SearchFilters,
  corpus: { documents: readonly PlanMetadata[]; areas: AreaChanges },
): Result<ResolvedFilters, { message: string }> {
  const { documents, areas } = corpus;
  const notes: string[] = [];
  let candidates = [...documents];
  const options: SearchRequest["options"] = {};

  if (filters.document !== undefined) {
    const found = resolveDocument(documents, filters.document);
    if (!found.ok) return found;
    options.documentId = found.value.id;
    candidates = candidates.filter((metadata) => metadata.id === found.value.id);
  }

  if (filters.year !== undefined) {
    const year = Number(filters.year.trim());
    if (!/^\d{4}$/.test(filters.year.trim()) || year < 1945 || year > 2100) {
      return err({ message: `Năm “${filters.year}” chưa đúng: ghi năm bằng bốn chữ số, ví dụ 2018.` });
    }
    options.year = year;
    const covering = candidates.filter(
      (metadata) => metadata.period.from <= year && year <= metadata.period.to,
    );
    if (covering.length === 0) {
      const periods = candidates
        .map((metadata) => `${planArea(metadata)}: ${periodLabel(metadata)}`)
        .join("; ");
      return err({
        message: `Không có kế hoạch nào áp dụng cho năm ${year}. Thời hạn các kế hoạch: ${periods}.`,
      });
    }
    candidates = covering;
  }

  if (filters.province !== undefined) {
    const key = placeKey(filters.province);
    const matching = candidates.filter((metadata) => documentPlaces(metadata, areas).includes(key));
    if (matching.length === 0)
      return err({ message: noProvinceMessage(filters.province, key, documents, candidates, areas) });
    options.province = filters.province.trim();
    for (const metadata of matching) {
      const own = [metadata.province, metadata.issuer.replace(/^(?:Ủy|Uỷ) ban nhân dân\s+\S+\s+/i, "")].map(
        placeKey,
      );
      if (own.includes(key)) continue;
      const merged = provinceNow(metadata.province, areas);
      if (merged && placeKey(merged.now) === key) {
        notes.push(
          `${provinceLabel(merged.now)} hiện nay gồm cả ${provinceLabel(metadata.province)} cũ (từ ${shortDate(areas.changedOn)}): kết quả lấy từ kế hoạch của ${provinceLabel(metadata.province)}.`,
        );
      } else {
        notes.push(
          `“${filters.province.trim()}” được hiểu là ${provinceLabel(merged?.now ?? metadata.province)}.`,
        );
      }
    }
  }
  return ok({ options, notes: [...new Set(notes)] });
}

function shortDate(iso: string): string {
  const [year, month, day] = iso.split("-");
  return `${day}/${month}/${year}`;
}

function noProvinceMessage(
  typed: string,
  key: string,
  documents: readonly PlanMetadata[],
  candidates: readonly PlanMetadata[],
  areas: AreaChanges,
): string {
  const withPlans = [...new Set(documents.map((metadata) => metadata.province))];
  const list = `Các tỉnh có kế hoạch: ${withPlans.join(", ")}.`;
  if (
    candidates.length < documents.length &&
    documents.some((metadata) => documentPlaces(metadata, areas).includes(key))
  ) {
    return `Kế hoạch của “${typed.trim()}” không khớp với văn bản hoặc năm đã chọn. Bỏ bớt một bộ lọc rồi thử lại.`;
  }
  const merged = provinceNow(typed, areas);
  if (merged && placeKey(merged.now) !== key) {
    const now = documents.filter((metadata) =>
      documentPlaces(metadata, areas).includes(placeKey(merged.now)),
    );
    if (now.length > 0) {
      // The name as the province was called, not as typed ("ha giang" → "Hà Giang").
      const was = provinceLabel(merged.was.find((name) => placeKey(name) === key) ?? typed.trim());
      return `Chưa có kế hoạch nào của ${was} cũ. Từ ${shortDate(areas.changedOn)} ${was} thuộc ${provinceLabel(merged.now)}; có kế hoạch của ${now.map(planArea).join("; ")}: tìm theo ${provinceLabel(merged.now)}.`;
    }
  }
  const places = [...new Set(documents.flatMap((metadata) => documentPlaces(metadata, areas)))];
  const guess = closestName(key, places);
  const shown = guess
    ? (documents
        .flatMap((metadata) => [metadata.province, provinceNow(metadata.province, areas)?.now ?? ""])
        .find((name) => name && placeKey(name) === guess) ?? guess)
    : undefined;
  return `Chưa có kế hoạch nào của “${typed.trim()}”.${shown ? ` Có phải “${shown}”?` : ""} ${list}`;
}

// === Paging

/** True for a message asking for the next page: "xem thêm", "xem tiếp", "thêm", "tiếp", "trang sau". */
export function isMoreRequest(text: string): boolean {
  const folded = foldDiacritics(normalizeVietnamese(text))
    .replace(/[^\p{L}\p{N}\s]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  return /^(?:xem )?(?:them|tiep|nua|tiep theo|them nua)(?: di| a| nhe)?$|^trang (?:sau|tiep)$|^\/?(?:xemthem|tiep)$/.test(
    folded,
  );
}

/** The request for the next page. */
export function nextPage(request: SearchRequest): SearchRequest {
  return { ...request, page: request.page + 1 };
}

/** One page of a list, with the number of pages; a page past the end is the last page. */
export function pageOf<T>(
  items: readonly T[],
  page: number,
  size: number,
): { items: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const current = Math.min(Math.max(1, Math.floor(page)), pages);
  return { items: items.slice((current - 1) * size, current * size), page: current, pages };
}

/** What to show with a page of results. */
export interface SearchPageOptions {
  page: number;
  role: Role;
  /** Notes from {@link resolveFilters}, shown above the results. */
  notes?: readonly string[];
  /** Metadata by document id: staff get paste-ready citations ("Theo khoản … Kế hoạch số …"). */
  plans?: ReadonlyMap<string, PlanMetadata>;
}

function citationLine(
  result: SearchResult,
  plans: ReadonlyMap<string, PlanMetadata> | undefined,
  role: Role,
): string {
  const metadata = plans?.get(result.documentId);
  return role === "staff" && metadata
    ? `Trích dẫn: ${planCitation(metadata, result.sectionPath)}`
    : `Nguồn: ${result.citation}`;
}

/**
 * Paste-ready citations of the passages a plain answer showed (the best one and the three after it, as
 * `formatSearchOutcome` shows them), with the /doc to read each whole section; empty without passages.
 */
export function renderAnswerCitations(
  outcome: SearchOutcome,
  plans: ReadonlyMap<string, PlanMetadata>,
  shown = 4,
): string {
  if (outcome.type !== "results") return "";
  const lines = outcome.results.slice(0, shown).flatMap((result, index) => {
    const metadata = plans.get(result.documentId);
    if (!metadata) return [];
    const key = sectionKey(sectionNumber(result.sectionPath));
    const label = index === 0 ? "Đoạn phù hợp nhất" : `Đoạn khác ${index}`;
    return [
      `• ${label}: ${planCitation(metadata, result.sectionPath)}${key ? ` (/doc ${result.documentId} ${key})` : ""}`,
    ];
  });
  return lines.length > 0 ? ["Trích dẫn để dán vào văn bản:", ...lines].join("\n") : "";
}

/**
 * One page of a search outcome as a chat message: the notes, the passages of the page (numbered across
 * pages) with their citation, each plan's cautions once, and how to see more.
 */
export function renderSearchPage(outcome: SearchOutcome, options: SearchPageOptions): string {
  if (outcome.type === "invalid") return outcome.message;
  const size = PAGE_SIZE[options.role];
  const lines: string[] = [...(options.notes ?? []).map((note) => `ℹ️ ${note}`)];
  // The rule in force first, on the first page only; the filtered passages follow as local context.
  if (outcome.answer && options.page <= 1) lines.push(outcome.answer.text, "");
  if (outcome.type === "no_match") {
    lines.push(outcome.message);
    if (outcome.results.length > 0) lines.push("", "Một vài đoạn gần nhất (có thể không đúng ý bạn):");
  }
  const { items, page, pages } = pageOf(outcome.results, options.page, size);
  if (outcome.type === "results" && page === 1) lines.push("Các đoạn phù hợp nhất:");
  if (outcome.type === "results" && page > 1) lines.push(`Trang ${page}/${pages}:`);
  const cautioned = new Set<string>();
  items.forEach((result, index) => {
    lines.push(
      "",
      `${(page - 1) * size + index + 1}. “${result.excerpt}”`,
      `   ${citationLine(result, options.plans, options.role)}`,
    );
    const key = sectionKey(sectionNumber(result.sectionPath));
    if (options.role === "staff" && key) lines.push(`   Xem trọn mục: /doc ${result.documentId} ${key}`);
    if (!cautioned.has(result.documentId)) {
      cautioned.add(result.documentId);
      for (const warning of result.warnings) lines.push(`   Lưu ý: ${warning}`);
    }
  });
  if (outcome.results.length > 0) {
    lines.push(
      "",
      page < pages
        ? `Trang ${page}/${pages}. Gõ “xem thêm” để xem tiếp${options.role === "staff" ? "; /doc <mã> <mục> để xem trọn một mục" : ""}.`
        : pages > 1
          ? `Trang ${page}/${pages}: đã hết kết quả.`
          : "",
    );
  }
  return lines.join("\n").trim();
}
