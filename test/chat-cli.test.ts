/**
 * The `chat` command: in-process with the real scorer and a fake knowledge base (script mode, piped input, a
 * restart over the same database file). The real binary: chat-cli.e2e.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { runChat, type OpenChat } from "../src/cli/commands/chat.ts";
import type { CliIO } from "../src/cli/io.ts";
import { main } from "../src/cli/main.ts";
import { createConversation } from "../src/flows/conversation.ts";
import { loadFlows } from "../src/flows/load.ts";
import { openDatabase } from "../src/storage/database.ts";
import { createSessionStore } from "../src/storage/repositories/sessions.ts";
import { createFakeKnowledge, createTestScorer } from "./support/fake-deps.ts";

const scratch = mkdtempSync(join(tmpdir(), "hcs-chat-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const flows = loadFlows();

const openWithFakes: OpenChat = async ({ databasePath, ttlDays }) => {
  const database = openDatabase(databasePath ?? ":memory:");
  const conversation = createConversation({
    flows,
    sessions: createSessionStore(database, ttlDays ? { ttlDays } : {}),
    knowledge: createFakeKnowledge(),
    eligibility: createTestScorer(),
  });
  return { conversation, close: () => database.close() };
};

function io(input: string): { io: CliIO; out: () => string; err: () => string } {
  let out = "";
  let err = "";
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  return {
    io: {
      stdin: Readable.from([input]),
      stdout: sink((s) => (out += s)),
      stderr: sink((s) => (err += s)),
      env: {},
      interactive: false,
    },
    out: () => out,
    err: () => err,
  };
}

describe("hoichinhsach chat (in process, fakes)", () => {
  it("feeds a script's lines as messages and prints each with its replies", async () => {
    const script = join(scratch, "script.txt");
    writeFileSync(script, "# a comment\n/kiemtra\n\n1\nbốn người\nvay vốn lãi suất bao nhiêu?\n");
    const run = io("");
    const code = await runChat(
      ["--script", script, "--db", join(scratch, "script.db")],
      run.io,
      openWithFakes,
    );
    expect(code).toBe(0);
    const out = run.out();
    expect(out).toContain("> /kiemtra\n");
    expect(out).toContain("> bốn người\n");
    expect(out).not.toContain("a comment");
    expect(out).toContain("1. Xã (nông thôn)");
    expect(out).toContain("TRẢ LỜI THỬ: vay vốn lãi suất bao nhiêu?");
    expect(out.indexOf("> 1\n")).toBeLessThan(out.indexOf("bao nhiêu người"));
  });

  it("reads piped input line by line, exits at its end, and continues after a restart", async () => {
    const db = join(scratch, "piped.db");
    const first = io("/kiemtra\n2\n3\n");
    expect(await runChat(["--db", db, "--user", "lan"], first.io, openWithFakes)).toBe(0);
    expect(first.out()).toContain("danh sách hộ nghèo");
    const second = io("hộ cận nghèo\n");
    expect(await runChat(["--db", db, "--user", "lan"], second.io, openWithFakes)).toBe(0);
    expect(second.out()).toContain("xã nghèo");
    const other = io("hộ cận nghèo\n");
    await runChat(["--db", db, "--user", "minh"], other.io, openWithFakes);
    expect(other.out()).not.toContain("xã nghèo");
  });

  it("refuses a missing script file and a bad ttl with exit code 2 and a Vietnamese message", async () => {
    const missing = io("");
    expect(await main(["chat", "--script", join(scratch, "nope.txt")], missing.io)).toBe(2);
    expect(missing.err()).toContain("Không đọc được tệp kịch bản");
    const ttl = io("");
    expect(await main(["chat", "--ttl-days", "0"], ttl.io)).toBe(2);
    expect(ttl.err()).toContain("Số ngày giữ phiên");
    // Held to the same bound as SESSION_TTL_DAYS.
    const huge = io("");
    expect(await main(["chat", "--ttl-days", "99999999"], huge.io)).toBe(2);
    expect(huge.err()).toContain("từ 1 đến 3650");
    const fraction = io("");
    expect(await main(["chat", "--ttl-days", "1.5"], fraction.io)).toBe(2);
    const flag = io("");
    expect(await main(["chat", "--nope"], flag.io)).toBe(2);
    expect(flag.err()).toContain("Tuỳ chọn không hợp lệ");
  });
});
