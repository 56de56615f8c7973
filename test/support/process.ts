import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** A spawned process whose output is collected as it comes. */
export interface Spawned {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** Waits until stdout contains `text`. */
  waitForOutput(text: string | RegExp, timeoutMs?: number): Promise<string>;
}

/** Runs `node <args>` in the repository with exactly `env` (plus PATH and HOME): no variable leaks in. */
export function spawnNode(args: string[], env: Record<string, string>): Spawned {
  const child = spawn(process.execPath, args, {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitForOutput(text, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      const found = () => (typeof text === "string" ? out.includes(text) : text.test(out));
      while (!found()) {
        if (Date.now() > deadline)
          throw new Error(`Timed out waiting for ${String(text)}; stdout:\n${out}\nstderr:\n${err}`);
        if (child.exitCode !== null)
          throw new Error(`Process exited (${child.exitCode}); stdout:\n${out}\nstderr:\n${err}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return out;
    },
  };
}

/** Runs the real CLI (`bin/hoichinhsach.mjs`) to completion. */
export async function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = spawnNode(["bin/hoichinhsach.mjs", ...args], env);
  const code = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}
