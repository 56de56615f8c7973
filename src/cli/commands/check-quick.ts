/**
 * `hoichinhsach check --quick "<dòng>"`: expert mode on the command line. One line as staff type it
 * ("nông thôn, 4 người, thu nhập 5tr6/tháng, thiếu: bhyt, nhà tiêu; chưa có trong danh sách; con học ĐH")
 * → the scorer's decision in readable Vietnamese, with citations, where to go next and what was assumed or
 * not read. `--json` prints `{ household, notes, decision }`; `--html FILE` also writes the printable case
 * summary (`--name` puts the resident's name on it, only when given).
 */
import { writeFileSync } from "node:fs";
import { decide } from "../../domain/eligibility.ts";
import { parseHousehold } from "../../domain/household.ts";
import type { PolicyKnowledge } from "../../domain/policy.ts";
import { loadAreaChanges, loadCorpus } from "../../knowledge/load.ts";
import { UserInputError } from "../../shared/errors.ts";
import { householdFacts, renderCaseSummaryHtml, renderDecisionText } from "../../staff/case-summary.ts";
import { createCitationIndex, decisionCitations } from "../../staff/citations.ts";
import { indicatorsOn, parseQuickHousehold, renderQuickNotes } from "../../answers/quick-household.ts";
import { referralsFor } from "../../staff/referrals.ts";
import { loadReferrals } from "../../staff/referrals-load.ts";
import { rulesVersion } from "../../staff/versions.ts";
import { EXIT, write, type CliIO } from "../io.ts";

/** What `check --quick` needs from the options of `check`. */
export interface QuickOptions {
  line: string;
  today: string;
  json: boolean;
  html?: string;
  name?: string;
  knowledgeDir?: string;
}

/** Runs `check --quick`. */
export async function runQuick(options: QuickOptions, policy: PolicyKnowledge, io: CliIO): Promise<number> {
  const provinces = policy.provinces.map((province) => province.info.name);
  const parsed = parseQuickHousehold(options.line, {
    today: options.today,
    indicators: (date) => indicatorsOn(policy, date),
    provinces,
  });
  if (!parsed.ok) {
    const notes = parsed.error.notes.length > 0 ? `\n${renderQuickNotes(parsed.error.notes)}` : "";
    throw new UserInputError(`${parsed.error.message}${notes}`);
  }
  const valid = parseHousehold(parsed.value.household, { indicatorIds: policy.indicatorIds });
  if (!valid.ok) {
    throw new UserInputError(
      `Dữ liệu hộ chưa hợp lệ: ${valid.error.map((problem) => problem.message).join(" ")}`,
    );
  }
  const household = valid.value;
  const decision = decide(household, policy);
  const plans = new Map(
    loadCorpus(options.knowledgeDir).documents.map((document) => [document.metadata.id, document.metadata]),
  );
  const citations = decisionCitations(decision, createCitationIndex(policy), plans);
  const referrals = referralsFor(loadReferrals(options.knowledgeDir), loadAreaChanges(options.knowledgeDir), {
    ...(household.province ? { province: household.province } : {}),
    programmes: decision.programs,
  });
  if (options.html) {
    const labels = new Map(
      indicatorsOn(policy, decision.assessedOn).map((indicator) => [indicator.id, indicator.label]),
    );
    writeFileSync(
      options.html,
      renderCaseSummaryHtml({
        decision,
        facts: householdFacts(household, labels),
        preparedOn: options.today,
        citations,
        referrals,
        notes: parsed.value.notes,
        rulesVersion: rulesVersion(options.knowledgeDir),
        ...(options.name?.trim() ? { residentName: options.name.trim() } : {}),
      }),
    );
  }
  if (options.json) {
    await write(
      io.stdout,
      `${JSON.stringify({ household, notes: parsed.value.notes, decision }, null, 2)}\n`,
    );
  } else {
    await write(
      io.stdout,
      [
        "Đã đọc dòng nhập:",
        renderQuickNotes(parsed.value.notes),
        "",
        renderDecisionText(decision, { citations, referrals }),
        ...(options.html ? ["", `Đã ghi bản tóm tắt hồ sơ để in: ${options.html}`] : []),
      ].join("\n") + "\n",
    );
  }
  return EXIT.ok;
}
