import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decide } from "../domain/eligibility.ts";
import { loadLexiconData } from "../knowledge/load.ts";
import { openAnswerer } from "../knowledge/open.ts";
import { DEFAULT_KNOWLEDGE_DIR, loadPolicyKnowledge } from "../knowledge/policy-load.ts";
import { createAnswerer } from "./answerer.ts";
import { askedDate, askedDates } from "./dates.ts";
import { closestAnswer, indexSimilar } from "./similar.ts";
import { loadAnswerKnowledge } from "./load.ts";

const TODAY = "2026-12-06";
const policy = loadPolicyKnowledge();
const answerer = openAnswerer(policy);
const knowledge = loadAnswerKnowledge(policy);

describe("matching questions to answers", () => {
  // Every phrasing an answer declares must select that answer: the data is its own test.
  for (const [id, answer] of knowledge.answers) {
    for (const question of answer.questions) {
      it(`${id} ← “${question}”`, () => {
        expect(answerer.match(question, { fallbacks: answer.fallback === true })?.id).toBe(id);
      });
    }
  }

  it("keeps every answer short enough for the first message of a chat (Zalo: 2,000 characters)", () => {
    for (const [id, answer] of knowledge.answers) {
      for (const question of answer.questions) {
        const text = answerer.answer(question, TODAY, { fallbacks: true })?.text ?? "";
        expect(text.length, id).toBeLessThanOrEqual(1_600);
      }
    }
  });

  it("gives no answer to a question the data does not cover", () => {
    expect(answerer.answer("giá vàng hôm nay bao nhiêu", TODAY)).toBeUndefined();
    expect(answerer.answer("thời tiết Hà Nội ngày mai", TODAY)).toBeUndefined();
  });

  it("keeps a pointer to who can answer for when no passage answers", () => {
    const question = "vay von ngan hang chinh sach de mua xe duoc khong";
    expect(answerer.answer(question, TODAY)).toBeUndefined();
    expect(answerer.answer(question, TODAY, { fallbacks: true })?.text).toMatch(/điểm giao dịch xã/);
  });

  it("reads 'vậy' at the end of a question as a particle, not as a loan", () => {
    expect(answerer.match("nha minh ho can ngheo mua bhyt dc ho tro bn % vay")?.id).toBe("bhyt_near_poor");
  });

  it("reads a typed rate as a question about a rate, and a card's share as not", () => {
    expect(answerer.match("ho buon ban o xa kho khan, truoc chiu 9%, gio con bn")?.id).toBe(
      "credit_difficult_area_rate",
    );
    expect(answerer.match("can ngheo mua bhyt dc ho tro 70% phai ko")?.id).toBe("bhyt_near_poor");
  });

  it("does not take where a house stands, or 'thì mới', for housing or for 'new'", () => {
    const read = answerer.match("nha o ruong, thu nhap moi nguoi bao nhieu thi moi dc xet can ngheo");
    expect(read?.id).not.toMatch(/housing|next/);
  });
});

describe("stating an answer", () => {
  it("gives today's rule first, with since when and the instrument", () => {
    const answer = answerer.answer("lai suat vay ho ngheo bao nhieu", TODAY)!;
    const [first, second] = answer.text.split("\n");
    expect(first).toContain("6,24%/năm (0,52%/tháng)");
    expect(second).toMatch(/^Áp dụng từ 01\/12\/2025\. Căn cứ: Quyết định 2553\/QĐ-TTg/);
    expect(answer.facts[0]).toEqual(
      expect.objectContaining({
        id: "credit.poor_household.interest_rate",
        value: 6.24,
        from: "2025-12-01",
        confidence: "high",
      }),
    );
    expect(answer.facts.map((fact) => fact.id)).toContain("credit.poor_household.max_amount");
    expect(answer.confidence).toBe("high");
  });

  it("answers for the date asked, and says what holds today", () => {
    const before = answerer.answer("truoc thang 12/2025 ho ngheo vay lai suat bao nhieu", TODAY)!;
    expect(before.asOf).toBe("2025-11-30");
    expect(before.text).toMatch(/^Trước tháng 12\/2025: .*6,6%\/năm/);
    expect(before.text).toContain("Hiện nay (từ 01/12/2025), lãi suất cho vay hộ nghèo là 6,24%/năm");
    const old = answerer.answer("chuan ngheo giai doan 2016 2020 o nong thon la bao nhieu", TODAY)!;
    expect(old.text).toMatch(/700\.000 đ\/tháng ở nông thôn/);
    expect(old.text).toMatch(/Quyết định 59\/2015\/QĐ-TTg/);
  });

  it("tells a coming change after today's rule", () => {
    const answer = answerer.answer("chuan ngheo nong thon hien nay", TODAY)!;
    expect(answer.text.split("\n")[0]).toContain("1.500.000 đ/tháng (1,5 triệu đồng) ở nông thôn");
    expect(answer.text).toMatch(/Sắp thay đổi: từ 01\/01\/2027, chuẩn nghèo về thu nhập là 2\.200\.000 đ/);
    const next = answerer.answer("chuan ngheo nam 2027 o do thi", TODAY)!;
    expect(next.text).toMatch(/2\.800\.000 đ\/tháng \(2,8 triệu đồng\) ở (đô thị|thành thị)/);
  });

  it("says 'chưa xác nhận' and who to ask for a figure that is not confirmed", () => {
    const answer = answerer.answer("lai suat vay ho can ngheo bay gio", TODAY)!;
    expect(answer.confidence).toBe("low");
    expect(answer.text).toContain("là chưa xác nhận");
    expect(answer.text).toMatch(/Chưa xác nhận: Lãi suất cho vay hộ cận nghèo: /);
    expect(answer.text).toMatch(/Để chắc chắn, hãy hỏi Ngân hàng Chính sách xã hội/);
  });

  it("drops the 'trước đó' aside when the data has no earlier figure, and never dates where the data starts", () => {
    const answer = answerer.answer("nam 2023 lai vay ho ngheo bn", TODAY)!;
    expect(answer.text).toMatch(/^Năm 2023: .*6,6%\/năm/);
    expect(answer.text).not.toMatch(/trước đó/);
    const ceiling = answerer.answer("nam 2018 ho ngheo dc vay nhcs toi da bn", TODAY)!;
    expect(ceiling.text).toMatch(/50\.000\.000 đ/);
    expect(ceiling.text).not.toMatch(/Áp dụng từ 01\/01\/2016/);
    expect(ceiling.text).toMatch(/Chưa xác nhận: .*trước 01\/03\/2019/);
  });

  it("states a figure twice over, and a figure as of a fixed day, where an answer asks for it", () => {
    const water = answerer.answer("vay nuoc sach lam ca gieng ca nha ve sinh toi da bn", TODAY)!;
    expect(water.text).toMatch(/25\.000\.000 đ .*tức tối đa 50\.000\.000 đ/);
    const count = answerer.answer(
      "so chi so thieu hut cua chuan ngheo truoc va bay gio khac nhau the nao",
      TODAY,
    )!;
    expect(count.text).toMatch(/giai đoạn 2016–2020 .* là 10 chỉ số; .* là 12 chỉ số/);
  });

  it("answers a question naming an instrument no longer in force as of its last day", () => {
    const old = answerer.answer("nd 146 ho tro bhyt cho ho can ngheo bao nhieu", TODAY)!;
    expect(old.text).toMatch(/^Theo Nghị định 146\/2018\/NĐ-CP \(áp dụng đến hết 14\/08\/2025\): /);
    const now = answerer.answer("gio bhyt ho can ngheo con theo nd 146 ko", TODAY)!;
    expect(now.text).not.toMatch(/^Theo Nghị định 146/);
  });

  it("says the national share is a minimum a province may add to", () => {
    const answer = answerer.answer("ho can ngheo dc ho tro bhyt bao nhieu phan tram", TODAY)!;
    expect(answer.text).toMatch(/ít nhất 70%/);
    expect(answer.text).toContain(policy.notes.national_minimum!.text);
  });
});

describe("worked figures", () => {
  it("works out the month's interest on a loan amount typed, at today's rate and the one before", () => {
    const answer = answerer.answer("ho ngheo dang no 100tr moi thang bot dc bao nhieu tien lai", TODAY)!;
    expect(answer.text.split("\n")[1]).toBe(
      "Ví dụ: vay 100.000.000 đ thì tiền lãi khoảng 520.000 đ mỗi tháng (trước 01/12/2025: 550.000 đ, bớt 30.000 đ).",
    );
  });

  it("names the loans a typed rate belongs to", () => {
    const answer = answerer.answer("so vay ghi lai 0,7%/thang, la vay gi", TODAY)!;
    expect(answer.text).toMatch(/^Lãi suất 8,4%\/năm \(0,7%\/tháng\) hiện là: lãi suất cho vay nước sạch/);
  });

  it("gives the day an instrument was signed and who issued it", () => {
    const answer = answerer.answer("qd 2553 ky ngay nao", TODAY)!;
    expect(answer.text).toMatch(
      /^Quyết định 2553\/QĐ-TTg \(của Thủ tướng Chính phủ\) được ban hành ngày 21\/11\/2025/,
    );
    const effective = answerer.answer("nd 07/2021 ky ngay nao, hieu luc tu ngay nao", TODAY)!;
    expect(effective.text).toMatch(/ban hành ngày 27\/01\/2021, có hiệu lực từ ngày 15\/03\/2021/);
    expect(effective.text).not.toMatch(/chưa xác nhận/);
  });

  it("tells who issued an instrument whose date the catalogue lacks, only when asked who", () => {
    expect(answerer.answer("qd 967 huong dan thu tuc ho ngheo do bo nao ban hanh", TODAY)!.text).toMatch(
      /^Quyết định 967\/QĐ-BNNMT \(của Bộ Nông nghiệp và Môi trường\)/,
    );
  });
});

describe("a question with the household's own figures", () => {
  it("is decided by the scorer from the income alone", () => {
    const above = answerer.answer("thu nhap moi nguoi 1tr8 o nong thon co phai ho can ngheo ko", TODAY)!;
    expect(above.id).toBe("household");
    expect(above.text).toMatch(
      /1\.800\.000 đ\/người\/tháng ở nông thôn: .*không phải hộ nghèo.*mức sống trung bình/,
    );
    expect(above.text).not.toMatch(/danh sách hộ cận nghèo/);
    expect(above.text).toMatch(/\/kiemtra/);
    const below = answerer.answer("nha 5 nguoi thu nhap 6 trieu o phuong thi sao", TODAY)!;
    expect(below.text).toMatch(/1\.200\.000 đ\/người\/tháng ở thành thị: .*hộ nghèo hoặc hộ cận nghèo/);
    expect(below.text).toMatch(/từ 3 chỉ số/);
  });

  it("counts 'vợ chồng với 1 đứa nhỏ' and a year's income", () => {
    const answer = answerer.answer("vo chong voi 1 dua nho, ban lua ca nam dc 45 trieu co ngheo ko", TODAY)!;
    expect(answer.text).toMatch(/^Thu nhập bình quân 1\.250\.000 đ\/người\/tháng/);
  });

  it("says when the category rule it rests on is not confirmed", () => {
    const answer = answerer.answer(
      "tu 2027 o pho thu nhap 2tr5/nguoi, thieu 1 chi so la can ngheo ha",
      TODAY,
    )!;
    expect(answer.id).toBe("household");
    expect(answer.text).toMatch(/chưa được xác nhận/);
  });

  it("leaves a question about an instrument to the instrument", () => {
    const answer = answerer.answer(
      "luong 2tr8, nd 30/2025 tinh la lao dong thu nhap thap, tieu chi ra sao",
      TODAY,
    );
    expect(answer?.id).not.toBe("household");
  });
});

describe("one source of truth", () => {
  const dir = mkdtempSync(join(tmpdir(), "answers-knowledge-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("changes the answer and the decision together when a figure changes in knowledge/", () => {
    cpSync(DEFAULT_KNOWLEDGE_DIR, dir, { recursive: true });
    const file = join(dir, "parameters/credit/poor_household.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("value: 6.24", "value: 5.9"));
    const edited = loadPolicyKnowledge(dir);
    const answer = createAnswerer(edited, loadAnswerKnowledge(edited, dir), loadLexiconData(dir)).answer(
      "lai suat vay ho ngheo",
      TODAY,
    )!;
    expect(answer.text).toContain("5,9%/năm");
    const decision = decide({ assessedOn: TODAY, area: "rural", members: 4, listedStatus: "poor" }, edited);
    const credit = decision.programs.find((program) => program.id === "credit.poor_household");
    expect(credit?.kind === "credit" ? credit.interestRatePerYear : undefined).toBe(5.9);
  });

  it("refuses an answer that names an unknown figure, at load", () => {
    const file = join(dir, "answers/credit.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace("{p:credit.poor_household.interest_rate}", "{p:credit.poor.rate}"),
    );
    expect(() => loadAnswerKnowledge(loadPolicyKnowledge(dir), dir)).toThrow(
      /unknown placeholder \{p:credit\.poor\.rate\}/,
    );
  });
});

describe("the date a question asks about", () => {
  it.each([
    ["chuan ngheo nam 2027", { date: "2027-07-01", label: "năm 2027" }],
    ["giai đoạn 2016–2020", { date: "2018-07-01", label: "giai đoạn 2016–2020" }],
    ["truoc thang 12/2025", { date: "2025-11-30", label: "trước tháng 12/2025" }],
    ["lãi suất năm 2026", { date: TODAY, label: null }],
    ["chuan ngheo moi 2,2 trieu", { date: TODAY, label: null }],
    ["vay 2000 trieu", { date: TODAY, label: null }],
    ["hoi thang 1/2019 ngan hang chinh sach", { date: "2019-01-01", label: "tháng 1/2019" }],
    ["truoc khi ha lai thang 12/2025", { date: "2025-11-30", label: "trước tháng 12/2025" }],
    ["dieu 38 luat viec lam 2025", { date: TODAY, label: null }],
    ["gio con ap dung ko", { date: TODAY, label: null, saysNow: true }],
    ["cuoi nam 2025 lai suat bao nhieu", { date: "2025-12-31", label: "cuối năm 2025" }],
    ["dau 2026 lai suat bao nhieu", { date: "2026-01-01", label: "đầu năm 2026" }],
  ])("%s", (question, expected) => {
    expect(askedDate(question, TODAY)).toEqual(expected);
  });
});

describe("several dates in one question", () => {
  it("are read in order when a question lists them, and not when the years are events", () => {
    expect(askedDates("chuan ngheo nong thon nam 2018, nam 2024, nam 2028", TODAY)).toEqual([
      { date: "2018-07-01", label: "năm 2018" },
      { date: "2024-07-01", label: "năm 2024" },
      { date: "2028-07-01", label: "năm 2028" },
    ]);
    expect(
      askedDates("chuan ngheo giai doan 2016-2020 va 2022-2025", TODAY)?.map((asked) => asked.label),
    ).toEqual(["giai đoạn 2016–2020", "giai đoạn 2022–2025"]);
    expect(askedDates("vay tu nam 2022, nay co dc giam lai theo dot cuoi 2025 ko", TODAY)).toBeUndefined();
    expect(askedDates("chuan ngheo nam 2027", TODAY)).toBeUndefined();
  });

  it("get the same answer stated for each, with the references once", () => {
    const answer = answerer.answer("chuan ngheo nong thon nam 2018, nam 2024, nam 2028 moi nam bn", TODAY)!;
    const lines = answer.text.split("\n");
    expect(lines[0]).toMatch(/^Năm 2018: .*700\.000 đ/);
    expect(lines[1]).toMatch(/^Năm 2024: .*1\.500\.000 đ/);
    expect(lines[2]).toMatch(/^Năm 2028: .*2\.200\.000 đ/);
    expect(lines.filter((line) => line.startsWith("Căn cứ:"))).toHaveLength(1);
    const household = answerer.answer("o que thu nhap 1tr8/nguoi: nam 2026 xep gi, nam 2027 xep gi", TODAY)!;
    expect(household.text).toMatch(
      /^Năm 2026: .*mức sống trung bình[\s\S]*\nNăm 2027: .*hộ nghèo hoặc hộ cận nghèo/,
    );
  });
});

describe("finding an answer by its words when no concept group is named", () => {
  const index = indexSimilar([
    { id: "rate", words: [["lai", "suat", "vay", "ho", "ngheo"]] },
    { id: "card", words: [["lam", "the", "bao", "hiem", "y", "te"]] },
    { id: "line", words: [["chuan", "ngheo", "nong", "thon"]] },
  ]);
  const anyAnswer = () => true;

  it("takes the answer that shares most of the question's words, when it leads clearly", () => {
    expect(closestAnswer(["lai", "suat", "ho", "ngheo", "the", "nao"], index, anyAnswer)).toBe("rate");
  });

  it("answers nothing for words the answers do not know, or a question that fits two equally", () => {
    expect(closestAnswer(["gia", "vang", "hom", "nay", "the", "nao"], index, anyAnswer)).toBeUndefined();
    expect(closestAnswer(["ngheo", "lai", "chuan"], index, anyAnswer)).toBeUndefined();
    expect(closestAnswer(["lai", "suat", "ho", "ngheo"], index, (id) => id !== "rate")).toBeUndefined();
  });
});
