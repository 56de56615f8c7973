/** The `chat` command end to end: the real binary, with the real knowledge base and scorer, on piped input. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const scratch = mkdtempSync(join(tmpdir(), "hcs-chat-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const BIN = join(import.meta.dirname, "..", "bin", "hoichinhsach.mjs");

describe("hoichinhsach chat (the real binary)", () => {
  it("answers piped input and exits 0 at the end of it", () => {
    const result = spawnSync(
      process.execPath,
      [BIN, "chat", "--db", join(scratch, "bin.db"), "--user", "e2e"],
      {
        input: "/trogiup\n/kiemtra\nphuong\n",
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("> /trogiup");
    expect(result.stdout).toContain("/quaylai");
    expect(result.stdout).toContain("sống ở xã");
    expect(result.stdout).toContain("bao nhiêu người");
  });
});
