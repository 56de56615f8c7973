/**
 * Where the time goes in a V8 CPU profile (`.cpuprofile`, as written by `--cpu-prof` or the inspector), by stage
 * of the app: each sample is charged to the innermost frame on its stack that belongs to a stage (the knowledge
 * base, the session store, the flows…). Helpers shared by every stage (text normalisation, src/shared, drizzle,
 * Node internals, RegExp) are looked through, so that time spent folding diacritics for a search counts as
 * search. Native calls (SQLite) are charged to the JavaScript function that made them.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

/** The parts of a V8 CPU profile read here. */
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Stages, tried in order on each frame from the innermost out; the first match names the stage. */
const STAGES: [label: string, test: RegExp][] = [
  ["the profiler itself (stopping, writing the profile)", /^node:inspector/],
  ["knowledge base: search (FTS5 query, ranking, excerpts)", /\/src\/knowledge\/(?!format)/],
  ["knowledge base: answer text", /\/src\/knowledge\/format/],
  ["scorer (src/domain)", /\/src\/domain\//],
  ["sessions: SQLite read and write, digest", /\/src\/storage\//],
  ["zod (stored snapshot, updates)", /\/node_modules\/zod\//],
  ["rendering replies", /\/src\/(flows\/(render|reply)|channels\/(telegram\/render|choices))\.ts/],
  ["flows: engine, answers, conversation", /\/src\/flows\//],
  [
    "logging (pino)",
    /\/src\/logging\.ts|\/node_modules\/(pino|sonic-boom|@pinojs|quick-format-unescaped|thread-stream)/,
  ],
  [
    "outgoing Bot API calls (grammY's node-fetch, the Zalo client's fetch)",
    /\/node_modules\/(node-fetch|abort-controller)\/|\/src\/channels\/zalo\/client\.ts/,
  ],
  ["grammY", /\/node_modules\/(grammy|@grammyjs)\//],
  ["channels: dispatcher, Telegram, Zalo", /\/src\/channels\//],
  ["HTTP server (Hono and its Node adapter)", /\/src\/server\/|\/node_modules\/(hono|@hono)\//],
];

/** Frames that belong to whoever called them. */
const SHARED =
  /\/src\/(text|shared)\/|\/node_modules\/(drizzle-orm|better-sqlite3)\/|^node:|^$|\/node_modules\/tsx\//;

/** Native better-sqlite3 statement methods: time spent inside SQLite. */
const SQLITE_CALLS = new Set(["all", "get", "run", "iterate", "exec"]);

/** Labels of V8's own pseudo-frames. */
const SPECIAL: Record<string, string> = {
  "(garbage collector)": "garbage collection",
  "(idle)": "idle (waiting for I/O)",
  "(program)": "V8 and native code outside JavaScript",
};

/**
 * Summarises a profile: the share of samples per stage (of the whole, and of the busy time), then the functions
 * with the most self time. Returns printable lines.
 */
export function summarizeProfile(profile: CpuProfile, topFunctions = 12): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const weight = new Map<number, number>();
  profile.samples.forEach((id, i) => weight.set(id, (weight.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

  const stages = new Map<string, number>();
  const selfTime = new Map<string, number>();
  let total = 0;
  for (const [id, micros] of weight) {
    total += micros;
    const leaf = byId.get(id)!;
    const name = `${leaf.callFrame.functionName || "(anonymous)"} ${leaf.callFrame.url.replace(/^.*\/(src|node_modules)\//, "$1/")}`;
    selfTime.set(name, (selfTime.get(name) ?? 0) + micros);
    let stage = SPECIAL[leaf.callFrame.functionName];
    let nodeFrame: string | undefined;
    for (let at: number | undefined = id; stage === undefined && at !== undefined; at = parent.get(at)) {
      const url = byId.get(at)!.callFrame.url;
      stage = STAGES.find(([, test]) => test.test(url))?.[0];
      if (stage === undefined && !SHARED.test(url)) stage = `other: ${url.replace(/^.*\//, "")}`;
      if (url.startsWith("node:")) nodeFrame ??= url;
    }
    stage ??= nodeFrame ? "Node internals (HTTP parsing, sockets, timers)" : "other";
    // better-sqlite3's statement methods are native frames without a URL.
    if (leaf.callFrame.url === "" && SQLITE_CALLS.has(leaf.callFrame.functionName)) stage += ", in SQLite";
    stages.set(stage, (stages.get(stage) ?? 0) + micros);
  }
  const idle = stages.get(SPECIAL["(idle)"]!) ?? 0;
  const busy = total - idle;
  const percent = (micros: number, of: number): string => `${((100 * micros) / of).toFixed(1)}%`.padStart(6);
  const lines = [
    `${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy; share of samples, of busy time:`,
  ];
  for (const [stage, micros] of [...stages].sort((a, b) => b[1] - a[1])) {
    if (micros / total < 0.005) continue;
    lines.push(
      `  ${percent(micros, total)} ${stage === SPECIAL["(idle)"] ? "      " : percent(micros, busy)}  ${stage}`,
    );
  }
  lines.push(`functions with the most self time (native calls included in their caller), of busy time:`);
  for (const [name, micros] of [...selfTime].sort((a, b) => b[1] - a[1]).slice(0, topFunctions + 1)) {
    if (name.startsWith("(idle)")) continue;
    lines.push(`  ${percent(micros, busy)}  ${name}`);
  }
  return lines.join("\n");
}
