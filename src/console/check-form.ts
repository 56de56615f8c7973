/**
 * The console's household form: its fields with their help text, and the reading of a submitted form into the
 * scorer's {@link HouseholdInput}. The same vocabulary as expert mode: money and dates go through the
 * conversation's answer parser, the members described in words ("con học ĐH, ông 72 tuổi") through
 * {@link parseQuickHousehold}, and a whole line typed as in `/nhanh` is read by it alone. Pure.
 */
import { isIsoDate } from "../domain/dates.ts";
import { HOUSEHOLD_FLAGS, HOUSEHOLD_FLAG_WORDING, type HouseholdFlag } from "../domain/facts.ts";
import { parseHousehold, type HouseholdInput, type ListedStatus } from "../domain/household.ts";
import { parseAnswer } from "../flows/answers.ts";
import { err, ok, type Result } from "../shared/result.ts";
import { parseQuickHousehold, type QuickNote } from "../answers/quick-household.ts";

/** A submitted form: each field's values as sent. */
export type FormValues = Readonly<Record<string, string | readonly string[] | undefined>>;

/** What reading needs besides the form. */
export interface CheckFormContext {
  today: string;
  indicators: (date: string) => readonly { id: string; label: string }[];
  provinces: readonly string[];
  indicatorIds: ReadonlySet<string>;
}

/** The list statuses, as the select offers them. */
export const LISTED_OPTIONS: readonly { value: ListedStatus; label: string }[] = [
  { value: "unknown", label: "Chưa rõ" },
  { value: "poor", label: "Có tên trong danh sách hộ nghèo" },
  { value: "near_poor", label: "Có tên trong danh sách hộ cận nghèo" },
  { value: "none", label: "Không có tên trong danh sách nào" },
];

/** The household flags, each a select "Chưa rõ / Có / Không". */
export const FLAG_FIELDS: readonly { flag: HouseholdFlag; label: string }[] = HOUSEHOLD_FLAGS.map((flag) => ({
  flag,
  label: HOUSEHOLD_FLAG_WORDING[flag].label.replace(/^hộ /, "Hộ "),
}));

/** Help text of each field, shown under it. */
export const HELP = {
  dong: "Như lệnh /nhanh: “nông thôn, 4 người, thu nhập 5tr6/tháng, thiếu: bhyt, nhà tiêu; chưa có trong danh sách; con học ĐH”. Khi có dòng này, các ô bên dưới không được dùng.",
  khuVuc: "Xã là nông thôn; phường, thị trấn là thành thị.",
  soNguoi: "Mọi người cùng ăn ở trong hộ, kể cả trẻ nhỏ.",
  danhSach: "Theo danh sách hộ nghèo, cận nghèo của xã năm nay.",
  thuNhap: "Ví dụ 5tr6, 5.600.000, “60 triệu/năm”; bình quân 12 tháng, không tính trợ cấp xã hội.",
  thieu: "Đánh dấu những chỉ số hộ đang thiếu theo chuẩn nghèo đang áp dụng.",
  thanhVien:
    "Các thành viên cần nói riêng, như ở /nhanh: “con học ĐH”, “2 con: 1 cấp 2, 1 ĐH công lập”, “ông 72 tuổi”, “con 10 tuổi khuyết tật”, “người Tày”.",
  raKhoi: "Ngày hộ ra khỏi danh sách hộ nghèo hoặc cận nghèo, nếu có trong mấy năm gần đây.",
  ngay: "Để trống là hôm nay.",
  ten: "Chỉ ghi trên bản tóm tắt để in; không lưu ở đâu.",
} as const;

function one(values: FormValues, name: string): string {
  const value = values[name];
  return (typeof value === "string" ? value : (value?.[0] ?? "")).trim();
}

function many(values: FormValues, name: string): string[] {
  const value = values[name];
  if (value === undefined) return [];
  return (typeof value === "string" ? [value] : [...value]).map((item) => item.trim()).filter(Boolean);
}

/** The household read from a form, with what was assumed or not read. */
export interface CheckedForm {
  household: HouseholdInput;
  notes: QuickNote[];
  residentName?: string;
}

/**
 * Reads a submitted form. Problems come back as Vietnamese sentences, one per field, for the form to show
 * above itself with what was typed kept.
 */
export function readCheckForm(values: FormValues, context: CheckFormContext): Result<CheckedForm, string[]> {
  const residentName = one(values, "ten").slice(0, 100) || undefined;
  const withName = (
    result: Result<Omit<CheckedForm, "residentName">, string[]>,
  ): Result<CheckedForm, string[]> =>
    result.ok && residentName ? ok({ ...result.value, residentName }) : result;
  const quick = { today: context.today, indicators: context.indicators, provinces: context.provinces };
  const line = one(values, "dong");
  if (line) {
    const parsed = parseQuickHousehold(line, quick);
    if (!parsed.ok) return err([parsed.error.message]);
    return withName(validated(parsed.value.household, parsed.value.notes, context));
  }

  const problems: string[] = [];
  const notes: QuickNote[] = [];
  const area = one(values, "khu_vuc");
  if (area !== "rural" && area !== "urban") problems.push("Chọn khu vực sống: nông thôn hoặc thành thị.");
  const membersText = one(values, "so_nguoi");
  const members = Number(membersText);
  if (!/^\d{1,2}$/.test(membersText) || members < 1)
    problems.push("Ghi số người trong hộ bằng số, từ 1 đến 50.");

  let assessedOn = context.today;
  const day = one(values, "ngay");
  if (day) {
    if (isIsoDate(day)) assessedOn = day;
    else problems.push("Ngày đánh giá chưa đúng dạng ngày.");
  }

  const household: Partial<HouseholdInput> & Record<string, unknown> = { assessedOn };
  if (area === "rural" || area === "urban") household.area = area;
  if (problems.length === 0) household.members = members;

  const province = one(values, "tinh");
  if (province) {
    if (context.provinces.includes(province)) household.province = province;
    else problems.push("Tỉnh, thành phố không có trong danh sách.");
  }
  const listed = one(values, "danh_sach");
  if (listed && listed !== "unknown") {
    if (LISTED_OPTIONS.some((option) => option.value === listed))
      household.listedStatus = listed as ListedStatus;
    else problems.push("Tình trạng trong danh sách của xã không hợp lệ.");
  } else if (listed === "unknown") household.listedStatus = "unknown";

  const incomeText = one(values, "thu_nhap");
  if (incomeText) {
    const income = parseAnswer({ type: "money", min: 0, max: 10_000_000_000 }, incomeText, {
      today: context.today,
      allowUnknown: false,
    });
    if (!income.ok || income.value.answer.type !== "value" || typeof income.value.answer.value !== "number")
      problems.push("Chưa đọc được thu nhập. Ghi ví dụ 5tr6, 5.600.000 hoặc “60 triệu/năm”.");
    else if (one(values, "thu_nhap_theo") === "person") household.incomePerPerson = income.value.answer.value;
    else household.monthlyIncome = income.value.answer.value;
  }

  if (one(values, "thieu_da_hoi") === "yes") {
    const known = new Set(context.indicators(assessedOn).map((indicator) => indicator.id));
    household.deprivations = many(values, "thieu").filter((id) => known.has(id));
  }

  const leftText = one(values, "ra_khoi");
  if (leftText) {
    if (!isIsoDate(leftText)) problems.push("Ngày ra khỏi danh sách chưa đúng dạng ngày.");
    else if (leftText > assessedOn) problems.push("Ngày ra khỏi danh sách sau ngày đánh giá.");
    else household.leftListOn = leftText;
  }

  for (const { flag } of FLAG_FIELDS) {
    const value = one(values, flag);
    if (value === "yes") household[flag] = true;
    else if (value === "no") household[flag] = false;
  }

  const personsText = one(values, "thanh_vien");
  if (personsText && problems.length === 0) {
    // The members' words read as expert mode reads them, inside a line that states the household's size.
    const parsed = parseQuickHousehold(`${members} người, ${personsText}`, quick);
    if (!parsed.ok) problems.push(parsed.error.message);
    else {
      if (parsed.value.household.persons) household.persons = parsed.value.household.persons;
      if (parsed.value.household.members > members) household.members = parsed.value.household.members;
      notes.push(...parsed.value.notes.filter((entry) => !entry.text.startsWith("Chưa ghi nông thôn")));
    }
  }
  if (problems.length > 0) return err(problems);
  return withName(validated(household as HouseholdInput, notes, context));
}

function validated(
  household: HouseholdInput,
  notes: QuickNote[],
  context: CheckFormContext,
): Result<Omit<CheckedForm, "residentName">, string[]> {
  const valid = parseHousehold(household, { indicatorIds: context.indicatorIds });
  if (!valid.ok) return err(valid.error.map((problem) => problem.message));
  return ok({ household: valid.value, notes });
}

/** A household carried in a hidden field (the summary and PDF buttons), read back and validated again. */
export function readCarriedHousehold(
  text: string,
  indicatorIds: ReadonlySet<string>,
): Result<HouseholdInput, string[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return err(["Dữ liệu hộ gửi lại không đọc được. Hãy kiểm tra lại từ đầu."]);
  }
  const valid = parseHousehold(raw, { indicatorIds });
  return valid.ok ? ok(valid.value) : err(valid.error.map((problem) => problem.message));
}
