/**
 * A broken policy file stops start-up with a DataFileError that names the file, the path inside it (with
 * its line) and the fix. Each test copies the real knowledge data, breaks one file, and loads it.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_KNOWLEDGE_DIR, loadPolicyKnowledge, POLICY_FOLDERS } from "../src/knowledge/policy-load.ts";
import { DataFileError } from "../src/shared/errors.ts";

const copies: string[] = [];

/** A copy of the policy data with one file edited. */
function brokenCopy(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), "hcs-knowledge-"));
  copies.push(dir);
  for (const folder of POLICY_FOLDERS)
    cpSync(join(DEFAULT_KNOWLEDGE_DIR, folder), join(dir, folder), { recursive: true });
  const path = join(dir, file);
  const before = readFileSync(path, "utf8");
  const after = edit(before);
  if (after === before) throw new Error(`the edit did not change ${file}`);
  writeFileSync(path, after);
  return dir;
}

function loadError(dir: string): DataFileError {
  try {
    loadPolicyKnowledge(dir);
  } catch (error) {
    if (error instanceof DataFileError) return error;
    throw error;
  }
  throw new Error("the broken data loaded without error");
}

afterEach(() => {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("loadPolicyKnowledge", () => {
  it("loads the real data", () => {
    expect(loadPolicyKnowledge().programs.length).toBeGreaterThanOrEqual(6);
  });

  it("names the file, the path, the line and a suggestion for a mistyped parameter id", () => {
    const dir = brokenCopy("rules/credit/poor_household.yaml", (text) =>
      text.replace("credit.poor_household.max_amount", "credit.poor_household.max_amout"),
    );
    const error = loadError(dir);
    expect(error.file).toMatch(/rules\/credit\/poor_household\.yaml$/);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(
      /^cases\[0\]\.then\.maxAmount\.param \(line \d+\): unknown parameter "credit\.poor_household\.max_amout"/,
    );
    expect(error.problems[0]).toContain('did you mean "credit.poor_household.max_amount"?');
    expect(error.message).toContain("poor_household.yaml");
  });

  it("rejects a confidence that is not high, medium or low", () => {
    const dir = brokenCopy("parameters/poverty/income_line.yaml", (text) =>
      text.replace("confidence: high", "confidence: sure"),
    );
    const error = loadError(dir);
    expect(error.file).toMatch(/parameters\/poverty\/income_line\.yaml$/);
    expect(error.problems[0]).toMatch(
      /^values\.2016-01-01\.confidence \(line \d+\): .*"high".*"medium".*"low"/,
    );
  });

  it("refuses a low-confidence figure shown as fact and says to move it to `estimate`", () => {
    const dir = brokenCopy("parameters/credit/near_poor_household.yaml", (text) =>
      text.replace(/(2025-12-01:\n\s+value:) null/, "$1 7.92"),
    );
    const error = loadError(dir);
    expect(error.problems.join("\n")).toMatch(
      /parameters\.interest_rate\.values\.2025-12-01\.value \(line \d+\): .*set `value: null` and put the figure in `estimate`/,
    );
  });

  it("reports a YAML syntax error with its line", () => {
    const dir = brokenCopy("rules/tuition.yaml", (text) =>
      text.replace("order: 80", "order: 80\n  bad indent: ["),
    );
    const error = loadError(dir);
    expect(error.file).toMatch(/rules\/tuition\.yaml$/);
    expect(error.problems[0]).toMatch(/YAML syntax error at line \d+/);
  });

  it("lists the allowed condition types for an unknown one", () => {
    const dir = brokenCopy("rules/health_insurance.yaml", (text) =>
      text.replace("{ type: category, in: [poor] }", "{ type: categry, in: [poor] }"),
    );
    const error = loadError(dir);
    expect(error.problems[0]).toMatch(
      /^cases\[0\]\.when\[0\]\.type \(line \d+\): unknown condition `type`; use one of category, listed_status/,
    );
  });

  it("suggests the closest reference id for an unknown one", () => {
    const dir = brokenCopy("parameters/credit/poor_household.yaml", (text) =>
      text.replace("ref: qd_2553_2025", "ref: qd_2553_2052"),
    );
    const error = loadError(dir);
    expect(error.problems[0]).toContain('unknown reference id "qd_2553_2052"; did you mean "qd_2553_2025"?');
  });

  it("requires a legal reference for every dated value", () => {
    const dir = brokenCopy("parameters/poverty/deprivation_threshold.yaml", (text) =>
      text.replace("    reference: [{ ref: qd_59_2015_poor }]\n", ""),
    );
    expect(loadError(dir).problems[0]).toMatch(
      /^values\.2016-01-01\.reference \(line \d+\): needs a `reference`/,
    );
  });

  it("names an unknown programme in a province override", () => {
    const dir = brokenCopy("rules/provinces/thai_binh.yaml", (text) =>
      text.replace("program: health_insurance", "program: health_insurence"),
    );
    const error = loadError(dir);
    expect(error.file).toMatch(/rules\/provinces\/thai_binh\.yaml$/);
    expect(error.problems[0]).toMatch(
      /^programs\[0\]\.program \(line \d+\): unknown programme "health_insurence"; did you mean "health_insurance"\?/,
    );
  });

  it("refuses a per-person condition in a household programme", () => {
    const dir = brokenCopy("rules/credit/poor_household.yaml", (text) =>
      text.replace(
        "- { type: category, in: [poor] }",
        '- { type: category, in: [poor] }\n      - { type: person_age, operator: ">=", value: 18 }',
      ),
    );
    expect(loadError(dir).problems[0]).toMatch(
      /^cases\[0\]\.when \(line \d+\): reads a person's facts, but the programme has `scope: household`/,
    );
  });

  it("checks that a programme's id matches its file", () => {
    const dir = brokenCopy("rules/credit/student.yaml", (text) =>
      text.replace("id: credit.student", "id: credit.students"),
    );
    expect(loadError(dir).problems[0]).toContain(
      'id "credit.students" must match the file path: use "credit.student"',
    );
  });

  it("names an unknown kind of support, with the closest one", () => {
    const dir = brokenCopy("rules/credit/student.yaml", (text) =>
      text.replace("kind: credit", "kind: credt"),
    );
    const error = loadError(dir);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^kind \(line \d+\): unknown kind "credt"; did you mean "credit"\?/);
  });

  it("checks a case's grants against its kind's figures and units", () => {
    const typo = brokenCopy("rules/credit/poor_household.yaml", (text) =>
      text.replace("      termMonths: {", "      termMonth: {"),
    );
    expect(loadError(typo).problems[0]).toMatch(
      /^cases\[0\]\.then \(line \d+\): unknown key\(s\) "termMonth"/,
    );
    const unit = brokenCopy("rules/credit/poor_household.yaml", (text) =>
      text.replace(
        "termMonths: { param: credit.poor_household.max_term_months }",
        "termMonths: { param: credit.poor_household.interest_rate }",
      ),
    );
    expect(loadError(unit).problems[0]).toContain(
      'parameter "credit.poor_household.interest_rate" is in percent_per_year, but this place needs months',
    );
  });

  it("checks a kind's reasons and decision fields name its figures", () => {
    const dir = brokenCopy("kinds/credit.yaml", (text) =>
      text
        .replace("thời hạn vay tối đa: {termMonths}", "thời hạn vay tối đa: {termMonth}")
        .replace("termMonths: termMonths.value", "termMonths: termMonth.value"),
    );
    const problems = loadError(dir).problems;
    expect(problems).toContainEqual(
      expect.stringMatching(/^reasons\[0\]\[2\] \(line \d+\): "\{termMonth\}" names no figure/),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^decision\.termMonths \(line \d+\): unknown figure "termMonth"; did you mean "termMonths"\?/,
      ),
    );
  });
});
