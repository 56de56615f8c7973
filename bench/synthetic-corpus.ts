/**
 * A synthetic corpus for the knowledge-base benchmark: documents made by recombining and perturbing the
 * sections of the real plans, so that vocabulary and section sizes stay realistic while the corpus grows.
 */
import type { Corpus, CorpusDocument } from "../src/knowledge/load.ts";
import { parseSections } from "../src/knowledge/structure.ts";

/** Deterministic pseudo-random numbers (mulberry32), so that every run builds the same synthetic corpus. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A searchable section of a corpus. */
export interface Section {
  documentId: string;
  path: string[];
  text: string;
}

/** The searchable sections of a corpus, as the index keeps them. */
export function sectionsOf(corpus: Corpus): Section[] {
  return corpus.documents.flatMap((document) =>
    parseSections(document.text)
      .filter((section) => section.kind !== "closing" && section.hasContent)
      .map((section) => ({ documentId: document.metadata.id, path: section.path, text: section.text })),
  );
}

const PROVINCES = [
  "Hà Giang",
  "Lào Cai",
  "Điện Biên",
  "Sơn La",
  "Nghệ An",
  "Quảng Trị",
  "Gia Lai",
  "Cà Mau",
  "An Giang",
  "Đắk Lắk",
];
const SWAPS: [RegExp, string][] = [
  [/hộ nghèo/g, "hộ cận nghèo"],
  [/người nghèo/g, "người dân"],
  [/tỉnh/g, "huyện"],
  [/năm 2020/g, "năm 2025"],
  [/Sở /g, "Phòng "],
];

/**
 * A synthetic corpus: each document takes 40–60 real sections at random, perturbs them (numbers changed,
 * a phrase swapped, list items shuffled, a sentence dropped) and arranges them under new Roman-numbered parts.
 */
export function syntheticCorpus(real: Corpus, count: number): Corpus {
  const pool = sectionsOf(real);
  const next = random(2026);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const documents: CorpusDocument[] = [];
  for (let i = 0; i < count; i++) {
    const base = pick(real.documents).metadata;
    const province = pick(PROVINCES);
    const parts: string[] = [
      "KẾ HOẠCH",
      `Thực hiện công tác giảm nghèo số ${i + 1} trên địa bàn tỉnh ${province}`,
    ];
    const sectionCount = 40 + Math.floor(next() * 21);
    const roman = ["I", "II", "III", "IV", "V"];
    for (let s = 0; s < sectionCount; s++) {
      if (s % 12 === 0) parts.push(`${roman[Math.floor(s / 12)]}. PHẦN ${Math.floor(s / 12) + 1}`);
      let text = pick(pool).text.replace(/^[#*\s]*(?:[IVX]+|\d+(?:\.\d+)*|[a-z])[.)]\s*/u, "");
      text = text.replace(/\d+/g, (digits) => String(Math.floor(next() * 10 ** Math.min(digits.length, 4))));
      const [pattern, replacement] = pick(SWAPS);
      if (next() < 0.5) text = text.replace(pattern, replacement);
      const lines = text.split("\n\n");
      if (lines.length > 3) {
        lines.splice(1 + Math.floor(next() * (lines.length - 1)), 1);
        lines.sort(() => next() - 0.5);
      }
      parts.push(`${(s % 12) + 1}. ${lines.join("\n\n")}`);
    }
    documents.push({
      metadata: {
        ...base,
        id: `synthetic-${String(i + 1).padStart(4, "0")}`,
        file: `synthetic-${String(i + 1).padStart(4, "0")}.md`,
        province,
        title: `Kế hoạch giảm nghèo tổng hợp số ${i + 1} (${province})`,
      },
      text: parts.join("\n\n"),
    });
  }
  return { documents };
}
