/**
 * `hoichinhsach index`: rebuilds the knowledge-base index from knowledge/plans (after adding or changing a
 * plan document). Searching also re-indexes by itself when the corpus changed; this forces it and reports.
 */
import { rebuildKnowledgeIndex } from "../../knowledge/open.ts";
import { UserInputError } from "../../shared/errors.ts";
import { EXIT, write, type CliIO } from "../io.ts";

/** Runs `index`. */
export async function run(args: string[], io: CliIO): Promise<number> {
  if (args.length > 0)
    throw new UserInputError("Lệnh index không nhận tham số. Cách dùng: hoichinhsach index");
  const started = performance.now();
  const report = rebuildKnowledgeIndex({ databasePath: io.env.DATABASE_PATH });
  const ms = Math.round(performance.now() - started);
  await write(
    io.stdout,
    `Đã lập chỉ mục: ${report.documents} văn bản, ${report.sections} đoạn (${ms} ms). Mã kiểm tra: ${report.fingerprint.slice(0, 12)}\n`,
  );
  return EXIT.ok;
}
