/**
 * Numbers written the Vietnamese way for user-facing reasons: "1.500.000 đ", "6,24%/năm". Pure.
 */

/**
 * Groups digits with dots and uses a comma for decimals (at most two, rounded): 1500000 → "1.500.000",
 * 6.24 → "6,24". Written by hand on whole cents: a household's income per person is a new figure for almost
 * every household of a list, so this runs for each one.
 */
export function formatNumberVi(value: number): string {
  const cents = Math.round(value * 100);
  if (!Number.isFinite(cents) || Math.abs(cents) > Number.MAX_SAFE_INTEGER) return String(value);
  const size = Math.abs(cents);
  const digits = String(Math.floor(size / 100));
  let text = cents < 0 ? "-" : "";
  const head = digits.length % 3 || 3;
  text += digits.slice(0, head);
  for (let i = head; i < digits.length; i += 3) text += `.${digits.slice(i, i + 3)}`;
  const fraction = size % 100;
  if (fraction === 0) return text;
  return fraction % 10 === 0 ? `${text},${fraction / 10}` : `${text},${fraction < 10 ? "0" : ""}${fraction}`;
}

/** An amount of money in đồng: 1500000 → "1.500.000 đ". */
export function formatVnd(value: number): string {
  return `${formatNumberVi(value)} đ`;
}

/** An amount of money in whole đồng, as the chat and staff notes say it: 1499999.6 → "1.500.000 đ". */
export function formatMoney(value: number): string {
  return formatVnd(Math.round(value));
}

/** A percentage: 6.24 → "6,24%". */
export function formatPercent(value: number): string {
  return `${formatNumberVi(value)}%`;
}
