/**
 * Why storage failed, as a short class for logs, /readyz and the start-up message: never the error's own
 * text (it may quote a statement or a path with user data).
 */
export type StorageCause =
  "missing" | "replaced" | "read_only" | "corrupt" | "full" | "busy" | "cannot_open" | "io_error" | "unknown";

/** The cause class of an error thrown by SQLite or the file system. */
export function storageCause(error: unknown): StorageCause {
  const code = String((error as { code?: unknown } | null)?.code ?? "");
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
};
