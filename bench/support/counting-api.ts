/**
 * A minimal fake Bot API for the benchmark, in its own process: answers Telegram and Zalo calls at once and
 * counts every reply by the marker `#<n>` in its text, so the benchmark can check that no reply was lost or sent
 * twice. `GET /stats?from=&to=` reports on a range of markers. Prints `port=<n>` when listening.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const counts = new Uint8Array(Number(process.env.BENCH_MAX_MARKER ?? 1_000_000));
let calls = 0;
let messageId = 0;

const BOT = { id: 123456789, is_bot: true, first_name: "Bench", username: "bench_bot" };

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://x");
  if (req.method === "GET" && url.pathname === "/stats") {
    const from = Number(url.searchParams.get("from"));
    const to = Number(url.searchParams.get("to"));
    let received = 0;
    let duplicated = 0;
    for (let i = from; i < to; i++) {
      if ((counts[i] ?? 0) > 0) received++;
      if ((counts[i] ?? 0) > 1) duplicated++;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ received, duplicated, missing: to - from - received, calls }));
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    calls++;
    const method = url.pathname.split("/").pop() ?? "";
    let result: unknown = true;
    if (method === "getMe") result = BOT;
    if (method === "sendMessage") {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { text?: string; chat_id?: unknown };
      const marker = /#(\d+)/.exec(body.text ?? "")?.[1];
      if (marker !== undefined) counts[Number(marker)] = Math.min(255, (counts[Number(marker)] ?? 0) + 1);
      result = {
        message_id: ++messageId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: body.chat_id, type: "private" },
      };
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok: true, result }));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(`port=${(server.address() as AddressInfo).port}`));
