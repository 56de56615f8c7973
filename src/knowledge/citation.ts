/**
 * Citations and warnings for passages of the plan documents. Pure: the date an answer is given for is passed
 * in, never read from a clock here.
 *
 * A citation says which document (kind, number, date, issuer, area, period) and where in it (heading path),
 * honestly: a number left blank in the document is shown as blank, not invented.
 */
import { foldDiacritics } from "../text/vietnamese.ts";
import type { AreaChanges, PlanMetadata } from "./load.ts";

/** Compares place names ignoring diacritics, case and dash style: "Bà Rịa – Vũng Tàu" = "ba ria - vung tau". */
export function placeKey(name: string): string {
  return foldDiacritics(name)
    .replace(/[\p{Pd}\s]+/gu, " ")
    .replace(/^(?:tinh|thanh pho|tp\.?)\s+/, "")
    .trim();
}

/** "2017-01-05" → "ngày 05/01/2017"; "2020-03" → "tháng 3/2020 (ngày để trống)"; null → "không ghi ngày". */
export function issuedOnLabel(issuedOn: string | null): string {
  if (!issuedOn) return "không ghi ngày";
  const [year, month, day] = issuedOn.split("-");
  if (day) return `ngày ${day}/${month}/${year}`;
  if (month) return `tháng ${Number(month)}/${year} (ngày để trống)`;
  return `năm ${year} (ngày, tháng để trống)`;
}

function numberLabel(metadata: PlanMetadata): string {
  if (metadata.number) return `số ${metadata.number}`;
  if (metadata.numberAsPrinted) return `số ${metadata.numberAsPrinted} (số để trống)`;
  return "số chưa ghi";
}

function periodLabel(period: { from: number; to: number }): string {
  return period.from === period.to ? `năm ${period.from}` : `giai đoạn ${period.from}–${period.to}`;
}

/** "tỉnh Thái Bình", but "Thành phố Hồ Chí Minh" as it is. */
export function provinceLabel(province: string): string {
  return /^thành phố\s/i.test(province) ? province : `tỉnh ${province}`;
}

/** The area a plan was issued for: "tỉnh Thái Bình", "huyện Bạch Thông, tỉnh Bắc Kạn". */
export function areaLabel(metadata: PlanMetadata): string {
  const local = metadata.issuer.replace(/^(?:Ủy|Uỷ) ban nhân dân\s+/i, "");
  if (metadata.level === "province") return local;
  return `${local}, ${provinceLabel(metadata.province)}`;
}

/**
 * One line naming the document: "Kế hoạch số 02/KH-UBND, ngày 05/01/2017, của Ủy ban nhân dân tỉnh Thái Bình,
 * giai đoạn 2017–2020".
 */
export function documentLabel(metadata: PlanMetadata): string {
  const issuer =
    metadata.level === "province"
      ? metadata.issuer
      : `${metadata.issuer} (${provinceLabel(metadata.province)})`;
  return `${metadata.kind} ${numberLabel(metadata)}, ${issuedOnLabel(metadata.issuedOn)}, của ${issuer}, ${periodLabel(metadata.period)}`;
}

function shortHeading(label: string): string {
  return label.length <= 60 ? label : `${label.slice(0, label.lastIndexOf(" ", 56)).trim()}…`;
}

/**
 * The citation of a passage: the document, then where in it.
 *
 * ```ts
 * citationFor(meta, ["IV. CÁC GIẢI PHÁP THỰC HIỆN", "1.2. Hỗ trợ về y tế"])
 * // "Kế hoạch số 02/KH-UBND, ngày 05/01/2017, … — mục IV. CÁC GIẢI PHÁP THỰC HIỆN › 1.2. Hỗ trợ về y tế"
 * ```
 */
export function citationFor(metadata: PlanMetadata, path: readonly string[]): string {
  const where = path.length > 0 ? `mục ${path.map(shortHeading).join(" › ")}` : "phần mở đầu";
  return `${documentLabel(metadata)} — ${where}`;
}

function shortDate(iso: string): string {
  const [year, month, day] = iso.split("-");
  return `${Number(day)}/${Number(month)}/${year}`;
}

/** The province a former one belongs to now, or null when it was not merged. */
export function provinceNow(province: string, areas: AreaChanges): { now: string; was: string[] } | null {
  const key = placeKey(province);
  return areas.provinces.find((change) => change.was.some((was) => placeKey(was) === key)) ?? null;
}

/**
 * Cautions for quoting a plan on a given date: its period is over; its province has been merged; its district
 * no longer exists. Plain Vietnamese, one sentence each.
 *
 * @param onDate ISO date (YYYY-MM-DD) the answer is given for.
 */
export function warningsFor(metadata: PlanMetadata, areas: AreaChanges, onDate: string): string[] {
  const warnings: string[] = [];
  const year = Number(onDate.slice(0, 4));
  if (year > metadata.period.to) {
    warnings.push(
      `Kế hoạch này áp dụng cho ${periodLabel(metadata.period)}, nay đã hết thời hạn; mức hỗ trợ và điều kiện hiện nay có thể đã khác.`,
    );
  }
  if (onDate >= areas.changedOn) {
    const since = `Từ ngày ${shortDate(areas.changedOn)}`;
    const merged = provinceNow(metadata.province, areas);
    if (merged) {
      const others = merged.was.filter((was) => placeKey(was) !== placeKey(metadata.province));
      if (placeKey(merged.now) === placeKey(metadata.province)) {
        warnings.push(
          `${since}, ${provinceLabel(metadata.province)} cũ đã hợp nhất với ${others.map(provinceLabel).join(", ")} thành ${provinceLabel(merged.now)} mới.`,
        );
      } else {
        warnings.push(
          `${since}, ${provinceLabel(metadata.province)} đã nhập vào ${provinceLabel(merged.now)}.`,
        );
      }
    }
    if (areas.districtLevelAbolished && (metadata.level === "district" || metadata.level === "city")) {
      const local = metadata.issuer.replace(/^(?:Ủy|Uỷ) ban nhân dân\s+/i, "");
      warnings.push(
        `${since} không còn cấp huyện: ${local} không còn là đơn vị hành chính, công tác giảm nghèo nay do Ủy ban nhân dân xã, phường thực hiện.`,
      );
    }
  }
  return warnings;
}

/**
 * The place names, folded, that point at a plan: its province then and now (with their aliases), and for a
 * district or city plan its own area. A province filter or a place named in a question matches these.
 */
export function documentPlaces(metadata: PlanMetadata, areas: AreaChanges): string[] {
  const names = new Set<string>();
  const add = (name: string): void => {
    const key = placeKey(name);
    if (key) names.add(key);
    // "Bà Rịa – Vũng Tàu": either half names it too.
    for (const part of name.split(/\s+\p{Pd}\s+/u)) if (part !== name) names.add(placeKey(part));
  };
  add(metadata.province);
  const merged = provinceNow(metadata.province, areas);
  if (merged) add(merged.now);
  // Abbreviations and other spellings of the province, then or now ("HCM", "Bắc Cạn").
  const provinceKeys = new Set(
    [metadata.province, merged?.now].filter((name) => name !== undefined).map(placeKey),
  );
  for (const [name, aliases] of Object.entries(areas.aliases ?? {}))
    if (provinceKeys.has(placeKey(name))) for (const alias of aliases) add(alias);
  if (metadata.level !== "province") {
    add(
      metadata.issuer.replace(/^(?:Ủy|Uỷ) ban nhân dân\s+(?:huyện|thành phố|thị xã|quận|xã|phường)?\s*/i, ""),
    );
  }
  return [...names].filter((name) => name.length > 0);
}
