/**
 * The outline of a plan document by its legal numbering, so that staff can ask for a whole section by its
 * number ("IV.1.2", "1.2", "II.2.a", "mục IV") and cite it as legal texts do (Mục = Roman part, khoản =
 * numbered section, điểm = lettered point). Pure: built on the knowledge base's structure parser.
 */
import { parseSections, stripMarkup } from "../knowledge/structure.ts";
import { foldDiacritics } from "../text/vietnamese.ts";

/** The numbering read from one heading label. */
export interface LabelNumbering {
  /** "IV" for a part. */
  roman?: string;
  /** "1.2" for a (sub)section. */
  arabic?: string;
  /** "b" for a point. */
  letter?: string;
  /** The heading without its numbering: "Hỗ trợ về y tế". */
  title: string;
}

const ROMAN_LABEL = /^([IVX]{1,5})\.(?:\s+|$)/;
const ARABIC_LABEL = /^(\d{1,2}(?:\.\d{1,2}){0,3})[.)]?(?:\s+|$)/;
const LETTER_LABEL = /^([a-zđ])[.)](?:\s+|$)/;

/** Reads the numbering at the start of a heading label ("1.2. Hỗ trợ về y tế" → arabic "1.2"). */
export function labelNumbering(label: string): LabelNumbering {
  let match = ROMAN_LABEL.exec(label);
  if (match) return { roman: match[1]!, title: label.slice(match[0].length).trim() };
  match = ARABIC_LABEL.exec(label);
  if (match) return { arabic: match[1]!, title: label.slice(match[0].length).trim() };
  match = LETTER_LABEL.exec(label);
  if (match) return { letter: match[1]!, title: label.slice(match[0].length).trim() };
  return { title: label };
}

/** Where a heading path sits in the legal numbering: part, deepest numbered section, point. */
export interface SectionNumber {
  roman?: string;
  arabic?: string;
  letter?: string;
}

/** The numbering of a heading path: the Roman part, the deepest numbered section and the lettered point. */
export function sectionNumber(path: readonly string[]): SectionNumber {
  const number: SectionNumber = {};
  for (const label of path) {
    const numbering = labelNumbering(label);
    if (numbering.roman) number.roman = numbering.roman;
    if (numbering.arabic) number.arabic = numbering.arabic;
    if (numbering.letter) number.letter = numbering.letter;
  }
  return number;
}

/** The key staff type for a section: "IV.1.2", "II.2.a", "IV"; "" for a path without numbering. */
export function sectionKey(number: SectionNumber): string {
  return [number.roman, number.arabic, number.letter].filter(Boolean).join(".");
}

/** One numbered section of a document, with everything under it. */
export interface OutlineSection {
  /** "IV.1.2". */
  key: string;
  number: SectionNumber;
  /** Heading path from the top, as in search results. */
  path: string[];
  /** Its own heading without numbering: "Hỗ trợ về y tế". */
  title: string;
  /** Offsets of the whole section in the source, sub-sections included. */
  start: number;
  end: number;
  /** Depth in the outline (1 for a part). */
  depth: number;
}

/** The numbered sections of a document, in order, each spanning its sub-sections. */
export interface Outline {
  sections: OutlineSection[];
  /** The text before the first heading (title block, legal bases), when there is one. */
  preamble: { start: number; end: number } | null;
}

/**
 * Builds the outline of a document's text. Unnumbered headings stay inside the numbered section above
 * them; the closing part ("Nơi nhận", signature) belongs to no section.
 */
export function outlineOf(source: string): Outline {
  const parsed = parseSections(source);
  const preambleSection = parsed.find((section) => section.kind === "preamble");
  const closing = parsed.find((section) => section.kind === "closing");
  const documentEnd = closing ? closing.start : source.length;
  const numbered = parsed.filter(
    (section) =>
      section.kind === "section" &&
      section.path.length > 0 &&
      sectionKey(labelNumbering(section.path.at(-1)!)) !== "",
  );
  const sections = numbered.map((section, index) => {
    // A section runs until the next heading at its depth or above (sub-sections belong to it).
    const next = numbered.slice(index + 1).find((other) => other.path.length <= section.path.length);
    let end = next ? next.start : documentEnd;
    while (end > section.start && /\s/.test(source[end - 1]!)) end--;
    const number = sectionNumber(section.path);
    return {
      key: sectionKey(number),
      number,
      path: section.path,
      title: labelNumbering(section.path.at(-1)!).title,
      start: section.start,
      end,
      depth: section.path.length,
    };
  });
  return {
    sections,
    preamble: preambleSection ? { start: preambleSection.start, end: preambleSection.end } : null,
  };
}

/** Why a section could not be found: none has that number, or several do (a bare "1.2" in two parts). */
export type SectionLookup =
  | { type: "found"; section: OutlineSection }
  | { type: "preamble"; start: number; end: number }
  | { type: "ambiguous"; candidates: OutlineSection[] }
  | { type: "not_found"; wanted: string }
  | { type: "invalid" };

/** "mục IV.1.2", "iv 1.2", "IV-1-2", "1.2.b", "khoản 1.2 mục IV" → the parts of a section key. */
export function readSectionQuery(text: string): SectionNumber | "preamble" | null {
  const folded = foldDiacritics(text).trim();
  if (/^(?:mo dau|phan mo dau|dau|0)$/.test(folded)) return "preamble";
  // "điểm b khoản 1.1 mục IV": the citation's own order, read back.
  const legal =
    /^(?:diem\s+([a-z])\s+)?(?:khoan\s+(\d{1,2}(?:\.\d{1,2}){0,3})\s*)?(?:muc|phan)\s+([ivx]{1,5})$/.exec(
      folded,
    );
  if (legal) return { roman: legal[3]!.toUpperCase(), arabic: legal[2], letter: legal[1] };
  const cleaned = folded
    .replace(/^(?:muc|phan|khoan|diem)\s+/, "")
    .replace(/[\s\-/]+/g, ".")
    .replace(/\.+/g, ".")
    .replace(/^\.|\.$/g, "");
  const match = /^(?:([ivx]{1,5})(?:\.|$))?(\d{1,2}(?:\.\d{1,2}){0,3})?(?:\.?([a-z]))?$/.exec(cleaned);
  if (!match || (!match[1] && !match[2] && !match[3])) return null;
  // "v" alone or "x" alone is a Roman part; a single letter after a number is a point.
  return {
    ...(match[1] ? { roman: match[1].toUpperCase() } : {}),
    ...(match[2] ? { arabic: match[2] } : {}),
    ...(match[3] ? { letter: match[3] } : {}),
  };
}

/**
 * Finds the section staff ask for. A key without its Roman part ("1.2") matches in any part, and is
 * ambiguous when several parts have it; a full key matches exactly.
 */
export function findSection(outline: Outline, wanted: string): SectionLookup {
  const query = readSectionQuery(wanted);
  if (query === null) return { type: "invalid" };
  if (query === "preamble") {
    return outline.preamble ? { type: "preamble", ...outline.preamble } : { type: "not_found", wanted };
  }
  const matches = outline.sections.filter(
    (section) =>
      (query.roman === undefined || section.number.roman === query.roman) &&
      section.number.arabic === query.arabic &&
      (section.number.letter === undefined ? undefined : foldDiacritics(section.number.letter)) ===
        query.letter,
  );
  if (matches.length === 1) return { type: "found", section: matches[0]! };
  if (matches.length > 1) return { type: "ambiguous", candidates: matches };
  return { type: "not_found", wanted: sectionKey(query) || wanted };
}

/** The text of a span, markup removed, as a reader sees it. */
export function plainText(source: string, start: number, end: number): string {
  return stripMarkup(source.slice(start, end));
}
