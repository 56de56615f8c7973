/**
 * The console's pages as HTML, from what the services computed: sign-in, home, search, documents and sections,
 * the household check, statistics, the feedback queue. Pure: no I/O, every value escaped by {@link html}.
 */
import { estimatedCategoryLabel, RESULT_CATEGORY_LABEL } from "../domain/wording.ts";
import type { Decision } from "../domain/decision.ts";
import type { PlanMetadata } from "../knowledge/load.ts";
import type { SearchOutcome, SearchResult } from "../knowledge/types.ts";
import { issuedOnLabel } from "../knowledge/citation.ts";
import { renderDecisionText } from "../staff/case-summary.ts";
import { planCitation, ruleCitation, type CitationGroup } from "../staff/citations.ts";
import { areaThenAndNow, isOver } from "../staff/documents.ts";
import type { FeedbackRecord } from "../staff/feedback.ts";
import { sectionKey, sectionNumber, type Outline } from "../staff/plan-outline.ts";
import type { QuickNote } from "../answers/quick-household.ts";
import type { Referrals } from "../staff/referrals.ts";
import { CONSOLE_PAGES, type ConsolePage } from "../staff/roles.ts";
import type { StatsSummary } from "../staff/stats.ts";
import { FLAG_FIELDS, HELP, LISTED_OPTIONS, type FormValues } from "./check-form.ts";
import { citationBlock, csrfField, html, paragraphs, raw, shortDate, type Html } from "./html.ts";

// === Sign-in

/** The sign-in page: how to get a code, and the form to type it. */
export function signInPage(options: { csrf: string; problem?: string; lockedUntil?: number | null }): Html {
  const locked = options.lockedUntil
    ? html`<p class="problem" role="alert">
        Đã nhập sai mã quá nhiều lần. Vui lòng thử lại sau
        ${new Date(options.lockedUntil).toLocaleTimeString("vi-VN", {
          timeZone: "Asia/Ho_Chi_Minh",
          hour: "2-digit",
          minute: "2-digit",
        })}.
      </p>`
    : "";
  return html`<section class="card narrow">
    <p>
      Trang làm việc dành cho cán bộ xã và tình nguyện viên đã được đăng ký. Không dùng mật khẩu: nhắn
      <strong>/dangnhap</strong> cho bot Hỏi Chính Sách trên Telegram hoặc Zalo để nhận mã 8 chữ số, dùng được
      một lần trong 10 phút.
    </p>
    ${locked} ${options.problem ? html`<p class="problem" role="alert">${options.problem}</p>` : ""}
    <form method="post" action="/console/dangnhap">
      ${csrfField(options.csrf)}
      <label for="ma">Mã đăng nhập</label>
      <input
        id="ma"
        name="ma"
        inputmode="numeric"
        autocomplete="one-time-code"
        pattern="[0-9 ]{8,9}"
        maxlength="9"
        required
        aria-describedby="ma-goi-y"
      />
      <p id="ma-goi-y" class="help">
        Ví dụ: 1234 5678. Người quản trị có thể tạo mã bằng lệnh hoichinhsach console-login.
      </p>
      <button type="submit">Đăng nhập</button>
    </form>
  </section>`;
}

/** A refusal page (403): signed in, but not (or no longer) staff. */
export function refusedPage(): Html {
  return html`<section class="card narrow">
    <p class="problem" role="alert">
      Tài khoản này không có quyền dùng trang làm việc. Trang chỉ dành cho cán bộ xã và tình nguyện viên trợ
      giúp pháp lý đã được đăng ký; hãy nhờ người quản trị thêm tài khoản của bạn vào STAFF_IDS.
    </p>
    <p><a href="/console/dangnhap">Đăng nhập bằng tài khoản khác</a></p>
  </section>`;
}

// === Home

/** The home page: a tile per page. */
export function homePage(): Html {
  const tiles: Record<Exclude<ConsolePage, "home">, string> = {
    search: "Tra cứu kế hoạch và quy định, lọc theo tỉnh, văn bản, năm; trích dẫn để dán vào văn bản.",
    documents: "Danh sách kế hoạch (số, ngày, cơ quan, địa bàn, thời hạn) và đọc từng mục.",
    check: "Nhập thông tin hộ, xem kết quả có căn cứ, in hoặc tải bản tóm tắt hồ sơ (PDF).",
    screen: "Tải lên danh sách hộ của xã (Excel hoặc CSV), xét từng hộ và tải về tệp kết quả.",
    stats: "Thống kê ẩn danh: số lượt kiểm tra, diện hộ, chính sách, câu hỏi chưa có câu trả lời tốt.",
    feedback: "Các câu trả lời bị đánh giá Sai hoặc Chưa rõ; ghi kết quả đúng và xuất thành ca kiểm thử.",
  };
  return html`<ul class="tiles">
    ${(Object.entries(tiles) as [Exclude<ConsolePage, "home">, string][]).map(
      ([page, text]) =>
        html`<li>
          <a href="/console${CONSOLE_PAGES[page].path}"><strong>${CONSOLE_PAGES[page].title}</strong></a>
          <p>${text}</p>
        </li>`,
    )}
  </ul>`;
}

// === Search

/** What the search page shows. */
export interface SearchView {
  query: string;
  province: string;
  document: string;
  year: string;
  page: number;
  pageSize: number;
  notes: readonly string[];
  problem?: string;
  outcome?: SearchOutcome;
  plans: ReadonlyMap<string, PlanMetadata>;
  provinces: readonly string[];
}

function sectionHref(result: Pick<SearchResult, "documentId" | "sectionPath">): string | undefined {
  const key = sectionKey(sectionNumber(result.sectionPath));
  return key
    ? `/console/documents/${encodeURIComponent(result.documentId)}/${encodeURIComponent(key)}`
    : undefined;
}

function searchHref(view: SearchView, page: number): string {
  const query = new URLSearchParams({ q: view.query });
  if (view.province) query.set("tinh", view.province);
  if (view.document) query.set("vanban", view.document);
  if (view.year) query.set("nam", view.year);
  if (page > 1) query.set("trang", String(page));
  return `/console/search?${query.toString()}`;
}

/** The search page: the form with its filters, the direct answer, a page of passages with citations. */
export function searchPage(view: SearchView): Html {
  const form = html`<form method="get" action="/console/search" class="search" role="search">
    <div class="field wide">
      <label for="q">Câu hỏi hoặc từ khoá</label>
      <input
        id="q"
        name="q"
        type="search"
        value="${view.query}"
        placeholder="hộ cận nghèo hỗ trợ bảo hiểm y tế"
      />
    </div>
    <div class="field">
      <label for="tinh">Tỉnh, thành phố</label>
      <input id="tinh" name="tinh" value="${view.province}" list="ds-tinh" placeholder="tên cũ hoặc mới" />
      <datalist id="ds-tinh">
        ${view.provinces.map((name) => html`<option value="${name}"></option>`)}
      </datalist>
    </div>
    <div class="field">
      <label for="vanban">Văn bản</label>
      <select id="vanban" name="vanban">
        <option value="">Tất cả</option>
        ${[...view.plans.values()].map(
          (plan) =>
            html`<option value="${plan.id}" ${plan.id === view.document ? raw("selected") : ""}>
              ${plan.number ?? plan.id} · ${plan.province} (${plan.period.from}–${plan.period.to})
            </option>`,
        )}
      </select>
    </div>
    <div class="field">
      <label for="nam">Năm</label>
      <input id="nam" name="nam" inputmode="numeric" pattern="[0-9]{4}" maxlength="4" value="${view.year}" />
    </div>
    <button type="submit">Tìm</button>
  </form>`;
  if (view.problem)
    return html`${form}
      <p class="problem" role="alert">${view.problem}</p>`;
  if (!view.outcome) return form;
  const outcome = view.outcome;
  if (outcome.type === "invalid")
    return html`${form}
      <p class="problem" role="alert">${outcome.message}</p>`;
  const total = outcome.results.length;
  const pages = Math.max(1, Math.ceil(total / view.pageSize));
  const page = Math.min(Math.max(1, view.page), pages);
  const items = outcome.results.slice((page - 1) * view.pageSize, page * view.pageSize);
  const answer =
    outcome.answer && page === 1
      ? html`<section class="card answer" aria-labelledby="tl">
          <h2 id="tl">Quy định đang áp dụng</h2>
          ${paragraphs(outcome.answer.text)}
          ${outcome.answer.references.map((reference) => citationBlock(ruleCitation(reference)))}
        </section>`
      : "";
  const cautioned = new Set<string>();
  return html`${form} ${view.notes.map((note) => html`<p class="note">${note}</p>`)} ${answer}
  ${
    outcome.type === "no_match"
      ? html`<p class="note">${outcome.message}</p>
          ${total > 0 ? html`<p>Một vài đoạn gần nhất (có thể không đúng ý bạn):</p>` : ""}`
      : ""
  }
  ${
    total > 0
      ? html`<h2>
            ${outcome.answer ? "Trong kế hoạch của địa phương (để tham khảo)" : "Các đoạn phù hợp nhất"}
          </h2>
          <ol class="results" start="${(page - 1) * view.pageSize + 1}">
            ${items.map((result) => {
              const metadata = view.plans.get(result.documentId);
              const href = sectionHref(result);
              const warnings = cautioned.has(result.documentId) ? [] : result.warnings;
              cautioned.add(result.documentId);
              return html`<li class="card">
                <blockquote>“${result.excerpt}”</blockquote>
                <p class="source">Nguồn: ${result.citation}</p>
                ${metadata ? citationBlock(planCitation(metadata, result.sectionPath)) : ""}
                ${warnings.map((warning) => html`<p class="warning"><strong>Lưu ý:</strong> ${warning}</p>`)}
                ${href ? html`<p><a href="${href}">Xem trọn mục</a></p>` : ""}
              </li>`;
            })}
          </ol>
          <nav class="pager" aria-label="Trang kết quả">
            ${page > 1 ? html`<a href="${searchHref(view, page - 1)}" rel="prev">← Trang trước</a>` : ""}
            <span>Trang ${page}/${pages}</span>
            ${page < pages ? html`<a href="${searchHref(view, page + 1)}" rel="next">Trang sau →</a>` : ""}
          </nav>`
      : ""
  }`;
}

// === Documents

function numberLabel(plan: PlanMetadata): string {
  if (plan.number) return plan.number;
  if (plan.numberAsPrinted) return `để trống (in là “${plan.numberAsPrinted}”)`;
  return "không ghi số";
}

function periodLabel(plan: PlanMetadata): string {
  return plan.period.from === plan.period.to
    ? `năm ${plan.period.from}`
    : `${plan.period.from}–${plan.period.to}`;
}

/** The list of plans as a table. */
export function documentsPage(
  plans: readonly PlanMetadata[],
  area: (plan: PlanMetadata) => string,
  today: string,
): Html {
  return html`<div class="table-wrap">
    <table>
      <caption>
        ${plans.length} kế hoạch, tình trạng tính đến ngày ${shortDate(today)}
      </caption>
      <thead>
        <tr>
          <th scope="col">Văn bản</th>
          <th scope="col">Số</th>
          <th scope="col">Ngày</th>
          <th scope="col">Cơ quan ban hành</th>
          <th scope="col">Địa bàn</th>
          <th scope="col">Thời hạn</th>
          <th scope="col">Hiệu lực</th>
        </tr>
      </thead>
      <tbody>
        ${plans.map(
          (plan) =>
            html`<tr>
              <td><a href="/console/documents/${encodeURIComponent(plan.id)}">${plan.title}</a></td>
              <td>${numberLabel(plan)}</td>
              <td>${issuedOnLabel(plan.issuedOn)}</td>
              <td>${plan.issuer}</td>
              <td>${area(plan)}</td>
              <td>${periodLabel(plan)}</td>
              <td>
                ${isOver(plan, today) ? html`<span class="over">Đã hết thời hạn</span>` : "Còn trong thời hạn"}
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** One plan: its reference, status and the outline, each section a link of its own. */
export function documentPage(options: {
  plan: PlanMetadata;
  outline: Outline;
  status: readonly string[];
  areaNow: string;
}): Html {
  const { plan, outline } = options;
  const base = `/console/documents/${encodeURIComponent(plan.id)}`;
  return html`<section class="card">
      <p><strong>${plan.kind} ${numberLabel(plan)}</strong>, ${issuedOnLabel(plan.issuedOn)}</p>
      <p>Cơ quan ban hành: ${plan.issuer}</p>
      <p>Địa bàn: ${options.areaNow}</p>
      <p>Thời hạn: ${periodLabel(plan)}</p>
      ${options.status.map((line) => html`<p class="warning"><strong>Lưu ý:</strong> ${line}</p>`)}
    </section>
    <h2>Mục lục</h2>
    <nav aria-label="Mục lục" class="outline">
      <ul>
        ${outline.preamble ? html`<li><a href="${base}/mo-dau">Phần mở đầu (căn cứ ban hành)</a></li>` : ""}
        ${outline.sections.map(
          (section) =>
            html`<li class="depth-${Math.min(section.depth, 4)}">
              <a href="${base}/${encodeURIComponent(section.key)}"
                >${section.key} ${section.title || section.path.at(-1)}</a
              >
            </li>`,
        )}
      </ul>
    </nav>`;
}

/** One section: the whole text, its citation with the copy button, and the plan's status. */
export function sectionPage(options: {
  plan: PlanMetadata;
  heading: string;
  body: string;
  citation: string;
  status: readonly string[];
}): Html {
  const base = `/console/documents/${encodeURIComponent(options.plan.id)}`;
  return html`<p><a href="${base}">← Mục lục: ${options.plan.title}</a></p>
    <article class="card section-text">
      <h2>${options.heading}</h2>
      ${paragraphs(options.body)}
    </article>
    ${citationBlock(options.citation)}
    ${options.status.map((line) => html`<p class="warning"><strong>Lưu ý:</strong> ${line}</p>`)}`;
}

/** A section address that names several sections (or none): the candidates, or what exists. */
export function sectionProblemPage(plan: PlanMetadata, message: string): Html {
  return html`<p><a href="/console/documents/${encodeURIComponent(plan.id)}">← Mục lục: ${plan.title}</a></p>
    <p class="problem" role="alert">${message.replace(/\/doc \S+ /g, "mục ")}</p>`;
}

// === Check a household

function selected(condition: boolean): Html | "" {
  return condition ? raw("selected") : "";
}

function checked(condition: boolean): Html | "" {
  return condition ? raw("checked") : "";
}

function value(values: FormValues, name: string): string {
  const entry = values[name];
  return typeof entry === "string" ? entry : (entry?.[0] ?? "");
}

function values(form: FormValues, name: string): readonly string[] {
  const entry = form[name];
  return entry === undefined ? [] : typeof entry === "string" ? [entry] : entry;
}

/** The household form, refilled with what was sent. */
export function checkForm(options: {
  csrf: string;
  values: FormValues;
  indicators: readonly { id: string; label: string }[];
  provinces: readonly string[];
  problems?: readonly string[];
}): Html {
  const v = options.values;
  const help = (id: string, text: string): Html => html`<p class="help" id="${id}">${text}</p>`;
  return html`${
      options.problems?.length
        ? html`<div class="problem" role="alert">
            <p>Chưa kiểm tra được:</p>
            <ul>
              ${options.problems.map((problem) => html`<li>${problem}</li>`)}
            </ul>
          </div>`
        : ""
    }
    <form method="post" action="/console/check" class="check">
      ${csrfField(options.csrf)}
      <fieldset>
        <legend>Cách nhanh: cả hộ trên một dòng</legend>
        <label for="dong">Dòng nhập nhanh (không bắt buộc)</label>
        <textarea id="dong" name="dong" rows="2" aria-describedby="dong-h">${value(v, "dong")}</textarea>
        ${help("dong-h", HELP.dong)}
      </fieldset>
      <fieldset>
        <legend>Thông tin hộ</legend>
        <div class="grid">
          <div class="field">
            <span class="label" id="kv-l">Khu vực sống</span>
            <div role="radiogroup" aria-labelledby="kv-l" aria-describedby="kv-h" class="inline">
              <label
                ><input
                  type="radio"
                  name="khu_vuc"
                  value="rural"
                  ${checked(value(v, "khu_vuc") === "rural")}
                />
                Nông thôn (xã)</label
              >
              <label
                ><input
                  type="radio"
                  name="khu_vuc"
                  value="urban"
                  ${checked(value(v, "khu_vuc") === "urban")}
                />
                Thành thị (phường, thị trấn)</label
              >
            </div>
            ${help("kv-h", HELP.khuVuc)}
          </div>
          <div class="field">
            <label for="so_nguoi">Số người trong hộ</label>
            <input
              id="so_nguoi"
              name="so_nguoi"
              inputmode="numeric"
              pattern="[0-9]{1,2}"
              maxlength="2"
              value="${value(v, "so_nguoi")}"
              aria-describedby="sn-h"
            />
            ${help("sn-h", HELP.soNguoi)}
          </div>
          <div class="field">
            <label for="tinh">Tỉnh, thành phố (có quy định riêng)</label>
            <select id="tinh" name="tinh">
              <option value="">Không chọn</option>
              ${options.provinces.map((name) => html`<option ${selected(value(v, "tinh") === name)}>${name}</option>`)}
            </select>
          </div>
          <div class="field">
            <label for="danh_sach">Danh sách của xã</label>
            <select id="danh_sach" name="danh_sach" aria-describedby="ds-h">
              ${LISTED_OPTIONS.map(
                (option) =>
                  html`<option value="${option.value}" ${selected(value(v, "danh_sach") === option.value)}>
                    ${option.label}
                  </option>`,
              )}
            </select>
            ${help("ds-h", HELP.danhSach)}
          </div>
          <div class="field">
            <label for="thu_nhap">Thu nhập</label>
            <input id="thu_nhap" name="thu_nhap" value="${value(v, "thu_nhap")}" aria-describedby="tn-h" />
            <label for="thu_nhap_theo">Thu nhập này là của</label>
            <select id="thu_nhap_theo" name="thu_nhap_theo">
              <option value="household" ${selected(value(v, "thu_nhap_theo") !== "person")}>
                cả hộ, mỗi tháng
              </option>
              <option value="person" ${selected(value(v, "thu_nhap_theo") === "person")}>
                mỗi người, mỗi tháng (bình quân)
              </option>
            </select>
            ${help("tn-h", HELP.thuNhap)}
          </div>
          <div class="field">
            <label for="ra_khoi">Ngày ra khỏi danh sách (nếu có)</label>
            <input
              id="ra_khoi"
              name="ra_khoi"
              type="date"
              value="${value(v, "ra_khoi")}"
              aria-describedby="rk-h"
            />
            ${help("rk-h", HELP.raKhoi)}
          </div>
        </div>
      </fieldset>
      <fieldset>
        <legend>Chỉ số thiếu hụt dịch vụ xã hội cơ bản</legend>
        <label
          ><input
            type="checkbox"
            name="thieu_da_hoi"
            value="yes"
            ${checked(value(v, "thieu_da_hoi") === "yes")}
          />
          Đã hỏi hộ về các chỉ số (không đánh dấu ô nào nghĩa là không thiếu chỉ số nào)</label
        >
        <p class="help">${HELP.thieu}</p>
        <div class="checks">
          ${options.indicators.map(
            (indicator) =>
              html`<label
                ><input
                  type="checkbox"
                  name="thieu"
                  value="${indicator.id}"
                  ${checked(values(v, "thieu").includes(indicator.id))}
                />
                ${indicator.label}</label
              >`,
          )}
        </div>
      </fieldset>
      <fieldset>
        <legend>Nơi ở và nghề</legend>
        <div class="grid">
          ${FLAG_FIELDS.map(
            ({ flag, label }) =>
              html`<div class="field">
                <label for="${flag}">${label}</label>
                <select id="${flag}" name="${flag}">
                  <option value="">Chưa rõ</option>
                  <option value="yes" ${selected(value(v, flag) === "yes")}>Có</option>
                  <option value="no" ${selected(value(v, flag) === "no")}>Không</option>
                </select>
              </div>`,
          )}
        </div>
      </fieldset>
      <fieldset>
        <legend>Thành viên cần nói riêng</legend>
        <label for="thanh_vien">Học sinh, sinh viên, người cao tuổi, người khuyết tật, dân tộc</label>
        <input id="thanh_vien" name="thanh_vien" value="${value(v, "thanh_vien")}" aria-describedby="tv-h" />
        ${help("tv-h", HELP.thanhVien)}
      </fieldset>
      <fieldset>
        <legend>Bản tóm tắt</legend>
        <div class="grid">
          <div class="field">
            <label for="ngay">Ngày đánh giá</label>
            <input id="ngay" name="ngay" type="date" value="${value(v, "ngay")}" aria-describedby="ng-h" />
            ${help("ng-h", HELP.ngay)}
          </div>
          <div class="field">
            <label for="ten">Tên người dân (không bắt buộc)</label>
            <input
              id="ten"
              name="ten"
              maxlength="100"
              value="${value(v, "ten")}"
              aria-describedby="ten-h"
              autocomplete="off"
            />
            ${help("ten-h", HELP.ten)}
          </div>
        </div>
      </fieldset>
      <button type="submit">Kiểm tra</button>
    </form>`;
}

/** The decision under the form: the text staff read in chat, and the buttons for the printable summary. */
export function checkResult(options: {
  csrf: string;
  decision: Decision;
  citations: readonly CitationGroup[];
  referrals: Referrals;
  notes: readonly QuickNote[];
  carried: string;
  residentName?: string;
}): Html {
  const text = renderDecisionText(options.decision, {
    citations: options.citations,
    referrals: options.referrals,
    notes: options.notes,
  });
  const carry = html`${csrfField(options.csrf)}
    <input type="hidden" name="ho" value="${options.carried}" />
    <input type="hidden" name="ghi_chu" value="${JSON.stringify(options.notes)}" />
    ${options.residentName ? html`<input type="hidden" name="ten" value="${options.residentName}" />` : ""}`;
  return html`<section class="card result" aria-labelledby="kq" id="ket-qua">
    <h2 id="kq">Kết quả</h2>
    <div class="decision">${paragraphs(text)}</div>
    <div class="actions">
      <form method="post" action="/console/check/summary" target="_blank">
        ${carry}<button type="submit">Xem bản tóm tắt để in</button>
      </form>
      <form method="post" action="/console/check/pdf">
        ${carry}<button type="submit">Tải bản tóm tắt (PDF)</button>
      </form>
    </div>
    <p class="help">Không có gì được lưu lại: thông tin hộ chỉ nằm trong trang này.</p>
  </section>`;
}

// === Statistics

/** One chart: its canvas (drawn by stats.js from the data attribute) and the same numbers as a table. */
function chart(options: {
  id: string;
  title: string;
  kind: "bar" | "line" | "doughnut";
  rows: readonly { label: string; count: number }[];
}): Html {
  const data = JSON.stringify({
    type: options.kind,
    labels: options.rows.map((row) => row.label),
    values: options.rows.map((row) => row.count),
    title: options.title,
  });
  return html`<section class="card chart" aria-labelledby="${options.id}-t">
    <h2 id="${options.id}-t">${options.title}</h2>
    ${
      options.rows.length === 0
        ? html`<p>Chưa có số liệu.</p>`
        : html`<div class="chart-row">
            <div class="chart-box">
              <canvas
                id="${options.id}"
                data-chart="${data}"
                role="img"
                aria-label="Biểu đồ: ${options.title}"
              ></canvas>
            </div>
            <table>
              <thead>
                <tr>
                  <th scope="col">Mục</th>
                  <th scope="col">Số lượng</th>
                </tr>
              </thead>
              <tbody>
                ${options.rows.map(
                  (row) =>
                    html`<tr>
                      <td>${row.label}</td>
                      <td class="num">${row.count}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
    }
  </section>`;
}

/** A category's name on a chart or in a table ("Có thể thuộc diện hộ nghèo"), from the one list of words. */
export const CATEGORY_LABEL: Record<string, string> = Object.fromEntries(
  Object.keys(RESULT_CATEGORY_LABEL).map((category) => {
    const words = estimatedCategoryLabel(category as keyof typeof RESULT_CATEGORY_LABEL);
    return [category, words.charAt(0).toUpperCase() + words.slice(1)];
  }),
);
const VERDICT_LABEL = { correct: "Đúng", wrong: "Sai", unclear: "Chưa rõ" } as const;
const KIND_LABEL = { search: "tra cứu", decision: "kết quả kiểm tra" } as const;

/** The statistics page: each aggregate as a chart with its numbers beside it. */
export function statsPage(options: {
  summary: StatsSummary;
  titles: ReadonlyMap<string, string>;
  from: string;
  to: string;
}): Html {
  const s = options.summary;
  return html`<form method="get" action="/console/stats" class="range">
      <div class="field">
        <label for="from">Từ ngày</label><input id="from" name="from" type="date" value="${options.from}" />
      </div>
      <div class="field">
        <label for="to">Đến ngày</label><input id="to" name="to" type="date" value="${options.to}" />
      </div>
      <button type="submit">Xem</button>
    </form>
    <p>
      ${s.screenings} lượt kiểm tra hộ, ${s.searches} câu hỏi tra cứu (${s.unanswered} chưa có câu trả lời
      tốt). Số liệu gộp, không theo từng người.
    </p>
    <div class="charts">
      ${chart({
        id: "bd-ngay",
        title: "Số lượt kiểm tra mỗi ngày",
        kind: "line",
        rows: s.screeningsPerDay.map((row) => ({ label: shortDate(row.day), count: row.count })),
      })}
      ${chart({
        id: "bd-dien",
        title: "Diện hộ",
        kind: "doughnut",
        rows: s.categories.map((row) => ({
          label: CATEGORY_LABEL[row.category] ?? row.category,
          count: row.count,
        })),
      })}
      ${chart({
        id: "bd-chinh-sach",
        title: "Chính sách đủ điều kiện nhiều nhất",
        kind: "bar",
        rows: s.eligibleProgrammes.map((row) => ({
          label: options.titles.get(row.id) ?? row.id,
          count: row.count,
        })),
      })}
      ${chart({
        id: "bd-phan-hoi",
        title: "Phản hồi",
        kind: "bar",
        rows: s.feedback.map((row) => ({
          label: `${VERDICT_LABEL[row.verdict]} (${KIND_LABEL[row.kind]})`,
          count: row.count,
        })),
      })}
      ${chart({
        id: "bd-cau-hoi",
        title: "Câu hỏi chưa có câu trả lời tốt (đã che thông tin cá nhân)",
        kind: "bar",
        rows: s.unansweredQuestions.map((row) => ({ label: row.question, count: row.count })),
      })}
    </div>`;
}

// === Feedback queue

function answerSummary(record: FeedbackRecord): string {
  const answer = record.answer as Record<string, unknown> | null;
  if (!answer || typeof answer !== "object") return "";
  if (record.kind === "decision") {
    const category =
      typeof answer.category === "string" ? (CATEGORY_LABEL[answer.category] ?? answer.category) : "";
    return category ? `Kết quả đã đưa: ${category}` : "";
  }
  const passages = Array.isArray(answer.results) ? answer.results : [];
  const first = passages[0] as Record<string, unknown> | undefined;
  return first && typeof first.citation === "string" ? `Đoạn đã đưa: ${first.citation}` : "";
}

/** How many disputed answers the page shows (the newest). */
const FEEDBACK_SHOWN = 50;

/** The disputed answers, newest first, each with the right answer to fill; and the export links. */
export function feedbackPage(options: {
  csrf: string;
  records: readonly FeedbackRecord[];
  saved?: number;
}): Html {
  return html`<p>
      Câu trả lời bị đánh giá <strong>Sai</strong> hoặc <strong>Chưa rõ</strong>. Ghi đoạn đúng (ví dụ
      <code>thai-binh-2017-2020 IV.1.2</code>) hoặc kết quả đúng, rồi tải về thành ca kiểm thử nháp (như lệnh
      <code>hoichinhsach feedback export</code>).
    </p>
    <p class="actions">
      <a class="button" href="/console/feedback/kb-questions.draft.yaml" download
        >Tải câu hỏi tra cứu (YAML)</a
      >
      <a class="button" href="/console/feedback/household-cases.draft.yaml" download
        >Tải ca kiểm tra hộ (YAML)</a
      >
    </p>
    ${options.saved ? html`<p class="note" role="status">Đã ghi kết quả đúng cho phản hồi số ${options.saved}.</p>` : ""}
    ${
      options.records.length > FEEDBACK_SHOWN
        ? html`<p class="note">
            ${FEEDBACK_SHOWN} phản hồi mới nhất trong số ${options.records.length}; tệp tải về có tất cả.
          </p>`
        : ""
    }
    ${
      options.records.length === 0
        ? html`<p>Chưa có phản hồi Sai hoặc Chưa rõ.</p>`
        : html`<ol class="feedback">
            ${options.records
              .slice(-FEEDBACK_SHOWN)
              .reverse()
              .map(
                (record) =>
                  html`<li class="card" id="ph-${record.id}">
                    <p>
                      <strong>${VERDICT_LABEL[record.verdict]}</strong> · ${KIND_LABEL[record.kind]} · ngày
                      ${shortDate(record.day)} · ${record.role === "staff" ? "cán bộ" : "người dân"} đánh giá
                    </p>
                    ${record.question ? html`<p>Câu hỏi: “${record.question}”</p>` : ""}
                    <p class="source">${answerSummary(record)}</p>
                    <form method="post" action="/console/feedback/${record.id}">
                      ${csrfField(options.csrf)}
                      <label for="dung-${record.id}"
                        >${record.kind === "search" ? "Đoạn đúng (mã văn bản và mục)" : "Kết quả đúng"}</label
                      >
                      <input
                        id="dung-${record.id}"
                        name="dung"
                        value="${record.expected ?? ""}"
                        maxlength="500"
                      />
                      <button type="submit">Ghi</button>
                    </form>
                  </li>`,
              )}
          </ol>`
    }`;
}

/** The area line of a plan for the list. */
export { areaThenAndNow };
