/**
 * The staff web console under `/console`: sign-in with a one-time code from chat, then search, documents, the
 * household check with its printable summary (HTML and PDF), statistics and the feedback queue. Mounted by
 * `serve` on its HTTP server, or served alone by `hoichinhsach console`.
 *
 * Security: every page and API needs a session (pages redirect to sign-in, APIs answer 401) of a user who is
 * staff now (403 otherwise; `mayOpen` in src/staff/roles.ts decides); every form carries a CSRF token bound to
 * the session (403 without it); the session cookie is HttpOnly, SameSite=Strict, limited to /console and
 * Secure when the request came over HTTPS (PUBLIC_URL https://, or X-Forwarded-Proto from a trusted proxy);
 * wrong codes lock the client out after ten. Nothing a page shows about a household is stored.
 */
import { getConnInfo } from "@hono/node-server/conninfo";
import { Hono, type Context } from "hono";
import { getCookie, setCookie, deleteCookie } from "hono/cookie";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { addDays } from "../domain/dates.ts";
import { formatNumberVi } from "../domain/format.ts";
import { decide } from "../domain/eligibility.ts";
import type { HouseholdInput } from "../domain/household.ts";
import type { Logger } from "../logging.ts";
import { householdFacts, renderCaseSummaryHtml } from "../staff/case-summary.ts";
import { decisionCitations, planCitation, planStatus } from "../staff/citations.ts";
import { areaThenAndNow, resolveDocument, renderSection } from "../staff/documents.ts";
import { householdCaseDrafts, kbQuestionDrafts } from "../staff/feedback.ts";
import { findSection, plainText } from "../staff/plan-outline.ts";
import { indicatorsOn, type QuickNote } from "../answers/quick-household.ts";
import { referralsFor } from "../staff/referrals.ts";
import { mayOpen, type ConsolePage } from "../staff/roles.ts";
import { PAGE_SIZE, resolveFilters, SEARCH_LIMIT } from "../staff/search-filters.ts";
import { templateFile, type ListFormat } from "../screening/index.ts";
import type { StatsSummary } from "../staff/stats.ts";
import { readCarriedHousehold, readCheckForm, type FormValues } from "./check-form.ts";
import { html, layout, type Html } from "./html.ts";
import {
  checkForm,
  checkResult,
  documentPage,
  documentsPage,
  feedbackPage,
  homePage,
  refusedPage,
  searchPage,
  sectionPage,
  sectionProblemPage,
  signInPage,
  statsPage,
} from "./pages.ts";
import { PdfUnavailable, type PrintPdf } from "./pdf.ts";
import { JOB_TTL_MS, JobRefused, ScreeningJobs } from "./screen-jobs.ts";
import { progressText, screenForm, screenProgress, screenResult } from "./screen-pages.ts";
import type { ConsoleServices } from "./services.ts";

/** The session cookie; limited to /console. */
export const SESSION_COOKIE = "hcs_console";
/** The cookie that binds the sign-in form's CSRF token before there is a session. */
export const PRE_COOKIE = "hcs_signin";

/** Options of {@link createConsoleApp}. */
export interface ConsoleAppOptions {
  services: ConsoleServices;
  logger: Logger;
  /** Prints the case summary to PDF (src/console/pdf.ts). */
  printPdf: PrintPdf;
  /** PUBLIC_URL is https://: cookies are always Secure. */
  httpsPublicUrl?: boolean;
  /** TRUST_PROXY: believe X-Forwarded-Proto and X-Forwarded-For. */
  trustProxy?: boolean;
  /** The list screenings (default: a new set, with its temporary folder); its owner closes it. */
  screening?: ScreeningJobs;
  /** Largest uploaded list, in bytes (default {@link MAX_UPLOAD_BYTES}). */
  maxUploadBytes?: number;
}

const STATIC_DIR = join(dirname(fileURLToPath(import.meta.url)), "static");

/** The files under /console/static, read once: the console's own and Chart.js from node_modules. */
function staticFiles(): Map<string, { body: string; type: string }> {
  const chartDir = dirname(createRequire(import.meta.url).resolve("chart.js"));
  const js = "text/javascript; charset=utf-8";
  return new Map([
    [
      "console.css",
      { body: readFileSync(join(STATIC_DIR, "console.css"), "utf8"), type: "text/css; charset=utf-8" },
    ],
    ["console.js", { body: readFileSync(join(STATIC_DIR, "console.js"), "utf8"), type: js }],
    ["stats.js", { body: readFileSync(join(STATIC_DIR, "stats.js"), "utf8"), type: js }],
    ["screen.js", { body: readFileSync(join(STATIC_DIR, "screen.js"), "utf8"), type: js }],
    ["chart.umd.min.js", { body: readFileSync(join(chartDir, "chart.umd.min.js"), "utf8"), type: js }],
  ]);
}

const sha256 = (value: string): string => createHash("sha256").update(value).digest("base64url");

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Pages: only our own scripts and styles, no framing, forms only to here. */
const PAGE_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; " +
  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/** The printable summary carries its own inline CSS and no script. */
const SUMMARY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Largest form accepted, in bytes. */
const MAX_FORM_BYTES = 64 * 1024;
/** Largest uploaded list by default, in bytes (a list of some 100,000 households as CSV). */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
/** The upload form's file and multipart framing beyond the file itself. */
const MULTIPART_SLACK = 16 * 1024;

type Env = { Variables: { token: string; csrf: string; staffKey: string } };

/**
 * The console as a Hono app whose routes start with /console (mount it with `app.route("/", console)`).
 *
 * ```ts
 * const app = createConsoleApp({ services: createConsoleServices(database), logger, printPdf: createPdfPrinter() });
 * ```
 */
export function createConsoleApp(options: ConsoleAppOptions): Hono<Env> {
  const { services, logger } = options;
  const files = staticFiles();
  const maxUpload = options.maxUploadBytes ?? MAX_UPLOAD_BYTES;
  const maxMegabytes = Math.round((maxUpload / (1024 * 1024)) * 10) / 10;
  const ttlMinutes = Math.round(JOB_TTL_MS / 60_000);
  const tooLargeMessage = `Tệp quá lớn: tối đa ${formatNumberVi(maxMegabytes)} MB. Hãy chia danh sách thành nhiều tệp nhỏ hơn, hoặc dùng lệnh hoichinhsach check --xlsx trên máy tính.`;
  const jobs =
    options.screening ??
    new ScreeningJobs({ policy: services.policy, logger, today: () => services.today() });
  const uploadForm = (c: Context, problems?: readonly string[]) =>
    screenForm({
      csrf: c.get("csrf") as string,
      maxMegabytes: formatNumberVi(maxMegabytes),
      ttlMinutes,
      ...(problems ? { problems } : {}),
    });
  const app = new Hono<Env>();
  const provinces = services.policy.provinces.map((province) => province.info.name);
  const searchProvinces = [...new Set(services.documents.map((document) => document.metadata.province))];
  const programmeTitles = new Map(services.policy.programs.map((program) => [program.id, program.title]));

  const secure = (c: Context): boolean =>
    options.httpsPublicUrl === true ||
    (options.trustProxy === true &&
      (c.req.header("x-forwarded-proto") ?? "").split(",")[0]?.trim() === "https");

  const clientOf = (c: Context): string => {
    if (options.trustProxy) {
      const forwarded = c.req.header("x-forwarded-for");
      const last = forwarded?.split(",").at(-1)?.trim();
      if (last) return last;
    }
    try {
      return getConnInfo(c).remote.address ?? "unknown";
    } catch {
      return "unknown";
    }
  };

  const page = (
    c: Context,
    status: 200 | 400 | 401 | 403 | 404 | 410 | 413 | 429 | 503,
    title: string,
    body: Html,
    extra: { page?: ConsolePage; scripts?: string[] } = {},
  ) => {
    const csrf = c.get("csrf") as string | undefined;
    const who = c.get("staffKey") as string | undefined;
    c.header("Content-Security-Policy", PAGE_POLICY);
    return c.html(
      layout({ title, ...extra, ...(csrf ? { csrf } : {}), ...(who ? { who } : {}) }, body).value,
      status,
    );
  };

  const formValues = async (c: Context): Promise<FormValues | null> => {
    // Browsers send forms with their length: a body without one (chunked) is not read at all.
    const length = c.req.header("content-length");
    if (length === undefined) return c.req.header("transfer-encoding") ? null : {};
    if (Number(length) > MAX_FORM_BYTES) return null;
    const type = c.req.header("content-type") ?? "";
    if (!/^application\/x-www-form-urlencoded/i.test(type)) return {};
    const body = await c.req.parseBody({ all: true });
    const out: Record<string, string | string[]> = {};
    for (const [name, entry] of Object.entries(body)) {
      if (Array.isArray(entry)) out[name] = entry.filter((item): item is string => typeof item === "string");
      else if (typeof entry === "string") out[name] = entry;
    }
    return out;
  };

  // Every response: no sniffing, no referrer, never cached (pages show data about households and staff).
  app.use("/console/*", async (c, next) => {
    await next();
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
    c.header("X-Frame-Options", "DENY");
    if (!c.req.path.startsWith("/console/static/")) c.header("Cache-Control", "no-store");
  });

  app.get("/console/static/:name", (c) => {
    const file = files.get(c.req.param("name"));
    if (!file) return c.text("Không có tệp này.", 404);
    c.header("Content-Type", file.type);
    c.header("Cache-Control", "public, max-age=3600");
    return c.body(file.body);
  });

  // === Sign-in and sign-out (no session needed)

  const preToken = (c: Context): string => {
    let pre = getCookie(c, PRE_COOKIE);
    if (!pre || !/^[A-Za-z0-9_-]{43}$/.test(pre)) {
      pre = randomBytes(32).toString("base64url");
      setCookie(c, PRE_COOKIE, pre, {
        path: "/console",
        httpOnly: true,
        sameSite: "Strict",
        secure: secure(c),
      });
    }
    return sha256(`signin:${pre}`);
  };

  const showSignIn = async (c: Context, status: 200 | 401 | 403 | 429, problem?: string) => {
    const csrf = preToken(c);
    const lockedUntil = await services.auth.lockedUntil(clientOf(c));
    return page(c, status, "Đăng nhập", signInPage({ csrf, lockedUntil, ...(problem ? { problem } : {}) }));
  };

  app.get("/console/dangnhap", (c) => showSignIn(c, 200));

  app.post("/console/dangnhap", async (c) => {
    const form = await formValues(c);
    const pre = getCookie(c, PRE_COOKIE);
    const sent = typeof form?.["_csrf"] === "string" ? form["_csrf"] : "";
    if (!form || !pre || !sameToken(sent, sha256(`signin:${pre}`))) {
      logger.warn({ reason: "csrf" }, "console sign-in refused");
      return page(c, 403, "Không hợp lệ", forbiddenForm());
    }
    const code = typeof form["ma"] === "string" ? form["ma"] : "";
    // Expired codes, ended sessions and old lock-outs go here too (`console` runs no conversation purge).
    await services.auth.purgeExpired();
    const result = await services.auth.redeem(code, clientOf(c));
    if (result.type === "locked") {
      logger.warn({ reason: "locked" }, "console sign-in refused");
      return showSignIn(c, 429);
    }
    if (result.type === "wrong") {
      logger.info({ reason: "wrong_code" }, "console sign-in refused");
      return showSignIn(
        c,
        401,
        `Mã không đúng hoặc đã hết hạn. Còn ${result.remaining} lần thử; nhắn /dangnhap để lấy mã mới.`,
      );
    }
    if (services.roleOfDigest(result.userKey) !== "staff") {
      await services.auth.endSession(result.token);
      logger.warn({ reason: "not_staff" }, "console sign-in refused");
      return page(c, 403, "Không có quyền", refusedPage());
    }
    deleteCookie(c, PRE_COOKIE, { path: "/console" });
    setCookie(c, SESSION_COOKIE, result.token, {
      path: "/console",
      httpOnly: true,
      sameSite: "Strict",
      secure: secure(c),
    });
    logger.info({}, "console sign-in");
    return c.redirect("/console", 303);
  });

  // === Everything else needs a session of a staff member ("/console/*" matches "/console" too)

  app.use("/console/*", async (c, next) => {
    if (c.req.path.startsWith("/console/static/") || c.req.path === "/console/dangnhap") return next();
    return guard(c, next);
  });

  async function guard(c: Context<Env>, next: () => Promise<void>): Promise<Response | void> {
    const api = c.req.path.startsWith("/console/api/");
    const token = getCookie(c, SESSION_COOKIE);
    const session = token ? await services.auth.session(token) : null;
    if (!token || !session) {
      if (api) return c.json({ ok: false, error: "unauthenticated" }, 401);
      if (c.req.method === "GET" || c.req.method === "HEAD") return c.redirect("/console/dangnhap", 303);
      return showSignIn(c, 401, "Phiên làm việc đã hết. Vui lòng đăng nhập lại.");
    }
    const staffKey = services.staffKeyOf(session.userKey);
    if (services.roleOfDigest(session.userKey) !== "staff" || !staffKey) {
      if (api) return c.json({ ok: false, error: "forbidden" }, 403);
      return page(c, 403, "Không có quyền", refusedPage());
    }
    c.set("token", token);
    c.set("csrf", sha256(`csrf:${token}`));
    c.set("staffKey", staffKey);
    if (c.req.method === "POST") {
      const type = c.req.header("content-type") ?? "";
      let sent: unknown;
      if (/^application\/x-www-form-urlencoded/i.test(type)) sent = (await formValues(c))?.["_csrf"] ?? "";
      else if (/^multipart\/form-data/i.test(type)) {
        // An upload: its size is checked before anything is read (browsers send the length of a form).
        const length = c.req.header("content-length");
        if (length === undefined || Number(length) > maxUpload + MULTIPART_SLACK) {
          return page(c, 413, "Sàng lọc danh sách", uploadForm(c, [tooLargeMessage]), { page: "screen" });
        }
        const field = await c.req.parseBody({ all: true }).then(
          (body) => body["_csrf"],
          () => "", // not a readable form: refused as one without its token
        );
        sent = typeof field === "string" ? field : "";
      } else sent = c.req.header("x-csrf-token") ?? "";
      if (typeof sent !== "string" || !sameToken(sent, c.get("csrf"))) {
        logger.warn({ reason: "csrf", path: c.req.path }, "console request refused");
        if (api) return c.json({ ok: false, error: "csrf" }, 403);
        return page(c, 403, "Không hợp lệ", forbiddenForm());
      }
    }
    await next();
  }

  /** The page's access, from the one place that decides it. */
  const allowed = (c: Context<Env>, which: ConsolePage): Response | null => {
    const role = services.roleOf(c.get("staffKey"));
    if (mayOpen(role, which)) return null;
    return c.req.path.startsWith("/console/api/")
      ? c.json({ ok: false, error: "forbidden" }, 403)
      : page(c, 403, "Không có quyền", refusedPage());
  };

  app.post("/console/dangxuat", async (c) => {
    await services.auth.endSession(c.get("token"));
    deleteCookie(c, SESSION_COOKIE, { path: "/console", secure: secure(c) });
    return c.redirect("/console/dangnhap", 303);
  });

  // === Home

  app.get(
    "/console",
    (c) => allowed(c, "home") ?? page(c, 200, "Trang làm việc", homePage(), { page: "home" }),
  );
  app.get("/console/", (c) => c.redirect("/console", 301));

  // === Search

  const runSearch = async (
    params: { q: string; tinh: string; vanban: string; nam: string },
    page: number,
    staffKey: string,
  ) => {
    const filters = {
      ...(params.tinh ? { province: params.tinh } : {}),
      ...(params.vanban ? { document: params.vanban } : {}),
      ...(params.nam ? { year: params.nam } : {}),
    };
    const resolved = resolveFilters(filters, {
      documents: [...services.plans.values()],
      areas: services.areas,
    });
    if (!resolved.ok) return { problem: resolved.error.message, notes: [] as string[] };
    const outcome = services.search(params.q, { ...resolved.value.options, limit: SEARCH_LIMIT });
    if (page === 1) await services.stats.recordSearch(outcome, staffKey);
    return { outcome, notes: resolved.value.notes };
  };

  const searchParams = (c: Context) => ({
    q: (c.req.query("q") ?? "").trim().slice(0, 500),
    tinh: (c.req.query("tinh") ?? "").trim().slice(0, 100),
    vanban: (c.req.query("vanban") ?? "").trim().slice(0, 100),
    nam: (c.req.query("nam") ?? "").trim().slice(0, 4),
  });

  app.get("/console/search", async (c) => {
    const refused = allowed(c, "search");
    if (refused) return refused;
    const params = searchParams(c);
    const pageNumber = Math.max(1, Number.parseInt(c.req.query("trang") ?? "1", 10) || 1);
    const base = {
      query: params.q,
      province: params.tinh,
      document: params.vanban,
      year: params.nam,
      page: pageNumber,
      pageSize: PAGE_SIZE.staff,
      plans: services.plans,
      provinces: searchProvinces,
    };
    if (!params.q) return page(c, 200, "Tra cứu", searchPage({ ...base, notes: [] }), { page: "search" });
    const found = await runSearch(params, pageNumber, c.get("staffKey"));
    return page(
      c,
      200,
      "Tra cứu",
      searchPage({
        ...base,
        notes: found.notes,
        ...("problem" in found && found.problem ? { problem: found.problem } : {}),
        ...(found.outcome ? { outcome: found.outcome } : {}),
      }),
      { page: "search" },
    );
  });

  app.get("/console/api/search", async (c) => {
    const refused = allowed(c, "search");
    if (refused) return refused;
    const params = searchParams(c);
    if (!params.q) return c.json({ ok: false, error: "Hãy ghi câu hỏi (tham số q)." }, 400);
    const found = await runSearch(params, 1, c.get("staffKey"));
    if (!found.outcome) return c.json({ ok: false, error: found.problem }, 400);
    const outcome = found.outcome;
    return c.json({
      ok: true,
      notes: found.notes,
      outcome,
      citations:
        outcome.type === "invalid"
          ? []
          : outcome.results.map((result) => {
              const metadata = services.plans.get(result.documentId);
              return metadata ? planCitation(metadata, result.sectionPath) : result.citation;
            }),
    });
  });

  // === Documents

  app.get("/console/documents", (c) => {
    const refused = allowed(c, "documents");
    if (refused) return refused;
    const today = services.today();
    return page(
      c,
      200,
      "Văn bản",
      documentsPage(
        [...services.plans.values()],
        (plan) => areaThenAndNow(plan, services.areas, today),
        today,
      ),
      { page: "documents" },
    );
  });

  app.get("/console/api/documents", (c) => {
    const refused = allowed(c, "documents");
    if (refused) return refused;
    return c.json({ ok: true, documents: [...services.plans.values()] });
  });

  const findPlan = (c: Context) => {
    const found = resolveDocument([...services.plans.values()], c.req.param("id") ?? "");
    return found.ok ? found.value : null;
  };

  app.get("/console/documents/:id", (c) => {
    const refused = allowed(c, "documents");
    if (refused) return refused;
    const plan = findPlan(c);
    if (!plan) return page(c, 404, "Không có văn bản", notFoundBody(), { page: "documents" });
    const today = services.today();
    return page(
      c,
      200,
      plan.title,
      documentPage({
        plan,
        outline: services.outlines(plan.id)!,
        status: planStatus(plan, services.areas, today),
        areaNow: areaThenAndNow(plan, services.areas, today),
      }),
      { page: "documents" },
    );
  });

  app.get("/console/documents/:id/:section", (c) => {
    const refused = allowed(c, "documents");
    if (refused) return refused;
    const plan = findPlan(c);
    if (!plan) return page(c, 404, "Không có văn bản", notFoundBody(), { page: "documents" });
    const document = services.documents.find((candidate) => candidate.metadata.id === plan.id)!;
    const outline = services.outlines(plan.id)!;
    const today = services.today();
    const wanted = c.req.param("section");
    const lookup = findSection(outline, wanted);
    const status = planStatus(plan, services.areas, today);
    if (lookup.type === "found") {
      return page(
        c,
        200,
        `${lookup.section.key} · ${plan.title}`,
        sectionPage({
          plan,
          heading: lookup.section.path.join(" › "),
          body: plainText(document.text, lookup.section.start, lookup.section.end),
          citation: planCitation(plan, lookup.section.path),
          status,
        }),
        { page: "documents" },
      );
    }
    if (lookup.type === "preamble") {
      return page(
        c,
        200,
        `Phần mở đầu · ${plan.title}`,
        sectionPage({
          plan,
          heading: "Phần mở đầu (căn cứ ban hành)",
          body: plainText(document.text, lookup.start, lookup.end),
          citation: planCitation(plan, []),
          status,
        }),
        { page: "documents" },
      );
    }
    const rendered = renderSection(document, outline, wanted, services.areas, today);
    const message = rendered.ok ? "" : rendered.error.message;
    return page(c, 404, plan.title, sectionProblemPage(plan, message), { page: "documents" });
  });

  // The aggregates are read by several staff at once and change slowly: computed at most once a minute per
  // range.
  const statsCache = new Map<string, { at: number; summary: StatsSummary }>();
  const statsFor = async (range: { from: string; to: string }): Promise<StatsSummary> => {
    const key = `${range.from}/${range.to}`;
    const cached = statsCache.get(key);
    if (cached && Date.now() - cached.at < 60_000) return cached.summary;
    if (statsCache.size > 50) statsCache.clear();
    const summary = await services.stats.summary(range);
    statsCache.set(key, { at: Date.now(), summary });
    return summary;
  };

  // === Check a household

  const formContext = () => ({
    today: services.today(),
    indicators: (date: string) => indicatorsOn(services.policy, date),
    provinces,
    indicatorIds: services.policy.indicatorIds,
  });

  app.get("/console/check", (c) => {
    const refused = allowed(c, "check");
    if (refused) return refused;
    return page(
      c,
      200,
      "Kiểm tra hộ",
      checkForm({
        csrf: c.get("csrf"),
        values: {},
        indicators: indicatorsOn(services.policy, services.today()),
        provinces,
      }),
      { page: "check" },
    );
  });

  const summaryInput = (household: HouseholdInput, notes: readonly QuickNote[], residentName?: string) => {
    const decision = decide(household, services.policy);
    const labels = new Map(
      indicatorsOn(services.policy, decision.assessedOn).map((indicator) => [indicator.id, indicator.label]),
    );
    return {
      decision,
      facts: householdFacts(household, labels),
      preparedOn: services.today(),
      citations: decisionCitations(decision, services.citationIndex, services.plans),
      referrals: referralsFor(services.referrals, services.areas, {
        ...(household.province ? { province: household.province } : {}),
        programmes: decision.programs,
      }),
      notes,
      rulesVersion: services.versions.rules,
      ...(residentName ? { residentName } : {}),
    };
  };

  app.post("/console/check", async (c) => {
    const refused = allowed(c, "check");
    if (refused) return refused;
    const values = (await formValues(c)) ?? {};
    const read = readCheckForm(values, formContext());
    const indicators = indicatorsOn(services.policy, services.today());
    const form = (problems?: string[]) =>
      checkForm({ csrf: c.get("csrf"), values, indicators, provinces, ...(problems ? { problems } : {}) });
    if (!read.ok) return page(c, 400, "Kiểm tra hộ", form(read.error), { page: "check" });
    const input = summaryInput(read.value.household, read.value.notes, read.value.residentName);
    await services.stats.recordScreening(input.decision);
    const result = checkResult({
      csrf: c.get("csrf"),
      decision: input.decision,
      citations: input.citations,
      referrals: input.referrals,
      notes: read.value.notes,
      carried: JSON.stringify(read.value.household),
      ...(read.value.residentName ? { residentName: read.value.residentName } : {}),
    });
    return page(c, 200, "Kiểm tra hộ", html`${result}${form()}`, { page: "check" });
  });

  /** The carried household and notes of the summary buttons, validated again. */
  const carried = async (c: Context<Env>) => {
    const values = (await formValues(c)) ?? {};
    const text = typeof values["ho"] === "string" ? values["ho"] : "";
    const household = readCarriedHousehold(text, services.policy.indicatorIds);
    if (!household.ok) return { problems: household.error };
    let notes: QuickNote[] = [];
    try {
      const parsed: unknown = JSON.parse(typeof values["ghi_chu"] === "string" ? values["ghi_chu"] : "[]");
      if (Array.isArray(parsed))
        notes = parsed
          .filter(
            (entry): entry is QuickNote =>
              typeof entry?.text === "string" && ["assumed", "unread", "ignored"].includes(entry?.kind),
          )
          .slice(0, 50)
          .map((entry) => ({ kind: entry.kind, text: entry.text.slice(0, 500) }));
    } catch {
      notes = [];
    }
    const name = typeof values["ten"] === "string" ? values["ten"].trim().slice(0, 100) : "";
    return { input: summaryInput(household.value, notes, name || undefined) };
  };

  app.post("/console/check/summary", async (c) => {
    const refused = allowed(c, "check");
    if (refused) return refused;
    const got = await carried(c);
    if (!got.input) return page(c, 400, "Kiểm tra hộ", problemBody(got.problems), { page: "check" });
    c.header("Content-Security-Policy", SUMMARY_POLICY);
    return c.html(renderCaseSummaryHtml(got.input));
  });

  app.post("/console/check/pdf", async (c) => {
    const refused = allowed(c, "check");
    if (refused) return refused;
    const got = await carried(c);
    if (!got.input) return page(c, 400, "Kiểm tra hộ", problemBody(got.problems), { page: "check" });
    try {
      const pdf = await options.printPdf(renderCaseSummaryHtml(got.input));
      c.header("Content-Type", "application/pdf");
      c.header("Content-Disposition", `attachment; filename="tom-tat-ho-so-${got.input.preparedOn}.pdf"`);
      return c.body(new Uint8Array(pdf));
    } catch (error) {
      logger.error(
        { err: error instanceof PdfUnavailable ? error.message : error },
        "case summary PDF failed",
      );
      return page(
        c,
        503,
        "Chưa tạo được PDF",
        problemBody([
          "Máy chủ chưa tạo được tệp PDF. Hãy dùng nút “Xem bản tóm tắt để in” rồi chọn In → Lưu thành PDF trong trình duyệt.",
        ]),
        { page: "check" },
      );
    }
  });

  // === Screen a list (the list and its result are personal data: see screen-jobs.ts)

  /** Jobs belong to the session that uploaded them. */
  const ownerOf = (c: Context<Env>) => sha256(`screen:${c.get("token")}`);
  const templates = new Map<ListFormat, Promise<Buffer>>();
  const FILE_TYPES: Record<ListFormat, string> = {
    csv: "text/csv; charset=utf-8",
    xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  };
  const JOB_ID = "[A-Za-z0-9_-]{32}";
  const screenPage = (c: Context, status: 200 | 400 | 404 | 410 | 413 | 429, body: Html) =>
    page(c, status, "Sàng lọc danh sách", body, { page: "screen" });

  app.get("/console/screen", (c) => allowed(c, "screen") ?? screenPage(c, 200, uploadForm(c)));

  app.get("/console/screen/:file{mau\\.(xlsx|csv)}", async (c) => {
    const refused = allowed(c, "screen");
    if (refused) return refused;
    const format: ListFormat = c.req.param("file").endsWith(".csv") ? "csv" : "xlsx";
    let template = templates.get(format);
    if (!template) templates.set(format, (template = templateFile(format)));
    c.header("Content-Type", FILE_TYPES[format]);
    c.header("Content-Disposition", `attachment; filename="mau-danh-sach-ho.${format}"`);
    return c.body(new Uint8Array(await template));
  });

  app.post("/console/screen", async (c) => {
    const refused = allowed(c, "screen");
    if (refused) return refused;
    const type = c.req.header("content-type") ?? "";
    const body = /^multipart\/form-data/i.test(type) ? await c.req.parseBody({ all: true }) : {};
    const file = body["tep"];
    if (!(file instanceof File) || file.size === 0)
      return screenPage(c, 400, uploadForm(c, ["Hãy chọn tệp danh sách (.xlsx hoặc .csv) để tải lên."]));
    if (file.size > maxUpload) return screenPage(c, 413, uploadForm(c, [tooLargeMessage]));
    const name = (file.name.split(/[\\/]/).at(-1) ?? "").slice(0, 120) || "danh-sach";
    const extension = /\.[^.]*$/.exec(name)?.[0].toLowerCase() ?? "";
    const format: ListFormat | null = extension === ".xlsx" ? "xlsx" : extension === ".csv" ? "csv" : null;
    if (!format) {
      const problem =
        extension === ".xls"
          ? `Tệp “${name}” là Excel cũ (.xls): hãy mở trong Excel và lưu lại dạng .xlsx (hoặc CSV UTF-8).`
          : `Tệp “${name}” phải có đuôi .xlsx hoặc .csv${extension ? `, không phải ${extension}` : ""}.`;
      return screenPage(c, 400, uploadForm(c, [problem]));
    }
    const output: ListFormat = body["dang"] === "csv" ? "csv" : "xlsx";
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const id = jobs.start(ownerOf(c), { bytes, format, fileName: name }, output);
      return c.redirect(`/console/screen/${id}`, 303);
    } catch (error) {
      if (error instanceof JobRefused) return screenPage(c, 429, uploadForm(c, [error.message]));
      throw error;
    }
  });

  const goneBody = () =>
    html`<p class="problem" role="alert">
        Không còn kết quả này: tệp kết quả đã được tải về, đã quá ${ttlMinutes} phút, hoặc không thuộc phiên
        làm việc này. Hãy sàng lọc lại danh sách.
      </p>
      <p><a href="/console/screen">Sàng lọc danh sách</a></p>`;

  app.get(`/console/screen/:id{${JOB_ID}}`, (c) => {
    const refused = allowed(c, "screen");
    if (refused) return refused;
    const job = jobs.view(c.req.param("id"), ownerOf(c));
    if (!job) return screenPage(c, 404, goneBody());
    const status = job.status;
    if (status.state === "done") {
      return screenPage(
        c,
        200,
        screenResult({
          job,
          report: status.report,
          downloaded: status.downloaded,
          titles: programmeTitles,
          ttlMinutes,
        }),
      );
    }
    if (status.state === "failed") return screenPage(c, 200, uploadForm(c, status.message.split("\n")));
    return page(c, 200, "Sàng lọc danh sách", screenProgress(job), {
      page: "screen",
      scripts: ["screen.js"],
    });
  });

  app.get(`/console/screen/:id{${JOB_ID}}/:file{ket-qua\\.(xlsx|csv)}`, async (c) => {
    const refused = allowed(c, "screen");
    if (refused) return refused;
    const owner = ownerOf(c);
    const job = jobs.view(c.req.param("id"), owner);
    const file = job && (await jobs.take(job.id, owner));
    if (!job || !file) return screenPage(c, 410, goneBody());
    c.header("Content-Type", FILE_TYPES[job.outputFormat]);
    c.header("Content-Length", String(file.size));
    c.header(
      "Content-Disposition",
      `attachment; filename="ket-qua-sang-loc-${services.today()}.${job.outputFormat}"`,
    );
    return c.body(file.stream);
  });

  app.get("/console/api/screen/:id", (c) => {
    const refused = allowed(c, "screen");
    if (refused) return refused;
    const job = jobs.view(c.req.param("id"), ownerOf(c));
    if (!job) return c.json({ ok: false, error: "not_found" }, 404);
    const progress = job.status.state === "running" ? job.status.progress : null;
    return c.json({
      ok: true,
      state: job.status.state,
      rowsRead: progress?.rowsRead ?? 0,
      rowsDone: progress?.rowsDone ?? 0,
      expectedRows: job.expectedRows,
      text: progressText(job),
    });
  });

  // === Statistics

  const statsRange = (c: Context) => {
    const to = /^\d{4}-\d{2}-\d{2}$/.test(c.req.query("to") ?? "") ? c.req.query("to")! : services.today();
    const from = /^\d{4}-\d{2}-\d{2}$/.test(c.req.query("from") ?? "")
      ? c.req.query("from")!
      : addDays(to, -29);
    return { from, to };
  };

  app.get("/console/stats", async (c) => {
    const refused = allowed(c, "stats");
    if (refused) return refused;
    const range = statsRange(c);
    const summary = await statsFor(range);
    return page(c, 200, "Thống kê", statsPage({ summary, titles: programmeTitles, ...range }), {
      page: "stats",
      scripts: ["chart.umd.min.js", "stats.js"],
    });
  });

  app.get("/console/api/stats", async (c) => {
    const refused = allowed(c, "stats");
    if (refused) return refused;
    return c.json({ ok: true, summary: await statsFor(statsRange(c)) });
  });

  // === Feedback queue

  app.get("/console/feedback", async (c) => {
    const refused = allowed(c, "feedback");
    if (refused) return refused;
    const saved = Number(c.req.query("da_ghi") ?? "0") || undefined;
    const records = await services.feedback.disputed();
    return page(
      c,
      200,
      "Phản hồi",
      feedbackPage({
        csrf: c.get("csrf"),
        records,
        ...(saved ? { saved } : {}),
      }),
      { page: "feedback" },
    );
  });

  app.post("/console/feedback/:id", async (c) => {
    const refused = allowed(c, "feedback");
    if (refused) return refused;
    const id = Number(c.req.param("id"));
    const values = (await formValues(c)) ?? {};
    const expected = typeof values["dung"] === "string" ? values["dung"].trim().slice(0, 500) : "";
    if (!Number.isInteger(id) || !expected || !(await services.feedback.addExpected(id, expected)))
      return page(
        c,
        400,
        "Phản hồi",
        problemBody(["Chưa ghi được: phản hồi không còn, hoặc ô kết quả đúng để trống."]),
        { page: "feedback" },
      );
    return c.redirect(`/console/feedback?da_ghi=${id}#ph-${id}`, 303);
  });

  app.get("/console/feedback/:file{(kb-questions|household-cases)\\.draft\\.yaml}", async (c) => {
    const refused = allowed(c, "feedback");
    if (refused) return refused;
    const file = c.req.param("file");
    const records = await services.feedback.disputed();
    const body = file.startsWith("kb-")
      ? kbQuestionDrafts(
          records,
          services.documents.map((document) => document.metadata.id),
        )
      : householdCaseDrafts(records);
    c.header("Content-Type", "application/yaml; charset=utf-8");
    c.header("Content-Disposition", `attachment; filename="${file}"`);
    return c.body(body);
  });

  app.all("/console/api/*", (c) => c.json({ ok: false, error: "not_found" }, 404));
  app.all("/console/*", (c) => page(c, 404, "Không có trang này", notFoundBody()));
  return app;
}

function notFoundBody(): Html {
  return html`<p>Không có trang này. <a href="/console">Về trang chính</a></p>`;
}

function forbiddenForm(): Html {
  return html`<p class="problem" role="alert">
      Biểu mẫu không hợp lệ hoặc đã cũ (thiếu mã bảo vệ). Hãy tải lại trang rồi thử lại.
    </p>
    <p><a href="/console">Về trang chính</a></p>`;
}

function problemBody(problems: readonly string[]): Html {
  return html`<div class="problem" role="alert">${problems.map((problem) => html`<p>${problem}</p>`)}</div>
    <p><a href="/console/check">Kiểm tra lại</a></p>`;
}
