/**
 * The baseline of the channel benchmark: a bare node:http server that reads the body and answers 200 with a
 * small JSON, in its own process like the app. What the app achieves is printed as a share of this.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const server = createServer((req, res) => {
  req.on("data", () => undefined);
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"ok":true}');
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(`port=${(server.address() as AddressInfo).port}`));
