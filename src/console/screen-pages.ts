/**
 * The list screening page: the upload form with the template, the progress of a running screening, and the
 * summary of a finished one (counts, unreadable rows, categories, programmes) with its result file. Pure: no
 * I/O, every value escaped by {@link html}.
 */
import { formatNumberVi } from "../domain/format.ts";
import type { ScreeningReport } from "../screening/index.ts";
import { csrfField, html, type Html } from "./html.ts";
import { CATEGORY_LABEL } from "./pages.ts";
import type { JobView } from "./screen-jobs.ts";

/** Problems shown on the page; all of them are in the result file. */
export const PROBLEMS_SHOWN = 20;

const CATEGORY_ORDER = ["poor", "near_poor", "average_living", "none", "unknown"];

/** The upload form, with the template links and a problem to show above it. */
export function screenForm(options: {
  csrf: string;
  maxMegabytes: string;
  ttlMinutes: number;
  problems?: readonly string[];
}): Html {
  return html`<section class="card" aria-labelledby="tai-len-t">
    <h2 id="tai-len-t">Tải lên danh sách hộ</h2>
    <p>
      Mỗi dòng là một hộ, dưới một dòng tiêu đề có ít nhất các cột <strong>Khu vực</strong> và
      <strong>Số người</strong> (các cột khác như trong tệp mẫu). Từng hộ được xét như khi kiểm tra một hộ;
      dòng nào không đọc được thì được liệt kê kèm số dòng, cột và lý do, các dòng khác vẫn được xét.
    </p>
    <p class="actions">
      <a class="button" href="/console/screen/mau.xlsx" download>Tải tệp mẫu (XLSX)</a>
      <a class="button" href="/console/screen/mau.csv" download>Tải tệp mẫu (CSV)</a>
    </p>
    <p class="help">Tệp mẫu có sẵn các cột, một dòng ví dụ và trang “Hướng dẫn” giải thích từng cột.</p>
    ${
      options.problems && options.problems.length > 0
        ? html`<div class="problem" role="alert">
            ${options.problems.map((problem) => html`<p>${problem}</p>`)}
          </div>`
        : ""
    }
    <form method="post" action="/console/screen" enctype="multipart/form-data">
      ${csrfField(options.csrf)}
      <label for="tep">Tệp danh sách (.xlsx hoặc .csv)</label>
      <input id="tep" name="tep" type="file" accept=".xlsx,.csv" required aria-describedby="tep-goi-y" />
      <p id="tep-goi-y" class="help">
        Tối đa ${options.maxMegabytes} MB. CSV cần lưu dạng “CSV UTF-8”. Danh sách là thông tin cá nhân: chỉ
        dùng để xét, không lưu lại; tệp kết quả bị xoá khỏi máy chủ khi bạn tải về, hoặc sau
        ${options.ttlMinutes} phút.
      </p>
      <fieldset>
        <legend>Dạng tệp kết quả</legend>
        <label
          ><input type="radio" name="dang" value="xlsx" checked /> Excel (.xlsx): kết quả, căn cứ pháp lý,
          dòng lỗi</label
        >
        <label><input type="radio" name="dang" value="csv" /> CSV (UTF-8, mở được bằng Excel)</label>
      </fieldset>
      <button type="submit">Sàng lọc</button>
    </form>
  </section>`;
}

/** What a running screening has done, in words (the page and its progress API say the same). */
export function progressText(job: JobView): string {
  const status = job.status;
  switch (status.state) {
    case "waiting":
      return "Đang chờ đến lượt (máy chủ đang sàng lọc danh sách khác)…";
    case "running": {
      const done = status.progress?.rowsDone ?? 0;
      return done === 0 ? "Đang đọc tệp…" : `Đã xét ${formatNumberVi(done)} hộ…`;
    }
    case "done":
      return "Đã xong.";
    case "failed":
      return status.message;
  }
}

/** The page of a running screening: a progress bar that screen.js moves (or a reload without JavaScript). */
export function screenProgress(job: JobView): Html {
  const expectedRows = job.expectedRows;
  const done = job.status.state === "running" ? (job.status.progress?.rowsDone ?? 0) : 0;
  return html`<section class="card" aria-labelledby="tien-do-t">
    <h2 id="tien-do-t">Đang sàng lọc “${job.fileName}”</h2>
    <label for="tien-do">Tiến độ</label>
    ${
      expectedRows
        ? html`<progress
            id="tien-do"
            data-api="/console/api/screen/${job.id}"
            max="${expectedRows}"
            value="${Math.min(done, expectedRows)}"
          ></progress>`
        : html`<progress id="tien-do" data-api="/console/api/screen/${job.id}"></progress>`
    }
    <p id="tien-do-chu" role="status" aria-live="polite">${progressText(job)}</p>
    <p class="help">
      Trang tự cập nhật và hiện kết quả khi xong.
      <noscript>Trình duyệt đang tắt JavaScript: hãy tải lại trang (F5) để xem tiến độ.</noscript>
    </p>
  </section>`;
}

/** The summary of a finished screening, with the download of its result file. */
export function screenResult(options: {
  job: JobView;
  report: ScreeningReport;
  downloaded: boolean;
  titles: ReadonlyMap<string, string>;
  ttlMinutes: number;
}): Html {
  const { job, report } = options;
  const n = formatNumberVi;
  const shown = report.problems.slice(0, PROBLEMS_SHOWN);
  const more = report.problems.length - shown.length + report.moreProblems;
  const categories = Object.entries(report.categories).sort(
    ([a], [b]) => CATEGORY_ORDER.indexOf(a) - CATEGORY_ORDER.indexOf(b),
  );
  const programmes = Object.entries(report.eligible)
    .filter(([, count]) => count > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const format = job.outputFormat.toUpperCase();
  return html`<section class="card" id="ket-qua" aria-labelledby="ket-qua-t">
      <h2 id="ket-qua-t">Kết quả sàng lọc “${job.fileName}”</h2>
      <p class="summary">
        <strong>${n(report.households)}</strong> hộ trong danh sách: <strong>${n(report.decided)}</strong> hộ
        đã xét, <strong>${n(report.unreadable)}</strong> dòng không đọc được.
      </p>
      ${
        options.downloaded
          ? html`<p class="note">
              Tệp kết quả đã được tải về và đã xoá khỏi máy chủ. Muốn có lại, hãy sàng lọc lại danh sách.
            </p>`
          : html`<p class="actions">
                <a class="button" href="/console/screen/${job.id}/ket-qua.${job.outputFormat}" download
                  >Tải tệp kết quả (${format})</a
                >
              </p>
              <p class="help">
                Tải được một lần, trong ${options.ttlMinutes} phút; sau đó tệp bị xoá khỏi máy chủ.
                ${
                  job.outputFormat === "xlsx"
                    ? "Tệp có ba trang: Kết quả (mỗi hộ một dòng), Căn cứ pháp lý, Dòng lỗi."
                    : "Mỗi hộ một dòng; lỗi dữ liệu ở cột cuối."
                }
              </p>`
      }
      ${
        report.ignoredColumns.length > 0
          ? html`<p class="note">
              Các cột không dùng đến: ${report.ignoredColumns.map((heading) => `“${heading}”`).join(", ")}.
            </p>`
          : ""
      }
      <p><a href="/console/screen">Sàng lọc danh sách khác</a></p>
    </section>
    ${
      report.unreadable > 0
        ? html`<section class="card" aria-labelledby="dong-loi-t">
            <h2 id="dong-loi-t">Dòng không đọc được</h2>
            <div class="table-wrap">
              <table class="problems">
                <caption>
                  ${
                    more > 0
                      ? `${shown.length} lỗi đầu tiên; tất cả có trong tệp kết quả`
                      : "Các dòng này không được xét; các dòng khác vẫn được xét"
                  }
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Dòng</th>
                    <th scope="col">Cột</th>
                    <th scope="col">Lý do</th>
                  </tr>
                </thead>
                <tbody>
                  ${shown.map(
                    (problem) =>
                      html`<tr>
                        <td class="num">${problem.row}</td>
                        <td>${problem.column}</td>
                        <td>${problem.message}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>
            ${
              more > 0
                ? html`<p class="more">
                    Còn ${n(more)} lỗi khác: xem cột “Lỗi dữ liệu” của tệp kết
                    quả${job.outputFormat === "xlsx" ? " và trang “Dòng lỗi”" : ""}.
                  </p>`
                : ""
            }
          </section>`
        : ""
    }
    <div class="charts">
      <section class="card" aria-labelledby="dien-ho-t">
        <h2 id="dien-ho-t">Diện hộ</h2>
        ${countTable(
          "Diện hộ",
          "Số hộ",
          categories.map(([category, count]) => [CATEGORY_LABEL[category] ?? category, count]),
        )}
      </section>
      <section class="card" aria-labelledby="chinh-sach-t">
        <h2 id="chinh-sach-t">Chính sách đủ điều kiện nhiều nhất</h2>
        ${
          programmes.length === 0
            ? html`<p>Chưa hộ nào đủ điều kiện theo thông tin đã khai.</p>`
            : countTable(
                "Chính sách",
                "Số hộ đủ điều kiện",
                programmes.map(([id, count]) => [options.titles.get(id) ?? id, count]),
              )
        }
      </section>
    </div>`;
}

function countTable(what: string, count: string, rows: readonly [string, number][]): Html {
  return html`<table>
    <thead>
      <tr>
        <th scope="col">${what}</th>
        <th scope="col">${count}</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        ([label, value]) =>
          html`<tr>
            <td>${label}</td>
            <td class="num">${formatNumberVi(value)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}
