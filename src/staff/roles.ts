/**
 * Who is staff: commune staff (cán bộ xã) and legal-aid volunteers are configured by channel and user id in
 * `STAFF_IDS` ("telegram:123,zalo:abc"); everyone else is a resident. Pure: the environment is passed in.
 *
 * The schema follows src/config.ts (one line per problem, Vietnamese / English, the value never echoed) so
 * that it can be added to `loadConfig` as it is.
 */
import { z } from "zod";
import { err, ok, type Result } from "../shared/result.ts";

/** What a user may do: staff get the staff commands and more results per page. */
export type Role = "staff" | "resident";

/** Channels a staff id can name; `terminal` is the CLI's `chat --user NAME`. */
export const STAFF_CHANNELS = ["telegram", "zalo", "terminal"] as const;
export type StaffChannel = (typeof STAFF_CHANNELS)[number];

/** The configured staff, by user key ("telegram:123"). */
export interface StaffDirectory {
  /** "staff" for a configured user key, "resident" for anyone else (unknown keys included). */
  roleOf(userKey: string): Role;
  /** Number of configured staff accounts. */
  readonly size: number;
}

const ID_SHAPES: Record<StaffChannel, { pattern: RegExp; explain: string }> = {
  // Telegram user ids are positive integers; negative ids are groups, which never get staff rights.
  telegram: { pattern: /^[1-9]\d{0,19}$/, explain: "số nguyên dương / a positive integer" },
  zalo: {
    pattern: /^[A-Za-z0-9_.-]{1,128}$/,
    explain: "chữ, số, _ . - (tối đa 128 ký tự) / letters, digits, _ . - (at most 128)",
  },
  terminal: { pattern: /^[\p{L}\p{N}_.-]{1,64}$/u, explain: "tên đăng nhập / a user name" },
};

/** One `channel:id` entry; `position` is 1-based, so a problem names the entry without echoing it. */
function entryProblem(entry: string, position: number): string | undefined {
  const colon = entry.indexOf(":");
  if (colon <= 0) {
    return `mục thứ ${position} phải có dạng kênh:mã, ví dụ telegram:123456 / entry ${position} must look like channel:id, e.g. telegram:123456`;
  }
  const channel = entry.slice(0, colon).toLowerCase();
  const id = entry.slice(colon + 1);
  if (!(STAFF_CHANNELS as readonly string[]).includes(channel)) {
    return `mục thứ ${position}: kênh phải là ${STAFF_CHANNELS.join(", ")} / entry ${position}: the channel must be one of ${STAFF_CHANNELS.join(", ")}`;
  }
  const shape = ID_SHAPES[channel as StaffChannel];
  if (!shape.pattern.test(id)) {
    return `mục thứ ${position}: mã người dùng ${channel} phải là ${shape.explain} / entry ${position}: the ${channel} user id is malformed`;
  }
  return undefined;
}

/** The canonical form of a user key: lower-case channel, id as given. */
function canonicalKey(entry: string): string {
  const colon = entry.indexOf(":");
  return `${entry.slice(0, colon).toLowerCase()}:${entry.slice(colon + 1)}`;
}

/**
 * `STAFF_IDS` as a zod schema: unset or blank means no staff; otherwise comma-separated `channel:id`
 * entries (spaces around them ignored), every entry checked. Parses to the list of canonical user keys.
 */
export const staffIdsSchema = z
  .string()
  .optional()
  .transform((value, context) => {
    const entries = (value ?? "")
      .split(/[,\s]+/)
      .map((entry) => entry.trim())
      .filter(Boolean);
    entries.forEach((entry, index) => {
      const problem = entryProblem(entry, index + 1);
      if (problem) context.addIssue({ code: "custom", message: problem });
    });
    return [...new Set(entries.map(canonicalKey))];
  });

/** A directory over a list of canonical user keys. */
export function createStaffDirectory(userKeys: readonly string[]): StaffDirectory {
  const staff = new Set(userKeys.map(canonicalKey));
  return {
    roleOf: (userKey) => (userKey.includes(":") && staff.has(canonicalKey(userKey)) ? "staff" : "resident"),
    size: staff.size,
  };
}

/**
 * Reads `STAFF_IDS` from the environment. A bad entry is a configuration error (one line per entry, the
 * variable named, the value never echoed), so a typo never silently leaves a volunteer without access.
 *
 * ```ts
 * const staff = loadStaffDirectory({ STAFF_IDS: "telegram:123,zalo:abc" });
 * if (staff.ok) staff.value.roleOf("telegram:123"); // "staff"
 * ```
 */
export function loadStaffDirectory(
  env: Readonly<Record<string, string | undefined>>,
): Result<StaffDirectory, string[]> {
  const parsed = staffIdsSchema.safeParse(env.STAFF_IDS);
  if (!parsed.success) return err(parsed.error.issues.map((issue) => `STAFF_IDS: ${issue.message}`));
  return ok(createStaffDirectory(parsed.data));
}

// === What each role may use

/** The staff chat commands and who may use them. */
export const STAFF_COMMANDS = {
  toi: { staffOnly: false, summary: "cho biết bạn đang dùng với vai trò nào" },
  tim: { staffOnly: false, summary: "tra cứu có lọc theo tỉnh, văn bản, năm" },
  vanban: { staffOnly: false, summary: "danh sách các kế hoạch đã có" },
  doc: { staffOnly: false, summary: "xem trọn một mục của kế hoạch" },
  nhanh: { staffOnly: true, summary: "nhập cả hộ trên một dòng, có kết quả ngay" },
  thaymat: { staffOnly: true, summary: "kiểm tra thay cho người dân, cuối cùng có bản tóm tắt hồ sơ" },
  thongke: { staffOnly: true, summary: "thống kê ẩn danh" },
  dangnhap: { staffOnly: true, summary: "mã đăng nhập trang làm việc trên máy tính (10 phút)" },
} as const;
export type StaffCommand = keyof typeof STAFF_COMMANDS;

/** The polite refusal of a staff-only command to a resident (it reveals nothing of what the command shows). */
export const STAFF_ONLY_MESSAGE =
  "Lệnh này chỉ dành cho cán bộ xã và tình nguyện viên trợ giúp pháp lý đã được đăng ký. " +
  "Nếu bạn là cán bộ, hãy nhờ người quản trị thêm tài khoản của bạn. Bạn vẫn có thể gõ /kiemtra hoặc /hoi.";

/** True when `role` may use `command`. */
export function mayUse(role: Role, command: StaffCommand): boolean {
  return role === "staff" || !STAFF_COMMANDS[command].staffOnly;
}

/** The reply to /toi: the role, and what it gives. */
export function renderRole(role: Role): string {
  if (role === "resident") {
    return [
      "Bạn đang dùng trợ lý với vai trò: người dân.",
      "Bạn có thể gõ /kiemtra để xem hộ mình có thể được hỗ trợ gì, /hoi hoặc /tim để tra cứu, /vanban để xem các kế hoạch.",
    ].join("\n");
  }
  const lines = Object.entries(STAFF_COMMANDS)
    .filter(([name]) => name !== "toi")
    .map(([name, command]) => `/${name}: ${command.summary}`);
  return [
    "Bạn đang dùng trợ lý với vai trò: cán bộ xã / tình nguyện viên.",
    "Các lệnh dành cho bạn:",
    ...lines,
  ].join("\n");
}

// === The web console

/**
 * The pages of the staff web console, each tied to the chat command that shows the same thing: a page is open
 * to whoever may use its command, and the console as a whole only to staff (its sign-in is `/dangnhap`).
 */
export const CONSOLE_PAGES = {
  home: { path: "", title: "Trang chính", command: "toi" },
  search: { path: "/search", title: "Tra cứu", command: "tim" },
  documents: { path: "/documents", title: "Văn bản", command: "vanban" },
  check: { path: "/check", title: "Kiểm tra hộ", command: "nhanh" },
  screen: { path: "/screen", title: "Sàng lọc danh sách", command: "nhanh" },
  stats: { path: "/stats", title: "Thống kê", command: "thongke" },
  feedback: { path: "/feedback", title: "Phản hồi", command: "thongke" },
} as const satisfies Record<string, { path: string; title: string; command: StaffCommand }>;
export type ConsolePage = keyof typeof CONSOLE_PAGES;

/** True when `role` may open a console page: staff only, and only what their chat commands allow. */
export function mayOpen(role: Role, page: ConsolePage): boolean {
  return role === "staff" && mayUse(role, "dangnhap") && mayUse(role, CONSOLE_PAGES[page].command);
}

/** A console sign-in code as shown: "12345678" → "1234 5678". */
export function formatSignInCode(code: string): string {
  return `${code.slice(0, 4)} ${code.slice(4)}`;
}
