/**
 * Why storage failed, as a short class for logs, /readyz and the start-up message: never the error's own
 * text (it may quote a statement or a path with user data). The last four are PostgreSQL's.
 */
export type StorageCause =
  | "missing"
  | "replaced"
  | "read_only"
  | "corrupt"
  | "full"
  | "busy"
  | "cannot_open"
  | "io_error"
  | "unknown"
  | "unreachable"
  | "auth"
  | "timeout"
  | "no_database";

/** The cause class of an error thrown by SQLite, PostgreSQL (its SQLSTATE, or the connection's) or the file system. */
export function storageCause(error: unknown): StorageCause {
  const code = String((error as { code?: unknown } | null)?.code ?? "");
  const postgres = postgresCause(code, error);
  if (postgres) return postgres;
  if (code === "ENOENT") return "missing";
  if (code === "EACCES" || code === "EPERM" || code === "EROFS" || code.startsWith("SQLITE_READONLY"))
    return "read_only";
  if (code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB") return "corrupt";
  if (code === "SQLITE_FULL" || code === "ENOSPC") return "full";
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) return "busy";
  if (code.startsWith("SQLITE_CANTOPEN")) return "cannot_open";
  if (code.startsWith("SQLITE_IOERR") || code === "EIO") return "io_error";
  return "unknown";
}

/** PostgreSQL's classes: SQLSTATE codes (five characters) and the driver's connection failures. */
function postgresCause(code: string, error: unknown): StorageCause | undefined {
  if (
    ["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "EPIPE"].includes(
      code,
    )
  )
    return "unreachable";
  if (code === "ETIMEDOUT") return "timeout";
  if (!/^[0-9A-Z]{5}$/.test(code)) {
    const message = error instanceof Error ? error.message : "";
    // pg's own wording when the server does not answer in time, or goes away; no code is set on these.
    if (
      /timeout exceeded when trying to connect|Connection terminated due to connection timeout/.test(message)
    )
      return "timeout";
    if (/Connection terminated/.test(message)) return "unreachable";
    return undefined;
  }
  if (code === "28P01" || code === "28000") return "auth";
  if (code === "3D000") return "no_database";
  // Statement timeout or cancel, lock timeout.
  if (code === "57014" || code === "55P03") return "timeout";
  // Connection exceptions, server shutting down or starting, crash recovery.
  if (code.startsWith("08") || code === "57P01" || code === "57P02" || code === "57P03") return "unreachable";
  if (code === "25006") return "read_only";
  if (code === "53100") return "full";
  if (code === "53300" || code === "40001" || code === "40P01") return "busy";
  if (code === "58030") return "io_error";
  if (code === "XX001" || code === "XX002") return "corrupt";
  return undefined;
}

/** What a cause means, in Vietnamese, for the operator reading the start-up message. */
export const STORAGE_CAUSE_TEXT: Record<StorageCause, string> = {
  missing: "tệp hoặc thư mục không tồn tại",
  replaced: "tệp đã bị xoá hoặc thay thế khi đang chạy",
  read_only: "không có quyền ghi (tệp hoặc thư mục chỉ đọc)",
  corrupt: "tệp bị hỏng hoặc không phải cơ sở dữ liệu SQLite",
  full: "ổ đĩa đã đầy",
  busy: "tệp đang bị một tiến trình khác khoá",
  cannot_open: "không mở được tệp (kiểm tra đường dẫn và quyền thư mục)",
  io_error: "lỗi đọc/ghi ổ đĩa",
  unknown: "lỗi không rõ",
  unreachable: "không kết nối được tới máy chủ PostgreSQL (kiểm tra máy chủ có chạy, địa chỉ và cổng)",
  auth: "máy chủ PostgreSQL từ chối tên người dùng hoặc mật khẩu",
  timeout: "máy chủ PostgreSQL không trả lời kịp (quá thời gian chờ)",
  no_database: "cơ sở dữ liệu PostgreSQL không tồn tại (tạo nó trước, ví dụ createdb)",
};
