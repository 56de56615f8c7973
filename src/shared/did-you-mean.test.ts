import { describe, expect, it } from "vitest";
import { didYouMean, editDistance, suggest } from "./did-you-mean.ts";

describe("editDistance", () => {
  it.each([
    ["", "", 0],
    ["abc", "abc", 0],
    ["ask_incom", "ask_income", 1],
    ["shrot", "short", 1],
    ["kitten", "sitting", 3],
    ["nghèo", "ngheo", 1],
  ])("%s → %s is %d", (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });
});

describe("suggest", () => {
  it("offers the closest candidate only when it is a plausible typo", () => {
    expect(suggest("ask_incom", ["ask_area", "ask_income"])).toBe("ask_income");
    expect(suggest("kiemtr", ["kiemtra", "xoa"])).toBe("kiemtra");
    expect(suggest("xyz", ["kiemtra", "quaylai"])).toBeUndefined();
    expect(suggest("a", [])).toBeUndefined();
  });

  it("lists the valid values when nothing is close", () => {
    expect(didYouMean("zzz", ["choice", "money"])).toBe('Valid values: "choice", "money".');
    expect(didYouMean("mony", ["choice", "money"])).toBe('Did you mean "money"?');
  });
});
