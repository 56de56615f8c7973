import { describe, expect, it } from "vitest";
import { CachingJsonSerializer } from "./json-cache.ts";

describe("CachingJsonSerializer", () => {
  it("writes what JSON.stringify writes", () => {
    const serializer = new CachingJsonSerializer();
    const shared = Object.freeze({ instrument: "Nghị định 07/2021/NĐ-CP", url: 'https://example.vn/"x"' });
    const values: unknown[] = [
      null,
      true,
      0,
      -1.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      'dòng "trích"\n\t\u0001',
      [],
      {},
      [1, undefined, () => 1, "a"],
      { a: undefined, b: null, c: [shared, shared], d: { e: "đ" }, f: () => 1 },
      Object.freeze([shared, Object.freeze({ nested: shared })]),
      { date: new Date(Date.UTC(2026, 0, 1)) },
      [
        "Hộ có tên trong danh sách",
        'trích "dẫn"',
        "a\\b",
        "\u001f",
        "tab\t",
        "😀",
        "lẻ \ud800 loi",
        "x".repeat(200),
      ],
      Object.freeze(["chưa được xác nhận", "\udc00"]),
      { "khoá có dấu": "giá trị", 'k"ey': 1, "": "" },
    ];
    for (const value of values) expect(serializer.stringify(value)).toBe(JSON.stringify(value));
  });

  it("reuses the text of frozen objects, so changes to unfrozen ones still show", () => {
    const serializer = new CachingJsonSerializer();
    const frozen = Object.freeze({ a: 1 });
    const open = { a: 1 };
    expect(serializer.stringify([frozen, open])).toBe('[{"a":1},{"a":1}]');
    open.a = 2;
    expect(serializer.stringify([frozen, open])).toBe('[{"a":1},{"a":2}]');
  });
});
