/**
 * Numbers written the Vietnamese way for user-facing reasons: "1.500.000 đ", "6,24%/năm". Pure.
 */

/** Groups digits with dots and uses a comma for decimals (at most two): 1500000 → "1.500.000", 6.24 → "6,24". */
export function formatNumberVi(value: number): string {
  let text = formatted.get(value);
  if (text === undefined) {
    if (formatted.size > 4096) formatted.clear();
    text = format(value);
    formatted.set(value, text);
  }
  return text;
}

/** The same few figures (lines, ceilings, rates) are written again and again. */
const formatted = new Map<number, string>();

function format(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  const negative = rounded < 0;
  const [whole, fraction] = Math.abs(rounded).toFixed(2).split(".") as [string, string];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  const decimals = fraction.replace(/0+$/, "");
  return `${negative ? "-" : ""}${grouped}${decimals ? `,${decimals}` : ""}`;
}

/** An amount of money in đồng: 1500000 → "1.500.000 đ". */
export function formatVnd(value: number): string {
  return `${formatNumberVi(value)} đ`;
}

/** A percentage: 6.24 → "6,24%". */
export function formatPercent(value: number): string {
  return `${formatNumberVi(value)}%`;
}
