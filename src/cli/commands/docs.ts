/**
 * `hoichinhsach docs`: the plan documents with number (or an honest blank), date, issuer, area then and now,
 * period and whether it is over. `--json` prints the metadata with the same facts as fields.
 */
import { parseArgs } from "node:util";
import { loadAreaChanges, loadCorpus } from "../../knowledge/load.ts";
import { todayInVietnam } from "../../knowledge/open.ts";
import { UserInputError } from "../../shared/errors.ts";
import { areaThenAndNow, isOver, renderDocumentList } from "../../staff/documents.ts";
import { documentReference } from "../../staff/citations.ts";
import { EXIT, write, type CliIO } from "../io.ts";

const USAGE = "Cách dùng: hoichinhsach docs [--json] [--date YYYY-MM-DD]";

/** Runs `docs`. */
export async function run(args: string[], io: CliIO): Promise<number> {
  let values: { json?: boolean; date?: string };
  try {
    values = parseArgs({ args, options: { json: { type: "boolean" }, date: { type: "string" } } }).values;
  } catch (error) {
    throw new UserInputError(`Tuỳ chọn không hợp lệ: ${(error as Error).message}\n${USAGE}`);
  }
  if (values.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.date))
    throw new UserInputError(`--date phải có dạng YYYY-MM-DD.\n${USAGE}`);
  const onDate = values.date ?? todayInVietnam();
  const documents = loadCorpus().documents.map((document) => document.metadata);
  const areas = loadAreaChanges();
  if (values.json) {
    const rows = documents.map((metadata) => ({
      ...metadata,
      reference: documentReference(metadata),
      area: areaThenAndNow(metadata, areas, onDate),
      over: isOver(metadata, onDate),
    }));
    await write(io.stdout, `${JSON.stringify(rows, null, 2)}\n`);
  } else await write(io.stdout, `${renderDocumentList(documents, areas, onDate)}\n`);
  return EXIT.ok;
}
