/**
 * Data-driven tests of the flow files: every file in flows/ loads and validates, and every golden transcript
 * in flows/tests/ replays through the real conversation core over a real SQLite file.
 *
 * The transcripts run against test fakes of the knowledge base and the scorer until those branches are
 * merged. MERGE: to run them against the real modules, pass `ports: () => realPorts` below (see
 * src/flows/wiring.ts: adaptKnowledgeBase / adaptScorer) and adjust the transcripts whose question order
 * depends on the fake scorer's missing facts.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_FLOWS_DIR, loadFlows } from "../src/flows/load.ts";
import { loadTranscript, replayTranscript } from "../src/flows/transcript.ts";
import { longestPath } from "../src/flows/validate.ts";
import { createFakeKnowledge, createFakeScorer } from "./support/fake-deps.ts";

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

describe("golden transcripts (flows/tests)", () => {
  it("include the scenarios the issue asks for", () => {
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
      ports: () => ({ knowledge: createFakeKnowledge(), eligibility: createFakeScorer() }),
      databasePath: join(scratch, `${name}.db`),
    });
    expect(failures, transcript.description).toEqual([]);
  });
});
