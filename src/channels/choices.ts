import { choiceNumber } from "../shared/choices.ts";
import type { Choice } from "./ports.ts";

/**
 * Choices as numbered lines ("1. Có", "2. Không"): Zalo's only way to offer them, and Telegram's fallback when
 * a button cannot carry its data. The core accepts the number or the word as the answer.
 */
export function numberedChoices(choices: readonly Choice[]): string {
  return choices.map((choice, index) => `${choiceNumber(choice, index)}. ${choice.label}`).join("\n");
}
