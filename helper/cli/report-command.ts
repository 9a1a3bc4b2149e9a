// `cuesmith report [--since 7d] [--format md|html|json] [--feedback FILE] [--min-count N]`: the feedback summary
// and preset suggestions from the helper's feedback log, on stdout. Only reads the log (safe while the helper runs).
// Exit codes: 0 report printed, 1 the log could not be read, 2 bad arguments (one line on stderr saying why).
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { buildReport, parseSince, renderReport, REPORT_FORMATS, ReportFormat } from "../report";
import { defaultFeedbackFile, FeedbackLog } from "../store/feedback-log";

export const REPORT_USAGE =
  "cuesmith report [--since 7d|24h|30m|2026-11-01] [--format md|html|json] [--feedback FILE] [--min-count N]";

export interface ReportIO {
  out(s: string): void;
  err(s: string): void;
}

export async function runReportCommand(argv: string[], io: ReportIO): Promise<number> {
  const usage = (why: string) => {
    io.err(`cuesmith report: ${why} (usage: ${REPORT_USAGE})`);
    return 2;
  };
  let values: { since?: string; format?: string; feedback?: string; "min-count"?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        since: { type: "string" },
        format: { type: "string" },
        feedback: { type: "string" },
        "min-count": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (err) {
    return usage((err as Error).message.split("\n")[0]);
  }
  if (values.help) {
    io.out(REPORT_USAGE);
    return 0;
  }

  const format = values.format ?? "md";
  if (!(REPORT_FORMATS as readonly string[]).includes(format))
    return usage(`--format must be md, html or json, got "${format}"`);

  let since: Date;
  const now = new Date();
  try {
    since = parseSince(values.since ?? "7d", now);
  } catch (err) {
    return usage((err as Error).message);
  }

  let minCount: number | undefined;
  if (values["min-count"] !== undefined) {
    minCount = Number(values["min-count"]);
    if (!/^\d+$/.test(values["min-count"].trim()) || minCount < 1)
      return usage(`--min-count must be a whole number of 1 or more, got "${values["min-count"]}"`);
  }

  if (values.feedback !== undefined && values.feedback.trim() === "") return usage("--feedback needs a file path");
  const file = path.resolve(values.feedback ?? defaultFeedbackFile());
  if (!fs.existsSync(file)) {
    if (values.feedback !== undefined) return usage(`--feedback: no such file: ${file}`);
    io.err(`cuesmith report: no feedback recorded yet (${file} does not exist)`);
  }

  let log: FeedbackLog;
  try {
    log = await FeedbackLog.open(file);
  } catch (err) {
    io.err(`cuesmith report: cannot read ${file}: ${(err as Error).message}`);
    return 1;
  }
  for (const w of log.warnings) io.err(`cuesmith report: ${w}`);
  const report = buildReport(await log.readAll(), { since, now, ...(minCount !== undefined ? { minCount } : {}) });
  io.out(renderReport(report, format as ReportFormat).replace(/\n$/, ""));
  return 0;
}
