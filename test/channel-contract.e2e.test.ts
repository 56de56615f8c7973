import { runChannelContract } from "./support/channel-contract.ts";
import { telegramHarness, zaloHarness } from "./support/harness.ts";

const tuning = {
  telegram: { limits: { rateLimit: { burst: 10, refillPerSecond: 0.05, maxTrackedUsers: 1000 } } },
  zalo: { limits: { rateLimit: { burst: 10, refillPerSecond: 0.05, maxTrackedUsers: 1000 } } },
};

runChannelContract("Telegram, webhook", () => telegramHarness("webhook", { tuning }));
runChannelContract("Telegram, long polling", () => telegramHarness("polling", { tuning }));
runChannelContract("Zalo, webhook (enveloped bodies)", () => zaloHarness("webhook", { tuning }));
runChannelContract("Zalo, webhook (bare bodies)", () => zaloHarness("webhook", { tuning, bare: true }));
runChannelContract("Zalo, long polling", () => zaloHarness("polling", { tuning }));
