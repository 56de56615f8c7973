/**
 * Shared, frozen copies of the small lists a decision is built from (legal references, notes). Thousands of
 * decisions carry the same few lists; sharing them keeps memory flat and lets a serialiser encode each once.
 * Pure (module-level caches, bounded).
 */
import type { Reference } from "./policy.ts";

const MAX_ENTRIES = 10_000;
const referenceIds = new WeakMap<Reference, number>();
let nextReferenceId = 0;
const referenceLists = new Map<string, readonly Reference[]>();
const textLists = new Map<string, readonly string[]>();

function idOf(reference: Reference): number {
  let id = referenceIds.get(reference);
  if (id === undefined) {
    id = nextReferenceId++;
    referenceIds.set(reference, id);
  }
  return id;
}

/** A frozen list with the same references in the same order, shared with every equal list. */
export function internReferences(list: readonly Reference[]): Reference[] {
  let key = "";
  for (const reference of list) key += `${idOf(reference)},`;
  let shared = referenceLists.get(key);
  if (!shared) {
    if (referenceLists.size >= MAX_ENTRIES) referenceLists.clear();
    shared = Object.freeze([...list]);
    referenceLists.set(key, shared);
  }
  return shared as Reference[];
}

/** A frozen list with the same texts in the same order, shared with every equal list (for short lists of data texts). */
export function internTexts(list: readonly string[]): string[] {
  const key = list.join("\u0000");
  let shared = textLists.get(key);
  if (!shared) {
    if (textLists.size >= MAX_ENTRIES) textLists.clear();
    shared = Object.freeze([...list]);
    textLists.set(key, shared);
  }
  return shared as string[];
}
