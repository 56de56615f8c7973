import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { decide } from "../domain/eligibility.ts";
import { DEFAULT_KNOWLEDGE_DIR, loadAreaChanges } from "../knowledge/load.ts";
import { loadPolicyKnowledge } from "../knowledge/policy-load.ts";
import { DataFileError } from "../shared/errors.ts";
import { referralsFor, renderReferrals, renderReferralsShort } from "./referrals.ts";
import { loadReferrals } from "./referrals-load.ts";

const directory = loadReferrals();
const areas = loadAreaChanges();
const policy = loadPolicyKnowledge();

describe("knowledge/referrals.yaml", () => {
  it("has a commune office and, for each province of the bundled plans as it is now, NHCSXH and legal aid", () => {
    expect(
      directory.entries.some((entry) => entry.kind === "commune_committee" && entry.province === null),
    ).toBe(true);
    for (const province of ["Hưng Yên", "Ninh Bình", "Thành phố Hồ Chí Minh", "Thái Nguyên", "Tuyên Quang"]) {
      const kinds = directory.entries
        .filter((entry) => entry.province === province)
        .map((entry) => entry.kind);
      expect(kinds.sort(), province).toEqual(["legal_aid_centre", "vbsp_office"]);
    }
  });

  it("shows nothing unverified as fact: every entry here is a sample and no phone number is given", () => {
    for (const entry of directory.entries) {
      expect(entry.sample, entry.id).toBe(true);
      expect(entry.phone.number, entry.id).toBeNull();
      expect([entry.address.verified, entry.hours.verified, entry.phone.verified]).toEqual([
        false,
        false,
        false,
      ]);
    }
  });
});

describe("loader", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const broken = (edit: (text: string) => string): string => {
    dir = mkdtempSync(join(tmpdir(), "referrals-"));
    cpSync(join(DEFAULT_KNOWLEDGE_DIR, "areas.yaml"), join(dir, "areas.yaml"));
    writeFileSync(
      join(dir, "referrals.yaml"),
      edit(readFileSync(join(DEFAULT_KNOWLEDGE_DIR, "referrals.yaml"), "utf8")),
    );
    try {
      loadReferrals(dir);
    } catch (error) {
      expect(error).toBeInstanceOf(DataFileError);
      return (error as DataFileError).problems.join("\n");
    }
    throw new Error("expected a DataFileError");
  };

  it("refuses a number marked verified without the page it was read on", () => {
    const problems = broken((text) =>
      text.replace(
        "phone: { number: null, verified: false }",
        'phone: { number: "0221 1234 567", verified: true }',
      ),
    );
    expect(problems).toMatch(/entries\[0\]\.source: a verified field needs the https page/);
    expect(problems).toMatch(/entries\[0\]\.sample: an entry with verified fields is not a sample/);
  });

  it("refuses a province named as it was before the mergers, a duplicate id, a bad kind", () => {
    expect(broken((text) => text.replace("province: Hưng Yên", "province: Thái Bình"))).toMatch(
      /province: "Thái Bình" was merged into "Hưng Yên" on 2025-07-01; name the province as it is now/,
    );
    expect(broken((text) => text.replace("id: ninh_binh_vbsp", "id: hung_yen_vbsp"))).toMatch(
      /"hung_yen_vbsp" is used twice/,
    );
    expect(broken((text) => text.replace("kind: vbsp_office", "kind: bank"))).toMatch(/entries\[4\]\.kind/);
  });
});

describe("referralsFor", () => {
  const kinds = (result: ReturnType<typeof referralsFor>) => result.entries.map((entry) => entry.id);

  it("sends a Thái Bình household to the Hưng Yên offices, with a note", () => {
    const result = referralsFor(directory, areas, {
      province: "thai binh",
      programmes: [
        { id: "credit.poor_household", status: "eligible" },
        { id: "tuition", status: "not_eligible" },
      ],
    });
    expect(kinds(result)).toEqual([
      "commune_committee",
      "vbsp_commune_point",
      "hung_yen_vbsp",
      "hung_yen_legal_aid",
    ]);
    expect(result.notes).toEqual([
      "tỉnh Thái Bình nay thuộc tỉnh Hưng Yên (từ 01/07/2025): địa chỉ theo tỉnh Hưng Yên.",
    ]);
  });

  it("shows the bank only for credit and legal aid for legal aid or when the answer is no or unclear", () => {
    expect(
      kinds(
        referralsFor(directory, areas, {
          province: "Hưng Yên",
          programmes: [{ id: "health_insurance", status: "eligible" }],
        }),
      ),
    ).toEqual(["commune_committee"]);
    expect(
      kinds(
        referralsFor(directory, areas, {
          province: "Hưng Yên",
          programmes: [{ id: "legal_aid", status: "eligible" }],
        }),
      ),
    ).toEqual(["commune_committee", "hung_yen_legal_aid"]);
    expect(
      kinds(
        referralsFor(directory, areas, {
          province: "HCM",
          programmes: [{ id: "health_insurance", status: "needs_info" }],
        }),
      ),
    ).toEqual(["commune_committee", "ho_chi_minh_legal_aid"]);
  });

  it("keeps the entries valid everywhere for an unknown or absent province, and says so", () => {
    const unknown = referralsFor(directory, areas, {
      province: "Cà Mau",
      programmes: [{ id: "credit.student", status: "possible" }],
    });
    expect(kinds(unknown)).toEqual(["commune_committee", "vbsp_commune_point"]);
    expect(unknown.notes).toEqual([
      "Danh bạ chưa có địa chỉ cấp tỉnh cho “Cà Mau”: hỏi UBND xã, phường nơi cư trú.",
    ]);
    expect(referralsFor(directory, areas, {}).notes).toEqual([]);
  });

  it("names the provincial legal-aid centre in general after a no or a can't-tell when the province is not known", () => {
    const programmes = [
      { id: "credit.poor_household", status: "not_eligible" as const },
      { id: "tuition", status: "needs_info" as const },
    ];
    expect(kinds(referralsFor(directory, areas, { programmes }))).toEqual([
      "commune_committee",
      "provincial_legal_aid",
    ]);
    expect(kinds(referralsFor(directory, areas, { province: "Cà Mau", programmes }))).toEqual([
      "commune_committee",
      "provincial_legal_aid",
    ]);
    // The province's own centre replaces it.
    expect(kinds(referralsFor(directory, areas, { province: "Ninh Bình", programmes }))).toEqual([
      "commune_committee",
      "ninh_binh_legal_aid",
    ]);
  });

  it("works from a real decision and renders every detail honestly", () => {
    const decision = decide(
      { area: "rural", members: 4, listedStatus: "poor", province: "Thái Bình", assessedOn: "2026-03-01" },
      policy,
    );
    const text = renderReferrals(
      referralsFor(directory, areas, { province: "Thái Bình", programmes: decision.programs }),
    );
    expect(text).toMatch(/^Nơi liên hệ tiếp theo:\nℹ️ tỉnh Thái Bình nay thuộc tỉnh Hưng Yên/);
    expect(text).toContain(
      "• Ủy ban nhân dân xã, phường nơi hộ cư trú (bộ phận tiếp nhận và trả kết quả) [mẫu, cần kiểm tra lại]",
    );
    expect(text).toContain("Điện thoại: chưa có số đã kiểm tra");
    expect(text).toContain("Địa chỉ: chưa có địa chỉ đã kiểm tra");
    expect(text).toContain("Ngân hàng Chính sách xã hội chi nhánh tỉnh Hưng Yên");
    expect(text).not.toMatch(/\d{3,}[ .]?\d{3,}/); // no phone number anywhere
  });

  it("gives a resident one line per place: its name and how to reach it", () => {
    const decision = decide(
      { area: "rural", members: 4, listedStatus: "poor", province: "Thái Bình", assessedOn: "2026-03-01" },
      policy,
    );
    const referrals = referralsFor(directory, areas, {
      province: "Thái Bình",
      programmes: decision.programs,
    });
    const lines = renderReferralsShort(referrals).split("\n");
    expect(lines[0]).toBe("Nơi liên hệ:");
    expect(lines[1]).toMatch(/^ℹ️ tỉnh Thái Bình nay thuộc tỉnh Hưng Yên/);
    expect(lines.slice(2)).toHaveLength(referrals.entries.length);
    expect(lines[2]).toMatch(/^• Ủy ban nhân dân xã, phường .*\[mẫu, cần kiểm tra lại\]: Gặp cán bộ/);
    expect(renderReferralsShort({ entries: [], notes: [] })).toBe("");
  });
});
