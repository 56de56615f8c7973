/** The cache of parsed YAML data: used for the same text only, exact or not at all, and never in the way. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readYamlFile } from "./policy-load.ts";
import { cacheSlot, readCached, writeCached } from "./yaml-cache.ts";

const dir = mkdtempSync(join(tmpdir(), "hcs-yaml-cache-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cacheDir = join(dir, "cache");

describe("yaml cache", () => {
  it("gives the data stored for the same text only", () => {
    const slot = cacheSlot("/k/rules/a.yaml", "a: 1\n", cacheDir);
    expect(readCached(slot)).toBeUndefined();
    writeCached(slot, { a: 1 });
    expect(readCached(slot)).toEqual({ data: { a: 1 } });
    expect(readCached(cacheSlot("/k/rules/a.yaml", "a: 2\n", cacheDir))).toBeUndefined();
    // One entry per file: the new text's data replaces the old.
    const next = cacheSlot("/k/rules/a.yaml", "a: 2\n", cacheDir);
    writeCached(next, { a: 2 });
    expect(next.file).toBe(slot.file);
    expect(readCached(slot)).toBeUndefined();
  });

  it("does not keep data JSON would change, and ignores an unreadable entry", () => {
    const slot = cacheSlot("/k/b.yaml", "b: .nan\n", cacheDir);
    writeCached(slot, { b: Number.NaN });
    expect(readCached(slot)).toBeUndefined();
    writeFileSync(slot.file, "{not json");
    expect(readCached(slot)).toBeUndefined();
    const nowhere = cacheSlot("/k/c.yaml", "c: 1\n", join(dir, "file-not-dir", "x"));
    writeFileSync(join(dir, "file-not-dir"), "");
    expect(() => writeCached(nowhere, { c: 1 })).not.toThrow();
  });

  it("serves a file's data from the cache the second time, its lines still found when asked", () => {
    writeFileSync(join(dir, "rule.yaml"), "id: x\ncases:\n  - when: []\n    then: { amount: 3 }\n");
    const first = readYamlFile(dir, "rule.yaml", cacheDir);
    const second = readYamlFile(dir, "rule.yaml", cacheDir);
    if (!("file" in first) || !("file" in second)) throw new Error("the file did not parse");
    expect(second.file.source).toEqual(first.file.source);
    expect(
      readCached(
        cacheSlot(join(dir, "rule.yaml"), "id: x\ncases:\n  - when: []\n    then: { amount: 3 }\n", cacheDir),
      ),
    ).toBeDefined();
    const node = second.file.document.getIn(["cases", 0, "then", "amount"], true) as { range: number[] };
    expect(second.file.lines.linePos(node.range[0]!).line).toBe(4);
  });

  it("reports a syntax error with its line, and caches nothing for it", () => {
    writeFileSync(join(dir, "broken.yaml"), "a: 1\nb: [1, 2\n");
    const read = readYamlFile(dir, "broken.yaml", cacheDir);
    expect("problems" in read && read.problems[0]!.message).toMatch(/^YAML syntax error at line \d+/);
    expect(readCached(cacheSlot(join(dir, "broken.yaml"), "a: 1\nb: [1, 2\n", cacheDir))).toBeUndefined();
  });
});
