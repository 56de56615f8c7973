import { describe, expect, it } from "vitest";
import { createLogger } from "../logging.ts";
import { createHttpApp } from "./http.ts";

const logger = createLogger({ level: "silent" });

describe("health routes", () => {
  it("answers /healthz while the process lives, and /readyz by whether storage works now", async () => {
    let status: { ok: true } | { ok: false; cause: string } = { ok: true };
    const app = createHttpApp({ logger, webhooks: {}, readiness: () => status });
    expect((await app.request("/readyz")).status).toBe(200);
    status = { ok: false, cause: "read_only" };
    const live = await app.request("/healthz");
    expect(live.status).toBe(200);
    const ready = await app.request("/readyz");
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: "unavailable", cause: "read_only" });
  });
});
