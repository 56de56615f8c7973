/**
 * How a choice is numbered when choices are shown as numbered lines (Zalo, the terminal, Telegram's fallback):
 * a choice whose value is itself a number keeps that number ("0. Không thiếu điều nào"), any other is numbered
 * by its place. The conversation core reads a typed number by the same rule.
 */
export function choiceNumber(choice: { value: string }, index: number): string {
  return /^\d+$/.test(choice.value) ? choice.value : String(index + 1);
}
