import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../storage/database.ts";
import { corpusFingerprint, ensureIndex, indexedFingerprint } from "./index-store.ts";
import { DEFAULT_KNOWLEDGE_DIR, loadCorpus, type Corpus } from "./load.ts";
import { openKnowledgeBase } from "./open.ts";
import { stripMarkup } from "./structure.ts";
import type { KnowledgeBase, SearchOutcome, SearchResult } from "./types.ts";

const TODAY = "2026-11-22";
let kb: KnowledgeBase;
beforeAll(() => {
  kb = openKnowledgeBase({ databasePath: ":memory:", today: () => TODAY });
});
afterAll(() => kb.close());

function results(outcome: SearchOutcome): SearchResult[] {
  expect(outcome.type).toBe("results");
  return outcome.type === "results" ? outcome.results : [];
}

describe("search over the plan documents", () => {
  it("returns whole sections with excerpt, citation and warnings, best first", () => {
    const found = results(kb.search("Hộ nghèo ở Thái Bình được cấp thẻ bảo hiểm y tế không?"));
    expect(found.length).toBeGreaterThanOrEqual(3);
    const best = found.slice(0, 2).find((r) => r.sectionPath.at(-1) === "1.2. Hỗ trợ về y tế");
    expect(best).toMatchObject({
      documentId: "thai-binh-2017-2020",
      sectionPath: expect.arrayContaining(["1.2. Hỗ trợ về y tế"]),
      warnings: expect.arrayContaining([expect.stringContaining("Hưng Yên")]),
    });
    const source = readFileSync(join(DEFAULT_KNOWLEDGE_DIR, "plans", "thai-binh-2017-2020.md"), "utf8");
    expect(source).toContain(best!.text);
    expect(best!.excerpt).toContain("cấp thẻ bảo hiểm y tế cho người thuộc hộ nghèo");
    expect(stripMarkup(best!.text)).toContain(best!.excerpt.replace(/ …$/, "").slice(0, 60));
    expect(best!.citation).toMatch(/^Kế hoạch số 02\/KH-UBND, ngày 05\/01\/2017, .* — mục IV\./);
    expect(found.map((r) => r.score)).toEqual([...found.map((r) => r.score)].sort((a, b) => b - a));
  });

  it("finds the same passage with or without diacritics, with abbreviations and chat shorthand", () => {
    const accented = results(kb.search("hộ cận nghèo có được hỗ trợ bảo hiểm y tế không"))[0];
    const plain = results(kb.search("ho can ngheo co dc ho tro BHYT k"))[0];
    expect(plain?.documentId).toBe(accented?.documentId);
    expect(plain?.sectionPath).toEqual(accented?.sectionPath);
  });

  it("treats NFD input like NFC and both tone-placement styles alike", () => {
    const nfc = kb.search("xã hội hoá công tác giảm nghèo");
    const nfd = kb.search("xã hội hóa công tác giảm nghèo".normalize("NFD"));
    expect(results(nfd).map((r) => r.text)).toEqual(results(nfc).map((r) => r.text));
  });

  it("ignores zero-width spaces and direction marks inside words", () => {
    const clean = kb.search("hộ cận nghèo được hỗ trợ bảo hiểm y tế");
    const hidden = kb.search("h\u200Bộ cận ngh\u200Eèo được hỗ\u2067 trợ bảo hi\uFEFFểm y t\u200Dế");
    expect(results(clean).length).toBeGreaterThan(0);
    expect(results(hidden).map((r) => r.text)).toEqual(results(clean).map((r) => r.text));
  });

  it("ranks exact-accent matches higher when the question has diacritics (hồ ≠ hộ)", () => {
    const metadata = loadCorpus().documents[0]!.metadata;
    const corpus: Corpus = {
      documents: [
        {
          metadata: { ...metadata, id: "lake" },
          text: "I. THỦY LỢI\n\n1. Nạo vét hồ chứa nước tưới cho đồng ruộng.\n",
        },
        {
          metadata: { ...metadata, id: "household" },
          text: "I. NƯỚC SẠCH\n\n1. Hỗ trợ hộ chứa nước sạch cho đồng ruộng.\n",
        },
      ],
    };
    const small = openKnowledgeBase({ databasePath: ":memory:", corpus, today: () => TODAY });
    try {
      const top = (question: string): string[] => {
        const outcome = small.search(question);
        return outcome.type === "invalid" ? [] : outcome.results.map((r) => r.documentId);
      };
      expect(top("hồ chứa nước")[0]).toBe("lake");
      expect(top("hộ chứa nước")[0]).toBe("household");
      expect(new Set(top("ho chua nuoc"))).toEqual(new Set(["lake", "household"]));
    } finally {
      small.close();
    }
  });

  it("finds a passage that differs from the question by accents only in the folded spelling (đồng hồ nước)", () => {
    const best = results(kb.search("lắp đồng hồ nước cho hộ nghèo"))[0];
    expect(best?.text).toContain("đồng hồ nước");
  });

  it("corrects typos against the index vocabulary", () => {
    expect(
      results(kb.search("Mức hỗ trợ nhà ở từ ngân sách đại phương cho hộ nghèo Thái Bình"))[0]?.text,
    ).toContain("mức 5 triệu đồng/hộ");
    expect(results(kb.search("ho moi thaot ngheo toi da may nam"))[0]?.text).toContain("tối đa là 3 năm");
  });

  it("narrows by document, by province (then or now) and by year", () => {
    const all = (outcome: SearchOutcome) =>
      (outcome.type === "invalid" ? [] : outcome.results).map((r) => r.documentId);
    expect(new Set(all(kb.search("vay vốn", { documentId: "bach-thong-2023" })))).toEqual(
      new Set(["bach-thong-2023"]),
    );
    expect(new Set(all(kb.search("vay vốn", { province: "Hưng Yên" })))).toEqual(
      new Set(["thai-binh-2017-2020"]),
    );
    expect(new Set(all(kb.search("vay vốn", { year: 2023 })))).toEqual(
      new Set(["nam-dinh-ct05-2030", "bach-thong-2023"]),
    );
    expect(kb.search("vay vốn", { province: "Cà Mau" })).toMatchObject({ type: "no_match" });
  });

  it("knows the other names of a province (areas.yaml aliases), then or now", () => {
    const all = (outcome: SearchOutcome) =>
      new Set((outcome.type === "invalid" ? [] : outcome.results).map((r) => r.documentId));
    for (const name of ["HCM", "TP HCM", "Sài Gòn", "BRVT", "ba ria vung tau"])
      expect(all(kb.search("vay vốn", { province: name })), name).toEqual(
        new Set(["ba-ria-vung-tau-ct01-2017"]),
      );
    for (const name of ["Bắc Cạn", "bac kan", "Thái Nguyên"])
      expect(all(kb.search("vay vốn", { province: name })), name).toEqual(new Set(["bach-thong-2023"]));
  });

  it("uses the date it is asked for in the warnings", () => {
    const before = results(
      kb.search("Bạch Thông hỗ trợ nhà ở", { onDate: "2023-05-01", documentId: "bach-thong-2023" }),
    )[0];
    expect(before?.warnings).toEqual([]);
    const now = results(kb.search("Bạch Thông hỗ trợ nhà ở", { documentId: "bach-thong-2023" }))[0];
    expect(now?.warnings.join(" ")).toContain("không còn cấp huyện");
  });

  it("respects the limit", () => {
    expect(results(kb.search("hộ nghèo", { limit: 2 }))).toHaveLength(2);
    expect(results(kb.search("hộ nghèo", { limit: 500 })).length).toBeLessThanOrEqual(20);
    expect(results(kb.search("hộ nghèo", { limit: Number.NaN }))).toHaveLength(5);
  });
});

describe("questions without a good answer and bad input", () => {
  it.each([
    "cách nấu phở bò ngon",
    "giá vàng hôm nay bao nhiêu",
    "lịch thi đấu bóng đá tối nay",
    "mua iphone trả góp",
  ])("says there is no good match for %s, suggesting rephrasing or /kiemtra", (question) => {
    const outcome = kb.search(question);
    expect(outcome.type).toBe("no_match");
    expect(outcome.type === "no_match" && outcome.message).toContain("/kiemtra");
  });

  it.each([
    ["", "chưa nhập câu hỏi"],
    ["   \n\t ", "chưa nhập câu hỏi"],
    ["😀😀🎉", "chưa có chữ nào"],
    ["?!... ---", "chưa có chữ nào"],
    ["a".repeat(50_000), "dài quá"],
  ])("answers %j with a clear message", (question, message) => {
    const outcome = kb.search(question);
    expect(outcome.type).toBe("invalid");
    expect(outcome.type === "invalid" && outcome.message).toContain(message);
    expect(outcome.query.length).toBeLessThanOrEqual(201);
  });

  it.each([
    '" * NEAR( - :',
    'hộ nghèo" OR * NEAR(vay, 2) -',
    "vay:von AND (ho OR",
    "\u0000hộ\u0007 nghèo\u001b",
  ])("never passes query syntax to FTS5: %j", (question) => {
    expect(() => kb.search(question)).not.toThrow();
    expect(["results", "no_match", "invalid"]).toContain(kb.search(question).type);
  });

  it("handles a question of only question words", () => {
    expect(kb.search("có được không")).toMatchObject({ type: "no_match" });
  });

  it("handles a long question of many words", () => {
    const question = "hộ nghèo vay vốn bảo hiểm y tế học phí nhà ở nước sạch ".repeat(15).slice(0, 990);
    expect(["results", "no_match"]).toContain(kb.search(question).type);
  });
});

describe("the persistent index", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), "kb-index-"));
    dirs.push(dir);
    return dir;
  };

  it("is rebuilt only when the corpus fingerprint changes", () => {
    const database = openDatabase(join(tempDir(), "kb.db"));
    try {
      const corpus = loadCorpus();
      expect(indexedFingerprint(database)).toBeNull();
      expect(ensureIndex(database, corpus).rebuilt).toBe(true);
      expect(indexedFingerprint(database)).toBe(corpusFingerprint(corpus));
      expect(ensureIndex(database, corpus).rebuilt).toBe(false);
      const changed: Corpus = {
        documents: corpus.documents.map((d, i) =>
          i === 0 ? { ...d, text: `${d.text}\n- Thêm một dòng.` } : d,
        ),
      };
      expect(ensureIndex(database, changed).rebuilt).toBe(true);
      expect(ensureIndex(database, changed).rebuilt).toBe(false);
    } finally {
      database.close();
    }
  });

  it("indexes a sixth document dropped into knowledge/plans with its metadata", () => {
    const knowledgeDir = tempDir();
    cpSync(DEFAULT_KNOWLEDGE_DIR, knowledgeDir, { recursive: true });
    const databasePath = join(tempDir(), "kb.db");
    const before = openKnowledgeBase({ knowledgeDir, databasePath, today: () => TODAY });
    expect(JSON.stringify(before.search("hỗ trợ nuôi ong lấy mật", { limit: 3 }))).not.toContain(
      "ha-noi-2026",
    );
    before.close();

    writeFileSync(
      join(knowledgeDir, "plans", "ha-noi-2026.md"),
      "KẾ HOẠCH\n\nI. MỤC TIÊU\n\n1. Hỗ trợ sinh kế\n\n- Hỗ trợ hộ nghèo nuôi ong lấy mật, mỗi hộ 10 đàn ong giống.\n",
    );
    const sources = join(knowledgeDir, "plans", "sources.yaml");
    writeFileSync(
      sources,
      `${readFileSync(sources, "utf8")}- id: ha-noi-2026\n  file: ha-noi-2026.md\n  kind: Kế hoạch\n  number: 12/KH-UBND\n  issued_on: 2026-02-01\n  issuer: Ủy ban nhân dân thành phố Hà Nội\n  level: province\n  province: Thành phố Hà Nội\n  title: Kế hoạch giảm nghèo năm 2026\n  period: { from: 2026, to: 2026 }\n`,
    );
    const after = openKnowledgeBase({ knowledgeDir, databasePath, today: () => TODAY });
    try {
      const best = results(after.search("hỗ trợ nuôi ong lấy mật"))[0];
      expect(best).toMatchObject({
        documentId: "ha-noi-2026",
        sectionPath: ["I. MỤC TIÊU", "1. Hỗ trợ sinh kế"],
        warnings: [],
      });
      expect(best?.citation).toContain(
        "Kế hoạch số 12/KH-UBND, ngày 01/02/2026, của Ủy ban nhân dân thành phố Hà Nội",
      );
    } finally {
      after.close();
    }
  });

  it("works on a database opened by the caller and leaves it open", () => {
    const database = openDatabase(":memory:");
    const shared = openKnowledgeBase({ database, today: () => TODAY });
    expect(shared.search("nhà Đại đoàn kết").type).toBe("results");
    shared.close();
    expect(database.sqlite.open).toBe(true);
    database.close();
  });
});

describe("questions asked again", () => {
  const question = "hộ cận nghèo có được hỗ trợ bảo hiểm y tế không";

  it("are answered from the outcomes kept, for the same options and date only", () => {
    const database = openDatabase(":memory:");
    const cached = openKnowledgeBase({ database, today: () => TODAY });
    const uncached = openKnowledgeBase({ database, today: () => TODAY, resultCacheSize: 0 });
    try {
      const first = cached.search(question);
      expect(results(first).length).toBeGreaterThan(0);
      expect(uncached.search(question)).toEqual(first);
      // Empty the index: only an outcome kept can still answer.
      database.sqlite.exec("INSERT INTO kb_sections_fts (kb_sections_fts) VALUES ('delete-all')");
      expect(cached.search(question)).toEqual(first);
      expect(uncached.search(question).type).toBe("no_match");
      expect(cached.search(question, { limit: 2 }).type).toBe("no_match");
      expect(cached.search(question, { onDate: "2026-01-01" }).type).toBe("no_match");
      expect(cached.search(`${question}?`).type).toBe("no_match");
    } finally {
      cached.close();
      uncached.close();
      database.close();
    }
  });

  it("get a copy: changing one outcome does not change the next", () => {
    const first = results(kb.search(question));
    const kept = structuredClone(first);
    first[0]!.warnings.push("changed");
    first[0]!.sectionPath.length = 0;
    first.length = 0;
    expect(results(kb.search(question))).toEqual(kept);
  });
});
