/**
 * A JSON serialiser for streams of similar documents (one decision per line for a whole commune). It writes
 * exactly what `JSON.stringify` writes, but keeps the encoded JSON of frozen objects and arrays (shared legal
 * references, next steps, memoised programme decisions), so each is serialised and UTF-8 encoded once instead
 * of once per household: most of a decision's bytes are such shared parts.
 *
 * Everything is written straight into one growing byte buffer: shared parts are copied in, object keys are
 * kept encoded, and the many short ASCII pieces (punctuation, numbers, ids) are stored byte by byte, so a
 * line costs no intermediate strings or buffers; only text with other characters goes through the encoder.
 */

const MAX_CACHED_KEYS = 1_000;
/** Initial size of the output buffer; it grows (doubling) when a caller lets more output pile up. */
const INITIAL_CAPACITY = 1 << 19;
/** Output buffers kept for reuse (see {@link CachingJsonSerializer.recycle}). */
const MAX_SPARE_BUFFERS = 4;
/** Below this length, copying bytes in a loop beats calling into the runtime. */
const SHORT = 48;

/** Characters JSON escapes (quote, backslash, controls) and surrogates (JSON.stringify escapes lone ones). */
// eslint-disable-next-line no-control-regex -- the control characters are exactly what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** Serialises documents, reusing the bytes of frozen parts it has seen before. Create one per stream. */
export class CachingJsonSerializer {
  private readonly frozen = new WeakMap<object, Buffer>();
  /** `"key":` of object keys, encoded: keys are few and repeated. */
  private readonly keys = new Map<string, Buffer>();
  /** Encoded output so far: `out[0, length)`. */
  private out = Buffer.allocUnsafeSlow(INITIAL_CAPACITY);
  private length = 0;
  /** True while a frozen part is being serialised for the cache. */
  private caching = false;
  /** Memory of output already written by the caller, to write into again (fresh memory costs page faults). */
  private readonly spare: ArrayBuffer[] = [];

  /** The JSON text of `value` (same output as `JSON.stringify(value)` for plain data). */
  stringify(value: unknown): string {
    this.append(value);
    return this.take().toString("utf8");
  }

  /** Appends the JSON of `value` and a newline to the pending output (see {@link take}). */
  appendLine(value: unknown): void {
    this.append(value);
    this.byte(10);
  }

  /** Appends raw text (already JSON) to the pending output. */
  appendText(text: string): void {
    this.text(text);
  }

  /** Size of the pending output, in bytes. */
  get pendingSize(): number {
    return this.length;
  }

  /**
   * The pending output as bytes; the output is then empty again. The bytes are the caller's: they live in
   * their own memory (not shared with later output), so they may be kept, written later or transferred
   * (`bytes.buffer` holds nothing else). Hand them back with {@link recycle} once written.
   */
  take(): Buffer {
    const taken = this.out.subarray(0, this.length);
    const spare = this.spare.pop();
    this.out = spare
      ? Buffer.from(spare)
      : Buffer.allocUnsafeSlow(Math.max(INITIAL_CAPACITY, this.out.length));
    this.length = 0;
    return taken;
  }

  /** Takes back bytes from {@link take} that nothing uses any more: later output is written into their memory. */
  recycle(bytes: Uint8Array): void {
    const memory = bytes.buffer;
    if (memory instanceof ArrayBuffer && memory.byteLength > 0 && this.spare.length < MAX_SPARE_BUFFERS)
      this.spare.push(memory);
  }

  /** Makes room for `bytes` more bytes. */
  private reserve(bytes: number): void {
    if (this.length + bytes <= this.out.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(this.out.length * 2, this.length + bytes));
    this.out.copy(grown, 0, 0, this.length);
    this.out = grown;
  }

  private byte(code: number): void {
    if (this.length === this.out.length) this.reserve(1);
    this.out[this.length++] = code;
  }

  private bytes(encoded: Buffer): void {
    const size = encoded.length;
    this.reserve(size);
    const out = this.out;
    let at = this.length;
    if (size < SHORT) for (let i = 0; i < size; i++) out[at++] = encoded[i]!;
    else out.set(encoded, at);
    this.length += size;
  }

  /** Writes text as UTF-8: short ASCII text byte by byte, anything else through the encoder. */
  private text(text: string): void {
    const size = text.length;
    this.reserve(size * 3); // a UTF-16 code unit takes at most 3 bytes in UTF-8
    if (size < SHORT) {
      const out = this.out;
      const start = this.length;
      let i = 0;
      for (; i < size; i++) {
        const code = text.charCodeAt(i);
        if (code >= 0x80) break;
        out[start + i] = code;
      }
      if (i === size) {
        this.length += size;
        return;
      }
    }
    this.length += this.out.write(text, this.length);
  }

  /** A string value: quoted and encoded straight from the string when nothing in it needs escaping. */
  private string(value: string): void {
    if (NEEDS_ESCAPE.test(value)) {
      this.text(JSON.stringify(value));
    } else {
      this.byte(0x22); // "
      this.text(value);
      this.byte(0x22);
    }
  }

  private append(value: unknown): void {
    switch (typeof value) {
      case "string":
        this.string(value);
        return;
      case "number":
        this.text(Number.isFinite(value) ? String(value) : "null");
        return;
      case "boolean":
        this.text(value ? "true" : "false");
        return;
      case "object":
        if (value === null) this.text("null");
        else if (Object.isFrozen(value)) this.appendFrozen(value);
        else this.members(value);
        return;
      case "bigint":
        throw new TypeError("Do not know how to serialize a BigInt");
      default:
        // undefined, functions and symbols: JSON writes null in arrays (objects skip them before calling this).
        this.text("null");
    }
  }

  /**
   * A frozen object or array: its cached bytes, or serialised once, cached and appended. Frozen parts nested
   * in one being cached are not cached on their own (most are never met apart from their parent, and each
   * entry costs memory and time); shared ones (reference lists, next steps) are cached where they are met
   * in an unfrozen document.
   */
  private appendFrozen(value: object): void {
    const cached = this.frozen.get(value);
    if (cached !== undefined) {
      this.bytes(cached);
      return;
    }
    if (this.caching) {
      this.members(value);
      return;
    }
    const start = this.length;
    this.caching = true;
    try {
      this.members(value);
    } finally {
      this.caching = false;
    }
    const encoded = Buffer.allocUnsafe(this.length - start);
    this.out.copy(encoded, 0, start, this.length);
    this.frozen.set(value, encoded);
  }

  /** `"key":`, encoded. */
  private key(name: string): Buffer {
    let encoded = this.keys.get(name);
    if (encoded === undefined) {
      encoded = Buffer.from(`${JSON.stringify(name)}:`);
      if (this.keys.size >= MAX_CACHED_KEYS) this.keys.clear();
      this.keys.set(name, encoded);
    }
    return encoded;
  }

  private members(value: object): void {
    if (typeof (value as { toJSON?: unknown }).toJSON === "function") {
      this.text(JSON.stringify(value));
    } else if (Array.isArray(value)) {
      this.byte(0x5b); // [
      for (let i = 0; i < value.length; i++) {
        if (i > 0) this.byte(0x2c); // ,
        this.append(value[i]);
      }
      this.byte(0x5d); // ]
    } else {
      this.byte(0x7b); // {
      let first = true;
      for (const name of Object.keys(value)) {
        const item = (value as Record<string, unknown>)[name];
        const type = typeof item;
        if (item === undefined || type === "function" || type === "symbol") continue;
        if (!first) this.byte(0x2c); // ,
        first = false;
        this.bytes(this.key(name));
        this.append(item);
      }
      this.byte(0x7d); // }
    }
  }
}
