import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DataFileError } from "../shared/errors.ts";
import { DEFAULT_FLOWS_DIR, loadFlows } from "./load.ts";

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

/** A copy of flows/ with one file edited; returns the error message of loading it. */
function loadEdited(file: string, edit: (source: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), "hcs-flows-"));
  dirs.push(dir);
  cpSync(DEFAULT_FLOWS_DIR, dir, { recursive: true });
  writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), "utf8")));
  try {
    loadFlows(dir);
  } catch (error) {
    expect(error).toBeInstanceOf(DataFileError);
    return (error as DataFileError).message;
  }
  throw new Error("the edited flows loaded without error");
}

describe("loadFlows", () => {
  it("loads the committed flows", () => {
    const flows = loadFlows();
    expect(flows.flows.eligibility?.steps.ask_area?.answer.type).toBe("choice");
  });

  it("names the file, the step and the fix for an unknown next step", () => {
    const message = loadEdited("eligibility.yaml", (s) => s.replace("goto: ask_income", "goto: ask_incom"));
    expect(message).toContain("eligibility.yaml");
    expect(message).toContain(
      'steps.ask_left_list.next[1].goto: step "ask_incom" does not exist. Did you mean "ask_income"?',
    );
  });

  it("suggests the right key for a misspelt one", () => {
    const message = loadEdited("eligibility.yaml", (s) =>
      s.replace("    short: Hộ bạn có bao nhiêu người?", "    shrot: Hộ bạn có bao nhiêu người?"),
    );
    expect(message).toContain('steps.ask_members: unknown key "shrot". Did you mean "short"?');
  });

  it("suggests the answer type for a misspelt one", () => {
    const message = loadEdited("eligibility.yaml", (s) =>
      s.replace("answer: { type: yes_no }", "answer: { type: yes_on }"),
    );
    expect(message).toContain(
      'steps.ask_left_list.answer.type: "yes_on" is not an answer type. Did you mean "yes_no"?',
    );
  });

  it("suggests the fact for a misspelt one", () => {
    const message = loadEdited("eligibility.yaml", (s) =>
      s.replace("fact: monthlyIncome", "fact: monthlyIncom"),
    );
    expect(message).toContain(
      'steps.ask_income.fact: "monthlyIncom" is not allowed. Did you mean "monthlyIncome"?',
    );
  });

  it("checks condition values against the step's options", () => {
    const message = loadEdited("eligibility.yaml", (s) =>
      s.replace("in: [poor, near_poor]", "in: [poor, near_pooor]"),
    );
    expect(message).toContain(
      '"near_pooor" is not an answer of "ask_listed_status". Did you mean "near_poor"?',
    );
  });

  it("refuses a loop between steps", () => {
    const message = loadEdited("eligibility.yaml", (s) =>
      s.replace("    next: ask_poor_commune\n", "    next: ask_area\n"),
    );
    expect(message).toContain("form a loop");
  });

  it("refuses a flow whose longest path asks more than max_questions", () => {
    const message = loadEdited("eligibility.yaml", (s) =>
      s.replace("max_questions: 20", "max_questions: 10"),
    );
    expect(message).toMatch(/can ask 20 questions, more than 10/);
  });

  it("checks what answers write: a listed answer the step can give, yes/no facts for each option", () => {
    expect(
      loadEdited("eligibility.yaml", (s) =>
        s.replace("writes: [{ answer: false, value: null }]", 'writes: [{ answer: "no", value: null }]'),
      ),
    ).toContain('steps.ask_left_list.writes[0].answer: "no" is not an answer of this step.');
    expect(
      loadEdited("eligibility.yaml", (s) => s.replace("value: needsSanitation,", "value: needsSanitaton,")),
    ).toContain(
      'steps.ask_water_sanitation.answer.options: "needsSanitaton" is not a yes/no household fact (set: each_option). Did you mean "needsSanitation"?',
    );
    expect(
      loadEdited("eligibility.yaml", (s) => s.replace("max_answer: ask_members", "max_answer: ask_member")),
    ).toContain('steps.ask_student_count.answer.max_answer: step "ask_member" does not exist.');
  });

  it("refuses a step no path leads to", () => {
    const message = loadEdited("eligibility.yaml", (s) =>
      s
        .replace("    next: ask_agricultural\n", "    next: ask_poor_commune\n")
        .replace("goto: ask_agricultural\n", "goto: ask_poor_commune\n"),
    );
    expect(message).toContain('steps.ask_agricultural: no path from "ask_area" leads here');
  });

  it("refuses a check flow that does not exist", () => {
    const message = loadEdited("assistant.yaml", (s) =>
      s.replace("check_flow: eligibility", "check_flow: eligibilty"),
    );
    expect(message).toContain('check_flow: no flow has the id "eligibilty". Did you mean "eligibility"?');
  });

  it("reports YAML syntax errors with their line", () => {
    const message = loadEdited("eligibility.yaml", (s) =>
      s.replace("    description: Household size, to turn", "    description: Household size: to turn"),
    );
    expect(message).toMatch(/eligibility\.yaml:\n {2}- line \d+, column \d+/);
  });

  it("hints at quoting when a comma inside { } made an unknown key", () => {
    const message = loadEdited("eligibility.yaml", (s) =>
      s.replace('label: "Trung cấp, học nghề"', "label: Trung cấp, học nghề"),
    );
    expect(message).toContain("put the whole text in quotes");
  });
});
