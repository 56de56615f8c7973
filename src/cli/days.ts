/**
 * The day options of the staff commands (`stats`, `feedback export`, `watches check`): a real calendar day
 * ("2026-02-30" is refused, not rolled over to March) and a range in order, or a clear Vietnamese message.
 */
import { formatDateVi, isIsoDate } from "../domain/dates.ts";
import { UserInputError } from "../shared/errors.ts";

/** `value` when it is a real day; undefined when absent; a {@link UserInputError} otherwise. */
export function dayOption(value: string | undefined, name: string, usage: string): string | undefined {
  if (value === undefined) return undefined;
  if (!isIsoDate(value))
    throw new UserInputError(
      `--${name} phải là một ngày có thật, dạng YYYY-MM-DD, ví dụ 2026-03-01.\n${usage}`,
    );
  return value;
}

/** `--from` and `--to` checked, the first not after the second. */
export function dayRangeOptions(
  values: { from?: string; to?: string },
  usage: string,
): { from?: string; to?: string } {
  const from = dayOption(values.from, "from", usage);
  const to = dayOption(values.to, "to", usage);
  if (from && to && from > to)
    throw new UserInputError(
      `--from (${formatDateVi(from)}) phải trước hoặc cùng ngày với --to (${formatDateVi(to)}).\n${usage}`,
    );
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}
