/** Runs the CLI in-process through its injectable I/O (src/cli/io.ts): no process is spawned. */
import { PassThrough } from "node:stream";
import type { CliIO } from "../../src/cli/io.ts";
import { main } from "../../src/cli/main.ts";

/** Runs `hoichinhsach <argv>` in-process with in-memory streams; `input` as text, or as chunks written one by one. */
export async function runInProcess(
  argv: string[],
  input: string | Buffer[],
  env: Record<string, string> = {},
) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.setEncoding("utf8").on("data", (chunk) => (out += chunk));
  stderr.setEncoding("utf8").on("data", (chunk) => (err += chunk));
  if (typeof input === "string") stdin.end(input);
  else {
    for (const chunk of input) stdin.write(chunk);
    stdin.end();
  }
  const io: CliIO = { stdin, stdout, stderr, env, interactive: false };
  const code = await main(argv, io);
  return { code, stdout: out, stderr: err };
}
