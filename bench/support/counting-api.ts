/**
 * A minimal fake Bot API for the benchmark, in its own process: answers Telegram and Zalo calls at once and
 * accounts for every message sent, two ways.
 *
 * - Fast-core phases: the stand-in core echoes a marker `#<n>` in its text; `GET /stats?from=&to=` reports
 *   which markers of a range were received, which more than once, and when the last of them arrived.
 * - Real-core phases: replies carry no marker, so each message is recorded with its chat and arrival time
 *   (`Date.now()`); `GET /chats` hands the records over and forgets them. The benchmark attributes each
 *   message to the update of that chat that was in flight when it arrived (users send one message at a time).
 *
 * Prints `port=<n>` when listening.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const counts = new Uint8Array(Number(process.env.BENCH_MAX_MARKER ?? 1_000_000));
/** When each marker's message last arrived (epoch ms). */
const arrivals = new Float64Array(counts.length);
let calls = 0;
let messageId = 0;
/** Arrival times of the messages without a marker, by chat (`telegram:<id>` or `zalo:<id>`). */
let chats = new Map<string, number[]>();
/** Calls by method since the last `GET /chats`. */
let methods: Record<string, number> = {};

const BOT = { id: 123456789, is_bot: true, first_name: "Bench", username: "bench_bot" };

function json(res: import("node:http").ServerResponse, body: unknown): void {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://x");
  if (req.method === "GET" && url.pathname === "/stats") {
    const from = Number(url.searchParams.get("from"));
    const to = Number(url.searchParams.get("to"));
    let received = 0;
    let duplicated = 0;
    let lastAt = 0;
    for (let i = from; i < to; i++) {
      if ((counts[i] ?? 0) > 0) received++;
      if ((counts[i] ?? 0) > 1) duplicated++;
      lastAt = Math.max(lastAt, arrivals[i] ?? 0);
    }
    json(res, { received, duplicated, missing: to - from - received, calls, lastAt });
    return;
  }
  if (req.method === "GET" && url.pathname === "/chats") {
    json(res, { chats: Object.fromEntries(chats), methods });
    chats = new Map();
    methods = {};
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const arrived = Date.now();
    calls++;
    const method = url.pathname.split("/").pop() ?? "";
    methods[method] = (methods[method] ?? 0) + 1;
    let result: unknown = true;
    if (method === "getMe") result = BOT;
    if (method === "sendMessage") {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { text?: string; chat_id?: unknown };
      const marker = /#(\d+)/.exec(body.text ?? "")?.[1];
      if (marker !== undefined) {
        counts[Number(marker)] = Math.min(255, (counts[Number(marker)] ?? 0) + 1);
        arrivals[Number(marker)] = arrived;
      } else {
        // Telegram chat ids are numbers, Zalo's are strings.
        const chat = `${typeof body.chat_id === "number" ? "telegram" : "zalo"}:${String(body.chat_id)}`;
        const times = chats.get(chat);
        if (times) times.push(arrived);
        else chats.set(chat, [arrived]);
      }
      result = {
        message_id: ++messageId,
        date: Math.floor(arrived / 1000),
        chat: { id: body.chat_id, type: "private" },
      };
    }
    json(res, { ok: true, result });
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(`port=${(server.address() as AddressInfo).port}`));
