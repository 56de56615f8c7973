/**
 * The case summary as PDF: Debian's headless Chromium prints the printable HTML page, as the summary's own
 * rendering test does. The page is written to a private temporary folder that is deleted as soon as the PDF
 * is read, whatever happens; at most two prints run at once.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Where Debian's Chromium is (`apt-get install chromium`). */
export const CHROMIUM = "/usr/bin/chromium";

/** Prints HTML to PDF; rejects with {@link PdfUnavailable} when Chromium is not installed. */
export type PrintPdf = (html: string) => Promise<Buffer>;

/** Chromium is not installed on this machine. */
export class PdfUnavailable extends Error {}

/** A printer over a Chromium binary (default {@link CHROMIUM}). */
export function createPdfPrinter(binary: string = CHROMIUM, options: { timeoutMs?: number } = {}): PrintPdf {
  let running = 0;
  const waiting: (() => void)[] = [];
  const slot = async (): Promise<void> => {
    if (running < 2) {
      running++;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  return async (html) => {
    if (!existsSync(binary)) throw new PdfUnavailable(`${binary} is not installed`);
    await slot();
    const dir = await mkdtemp(join(tmpdir(), "hcs-pdf-"));
    try {
      const page = join(dir, "tom-tat.html");
      const pdf = join(dir, "tom-tat.pdf");
      await writeFile(page, html, { mode: 0o600 });
      await new Promise<void>((resolve, reject) => {
        execFile(
          binary,
          [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            `--user-data-dir=${join(dir, "profile")}`,
            `--print-to-pdf=${pdf}`,
            `file://${page}`,
          ],
          { timeout: options.timeoutMs ?? 60_000 },
          (error) => (existsSync(pdf) ? resolve() : reject(error ?? new Error("chromium produced no PDF"))),
        );
      });
      return await readFile(pdf);
    } finally {
      release();
      await rm(dir, { recursive: true, force: true });
    }
  };
}
