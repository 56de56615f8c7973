/**
 * `hoichinhsach chat`: the assistant in the terminal, through the same conversation core as Telegram and
 * Zalo. Interactive use shows a prompt; piped input is read line by line and the command exits at the end
 * of it; `--script FILE` feeds the lines of FILE as messages (blank lines and lines starting with # are
 * skipped) and prints each one before its replies, to reproduce a conversation.
 */

import { writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { userInfo } from "node:os";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { UserInputError } from "../../shared/errors.ts";
import type { Conversation } from "../../flows/conversation.ts";
import type { Reply, ReplyAttachment } from "../../flows/reply.ts";
import { staffIdsSchema } from "../../staff/roles.ts";
import { openConversation, type OpenConversationOptions } from "../../composition.ts";
import { DEFAULT_DATABASE_PATH } from "../../storage/database.ts";
import { MAX_SESSION_TTL_DAYS } from "../../storage/repositories/sessions.ts";
import { MIN_SECRET_LENGTH } from "../../storage/user-keys.ts";
import { EXIT, readLines, write, type CliIO } from "../io.ts";

const USAGE = `Cách dùng: hoichinhsach chat [--script TỆP] [--db ĐƯỜNG_DẪN] [--user TÊN] [--ttl-days SỐ_NGÀY] [--staff]
  --script TỆP        gửi lần lượt từng dòng của TỆP như tin nhắn và in câu trả lời
  --db ĐƯỜNG_DẪN      tệp SQLite lưu phiên trò chuyện (mặc định: biến DATABASE_PATH hoặc ${DEFAULT_DATABASE_PATH})
  --user TÊN          tên người dùng của phiên (mặc định: tên đăng nhập máy)
  --ttl-days SỐ_NGÀY  số ngày giữ câu trả lời sau tin nhắn cuối, 1–3650 (mặc định: biến SESSION_TTL_DAYS hoặc 30)
  --staff             dùng với vai trò cán bộ xã / tình nguyện viên (/nhanh, /thaymat, /thongke);
                      cũng bật được bằng biến STAFF_IDS=terminal:<tên người dùng>
Bản tóm tắt hồ sơ để in (/tomtat, /thaymat) được lưu thành tệp .html trong thư mục hiện tại.
`;

/** How the chat command gets its conversation: the real one, or one a test builds. */
export type OpenChat = (
  options: OpenConversationOptions,
) => Promise<{ conversation: Conversation; close(): void; droppedSessions?: number }>;

/** The replies as terminal text; an attached file is saved in `dir` and its path shown. */
function formatReplies(replies: readonly Reply[], dir: string): string {
  return replies
    .map((reply) => {
      if (!reply.attachment) return `${reply.fallbackText}\n`;
      const path = saveAttachment(reply.attachment, dir);
      const note = path
        ? `(Đã lưu bản để in: ${path}. Mở bằng trình duyệt rồi in hoặc lưu thành PDF.)`
        : "(Không lưu được bản để in vào thư mục hiện tại.)";
      return `${reply.fallbackText}\n${note}\n`;
    })
    .join("\n");
}

/** Writes the file without replacing an existing one ("…-2.html", "…-3.html"); null when it cannot. */
function saveAttachment(attachment: ReplyAttachment, dir: string): string | null {
  const dot = attachment.filename.lastIndexOf(".");
  const [stem, extension] =
    dot > 0 ? [attachment.filename.slice(0, dot), attachment.filename.slice(dot)] : [attachment.filename, ""];
  for (let copy = 1; copy < 100; copy++) {
    const path = join(dir, copy === 1 ? attachment.filename : `${stem}-${copy}${extension}`);
    try {
      writeFileSync(path, attachment.content, { flag: "wx" });
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") return null;
    }
  }
  return null;
}

function parseDays(raw: string | undefined, what: string): number | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  const days = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || days < 1 || days > MAX_SESSION_TTL_DAYS)
    throw new UserInputError(
      `${what} phải là số ngày nguyên từ 1 đến ${MAX_SESSION_TTL_DAYS}, nhận được "${raw.slice(0, 40)}".`,
    );
  return days;
}

/**
 * Runs the chat command with a conversation opened by `open` (tests pass their own, over fakes).
 */
export async function runChat(args: string[], io: CliIO, open: OpenChat = openConversation): Promise<number> {
  let values: {
    script?: string;
    db?: string;
    user?: string;
    "ttl-days"?: string;
    staff?: boolean;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        script: { type: "string" },
        db: { type: "string" },
        user: { type: "string" },
        "ttl-days": { type: "string" },
        staff: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch {
    throw new UserInputError(`Tuỳ chọn không hợp lệ: ${args.join(" ")}\n${USAGE}`);
  }
  if (values.help) {
    await write(io.stdout, USAGE);
    return EXIT.ok;
  }
  const ttlDays = parseDays(values["ttl-days"] ?? io.env.SESSION_TTL_DAYS, "Số ngày giữ phiên");
  const questionRetentionDays = parseDays(io.env.QUESTION_RETENTION_DAYS, "QUESTION_RETENTION_DAYS");
  const userKeySecret = io.env.USER_KEY_SECRET?.trim();
  if (userKeySecret && userKeySecret.length < MIN_SECRET_LENGTH)
    throw new UserInputError(`USER_KEY_SECRET phải dài ít nhất ${MIN_SECRET_LENGTH} ký tự.`);
  let scriptLines: string[] | undefined;
  if (values.script !== undefined) {
    try {
      scriptLines = (await readFile(values.script, "utf8"))
        .split(/\r?\n/)
        .filter((line) => line.trim() && !line.trimStart().startsWith("#"));
    } catch {
      throw new UserInputError(`Không đọc được tệp kịch bản "${values.script}".`);
    }
  }
  const userKey = `terminal:${values.user ?? safeUserName()}`;
  const staffIds = staffIdsSchema.safeParse(io.env.STAFF_IDS);
  if (!staffIds.success)
    throw new UserInputError(staffIds.error.issues.map((issue) => `STAFF_IDS: ${issue.message}`).join("\n"));
  const opened = await open({
    databasePath: values.db ?? io.env.DATABASE_PATH ?? DEFAULT_DATABASE_PATH,
    ...(ttlDays ? { ttlDays } : {}),
    ...(questionRetentionDays ? { questionRetentionDays } : {}),
    ...(userKeySecret ? { userKeySecret } : {}),
    staffIds: values.staff ? [...staffIds.data, userKey] : staffIds.data,
  });
  const { conversation, close } = opened;
  if (opened.droppedSessions)
    await write(
      io.stderr,
      `Lưu ý: ${opened.droppedSessions} cuộc trò chuyện cũ đã được bắt đầu lại, vì mã người dùng nay được lưu bằng khoá bí mật.\n`,
    );
  const say = async (line: string): Promise<string> =>
    formatReplies(await conversation.handle(userKey, line), process.cwd());
  try {
    if (scriptLines) {
      for (const line of scriptLines) {
        await write(io.stdout, `> ${line}\n`);
        await write(io.stdout, (await say(line)) + "\n");
      }
    } else if (io.interactive) {
      await interactive(say, io);
    } else {
      for await (const line of readLines(io.stdin)) {
        await write(io.stdout, `> ${line}\n`);
        await write(io.stdout, (await say(line)) + "\n");
      }
    }
  } finally {
    close();
  }
  return EXIT.ok;
}

function safeUserName(): string {
  try {
    return userInfo().username || "local";
  } catch {
    return "local";
  }
}

async function interactive(say: (line: string) => Promise<string>, io: CliIO): Promise<void> {
  await write(
    io.stdout,
    "Hỏi Chính Sách — gõ /batdau để bắt đầu, /trogiup để xem hướng dẫn, Ctrl+D để thoát.\n\n",
  );
  const lines = createInterface({ input: io.stdin, output: io.stdout, terminal: true, prompt: "Bạn> " });
  lines.prompt();
  for await (const line of lines) {
    await write(io.stdout, `\n${await say(line)}\n`);
    lines.prompt();
  }
  await write(io.stdout, "\nTạm biệt!\n");
}

/** The `chat` sub-command. */
export const run = (args: string[], io: CliIO): Promise<number> => runChat(args, io);
