// The report as Markdown (for a weekly note), a self-contained HTML page, or JSON.
import type { Report } from "./build-report";

const counts = (c: Record<string, number | undefined>) =>
  Object.entries(c).map(([k, v]) => `${k} ${v}`).join(", ") || "none";

function markdown(r: Report): string {
  const lines = [
    `# Cuesmith feedback report`,
    ``,
    `${r.since.slice(0, 10)} to ${r.until.slice(0, 10)}: ${r.entries} entries, ${r.distinct} after counting each take once per reason.`,
    ``,
    `## By reason`,
    ...Object.entries(r.byReason).map(([k, v]) => `- ${k}: ${v}`),
    ``,
    `## By tag`,
    ...(Object.keys(r.byTag).length ? Object.entries(r.byTag).map(([tag, c]) => `- #${tag}: ${counts(c)}`) : ["- none"]),
    ``,
    `## Worst prompts`,
    ...(r.worstPrompts.length ? r.worstPrompts.map((p, i) => `${i + 1}. "${p.prompt}"${p.tag ? ` (#${p.tag})` : ""} — ${p.count} (${counts(p.byReason)})`) : ["- none"]),
    ``,
    `## Suggestions for the preset table`,
    ...(r.suggestions.length ? r.suggestions.map((s) => `- [${s.reason} ×${s.count}] ${s.suggestion}`) : ["- nothing to change"]),
  ];
  return lines.join("\n") + "\n";
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function html(r: Report): string {
  const list = (items: string[]) => `<ul>${items.map((i) => `<li>${escape(i)}</li>`).join("") || "<li>none</li>"}</ul>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Cuesmith feedback report</title>
<style>body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;color:#222}h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.5rem}</style>
</head><body>
<h1>Cuesmith feedback report</h1>
<p>${escape(`${r.since.slice(0, 10)} to ${r.until.slice(0, 10)}: ${r.entries} entries, ${r.distinct} after counting each take once per reason.`)}</p>
<h2>By reason</h2>${list(Object.entries(r.byReason).map(([k, v]) => `${k}: ${v}`))}
<h2>By tag</h2>${list(Object.entries(r.byTag).map(([t, c]) => `#${t}: ${counts(c)}`))}
<h2>Worst prompts</h2>${list(r.worstPrompts.map((p) => `"${p.prompt}"${p.tag ? ` (#${p.tag})` : ""} — ${p.count} (${counts(p.byReason)})`))}
<h2>Suggestions for the preset table</h2>${list(r.suggestions.map((s) => `[${s.reason} ×${s.count}] ${s.suggestion}`))}
</body></html>
`;
}

export function renderReport(report: Report, format: "md" | "html" | "json"): string {
  if (format === "json") return JSON.stringify(report, null, 2) + "\n";
  return format === "md" ? markdown(report) : html(report);
}
