// The helper <-> panel protocol: one schema source for the helper daemon and the Premiere panel.
// No Node imports anywhere in this folder: the panel's webpack bundle includes it.

export * from "./limits";

export { ERROR_STATUS, ERROR_CODES, isErrorCode, httpStatusFor, errorPayload, httpErrorBody } from "./errors";
export type { ErrorCode, ParseErrorCode, ErrorPayload, HttpErrorBody } from "./errors";

export { LEVELS_MODES } from "./job";
export type { JobSpec, JobResult, LevelsMode, DuckKeyframe } from "./job";
export type { ExtendSpec, PresetBody } from "./specs";

export {
  PROTOCOL_VERSION,
  defaultJobId,
  takeId,
  CLIENT_MESSAGE_TYPES,
  SERVER_MESSAGE_TYPES,
  FEEDBACK_REASONS,
  HEALTH_STATUSES,
} from "./messages";
export type { AnalyzeSpec, AnalyzeResult, BedSpec, SpeechRegion } from "./voice";
export type {
  AnalyzeMessage,
  BedMessage,
  ExtendMessage,
  AnalysisMessage,
  ClientMessage,
  ClientMessageType,
  GenerateMessage,
  CancelMessage,
  PresetsGetMessage,
  PresetsSetMessage,
  PresetsDeleteMessage,
  FeedbackReason,
  FeedbackBody,
  FeedbackMessage,
  HealthRequestMessage,
  ServerMessage,
  ServerMessageType,
  HelloMessage,
  QueuedMessage,
  ProgressMessage,
  DoneMessage,
  ErrorMessage,
  PresetsMessage,
  AckMessage,
  HealthStatus,
  HealthInfo,
  HealthMessage,
} from "./messages";

export {
  parseClientMessage,
  parseServerMessage,
  parseJobSpec,
  parseNumericField,
  parseJobResult,
  parseFeedback,
  parsePreset,
  parseTag,
  parseJobId,
  parseAnalyzeSpec,
  parseBedSpec,
  parseExtendSpec,
} from "./parse";
export type { ParseOptions, ClientParseResult, NumericField } from "./parse";

export type { ParseError, Result, Success, Failure, Checker } from "./validate";
