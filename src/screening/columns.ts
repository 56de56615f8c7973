/**
 * The columns of a commune's household list: the Vietnamese heading of each, the other headings accepted
 * for it (compared without diacritics, case or punctuation), what it feeds in the scorer's input, and the
 * example row of the template. Pure.
 */
import { HOUSEHOLD_FLAGS, type HouseholdFlag } from "../domain/facts.ts";
import { foldForMatch } from "../flows/answers.ts";

/** How a column's cells are read (see row.ts). */
export type ColumnKind =
  | "passthrough"
  | "area"
  | "members"
  | "listedStatus"
  | "date"
  | "money"
  | "deprivations"
  | "persons"
  | "ethnicity"
  | "flag"
  | "province";

/** One column of the list. */
export interface ColumnSpec {
  /** The scorer's field it fills (or, for kept columns, a key of its own). */
  key: string;
  /** The heading written in the template and the result file. */
  heading: string;
  kind: ColumnKind;
  required: boolean;
  /** Other headings accepted, folded (`foldForMatch`). */
  aliases: readonly string[];
  /** The template's example cell. */
  example: string | number;
  /** What to write in it, for the docs and the messages. */
  help: string;
}

const FLAG_HEADINGS: Record<HouseholdFlag, { heading: string; aliases: string[] }> = {
  agricultural: {
    heading: "Làm nông, lâm, ngư, diêm nghiệp",
    aliases: [
      "lam nong",
      "nong nghiep",
      "ho nong nghiep",
      "lam nong lam ngu nghiep",
      "nong lam ngu diem nghiep",
    ],
  },
  inPoorCommune: { heading: "Xã nghèo", aliases: ["o xa ngheo", "thuoc xa ngheo"] },
  inEthnicMinorityArea: {
    heading: "Vùng đồng bào DTTS và miền núi",
    aliases: [
      "vung dtts",
      "vung dan toc thieu so",
      "vung dong bao dtts",
      "vung dtts va mien nui",
      "vung dong bao dan toc thieu so va mien nui",
    ],
  },
  inDifficultArea: {
    heading: "Vùng khó khăn",
    aliases: ["vung kho khan", "vung co dieu kien kinh te xa hoi kho khan", "dia ban kho khan"],
  },
  inExtremelyDifficultArea: {
    heading: "Thôn, xã đặc biệt khó khăn",
    aliases: [
      "dac biet kho khan",
      "thon dac biet kho khan",
      "xa dac biet kho khan",
      "dbkk",
      "thon xa dbkk",
      "xa khu vuc iii",
    ],
  },
  needsWaterSupply: {
    heading: "Cần công trình nước sạch",
    aliases: ["can cong trinh nuoc", "chua co nuoc sach", "can nuoc sach", "cong trinh nuoc sach"],
  },
  needsSanitation: {
    heading: "Cần nhà tiêu hợp vệ sinh",
    aliases: ["can nha tieu", "chua co nha tieu hop ve sinh", "can nha ve sinh", "nha tieu hop ve sinh"],
  },
};

/** The columns, in the template's order. Only `area` and `members` are required. */
export const COLUMNS: readonly ColumnSpec[] = [
  {
    key: "householdId",
    heading: "Mã hộ",
    kind: "passthrough",
    required: false,
    aliases: ["ma ho", "ma so ho", "ma ho gia dinh", "so thu tu", "stt", "ma"],
    example: "HGD-001",
    help: "mã hoặc số thứ tự của hộ trong danh sách của xã; chép sang tệp kết quả để đối chiếu",
  },
  {
    key: "householdHead",
    heading: "Họ tên chủ hộ",
    kind: "passthrough",
    required: false,
    aliases: ["chu ho", "ho ten", "ho va ten", "ten chu ho", "ho va ten chu ho", "ho ten chu ho"],
    example: "Nguyễn Văn A",
    help: "chép sang tệp kết quả để đối chiếu; không dùng để xét",
  },
  {
    key: "area",
    heading: "Khu vực",
    kind: "area",
    required: true,
    aliases: ["khu vuc song", "nong thon thanh thi", "thanh thi nong thon", "dia ban", "area"],
    example: "nông thôn",
    help: "“nông thôn” (xã, nt) hoặc “thành thị” (phường, đô thị, tt)",
  },
  {
    key: "members",
    heading: "Số người",
    kind: "members",
    required: true,
    aliases: ["so nguoi trong ho", "so nhan khau", "nhan khau", "so khau", "so thanh vien", "members"],
    example: 4,
    help: "số người trong hộ, từ 1 đến 50",
  },
  {
    key: "listedStatus",
    heading: "Danh sách hộ nghèo, cận nghèo",
    kind: "listedStatus",
    required: false,
    aliases: [
      "danh sach",
      "tinh trang danh sach",
      "phan loai ho",
      "loai ho",
      "ho ngheo can ngheo",
      "tinh trang",
      "dien ho",
      "listedstatus",
    ],
    example: "hộ cận nghèo",
    help: "“hộ nghèo” (hn), “hộ cận nghèo” (hcn), “không” (chưa có tên) hoặc “không rõ”; để trống nếu chưa biết",
  },
  {
    key: "leftListOn",
    heading: "Ngày thoát nghèo, cận nghèo",
    kind: "date",
    required: false,
    aliases: [
      "ngay thoat ngheo",
      "thoat ngheo",
      "ngay ra khoi danh sach",
      "ngay thoat can ngheo",
      "leftliston",
    ],
    example: "",
    help: "ngày hộ ra khỏi danh sách (15/3/2024, hoặc 3/2024 tính cuối tháng); để trống nếu không có",
  },
  {
    key: "monthlyIncome",
    heading: "Thu nhập cả hộ mỗi tháng (đồng)",
    kind: "money",
    required: false,
    aliases: [
      "thu nhap",
      "thu nhap ca ho",
      "thu nhap thang",
      "thu nhap ho",
      "thu nhap ca ho moi thang",
      "tong thu nhap",
      "monthlyincome",
    ],
    example: 5600000,
    help: "thu nhập bình quân mỗi tháng của cả hộ: 5600000, 5.600.000 hoặc 5tr6",
  },
  {
    key: "incomePerPerson",
    heading: "Thu nhập bình quân đầu người mỗi tháng (đồng)",
    kind: "money",
    required: false,
    aliases: [
      "thu nhap binh quan",
      "tnbq",
      "binh quan dau nguoi",
      "thu nhap binh quan dau nguoi",
      "thu nhap dau nguoi",
      "incomeperperson",
    ],
    example: "",
    help: "thay cho cột thu nhập cả hộ, khi xã ghi thu nhập bình quân đầu người",
  },
  {
    key: "deprivations",
    heading: "Chỉ số thiếu hụt",
    kind: "deprivations",
    required: false,
    aliases: [
      "thieu hut",
      "cac chi so thieu hut",
      "chi so thieu",
      "thieu",
      "so chi so thieu hut",
      "deprivations",
    ],
    example: "bhyt, nhà tiêu",
    help: "các chỉ số hộ thiếu (bhyt, nhà tiêu, nước sạch, nhà ở, …), hoặc số chỉ số thiếu (2), hoặc “không”",
  },
  {
    key: "persons",
    heading: "Thành viên (tuổi, đi học, khuyết tật)",
    kind: "persons",
    required: false,
    aliases: ["thanh vien", "nguoi trong ho", "mo ta thanh vien", "cac thanh vien", "persons"],
    example: "ông 72 tuổi, con 10 tuổi học lớp 5 công lập",
    help: "như ở chế độ nhập nhanh: “ông 72 tuổi khuyết tật”, “2 con: 1 cấp 2, 1 ĐH công lập”, “con 5 tuổi”",
  },
  {
    key: "ethnicity",
    heading: "Dân tộc",
    kind: "ethnicity",
    required: false,
    aliases: ["dan toc", "thanh phan dan toc", "dtts"],
    example: "Kinh",
    help: "dân tộc của các thành viên đã mô tả: Kinh, Tày, Dao, H'Mông, …, hoặc “DTTS”",
  },
  ...HOUSEHOLD_FLAGS.map((flag): ColumnSpec => ({
    key: flag,
    heading: FLAG_HEADINGS[flag].heading,
    kind: "flag",
    required: false,
    aliases: [...FLAG_HEADINGS[flag].aliases, flag.toLowerCase()],
    example: flag === "agricultural" ? "có" : flag === "inPoorCommune" ? "không" : "",
    help: "“có” hoặc “không”; để trống nếu chưa biết",
  })),
  {
    key: "province",
    heading: "Tỉnh, thành phố",
    kind: "province",
    required: false,
    aliases: ["tinh", "tinh thanh pho", "tinh thanh", "thanh pho", "province"],
    example: "",
    help: "tỉnh, thành phố có quy định riêng (nếu có)",
  },
  {
    key: "assessedOn",
    heading: "Ngày đánh giá",
    kind: "date",
    required: false,
    aliases: ["ngay xet", "ngay ra soat", "assessedon"],
    example: "",
    help: "ngày xét; để trống là hôm nay (hoặc ngày chọn khi chạy)",
  },
];

/** A heading as compared: parenthesised notes dropped, then folded. "Số người (nhân khẩu)" → "so nguoi". */
export function headingKey(heading: string): string {
  return foldForMatch(heading.replace(/\([^)]*\)/g, " ")).trim();
}

const BY_HEADING = new Map<string, ColumnSpec>();
for (const column of COLUMNS) {
  for (const name of [column.heading, ...column.aliases]) {
    const key = headingKey(name);
    if (!BY_HEADING.has(key)) BY_HEADING.set(key, column);
  }
}

/** How the header row of a list maps onto the columns. */
export interface HeaderMap {
  /** For each known column found, its 0-based position in the row. */
  positions: Map<string, number>;
  /** Headings not recognised (ignored when reading). */
  unknown: string[];
  /** Columns named twice (the first is used). */
  duplicates: string[];
  /** Required columns missing. */
  missing: ColumnSpec[];
}

/** Maps a header row onto the columns; blank headings are skipped. */
export function mapHeader(cells: readonly string[]): HeaderMap {
  const positions = new Map<string, number>();
  const unknown: string[] = [];
  const duplicates: string[] = [];
  cells.forEach((cell, index) => {
    const text = cell.trim();
    if (!text) return;
    const column = BY_HEADING.get(headingKey(text));
    if (!column) unknown.push(text);
    else if (positions.has(column.key)) duplicates.push(text);
    else positions.set(column.key, index);
  });
  const missing = COLUMNS.filter((column) => column.required && !positions.has(column.key));
  return { positions, unknown, duplicates, missing };
}

/** The column of a key. */
export function columnOf(key: string): ColumnSpec {
  const column = COLUMNS.find((candidate) => candidate.key === key);
  if (!column) throw new Error(`unknown column ${key}`);
  return column;
}
