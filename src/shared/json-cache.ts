/**
 * A JSON serialiser for streams of similar documents (one decision per line for a whole commune). It writes
 * exactly what `JSON.stringify` writes, but keeps the encoded JSON of frozen objects and arrays (shared legal
 * references, next steps, memoised programme decisions), so each is serialised and UTF-8 encoded once instead
 * of once per household: most of a decision's bytes are such shared parts.
 */

const MAX_CACHED_KEYS = 1_000;

/** Serialises documents, reusing the bytes of frozen parts it has seen before. Create one per stream. */
export class CachingJsonSerializer {
  private readonly frozen = new WeakMap<object, Buffer>();
  /** Object keys are few and repeated; their encoding is kept. */
  private readonly keys = new Map<string, string>();
  /** Output so far: encoded parts, and text not yet encoded. */
  private parts: Buffer[] = [];
  private text = "";
  private bytes = 0;

  /** The JSON text of `value` (same output as `JSON.stringify(value)` for plain data). */
  stringify(value: unknown): string {
    this.append(value);
    return this.take().toString("utf8");
  }

  /** Appends the JSON of `value` and a newline to the pending output (see {@link take}). */
  appendLine(value: unknown): void {
    this.append(value);
    this.text += "\n";
  }

  /** Appends raw text (already JSON) to the pending output. */
  appendText(text: string): void {
    this.text += text;
  }

  /** Approximate size of the pending output, in bytes. */
  get pendingSize(): number {
    return this.bytes + this.text.length;
  }

  /** The pending output as one buffer; the output is then empty again. */
  take(): Buffer {
    this.flushText();
    const out = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.bytes);
    this.parts = [];
    this.bytes = 0;
    return out;
  }

  private flushText(): void {
    if (!this.text) return;
    const encoded = Buffer.from(this.text, "utf8");
    this.parts.push(encoded);
    this.bytes += encoded.length;
    this.text = "";
  }

  private append(value: unknown): void {
    const encoded = this.scalar(value);
    if (encoded === undefined) this.text += "null";
    else if (encoded !== null) this.text += encoded;
  }

  /** JSON text of a scalar; null when `value` is an object (then written by {@link object}); undefined when JSON omits it. */
  private scalar(value: unknown): string | null | undefined {
    switch (typeof value) {
      case "string":
        return JSON.stringify(value);
      case "number":
        return Number.isFinite(value) ? String(value) : "null";
      case "boolean":
        return value ? "true" : "false";
      case "object":
        if (value === null) return "null";
        this.object(value);
        return null;
      case "bigint":
        throw new TypeError("Do not know how to serialize a BigInt");
      default:
        return undefined;
    }
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

  private object(value: object): void {
    const cached = this.frozen.get(value);
    if (cached !== undefined) {
      this.flushText();
      this.parts.push(cached);
      this.bytes += cached.length;
      return;
    }
    if (Object.isFrozen(value)) {
      // Serialise it on its own, keep the bytes, and append them.
      const outer = { parts: this.parts, text: this.text, bytes: this.bytes };
      this.parts = [];
      this.text = "";
      this.bytes = 0;
      this.members(value);
      const encoded = this.take();
      this.frozen.set(value, encoded);
      this.parts = outer.parts;
      this.text = outer.text;
      this.bytes = outer.bytes;
      this.flushText();
      this.parts.push(encoded);
      this.bytes += encoded.length;
      return;
    }
    this.members(value);
  }

  private members(value: object): void {
    if (typeof (value as { toJSON?: unknown }).toJSON === "function") {
      this.text += JSON.stringify(value);
    } else if (Array.isArray(value)) {
      // Lists of sentences (reasons) are the commonest unshared arrays: the native serialiser is faster.
      if (value.every((item) => typeof item === "string")) {
        this.text += JSON.stringify(value);
        return;
      }
      this.text += "[";
      for (let i = 0; i < value.length; i++) {
        if (i > 0) this.text += ",";
        this.append(value[i]);
      }
      this.text += "]";
    } else {
      this.text += "{";
      let first = true;
      for (const key of Object.keys(value)) {
        const item = (value as Record<string, unknown>)[key];
        const type = typeof item;
        if (item === undefined || type === "function" || type === "symbol") continue;
        this.text += `${first ? "" : ","}${this.key(key)}:`;
        first = false;
        this.append(item);
      }
      this.text += "}";
    }
  }
}
