import { describe, expect, it } from "vitest";
import { createLogger, createRedactor, pseudonym, serializeError } from "./logging.ts";

describe("logging", () => {
  const TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

  it("scrubs configured secrets and token-bearing URLs from every line", () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: "debug",
      secrets: [TOKEN, "webhook-secret-xyz"],
      destination: { write: (l) => lines.push(l) },
    });
    logger.warn(
      { url: `https://api.telegram.org/bot${TOKEN}/sendMessage`, note: "webhook-secret-xyz" },
      `failed ${TOKEN}`,
    );
    logger.warn({ url: "https://bot-api.zaloplatforms.com/botOTHER-TOKEN-NOT-CONFIGURED/getUpdates" }, "x");
    const out = lines.join("");
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain("webhook-secret-xyz");
    expect(out).not.toContain("OTHER-TOKEN-NOT-CONFIGURED");
    expect(out).toContain("/bot[redacted]/sendMessage");
  });

  it("censors text, token and secret fields by name", () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "info", destination: { write: (l) => lines.push(l) } });
    logger.info({ text: "thu nhập 3712345", payload: { text: "x", token: "t", secret: "s" } }, "m");
    expect(lines.join("")).not.toMatch(/3712345|"x"|"t"|"s"/);
  });

  it("serializes errors from an allowlist: a grammY-style payload never gets through", () => {
    const error = Object.assign(new Error("Call to 'sendMessage' failed! (400: Bad Request)"), {
      method: "sendMessage",
      error_code: 400,
      payload: { chat_id: 1, text: "hộ tôi thu nhập 3712345" },
    });
    const out = JSON.stringify(serializeError(error));
    expect(out).toContain("sendMessage");
    expect(out).toContain("400");
    expect(out).not.toContain("3712345");
    const noMessage = serializeError(new Error("cannot read 'thu nhập 3712345'"), { withMessage: false });
    expect(JSON.stringify(noMessage)).not.toContain("3712345");
    expect(noMessage.type).toBe("Error");
  });

  it("keeps short secrets and URLs without tokens alone", () => {
    const redact = createRedactor(["abc"]);
    expect(redact("abc https://example.vn/bottom")).toBe("abc https://example.vn/bottom");
  });

  it("gives a stable, short, non-reversible pseudonym per user within a process", () => {
    expect(pseudonym("telegram:42")).toBe(pseudonym("telegram:42"));
    expect(pseudonym("telegram:42")).not.toBe(pseudonym("telegram:43"));
    expect(pseudonym("telegram:42")).toHaveLength(12);
    expect(pseudonym("telegram:42")).not.toContain("42");
  });
});
