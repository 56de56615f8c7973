/**
 * HTML for the staff console: a tagged template that escapes every value put into it (text from plans, what
 * staff typed, scorer sentences), the page layout with its navigation, and small shared pieces. Pure.
 */
import { CONSOLE_PAGES, type ConsolePage } from "../staff/roles.ts";

/** Markup that is already safe; only {@link html} and {@link raw} make one. */
export class Html {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

/** Escapes text for HTML content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Markup taken as it is: only for strings built here, never for input. */
export function raw(value: string): Html {
  return new Html(value);
}

type Value = Html | string | number | boolean | null | undefined | readonly Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false || value === true) return "";
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return (value as readonly Value[]).map(render).join("");
  return escapeHtml(String(value));
}

/** `html\`<p>${text}</p>\``: values are escaped, nested `html` and arrays of it are kept. */
export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0]!;
  values.forEach((value, index) => {
    out += render(value) + strings[index + 1]!;
  });
  return new Html(out);
}

/** What every page's layout needs. */
export interface LayoutOptions {
  title: string;
  /** The page, for the navigation's current item; none on the sign-in page. */
  page?: ConsolePage;
  /** The signed-in user's CSRF token (the sign-out form); absent when signed out. */
  csrf?: string;
  /** Who is signed in, as shown ("telegram:123"). */
  who?: string;
  /** Extra scripts served from /console/static. */
  scripts?: readonly string[];
}

/** A whole page: header with navigation and sign-out, main content, footer. */
export function layout(options: LayoutOptions, body: Html): Html {
  const nav = options.csrf
    ? html`<nav aria-label="Các trang">
        <ul>
          ${(Object.entries(CONSOLE_PAGES) as [ConsolePage, (typeof CONSOLE_PAGES)[ConsolePage]][]).map(
            ([id, page]) =>
              html`<li>
                <a href="/console${page.path}" ${id === options.page ? raw('aria-current="page"') : ""}
                  >${page.title}</a
                >
              </li>`,
          )}
        </ul>
        <form method="post" action="/console/dangxuat" class="signout">
          <input type="hidden" name="_csrf" value="${options.csrf}" />
          ${options.who ? html`<span class="who">${options.who}</span>` : ""}
          <button type="submit">Đăng xuất</button>
        </form>
      </nav>`
    : "";
  return html`<!doctype html>
    <html lang="vi">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${options.title} · Hỏi Chính Sách</title>
        <link rel="stylesheet" href="/console/static/console.css" />
      </head>
      <body>
        <a class="skip" href="#noi-dung">Chuyển đến nội dung chính</a>
        <header>
          <p class="brand"><a href="/console">Hỏi Chính Sách · Trang làm việc</a></p>
          ${nav}
        </header>
        <main id="noi-dung">
          <h1>${options.title}</h1>
          ${body}
        </main>
        <footer>
          <p>
            Chỉ dành cho cán bộ xã và tình nguyện viên trợ giúp pháp lý. Kết quả là ước tính theo thông tin đã
            khai; UBND xã công nhận qua rà soát.
          </p>
        </footer>
        <script src="/console/static/console.js" defer></script>
        ${(options.scripts ?? []).map((name) => html`<script src="/console/static/${name}" defer></script>`)}
      </body>
    </html>`;
}

/** The hidden CSRF field of a form. */
export function csrfField(token: string): Html {
  return html`<input type="hidden" name="_csrf" value="${token}" />`;
}

/** "2026-03-01" → "01/03/2026". */
export function shortDate(iso: string): string {
  const [year, month, day] = iso.split("-");
  return `${day}/${month}/${year}`;
}

/** Plain text with line breaks kept, as paragraphs. */
export function paragraphs(text: string): Html {
  return html`${text
    .split(/\n{2,}/)
    .map((block) => block.trim())
    .filter(Boolean)
    .map(
      (block) =>
        html`<p>
          ${block.split("\n").map((line, index) => html`${index > 0 ? raw("<br />") : ""}${line}`)}
        </p>`,
    )}`;
}

/** A paste-ready citation with its copy button (the button is enabled by console.js). */
export function citationBlock(citation: string): Html {
  return html`<div class="citation">
    <p><span class="label">Trích dẫn:</span> <span class="cite-text">${citation}</span></p>
    <button type="button" class="copy" data-copy="${citation}">Sao chép trích dẫn</button>
  </div>`;
}
