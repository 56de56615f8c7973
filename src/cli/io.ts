import { createInterface } from "node:readline";

/** What a CLI command may touch: its streams and environment, passed in so that tests can run commands in-process. */
export interface CliIO {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** True when stdin is a terminal (interactive use), false when input is piped. */
  interactive: boolean;
}

/** The real process streams. */
export function processIO(): CliIO {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    interactive: Boolean(process.stdin.isTTY),
  };
}

/** A CLI sub-command: takes its own arguments (after the command name) and returns the exit code. */
export type Command = (args: string[], io: CliIO) => Promise<number>;

/** Exit codes shared by all commands. */
export const EXIT = { ok: 0, failure: 1, badInput: 2 } as const;

/** Reads stdin line by line, in order, without loading it all in memory. */
export async function* readLines(stdin: NodeJS.ReadableStream): AsyncGenerator<string> {
  const lines = createInterface({ input: stdin, crlfDelay: Infinity });
  for await (const line of lines) yield line;
}

/** Writes text and waits until the stream accepted it (keeps output ordered and back-pressure honest). */
export function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const flushed = stream.write(text, (error) => (error ? reject(error) : undefined));
    if (flushed) resolve();
    else stream.once("drain", () => resolve());
  });
}
