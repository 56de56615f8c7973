import { afterEach, describe, expect, it } from "vitest";
import { openConversation } from "../src/composition.ts";
import { createDeferredWrites } from "../src/storage/deferred-writes.ts";

let close: (() => void) | undefined;
afterEach(() => close?.());

describe("the served conversation holds a user's session writes while that user's turn is open", () => {
  it("writes the session only when the turn's batch is applied, and at once outside a turn", async () => {
    const writes = createDeferredWrites();
    const opened = await openConversation({ databasePath: ":memory:", deferredWrites: writes });
    close = opened.close;
    const sessions = (): number =>
      (opened.database.sqlite.prepare("select count(*) as n from sessions").get() as { n: number }).n;

    const batch = writes.hold("telegram:1");
    await opened.conversation.handle("telegram:1", "/kiemtra");
    expect(sessions()).toBe(0);
    batch.apply();
    expect(sessions()).toBe(1);

    await opened.conversation.handle("telegram:2", "/kiemtra");
    expect(sessions()).toBe(2);

    const dropped = writes.hold("telegram:3");
    await opened.conversation.handle("telegram:3", "/kiemtra");
    dropped.discard();
    expect(sessions()).toBe(2);
  });
});
