/**
 * The printable case summary, checked by rendering it: Debian's headless Chromium prints the HTML to PDF,
 * poppler's pdftotext reads the PDF back, and the test asserts what a reader of the printout sees (Vietnamese
 * text intact, every programme, the citations, the unknown facts, the resident's name only when given).
 *
 * Needs /usr/bin/chromium and pdftotext (`apt-get install -y chromium poppler-utils`; .ci/run installs them).
 * Without them the test is skipped with that message, except on CI (CI=true), where it fails.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decide } from "../src/domain/eligibility.ts";
import { loadAreaChanges } from "../src/knowledge/load.ts";
import { loadPolicyKnowledge } from "../src/knowledge/policy-load.ts";
import { householdFacts, renderCaseSummaryHtml, type CaseSummaryInput } from "../src/staff/case-summary.ts";
import { createCitationIndex, decisionCitations } from "../src/staff/citations.ts";
import { indicatorsOn, parseQuickHousehold } from "../src/answers/quick-household.ts";
import { referralsFor } from "../src/staff/referrals.ts";
import { loadReferrals } from "../src/staff/referrals-load.ts";

const CHROMIUM = "/usr/bin/chromium";
const available = existsSync(CHROMIUM) && spawnSync("pdftotext", ["-v"]).status === 0;
const MISSING = `${CHROMIUM} or pdftotext is absent: apt-get install -y chromium poppler-utils`;

if (!available && process.env.CI === "true")
  throw new Error(`Case summary rendering test cannot run on CI: ${MISSING}`);

const policy = loadPolicyKnowledge();
let dir: string;

/** Prints the page to PDF with headless Chromium and returns the PDF's text, whitespace flattened. */
function renderToText(html: string, name: string): { text: string; pdf: Buffer } {
  const page = join(dir, `${name}.html`);
  const pdf = join(dir, `${name}.pdf`);
  writeFileSync(page, html);
  const chromium = spawnSync(
    CHROMIUM,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-pdf-header-footer",
      `--user-data-dir=${join(dir, `profile-${name}`)}`,
      `--print-to-pdf=${pdf}`,
      `file://${page}`,
    ],
    { encoding: "utf8", timeout: 90_000 },
  );
  if (!existsSync(pdf))
    throw new Error(`chromium produced no PDF (status ${chromium.status}): ${chromium.stderr.slice(-500)}`);
  const text = spawnSync("pdftotext", ["-enc", "UTF-8", pdf, "-"], { encoding: "utf8" });
  if (text.status !== 0) throw new Error(`pdftotext failed: ${text.stderr}`);
  // A line break after a dash comes back as "2022– 2025": joined again.
  const flat = text.stdout
    .normalize("NFC")
    .replace(/\s+/g, " ")
    .replace(/([–-]) (?=\d)/g, "$1");
  return { text: flat, pdf: readFileSync(pdf) };
}

describe.skipIf(!available)(
  `printable case summary rendered by Chromium${available ? "" : ` (skipped: ${MISSING})`}`,
  () => {
    let input: CaseSummaryInput;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), "case-summary-"));
      const parsed = parseQuickHousehold(
        "nông thôn, 4 người, thu nhập 5tr6/tháng, thiếu: bhyt, nhà tiêu, nhà ở; chưa có trong danh sách; con học ĐH; Thái Bình",
        { today: "2026-03-01", indicators: (date) => indicatorsOn(policy, date), provinces: ["Thái Bình"] },
      );
      if (!parsed.ok) throw new Error(parsed.error.message);
      const decision = decide(parsed.value.household, policy);
      input = {
        decision,
        facts: householdFacts(
          parsed.value.household,
          new Map(indicatorsOn(policy, "2026-03-01").map((i) => [i.id, i.label])),
        ),
        preparedOn: "2026-03-02",
        citations: decisionCitations(decision, createCitationIndex(policy)),
        referrals: referralsFor(loadReferrals(), loadAreaChanges(), {
          province: "Thái Bình",
          programmes: decision.programs,
        }),
        notes: parsed.value.notes,
        rulesVersion: "test-rules",
      };
    });
    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("prints the answers, every programme with its status, reasons and citations, the unknowns and the papers", () => {
      const { text, pdf } = renderToText(
        renderCaseSummaryHtml({ ...input, residentName: "Nguyễn Thị Lan" }),
        "named",
      );
      expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
      expect(text).toContain("TÓM TẮT HỒ SƠ KIỂM TRA CHÍNH SÁCH GIẢM NGHÈO");
      expect(text).toContain("Người được hỗ trợ: Nguyễn Thị Lan");
      expect(text).toContain("Ngày lập: 02/03/2026");
      expect(text).toContain(
        "Quy định áp dụng cho ngày đánh giá 01/03/2026: chuẩn nghèo đa chiều giai đoạn 2022–2025",
      );
      expect(text).toContain("Thu nhập cả hộ 5.600.000 đ/tháng");
      expect(text).toContain("Chỉ số thiếu hụt 3: bảo hiểm y tế, nhà tiêu hợp vệ sinh, chất lượng nhà ở");
      expect(text).toContain("Hộ có thể thuộc diện hộ nghèo (ước tính theo số liệu đã khai)");
      for (const program of input.decision.programs) expect(text, program.title).toContain(program.title);
      expect(text).toContain("Có thể được, sau khi UBND xã công nhận");
      expect(text).toContain("Không đủ điều kiện");
      expect(text).toContain("Nghị định 07/2021/NĐ-CP, Điều 3, khoản 1, điểm a (ban hành ngày 27/01/2021");
      expect(text).toContain("4. Thông tin còn thiếu");
      expect(text).toContain("Cần biết ngày hộ ra khỏi danh sách hộ nghèo hoặc hộ cận nghèo");
      expect(text).toContain("5. Giấy tờ cần mang");
      expect(text).toContain("Giấy đề nghị rà soát hộ nghèo, hộ cận nghèo (Mẫu số 01");
      expect(text).toContain("6. Nơi liên hệ");
      expect(text).toContain("tỉnh Thái Bình nay thuộc tỉnh Hưng Yên");
      expect(text).toContain("mẫu, cần kiểm tra lại");
      expect(text).toContain("Chỉ UBND xã, phường công nhận hộ nghèo, hộ cận nghèo qua rà soát.");
    });

    it("leaves the resident's name out when none was typed", () => {
      const { text } = renderToText(renderCaseSummaryHtml(input), "anonymous");
      expect(text).toContain("TÓM TẮT HỒ SƠ KIỂM TRA CHÍNH SÁCH GIẢM NGHÈO");
      expect(text).not.toContain("Người được hỗ trợ:");
      expect(text).not.toContain("Nguyễn");
      expect(text).toContain("Ngày lập: 02/03/2026");
    });
  },
);
