// `cuesmith report`: the feedback summary and preset suggestions, from the helper's feedback log.
import * as path from "node:path";
import { cuesmithHome } from "../config/paths";
import { buildReport, parseSince, renderReport } from "../report";
import { FeedbackLog } from "../store/feedback-log";
import { CliIO, parse, UsageError } from "./args";

export async function runReportCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parse(argv, { since: { type: "string" }, format: { type: "string" }, feedback: { type: "string" } });
  const format = values.format ?? "md";
  if (format !== "md" && format !== "html" && format !== "json") throw new UsageError(`--format must be md, html or json, got "${format}"`);
  let since: Date;
  try {
    since = parseSince(values.since ?? "7d");
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const log = await FeedbackLog.open(path.resolve(values.feedback ?? path.join(cuesmithHome(), "feedback.jsonl")));
  for (const w of log.warnings) io.err(`cuesmith: ${w}`);
  io.out(renderReport(buildReport(await log.readAll(), { since }), format).replace(/\n$/, ""));
  return 0;
}
