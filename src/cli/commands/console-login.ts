/**
 * `hoichinhsach console-login <kênh:mã>`: a one-time sign-in code for the staff console, minted from the
 * terminal by the operator (the same code /dangnhap gives in chat): good for 10 minutes, once, and only for an
 * account listed in STAFF_IDS.
 */
import { parseArgs } from "node:util";
import { formatConfigProblems, loadConfig } from "../../config.ts";
import { UserInputError } from "../../shared/errors.ts";
import { createStaffDirectory, formatSignInCode } from "../../staff/roles.ts";
import { openDatabase } from "../../storage/database.ts";
import { createConsoleAuthStore, type ConsoleAuthPort } from "../../storage/repositories/console-auth.ts";
import { EXIT, write, type CliIO } from "../io.ts";

const USAGE = `Cách dùng: hoichinhsach console-login <kênh:mã> [--db TỆP]
  In mã đăng nhập trang làm việc (một lần, 10 phút) cho một tài khoản cán bộ trong STAFF_IDS,
  ví dụ: hoichinhsach console-login telegram:123456
`;

/** Runs `console-login`. */
export async function run(args: string[], io: CliIO): Promise<number> {
  let parsed: { values: { db?: string; help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { db: { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
    });
  } catch {
    throw new UserInputError(`Tuỳ chọn không hợp lệ: ${args.join(" ")}\n${USAGE}`);
  }
  if (parsed.values.help) {
    await write(io.stdout, USAGE);
    return EXIT.ok;
  }
  const [userKey, ...extra] = parsed.positionals;
  if (!userKey || extra.length > 0) throw new UserInputError(USAGE);
  const loaded = loadConfig(io.env);
  if (!loaded.ok) {
    io.stderr.write(`${formatConfigProblems(loaded.error)}\n`);
    return EXIT.badInput;
  }
  const config = loaded.value;
  if (createStaffDirectory(config.staffIds ?? []).roleOf(userKey) !== "staff") {
    io.stderr.write(
      `Tài khoản này không có trong STAFF_IDS nên không đăng nhập được trang làm việc. Thêm vào STAFF_IDS (dạng kênh:mã) rồi thử lại.\n`,
    );
    return EXIT.badInput;
  }
  const database = openDatabase(
    parsed.values.db ?? config.databasePath,
    config.userKeySecret ? { userKeySecret: config.userKeySecret } : {},
  );
  try {
    const auth: ConsoleAuthPort = createConsoleAuthStore(database);
    const { code } = await auth.mintCode(userKey);
    await write(
      io.stdout,
      `Mã đăng nhập trang làm việc: ${formatSignInCode(code)}\nDùng được một lần, trong 10 phút, tại /console. Không đưa mã cho người khác.\n`,
    );
    return EXIT.ok;
  } finally {
    database.close();
  }
}
