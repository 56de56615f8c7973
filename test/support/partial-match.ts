/**
 * Partial matching of a decision against the expected output of a golden case (OpenFisca-style: only the
 * fields written in the test are checked). Objects match when every expected key matches; arrays match
 * element by element and must have the same length. Special keys:
 * - `programs` as a map `{ <id>: {...} }` matches the programme with that id;
 * - `missingFacts: [fact, ...]` is compared with the fact names, in order;
 * - `missingFactsExclude: [fact, ...]`: none of these facts may be asked;
 * - `reasonsInclude: [text, ...]`: each text must appear in some reason.
 */

/** Every mismatch as "path: expected X, got Y"; empty when the actual value matches. */
export function partialMismatches(expected: unknown, actual: unknown, path = "output"): string[] {
  if (expected === null || typeof expected !== "object") {
    return Object.is(expected, actual)
      ? []
      : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, got ${JSON.stringify(actual)}`];
    if (expected.length !== actual.length) {
      return [
        `${path}: expected ${expected.length} item(s), got ${actual.length}: ${JSON.stringify(actual).slice(0, 300)}`,
      ];
    }
    return expected.flatMap((item, i) => partialMismatches(item, actual[i], `${path}[${i}]`));
  }
  if (actual === null || typeof actual !== "object")
    return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
  const object = actual as Record<string, unknown>;
  const problems: string[] = [];
  for (const [key, value] of Object.entries(expected)) {
    const here = `${path}.${key}`;
    if (key === "programs" && !Array.isArray(value) && Array.isArray(object.programs)) {
      for (const [id, programExpected] of Object.entries(value as Record<string, unknown>)) {
        const program = (object.programs as { id: string }[]).find((candidate) => candidate.id === id);
        if (!program) problems.push(`${here}.${id}: no such programme in the decision`);
        else problems.push(...partialMismatches(programExpected, program, `${here}.${id}`));
      }
    } else if (key === "missingFacts") {
      const facts = Array.isArray(object.missingFacts)
        ? (object.missingFacts as { fact: string }[]).map((f) => f.fact)
        : object.missingFacts;
      problems.push(...partialMismatches(value, facts, here));
    } else if (key === "missingFactsExclude") {
      const facts = ((object.missingFacts ?? []) as { fact: string }[]).map((f) => f.fact);
      for (const fact of value as string[])
        if (facts.includes(fact))
          problems.push(`${here}: "${fact}" should not be asked, got ${JSON.stringify(facts)}`);
    } else if (key === "reasonsInclude") {
      const reasons = (object.reasons ?? []) as string[];
      for (const text of value as string[]) {
        if (!reasons.some((reason) => reason.includes(text)))
          problems.push(`${here}: no reason contains "${text}"; reasons: ${JSON.stringify(reasons)}`);
      }
    } else {
      problems.push(...partialMismatches(value, object[key], here));
    }
  }
  return problems;
}
