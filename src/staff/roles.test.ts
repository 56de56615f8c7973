import { describe, expect, it } from "vitest";
import {
  loadStaffDirectory,
  mayUse,
  renderRole,
  STAFF_COMMANDS,
  CONSOLE_PAGES,
  mayOpen,
  type ConsolePage,
  STAFF_ONLY_MESSAGE,
  type StaffCommand,
} from "./roles.ts";

describe("STAFF_IDS", () => {
  it("gives staff to the configured keys only", () => {
    const staff = loadStaffDirectory({ STAFF_IDS: "telegram:123, zalo:abc-DEF_1 ,terminal:lan" });
    if (!staff.ok) throw new Error(staff.error.join("\n"));
    expect(staff.value.size).toBe(3);
    expect(staff.value.roleOf("telegram:123")).toBe("staff");
    expect(staff.value.roleOf("Telegram:123")).toBe("staff");
    expect(staff.value.roleOf("zalo:abc-DEF_1")).toBe("staff");
    expect(staff.value.roleOf("zalo:abc-def_1")).toBe("resident"); // Zalo ids are case-sensitive
    expect(staff.value.roleOf("terminal:lan")).toBe("staff");
    expect(staff.value.roleOf("telegram:1234")).toBe("resident");
    expect(staff.value.roleOf("zalo:123")).toBe("resident"); // the same id on another channel is someone else
    expect(staff.value.roleOf("123")).toBe("resident");
    expect(staff.value.roleOf("")).toBe("resident");
  });

  it("means nobody when unset or blank", () => {
    for (const value of [undefined, "", "  ", ","]) {
      const staff = loadStaffDirectory({ STAFF_IDS: value });
      expect(staff.ok && staff.value.size).toBe(0);
      expect(staff.ok && staff.value.roleOf("telegram:123")).toBe("resident");
    }
  });

  it("rejects each bad entry on its own line, naming the variable, never echoing the value", () => {
    const staff = loadStaffDirectory({
      STAFF_IDS: "telegram:123,viber:9,telegram:-100200,zalo,telegram:abc",
    });
    expect(staff.ok).toBe(false);
    if (staff.ok) return;
    expect(staff.error).toHaveLength(4);
    expect(staff.error.every((line) => line.startsWith("STAFF_IDS: "))).toBe(true);
    expect(staff.error[0]).toMatch(/mục thứ 2: kênh phải là telegram, zalo, terminal/);
    expect(staff.error[1]).toMatch(/mục thứ 3: mã người dùng telegram phải là số nguyên dương/);
    expect(staff.error[2]).toMatch(/mục thứ 4 phải có dạng kênh:mã/);
    expect(staff.error.join("\n")).not.toMatch(/viber:9|-100200|telegram:abc/);
  });
});

describe("access", () => {
  it("keeps staff commands from residents and lets staff use everything", () => {
    const commands = Object.keys(STAFF_COMMANDS) as StaffCommand[];
    for (const command of commands) expect(mayUse("staff", command)).toBe(true);
    expect(commands.filter((command) => !mayUse("resident", command)).sort()).toEqual([
      "dangnhap",
      "nhanh",
      "thaymat",
      "thongke",
    ]);
    expect(STAFF_ONLY_MESSAGE).toMatch(/chỉ dành cho cán bộ xã/);
  });

  it("opens every console page to staff and none to residents", () => {
    for (const page of Object.keys(CONSOLE_PAGES) as ConsolePage[]) {
      expect(mayOpen("staff", page), page).toBe(true);
      expect(mayOpen("resident", page), page).toBe(false);
    }
  });

  it("tells each user their role in /toi", () => {
    expect(renderRole("resident")).toMatch(/vai trò: người dân/);
    expect(renderRole("resident")).not.toMatch(/\/thongke|\/nhanh/);
    expect(renderRole("staff")).toMatch(/vai trò: cán bộ xã/);
    expect(renderRole("staff")).toMatch(/\/nhanh: .*\n.*\/thaymat/s);
  });
});
