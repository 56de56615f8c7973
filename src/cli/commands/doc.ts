/**
 * `hoichinhsach doc <mã> [<mục>]`: a whole section of a plan by its number ("IV.1.2", "1.2", "II.2.a",
 * "mở đầu"), with its paste-ready citation and the plan's status; without a section, the table of contents.
 */
import { parseArgs } from "node:util";
import { loadAreaChanges, loadCorpus } from "../../knowledge/load.ts";
import { todayInVietnam } from "../../knowledge/open.ts";
import { UserInputError } from "../../shared/errors.ts";
import { outlineOf } from "../../staff/plan-outline.ts";
import { renderSection, renderTableOfContents, resolveDocument } from "../../staff/documents.ts";
import { EXIT, write, type CliIO } from "../io.ts";

const USAGE =
  "Cách dùng: hoichinhsach doc <mã văn bản> [<mục>]   ví dụ: hoichinhsach doc thai-binh-2017-2020 IV.1.2";

/** Runs `doc`. */
export async function run(args: string[], io: CliIO): Promise<number> {
  let positionals: string[];
  try {
    positionals = parseArgs({ args, allowPositionals: true, options: {} }).positionals;
  } catch (error) {
    throw new UserInputError(`Tuỳ chọn không hợp lệ: ${(error as Error).message}\n${USAGE}`);
  }
  const [id, ...section] = positionals;
  if (!id) throw new UserInputError(`Hãy ghi mã văn bản (xem: hoichinhsach docs).\n${USAGE}`);
  const corpus = loadCorpus();
  const found = resolveDocument(
    corpus.documents.map((document) => document.metadata),
    id,
  );
  if (!found.ok) throw new UserInputError(found.error.message);
  const document = corpus.documents.find((candidate) => candidate.metadata.id === found.value.id)!;
  const outline = outlineOf(document.text);
  if (section.length === 0) {
    await write(io.stdout, `${renderTableOfContents(document, outline)}\n`);
    return EXIT.ok;
  }
  const rendered = renderSection(document, outline, section.join(" "), loadAreaChanges(), todayInVietnam());
  if (!rendered.ok) throw new UserInputError(rendered.error.message);
  await write(io.stdout, `${rendered.value.text}\n`);
  return EXIT.ok;
}
