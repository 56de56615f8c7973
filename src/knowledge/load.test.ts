import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DataFileError } from "../shared/errors.ts";
import { DEFAULT_KNOWLEDGE_DIR, loadAreaChanges, loadCorpus, loadLexiconData } from "./load.ts";

const temporary: string[] = [];
function copyOfKnowledge(): string {
  const dir = mkdtempSync(join(tmpdir(), "kb-load-"));
  temporary.push(dir);
  cpSync(DEFAULT_KNOWLEDGE_DIR, dir, { recursive: true });
  return dir;
}
afterEach(() => {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(DataFileError);
    return (error as DataFileError).problems;
  }
  throw new Error("expected a DataFileError");
}

describe("loadCorpus", () => {
  it("loads the five plans verbatim with their metadata", () => {
    const corpus = loadCorpus();
    expect(corpus.documents.map((d) => d.metadata.id).sort()).toEqual([
      "ba-ria-vung-tau-ct01-2017",
      "bach-thong-2023",
      "nam-dinh-ct05-2030",
      "thai-binh-2017-2020",
      "tuyen-quang-city-2020",
    ]);
    const thaiBinh = corpus.documents.find((d) => d.metadata.id === "thai-binh-2017-2020")!;
    expect(thaiBinh.text).toBe(
      readFileSync(join(DEFAULT_KNOWLEDGE_DIR, "plans", "thai-binh-2017-2020.md"), "utf8"),
    );
    expect(thaiBinh.metadata).toMatchObject({
      number: "02/KH-UBND",
      issuedOn: "2017-01-05",
      period: { from: 2017, to: 2020 },
    });
    for (const document of corpus.documents) expect(document.text).toBe(document.text.normalize("NFC"));
  });

  it("names the file, the entry and the fix for a bad date", () => {
    const dir = copyOfKnowledge();
    const file = join(dir, "plans", "sources.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("issued_on: 2017-01-05", "issued_on: 05/01/2017"));
    const problems = problemsOf(() => loadCorpus(dir));
    expect(problems[0]).toMatch(/^\[0\]\.issued_on: write YYYY-MM-DD/);
  });

  it("rejects an unknown key, a plan file without an entry and an entry without its file", () => {
    const dir = copyOfKnowledge();
    const file = join(dir, "plans", "sources.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace("signer: Nguyễn Hồng Diên (Chủ tịch)", "signed_by: x"),
    );
    expect(problemsOf(() => loadCorpus(dir)).join("\n")).toMatch(/signed_by/);

    const dir2 = copyOfKnowledge();
    writeFileSync(join(dir2, "plans", "ha-noi-2026.md"), "KẾ HOẠCH\n");
    rmSync(join(dir2, "plans", "bach-thong-2023.md"));
    const problems = problemsOf(() => loadCorpus(dir2)).join("\n");
    expect(problems).toContain('ha-noi-2026.md has no entry: add "- id: ha-noi-2026"');
    expect(problems).toContain('"bach-thong-2023.md" does not exist');
  });

  it("requires the id to be the file name", () => {
    const dir = copyOfKnowledge();
    const file = join(dir, "plans", "sources.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("- id: bach-thong-2023", "- id: bach-thong"));
    expect(problemsOf(() => loadCorpus(dir)).join("\n")).toContain('should be "bach-thong.md"');
  });

  it("reports YAML syntax errors and missing files as data-file errors", () => {
    const dir = copyOfKnowledge();
    writeFileSync(join(dir, "synonyms.yaml"), "abbreviations: [unclosed");
    expect(problemsOf(() => loadLexiconData(dir))[0]).toMatch(/not valid YAML/);
    rmSync(join(dir, "areas.yaml"));
    expect(problemsOf(() => loadAreaChanges(dir))[0]).toMatch(/file not found/);
  });
});

describe("loadLexiconData and loadAreaChanges", () => {
  it("load the shipped files", () => {
    expect(loadLexiconData().abbreviations.BHYT).toBe("bảo hiểm y tế");
    expect(loadAreaChanges().provinces).toContainEqual({ was: ["Thái Bình"], now: "Hưng Yên" });
  });
});
