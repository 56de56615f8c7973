/**
 * Data-driven tests of the flow files: every file in flows/ loads and validates, and every golden transcript
 * in flows/tests/ replays through the real conversation core over a real SQLite file.
 *
 * The transcripts run against the real knowledge base and the real scorer with the rules in knowledge/, on
 * the transcript's own date, so a rule change that alters a conversation shows up here.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_FLOWS_DIR, loadFlows } from "../src/flows/load.ts";
import { loadTranscript, replayTranscript } from "./support/transcript.ts";
import { longestPath } from "../src/flows/validate.ts";
import { fillPrompt } from "../src/flows/render.ts";
import { sayParameterOn } from "../src/domain/figures.ts";
import { createAssistantPorts } from "../src/composition.ts";
import { standardOn } from "../src/domain/classify.ts";
import { decide } from "../src/domain/eligibility.ts";
import { loadPolicyKnowledge } from "../src/knowledge/policy-load.ts";

const flows = loadFlows();
const transcriptDir = join(DEFAULT_FLOWS_DIR, "tests");
const transcripts = readdirSync(transcriptDir)
  .filter((name) => name.endsWith(".yaml"))
  .sort();
const scratch = mkdtempSync(join(tmpdir(), "hcs-transcripts-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("flow files", () => {
  it("load and validate (schema, targets, conditions, bounds)", () => {
    expect(Object.keys(flows.flows)).toContain(flows.assistant.check_flow);
  });

  it("never ask more than 20 questions on any path of the eligibility interview", () => {
    const flow = flows.flows.eligibility!;
    expect(flow.max_questions).toBeLessThanOrEqual(20);
    expect(longestPath(flow)).toBeLessThanOrEqual(20);
  });

  it("give every step a description and a short re-ask prompt", () => {
    for (const flow of Object.values(flows.flows)) {
      for (const [id, step] of Object.entries(flow.steps)) {
        expect(step.description, id).not.toBe("");
        expect(step.short, `${flow.id}.${id} needs a short prompt for re-asking`).toBeTruthy();
      }
    }
  });
});

describe("flow files agree with the scorer's data", () => {
  const policy = loadPolicyKnowledge();
  const flow = flows.flows.eligibility!;

  it("offer the deprivation indicators of the standard in force, under the scorer's ids", () => {
    const step = flow.steps.ask_deprivations!;
    const values = step.answer.type === "multi_choice" ? step.answer.options.map((o) => o.value) : [];
    const standard = standardOn(policy, "2026-11-22")!;
    expect(values).toEqual(standard.indicators.list.map((indicator) => indicator.id));
  });

  it("ask about the same window for newly escaped households as the scorer applies", () => {
    const decision = decide({ area: "rural", members: 2, listedStatus: "none", leftListOn: null }, policy, {
      today: "2026-11-22",
    });
    const reason = decision.programs.find((p) => p.id === "credit.newly_escaped")!.reasons.join(" ");
    const years = /trong (\d+) năm gần đây/.exec(reason)?.[1];
    expect(years).toBeDefined();
    // The prompt takes the figure from the parameter the scorer reads.
    const figure = (id: string) => sayParameterOn(policy.parameters.get(id), "2026-11-22");
    expect(fillPrompt(flow.steps.ask_left_list!.prompt, 1, figure)).toContain(`Trong ${years} năm gần đây`);
    expect(fillPrompt(flow.steps.ask_left_list!.short!, 1, figure)).toContain(`trong ${years} năm gần đây`);
    // Without a scorer behind the conversation, the prompt still reads.
    expect(fillPrompt(flow.steps.ask_left_list!.prompt, 1)).toContain("Trong những năm gần đây");
  });

  it("name only figures the policy data has in their prompts", () => {
    for (const flow of Object.values(flows.flows))
      for (const [key, step] of Object.entries(flow.steps))
        for (const text of [step.prompt, step.short ?? ""])
          for (const [, id] of text.matchAll(/\{figure:([^|}]+)\|/g))
            expect(policy.parameters.has(id!), `${flow.id}.${key}: ${id}`).toBe(true);
  });

  it("give every programme of the scorer a title and whom to ask", () => {
    for (const program of policy.programs) {
      expect(program.shortTitle, program.id).not.toBe("");
      expect(program.confirmWith, program.id).not.toBeNull();
    }
  });
});

describe("golden transcripts (flows/tests)", () => {
  it("include the required scenarios", () => {
    for (const name of [
      "poor-listed",
      "near-poor-listed",
      "newly-escaped",
      "not-poor",
      "back-twice",
      "unknown-answers",
      "kb-question",
      "restart",
      "delete",
      "unreadable",
    ]) {
      expect(transcripts).toContain(`${name}.yaml`);
    }
  });

  it.each(transcripts)("%s", async (name) => {
    const transcript = loadTranscript(join(transcriptDir, name));
    const failures = await replayTranscript(transcript, {
      flows,
      ports: (database, { staffIds }) =>
        createAssistantPorts(database, { today: () => transcript.today, staffIds }),
      databasePath: join(scratch, `${name}.db`),
    });
    expect(failures, transcript.description).toEqual([]);
  });
});
