/**
 * The conversation's definition, compiled once at start-up from the flow files: the assistant file, the
 * interview flows by id, and the command lookup tables. Pure: `load.ts` reads the files and calls
 * {@link compileFlowSet}.
 */

import { didYouMean } from "../shared/did-you-mean.ts";
import { indexCommands, type CommandIndex } from "./intent.ts";
import type { AssistantDefinition, FlowDefinition } from "./schema.ts";
import { validateFlow } from "./validate.ts";

/** Everything the engine needs to know about the conversation, validated. */
export interface FlowSet {
  assistant: AssistantDefinition;
  flows: Readonly<Record<string, FlowDefinition>>;
  commands: CommandIndex;
}

/** Problems found in one file, by file name (relative, e.g. "flows/eligibility.yaml"). */
export type FlowProblems = Map<string, string[]>;

/**
 * Validates the flows and the links between files, and builds the {@link FlowSet}. Returns the problems by
 * file instead when there are any (the loader turns them into a start-up error).
 */
export function compileFlowSet(
  assistant: { file: string; definition: AssistantDefinition },
  flows: readonly { file: string; definition: FlowDefinition }[],
): { ok: true; value: FlowSet } | { ok: false; error: FlowProblems } {
  const problems: FlowProblems = new Map();
  const add = (file: string, list: string[]): void => {
    if (list.length) problems.set(file, [...(problems.get(file) ?? []), ...list]);
  };
  const byId: Record<string, FlowDefinition> = {};
  for (const { file, definition } of flows) {
    add(file, validateFlow(definition));
    if (byId[definition.id]) add(file, [`id: another flow file already uses the id "${definition.id}".`]);
    byId[definition.id] = definition;
  }
  const ids = Object.keys(byId);
  if (!byId[assistant.definition.check_flow]) {
    add(assistant.file, [
      `check_flow: no flow has the id "${assistant.definition.check_flow}". ${didYouMean(assistant.definition.check_flow, ids)}`,
    ]);
  }
  const slashes = Object.entries(assistant.definition.commands).map(([name, c]) => [name, c.slash] as const);
  for (const [name, slash] of slashes) {
    const other = slashes.find(([n, s]) => s === slash && n !== name);
    if (other) add(assistant.file, [`commands.${name}.slash: /${slash} is also the slash of "${other[0]}".`]);
  }
  if (problems.size) return { ok: false, error: problems };
  return {
    ok: true,
    value: { assistant: assistant.definition, flows: byId, commands: indexCommands(assistant.definition) },
  };
}
