import { describe, expect, it } from "vitest";
import { formatNumberVi, formatPercent, formatVnd } from "./format.ts";

/** The plain definition the hand-written formatter must match: round to cents, group, trim zeros. */
function reference(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  const [whole, fraction] = Math.abs(rounded).toFixed(2).split(".") as [string, string];
  const decimals = fraction.replace(/0+$/, "");
  return `${rounded < 0 ? "-" : ""}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ".")}${decimals ? `,${decimals}` : ""}`;
}

describe("formatNumberVi", () => {
  it("writes figures the Vietnamese way", () => {
    expect(formatNumberVi(0)).toBe("0");
    expect(formatNumberVi(999)).toBe("999");
    expect(formatNumberVi(1000)).toBe("1.000");
    expect(formatNumberVi(1_500_000)).toBe("1.500.000");
    expect(formatNumberVi(6.24)).toBe("6,24");
    expect(formatNumberVi(7.8)).toBe("7,8");
    expect(formatNumberVi(0.05)).toBe("0,05");
    expect(formatNumberVi(2_645_257.857142857)).toBe("2.645.257,86");
    expect(formatNumberVi(-1234.5)).toBe("-1.234,5");
    expect(formatVnd(100_000_000)).toBe("100.000.000 đ");
    expect(formatPercent(100)).toBe("100%");
  });

  it("matches the plain definition on many figures (incomes per person, rates, ceilings)", () => {
    let state = 7;
    const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296;
    for (let i = 0; i < 20_000; i++) {
      const scale = 10 ** Math.floor(next() * 12);
      const value = (next() - 0.1) * scale;
      const figure = i % 3 === 0 ? Math.round(value) : i % 3 === 1 ? Math.round(value * 100) / 100 : value;
      expect(formatNumberVi(figure), String(figure)).toBe(reference(figure));
    }
  });
});
