/**
 * `hoichinhsach referrals [--province TỈNH] [--programme ID:STATUS …]`: the places to contact from the
 * referral directory (knowledge/referrals.yaml), as a household of that province would be shown them.
 */
import { parseArgs } from "node:util";
import { loadAreaChanges } from "../../knowledge/load.ts";
import { UserInputError } from "../../shared/errors.ts";
import { referralsFor, renderReferrals, type ProgrammeOutcome } from "../../staff/referrals.ts";
import { loadReferrals } from "../../staff/referrals-load.ts";
import { EXIT, write, type CliIO } from "../io.ts";

const USAGE =
  "Cách dùng: hoichinhsach referrals [--province TỈNH] [--programme credit.poor_household:eligible …]\n" +
  "  (không ghi --programme: hiện tất cả nơi liên hệ của tỉnh)";
const STATUSES = ["eligible", "possible", "needs_info", "not_eligible"];

/** Runs `referrals`. */
export async function run(args: string[], io: CliIO): Promise<number> {
  let values: { province?: string; programme?: string[] };
  try {
    values = parseArgs({
      args,
      options: { province: { type: "string" }, programme: { type: "string", multiple: true } },
    }).values;
  } catch (error) {
    throw new UserInputError(`Tuỳ chọn không hợp lệ: ${(error as Error).message}\n${USAGE}`);
  }
  const programmes: ProgrammeOutcome[] = (values.programme ?? ["*:eligible", "*:not_eligible"]).map(
    (text) => {
      const [id, status] = text.split(":");
      if (!id || !status || !STATUSES.includes(status))
        throw new UserInputError(
          `--programme phải có dạng mã:trạng thái (trạng thái: ${STATUSES.join(", ")}).\n${USAGE}`,
        );
      return { id: id === "*" ? "credit.any" : id, status: status as ProgrammeOutcome["status"] };
    },
  );
  if (!values.programme) programmes.push({ id: "legal_aid", status: "eligible" });
  const referrals = referralsFor(loadReferrals(), loadAreaChanges(), {
    ...(values.province ? { province: values.province } : {}),
    programmes,
  });
  await write(io.stdout, `${renderReferrals(referrals)}\n`);
  return EXIT.ok;
}
