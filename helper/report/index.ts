export { buildReport } from "./build-report";
export type { Report, PromptRow, Suggestion, ReasonCounts } from "./build-report";
export { renderReport } from "./render-report";
export { parseSince } from "./since";
