/**
 * A JSON serialiser for streams of similar documents (one decision per line for a whole commune). It writes
 * exactly what `JSON.stringify` writes, but keeps the JSON text of frozen objects and arrays (shared legal
 * references, next steps, memoised programme decisions), so each is encoded once instead of once per
 * household. Pure.
 */

const MAX_CACHED_KEYS = 1_000;

/** Serialises documents, reusing the text of what it has seen before. Create one per stream. */
export class CachingJsonSerializer {
  private readonly frozen = new WeakMap<object, string>();
  /** Object keys are few and repeated; their encoding is kept. */
  private readonly keys = new Map<string, string>();

  /** The JSON text of `value` (same output as `JSON.stringify(value)` for plain data). */
  stringify(value: unknown): string {
    return this.value(value) ?? "null";
  }

  private key(text: string): string {
    let encoded = this.keys.get(text);
    if (encoded === undefined) {
      encoded = JSON.stringify(text);
      if (this.keys.size >= MAX_CACHED_KEYS) this.keys.clear();
      this.keys.set(text, encoded);
    }
    return encoded;
  }

  /** JSON text, or undefined for values JSON.stringify leaves out of objects (undefined, functions, symbols). */
  private value(value: unknown): string | undefined {
    switch (typeof value) {
      case "string":
        return JSON.stringify(value);
      case "number":
        return Number.isFinite(value) ? String(value) : "null";
      case "boolean":
        return value ? "true" : "false";
      case "object":
        return value === null ? "null" : this.object(value);
      case "bigint":
        throw new TypeError("Do not know how to serialize a BigInt");
      default:
        return undefined;
    }
  }

  private object(value: object): string {
    const cached = this.frozen.get(value);
    if (cached !== undefined) return cached;
    let text: string;
    if (typeof (value as { toJSON?: unknown }).toJSON === "function") {
      text = JSON.stringify(value);
    } else if (Array.isArray(value)) {
      text = "[";
      for (let i = 0; i < value.length; i++) {
        if (i > 0) text += ",";
        text += this.value(value[i]) ?? "null";
      }
      text += "]";
    } else {
      text = "{";
      let first = true;
      for (const key of Object.keys(value)) {
        const encoded = this.value((value as Record<string, unknown>)[key]);
        if (encoded === undefined) continue;
        text += `${first ? "" : ","}${this.key(key)}:${encoded}`;
        first = false;
      }
      text += "}";
    }
    if (Object.isFrozen(value)) this.frozen.set(value, text);
    return text;
  }
}
