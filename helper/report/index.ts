export { buildReport, zeroCounts } from "./build-report";
export type { Report, ReportOptions, ReportTotals, PromptRow, TagRow, Suggestion, ReasonCounts } from "./build-report";
export { renderReport, REPORT_FORMATS } from "./render-report";
export type { ReportFormat } from "./render-report";
export { parseSince } from "./since";
export { adviseFor, instrumentsIn, instrumentsWanted, contextPhraseFor } from "./suggest";
export type { Advice, SubjectEvidence } from "./suggest";
