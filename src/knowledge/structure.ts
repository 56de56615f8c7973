/**
 * Structure of a plan document: its sections along Vietnamese legal numbering, each with its heading path
 * and its exact text. Pure functions, no I/O.
 *
 * The plans arrive in two shapes: Markdown (`## **II. MỤC TIÊU**`, where the number of `#` says nothing
 * reliable about depth) and plain text where only the numbering shows the structure. So the depth of a
 * heading is read from its numbering alone:
 * - Roman numerals for parts (`I.`, `IV.`): level 1;
 * - Arabic numbers for sections (`1.`, `2.1.`, `2.2.1.`): level 1 + number of components;
 * - letters for points (`a)`, `b.`): level 6;
 * - an unnumbered heading line (Markdown heading or a whole bold/italic line) after the first numbered one:
 *   level 7, under the current heading.
 * Dashes and `+` are list items inside a section, never headings. The closing part ("Trên đây là…",
 * "Nơi nhận:", signatures) is kept apart so that it is not offered as an answer.
 */

/** What a section is: the text before the first heading, a numbered section, or the closing part. */
export type SectionKind = "preamble" | "section" | "closing";

/** One section of a document. `text === source.slice(start, end)`. */
export interface DocumentSection {
  /** Position in the document, from 0. */
  ordinal: number;
  kind: SectionKind;
  /** Heading labels from the top of the document down to this section (markup removed, long ones cut). */
  path: string[];
  /** Offsets (UTF-16 code units) of the section in the source text. */
  start: number;
  end: number;
  /** The exact slice of the source, from the heading line to the next heading, trailing blank lines left out. */
  text: string;
  /** True when the section says something beyond its heading label (a body, or a heading line that is itself a paragraph). */
  hasContent: boolean;
}

/** A recognised heading line. */
export interface Heading {
  level: number;
  /** The heading as shown in a path: numbering and title, markup removed, at most about 100 characters. */
  label: string;
  /** True when the line carries more than the label (inline body or a long numbered paragraph). */
  inlineBody: boolean;
}

const MARKDOWN_HEADING = /^\s{0,3}#{1,6}\s+/;
const LEADING_EMPHASIS = /^[*_]{1,3}\s*/;
const ROMAN = /^([IVX]{1,5})\.\s+\S/;
const ARABIC = /^(\d{1,2}(?:\.\d{1,2}){0,3})[.)]\s+\S/;
/** "2.1 Tiểu dự án" without the final dot, only before a capital letter so that "2.5 triệu" is not a heading. */
const ARABIC_NO_DOT = /^(\d{1,2}(?:\.\d{1,2}){1,3})\s+\p{Lu}/u;
const LETTER = /^([a-zđ])[.)]\s+\S/;
const CLOSING = /^(?:trên đây là|nơi nhận)/i;
const ROMAN_VALUES = new Set([
  "I",
  "II",
  "III",
  "IV",
  "V",
  "VI",
  "VII",
  "VIII",
  "IX",
  "X",
  "XI",
  "XII",
  "XIII",
  "XIV",
  "XV",
]);
const MAX_LABEL = 100;

/** A line with its offsets in the source. */
interface Line {
  start: number;
  end: number;
  text: string;
}

function splitLines(source: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start <= source.length) {
    const newline = source.indexOf("\n", start);
    const end = newline < 0 ? source.length : newline;
    lines.push({ start, end, text: source.slice(start, end).replace(/\r$/, "") });
    if (newline < 0) break;
    start = newline + 1;
  }
  return lines;
}

/**
 * Text of a line or paragraph without Markdown markup: heading hashes, bold/italic asterisks and
 * underscores, hard-break spaces. Letters, digits and punctuation stay as printed.
 *
 * ```ts
 * stripMarkup("### *1.2. Hỗ trợ về y tế:*") // "1.2. Hỗ trợ về y tế:"
 * ```
 */
export function stripMarkup(text: string): string {
  return text
    .split("\n")
    .map((line) =>
      line
        .replace(MARKDOWN_HEADING, "")
        .replace(/\*{1,3}|(?<![\p{L}\p{N}])_{1,3}|_{1,3}(?![\p{L}\p{N}])/gu, "")
        .replace(/\s+/g, " ")
        .trim(),
    )
    .join("\n")
    .trim();
}

function shortenLabel(label: string): string {
  if (label.length <= MAX_LABEL) return label;
  const colon = label.indexOf(":");
  if (colon >= 8 && colon <= MAX_LABEL) return label.slice(0, colon).trim();
  const cut = label.lastIndexOf(" ", MAX_LABEL - 10);
  return `${label.slice(0, cut > 20 ? cut : MAX_LABEL - 10).trim()}…`;
}

function cleanLabel(label: string): string {
  const cleaned = label
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[\s:;,]+$/, "");
  // "I." alone keeps its dot; "MỤC ĐÍCH, YÊU CẦU." loses the full stop.
  return /^[IVX\d.]+$/.test(cleaned) ? cleaned : cleaned.replace(/\.+$/, "").trim();
}

function numberingLevel(bare: string): number | null {
  const roman = ROMAN.exec(bare);
  if (roman && ROMAN_VALUES.has(roman[1]!)) return 1;
  const arabic = ARABIC.exec(bare) ?? ARABIC_NO_DOT.exec(bare);
  if (arabic) return 1 + arabic[1]!.split(".").length;
  if (LETTER.test(bare)) return 6;
  return null;
}

/**
 * Reads one line as a heading, or returns null when it is body text. `afterFirstHeading` allows unnumbered
 * bold/italic or Markdown heading lines to count as headings (before the first numbered heading they are the
 * document's title block).
 */
export function parseHeading(line: string, afterFirstHeading = true): Heading | null {
  const withoutHashes = line.replace(MARKDOWN_HEADING, "");
  const isMarkdownHeading = withoutHashes !== line;
  const trimmed = withoutHashes.trim();
  if (!trimmed) return null;
  const bare = trimmed.replace(LEADING_EMPHASIS, "");
  if (/^[-+•(]/.test(bare)) return null;
  const level = numberingLevel(bare);
  // Most lines are running text: leave before the costlier label work.
  if (level === null && !(afterFirstHeading && (isMarkdownHeading || /^[*_]/.test(trimmed)))) return null;

  const emphasised = /^(\*{1,3}|_{1,3})(.+?)\1(?![*_])\s*(.*)$/.exec(trimmed);
  const wholeLine = stripMarkup(trimmed);
  let labelSource = emphasised && emphasised[3] ? stripMarkup(emphasised[2]!) : wholeLine;
  // "2. Ban Dân tộc: tổ chức triển khai…": the title ends at the colon when running text follows in lower
  // case; "Dự án 7: Nâng cao năng lực…" keeps its subtitle.
  const colon = labelSource.search(/: \p{Ll}/u);
  if (colon >= 8 && colon <= MAX_LABEL) labelSource = labelSource.slice(0, colon);
  const label = shortenLabel(cleanLabel(labelSource));

  if (level !== null) {
    return { level, label, inlineBody: cleanLabel(wholeLine).length > label.length + 1 };
  }
  const wholeLineEmphasis = emphasised !== null && !emphasised[3];
  if (afterFirstHeading && (isMarkdownHeading || wholeLineEmphasis) && wholeLine.length <= MAX_LABEL) {
    return { level: 7, label, inlineBody: false };
  }
  return null;
}

/**
 * Splits a document into sections. Every character of the source belongs to at most one section, in order;
 * a section's `text` is the exact slice from its heading line to the line before the next heading.
 *
 * ```ts
 * const sections = parseSections(readFileSync("knowledge/plans/thai-binh-2017-2020.md", "utf8"));
 * sections[5].path // ["II. MỤC TIÊU GIẢM NGHÈO GIAI ĐOẠN 2017-2020", "2. Chỉ tiêu cụ thể"]
 * ```
 */
export function parseSections(source: string): DocumentSection[] {
  const lines = splitLines(source);
  const sections: DocumentSection[] = [];
  const stack: { level: number; label: string }[] = [];
  let current: { kind: SectionKind; path: string[]; start: number; inlineBody: boolean } | null = null;
  let seenHeading = false;
  let closing = false;

  const finish = (endLine: number): void => {
    if (!current) return;
    let end = endLine;
    while (end > current.start && /\s/.test(source[end - 1]!)) end--;
    if (end <= current.start) return;
    const text = source.slice(current.start, end);
    const bodyStart = text.indexOf("\n");
    const hasBody = current.kind === "preamble" || (bodyStart >= 0 && text.slice(bodyStart).trim() !== "");
    sections.push({
      ordinal: sections.length,
      kind: current.kind,
      path: current.path,
      start: current.start,
      end,
      text,
      hasContent: hasBody || current.inlineBody,
    });
  };

  for (const [index, line] of lines.entries()) {
    const bare = stripMarkup(line.text);
    if (!bare) continue;
    if (!closing && seenHeading && CLOSING.test(bare)) {
      finish(line.start);
      closing = true;
      current = { kind: "closing", path: [], start: line.start, inlineBody: false };
      continue;
    }
    const heading = closing ? null : parseHeading(headingText(lines, index), seenHeading);
    if (heading && (heading.level < 7 || seenHeading)) {
      finish(line.start);
      seenHeading = true;
      while (stack.length > 0 && stack[stack.length - 1]!.level >= heading.level) stack.pop();
      stack.push({ level: heading.level, label: heading.label });
      current = {
        kind: "section",
        path: stack.map((entry) => entry.label),
        start: line.start,
        inlineBody: heading.inlineBody,
      };
      continue;
    }
    if (!current) current = { kind: "preamble", path: [], start: line.start, inlineBody: false };
  }
  finish(source.length);
  // A numbered line with no body and no sub-sections is itself content ("3. Nguồn vốn tín dụng chính sách…").
  return sections.map((section, i) => {
    const next = sections[i + 1];
    const isLeaf = !next || next.kind !== "section" || next.path.length <= section.path.length;
    return section.kind === "section" && isLeaf && !section.hasContent
      ? { ...section, hasContent: true }
      : section;
  });
}

/**
 * The text of a heading line, with the next line appended when a page break cut the heading in the middle
 * ("4. Nguồn vốn … (chính sách hỗ" / "trợ về y tế, …)").
 */
function headingText(lines: Line[], index: number): string {
  const line = lines[index]!.text;
  if (endsSentence(stripMarkup(line))) return line;
  for (let next = index + 1; next < lines.length; next++) {
    const text = stripMarkup(lines[next]!.text);
    if (!text) continue;
    return /^\p{Ll}/u.test(text) ? `${line} ${text}` : line;
  }
  return line;
}

function endsSentence(paragraph: string): boolean {
  return /[.;:!?…]["”’)]*$/.test(paragraph);
}

function isListItem(paragraph: string): boolean {
  return /^[-+•]/.test(paragraph);
}

/**
 * The paragraphs of a text as a reader sees them, markup removed: a sentence cut by a page break
 * ("… vươn lên\n\nthoát nghèo") is joined back into one paragraph. A break is taken for a page-break
 * artefact when the first part does not end a sentence and the second part is neither a heading nor a list
 * item, and either starts in lower case or follows a long line of running text.
 */
export function logicalParagraphs(text: string): string[] {
  const paragraphs: { text: string; heading: boolean }[] = [];
  for (const raw of text.split("\n")) {
    if (!raw.trim()) continue;
    const plain = stripMarkup(raw);
    if (!plain) continue;
    const heading = parseHeading(raw) !== null;
    const previous = paragraphs[paragraphs.length - 1];
    const continues =
      previous !== undefined &&
      !previous.heading &&
      !heading &&
      !isListItem(plain) &&
      !endsSentence(previous.text) &&
      (/^\p{Ll}/u.test(plain) || previous.text.length >= 60);
    if (continues) previous.text = `${previous.text} ${plain}`;
    else paragraphs.push({ text: plain, heading });
  }
  return paragraphs.map((paragraph) => paragraph.text);
}

/**
 * Sentences (or list items, or clauses ended by ";") of one logical paragraph, for picking an excerpt.
 * Numbers such as "1.461" and dates such as "10/12" are never split.
 */
export function splitSentences(paragraph: string): string[] {
  const pieces = paragraph
    .split(/(?<=[.;!?…])\s+(?=[\p{Lu}\p{N}"“(+-])/u)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0);
  // A numbering ("11.", "2.1.", "IV.", "a.") is not a sentence: keep it with what follows.
  const sentences: string[] = [];
  let pending = "";
  for (const piece of pieces) {
    if (/^(?:[IVX]{1,5}|\d{1,2}(?:\.\d{1,2}){0,3}|[a-zđ])[.)]$/u.test(piece)) pending += `${piece} `;
    else {
      sentences.push(pending + piece);
      pending = "";
    }
  }
  if (pending) sentences.push(pending.trim());
  return sentences;
}
