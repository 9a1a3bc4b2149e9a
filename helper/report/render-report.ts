// The report as Markdown (for the weekly note), a self-contained HTML page (no scripts, no external files; every
// piece of text escaped), or JSON (the Report object itself).
import { FEEDBACK_REASONS } from "../../shared/protocol";
import type { ReasonCounts, Report } from "./build-report";

export type ReportFormat = "md" | "html" | "json";
export const REPORT_FORMATS: readonly ReportFormat[] = ["md", "html", "json"];

const day = (iso: string) => iso.replace("T", " ").replace(/:\d{2}\.\d{3}Z$/, " UTC");

/** "too_loud 2, tempo_slow 1" (only the reasons that occur). */
const breakdown = (c: ReasonCounts) =>
  FEEDBACK_REASONS.filter((r) => c[r] > 0)
    .map((r) => `${r} ${c[r]}`)
    .join(", ") || "none";

const summary = (r: Report) =>
  `${day(r.since)} to ${day(r.until)}: ${r.totals.entries} feedback ${r.totals.entries === 1 ? "entry" : "entries"}, ` +
  `${r.totals.distinct} distinct (each take counted once per reason; ${r.totals.duplicates} repeat${r.totals.duplicates === 1 ? "" : "s"} merged), ` +
  `${r.totals.keeps} kept and ${r.totals.complaints} complaint${r.totals.complaints === 1 ? "" : "s"}, ` +
  `${r.totals.takes} take${r.totals.takes === 1 ? "" : "s"}, ${r.totals.prompts} prompt${r.totals.prompts === 1 ? "" : "s"}, ${r.totals.tags} tag${r.totals.tags === 1 ? "" : "s"}.`;

const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();

// ---------------------------------------------------------------------------------------------------- Markdown

/** Text in a Markdown line or table cell: no line breaks, no table-breaking pipes, no raw HTML. */
// (underscores are left alone: GFM never reads them as emphasis inside words such as course_intro)
const md = (s: string) =>
  oneLine(s)
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([`*])/g, "\\$1");

function markdown(r: Report): string {
  const out = [`# Cuesmith feedback report`, ``, summary(r), ``, `## By reason`, ``];
  const reasons = FEEDBACK_REASONS.filter((x) => r.byReason[x] > 0);
  out.push(...(reasons.length ? reasons.map((x) => `- ${x}: ${r.byReason[x]}`) : ["- no feedback in this window"]));
  out.push(``, `## By tag`, ``);
  if (r.byTag.length) {
    out.push(`| tag | keeps | complaints | takes | reasons |`, `| --- | ---: | ---: | ---: | --- |`);
    out.push(
      ...r.byTag.map((t) => `| #${md(t.tag)} | ${t.keeps} | ${t.complaints} | ${t.takes} | ${breakdown(t.byReason)} |`),
    );
  } else {
    out.push(`- none`);
  }
  out.push(``, `## By prompt`, ``);
  if (r.prompts.length) {
    out.push(`| prompt | keeps | complaints | takes |`, `| --- | ---: | ---: | ---: |`);
    out.push(...r.prompts.map((p) => `| ${md(p.prompt)} | ${p.keeps} | ${p.complaints} | ${p.takes} |`));
  } else {
    out.push(`- none`);
  }
  out.push(``, `## Worst prompts`, ``);
  if (r.worstPrompts.length) {
    r.worstPrompts.forEach((p, i) => {
      out.push(
        `${i + 1}. "${md(p.prompt)}"${p.tags.length ? ` (${p.tags.map((t) => `#${md(t)}`).join(", ")})` : ""} — ${p.count} complaint${p.count === 1 ? "" : "s"} on ${p.takes} take${p.takes === 1 ? "" : "s"}: ${breakdown(p.byReason)}`,
      );
      for (const n of p.notes.slice(-3)) out.push(`   - "${md(n)}"`);
    });
  } else {
    out.push(`- none`);
  }
  out.push(``, `## Suggestions for the preset table`, ``);
  if (r.suggestions.length) {
    out.push(...r.suggestions.map((s) => `- **${md(s.subject)}** — ${s.reason} ×${s.count}: ${md(s.suggestion)}`));
  } else {
    out.push(`- nothing to change (no tag or prompt got the same complaint ${r.minCount} times or more)`);
  }
  return out.join("\n") + "\n";
}

// -------------------------------------------------------------------------------------------------------- HTML

const esc = (s: string) =>
  String(s).replace(
    /[&<>"'`]/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" })[c]!,
  );

function html(r: Report): string {
  const reasons = FEEDBACK_REASONS.filter((x) => r.byReason[x] > 0);
  const table = (head: string[], rows: string[][], numeric: number[] = []) =>
    rows.length
      ? `<table><thead><tr>${head.map((h, i) => `<th${numeric.includes(i) ? ' class="n"' : ""}>${esc(h)}</th>`).join("")}</tr></thead><tbody>${rows
          .map(
            (row) =>
              `<tr>${row.map((c, i) => `<td${numeric.includes(i) ? ' class="n"' : ""}>${c}</td>`).join("")}</tr>`,
          )
          .join("")}</tbody></table>`
      : `<p class="none">none</p>`;
  const reasonTable = table(
    ["reason", "takes"],
    reasons.map((x) => [esc(x), esc(String(r.byReason[x]))]),
    [1],
  );
  const tagTable = table(
    ["tag", "keeps", "complaints", "takes", "reasons"],
    r.byTag.map((t) => [
      esc(`#${t.tag}`),
      esc(String(t.keeps)),
      esc(String(t.complaints)),
      esc(String(t.takes)),
      esc(breakdown(t.byReason)),
    ]),
    [1, 2, 3],
  );
  const keepTable = table(
    ["prompt", "keeps", "complaints", "takes"],
    r.prompts.map((p) => [esc(p.prompt), esc(String(p.keeps)), esc(String(p.complaints)), esc(String(p.takes))]),
    [1, 2, 3],
  );
  const promptTable = table(
    ["prompt", "tags", "complaints", "takes", "reasons", "notes"],
    r.worstPrompts.map((p) => [
      esc(p.prompt),
      esc(p.tags.map((t) => `#${t}`).join(", ")),
      esc(String(p.count)),
      esc(String(p.takes)),
      esc(breakdown(p.byReason)),
      p.notes
        .slice(-3)
        .map((n) => `<q>${esc(n)}</q>`)
        .join("<br>"),
    ]),
    [2, 3],
  );
  const suggestions = r.suggestions.length
    ? `<ul>${r.suggestions
        .map(
          (s) =>
            `<li><strong>${esc(s.subject)}</strong> <span class="tag">${esc(s.reason)} ×${esc(String(s.count))}</span><br>${esc(s.suggestion)}</li>`,
        )
        .join("")}</ul>`
    : `<p class="none">${esc(`Nothing to change (no tag or prompt got the same complaint ${r.minCount} times or more).`)}</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Cuesmith feedback report</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f;line-height:1.45}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #eee;vertical-align:top}
th{background:#f6f6f8}.n{text-align:right;font-variant-numeric:tabular-nums}.none{color:#777}
li{margin:.5rem 0}.tag{display:inline-block;background:#eef;border-radius:.3rem;padding:0 .35rem;font-size:.85rem}q{color:#555}
</style>
</head>
<body>
<h1>Cuesmith feedback report</h1>
<p>${esc(summary(r))}</p>
<h2>By reason</h2>
${reasonTable}
<h2>By tag</h2>
${tagTable}
<h2>By prompt</h2>
${keepTable}
<h2>Worst prompts</h2>
${promptTable}
<h2>Suggestions for the preset table</h2>
${suggestions}
</body>
</html>
`;
}

/** The report as text in the given format (each ends with a newline). */
export function renderReport(report: Report, format: ReportFormat): string {
  switch (format) {
    case "json":
      return JSON.stringify(report, null, 2) + "\n";
    case "md":
      return markdown(report);
    case "html":
      return html(report);
    default:
      throw new RangeError(`format must be md, html or json, got "${String(format)}"`);
  }
}
