// Parsers: untrusted JSON (a WebSocket text message, an HTTP body) in, a typed message or a structured error
// out. Client messages are checked strictly (unknown keys refused, every limit applied); server messages are
// read leniently by the panel (type and required fields checked, unknown keys dropped) so that an older panel
// keeps working with a newer helper. Nothing here throws on bad input.
import { normalizeTag, type PresetTable } from "../presets";
import { isErrorCode, type ErrorPayload } from "./errors";
import { LEVELS_MODES, type JobResult } from "./job";
import type { AnalyzeSpec, BedSpec, ExtendSpec, FeedbackBody, JobSpec, PresetBody } from "./specs";
import {
  JOB_ID_PATTERN,
  MAX_TAKE_ID_CHARS,
  TAKE_ID_PATTERN,
  MAX_BED_LEVEL_DB,
  MAX_BPM,
  MAX_DUCK_DB,
  MAX_DURATION_SEC,
  MAX_GUIDANCE_SCALE,
  MAX_ID_CHARS,
  MAX_JOB_ID_CHARS,
  MAX_JOBS_PER_BATCH,
  MAX_LABEL_CHARS,
  MAX_LOUDNESS_LUFS,
  MAX_MESSAGE_BYTES,
  MAX_NOTE_CHARS,
  MAX_OUTPUT_DIR_CHARS,
  MAX_PROMPT_CHARS,
  MAX_SEED,
  MAX_TEMPERATURE,
  MAX_TOP_K,
  MAX_TRANSCRIPT_CHARS,
  MAX_VARIATIONS,
  MESSAGE_ID_PATTERN,
  MIN_BED_LEVEL_DB,
  MIN_BPM,
  MIN_DUCK_DB,
  MIN_DURATION_SEC,
  MIN_GUIDANCE_SCALE,
  MIN_LOUDNESS_LUFS,
  MIN_SEED,
  MIN_TEMPERATURE_EXCLUSIVE,
  MIN_TOP_K,
  MIN_VARIATIONS,
} from "./limits";
import {
  CLIENT_MESSAGE_TYPES,
  defaultJobId,
  FEEDBACK_REASONS,
  HEALTH_STATUSES,
  SERVER_MESSAGE_TYPES,
  type ClientMessage,
  type ServerMessage,
} from "./messages";
import {
  arrayOf,
  bool,
  describe,
  enumOf,
  fail,
  has,
  int,
  invalidField,
  isPlainObject,
  joinPath,
  nameOf,
  nullable,
  num,
  object,
  ok,
  optional,
  quote,
  recordOf,
  refine,
  rejectUnknownKeys,
  str,
  utf8Length,
  type Checker,
  type Failure,
  type Result,
  type Success,
} from "./validate";

// ---------------------------------------------------------------------------------------------------------------
// Field checkers

const messageId = str({
  max: MAX_ID_CHARS,
  pattern: MESSAGE_ID_PATTERN,
  patternHint: `use only A-Z a-z 0-9 _ . : - (1 to ${MAX_ID_CHARS} characters)`,
});

const jobId = str({
  max: MAX_JOB_ID_CHARS,
  pattern: JOB_ID_PATTERN,
  patternHint: `use only A-Z a-z 0-9 _ . : - (1 to ${MAX_JOB_ID_CHARS} characters)`,
});

/** A job's id or one of its takes' ("<job_id>#<i>"): what names a finished bed. */
const takeIdField = str({
  max: MAX_TAKE_ID_CHARS,
  pattern: TAKE_ID_PATTERN,
  patternHint: `a job id (A-Z a-z 0-9 _ . : - , 1 to ${MAX_JOB_ID_CHARS} characters), or a take's: "<job_id>#<take>"`,
});

const tag: Checker<string> = refine(str({ max: 200 }), (raw, path) => {
  const normalized = normalizeTag(raw);
  return normalized !== null
    ? ok(normalized)
    : invalidField(
        path,
        `${nameOf(path)} ${quote(raw)} is not a usable tag: use 1 to 64 letters, digits and _ (e.g. "unboxing" or "#Vlog-Morning")`,
      );
});

const prompt = str({ trim: true, max: MAX_PROMPT_CHARS, multiline: true });

/** POSIX "/…", Windows "C:\…" or "C:/…", or a UNC share "\\server\share". The helper checks the roots. */
function looksAbsolute(dir: string): boolean {
  return dir.startsWith("/") || /^[A-Za-z]:[\\/]/.test(dir) || /^\\\\[^\\]/.test(dir);
}

const outputDir: Checker<string> = refine(str({ max: MAX_OUTPUT_DIR_CHARS }), (dir, path) => {
  if (looksAbsolute(dir)) return ok(dir);
  const hint = dir.startsWith("~") ? " (~ is not expanded: write the full path)" : "";
  return invalidField(
    path,
    `${nameOf(path)} must be an absolute folder path like /Users/me/Music or C:\\Users\\me\\Music${hint}, got ${quote(dir)}`,
  );
});

const seed = int(MIN_SEED, MAX_SEED);

const sha256: Checker<string> = refine(
  str({ pattern: /^[0-9a-fA-F]{64}$/, patternHint: "expected 64 hexadecimal digits" }),
  (hex) => ok(hex.toLowerCase()),
);

/** The numeric fields of job and voice-over specs. Named apart so that other front ends (the CLI's options) check a
 * value with exactly the checker a message gets. */
const NUMERIC_FIELDS = {
  duration_sec: num({ min: MIN_DURATION_SEC, max: MAX_DURATION_SEC, unit: "seconds" }),
  target_bpm: num({ min: MIN_BPM, max: MAX_BPM, unit: "bpm" }),
  seed,
  guidance_scale: num({ min: MIN_GUIDANCE_SCALE, max: MAX_GUIDANCE_SCALE }),
  top_k: int(MIN_TOP_K, MAX_TOP_K),
  temperature: num({ min: MIN_TEMPERATURE_EXCLUSIVE, minExclusive: true, max: MAX_TEMPERATURE }),
  loudness_lufs: num({ min: MIN_LOUDNESS_LUFS, max: MAX_LOUDNESS_LUFS, unit: "LUFS" }),
  bed_level_db: num({ min: MIN_BED_LEVEL_DB, max: MAX_BED_LEVEL_DB, unit: "dB" }),
  in_sec: num({ min: 0, max: 86400, unit: "seconds" }),
  out_sec: num({ min: 0, max: 86400, unit: "seconds" }),
  duck_db: num({ min: MIN_DUCK_DB, max: MAX_DUCK_DB, unit: "dB" }),
  variations: int(MIN_VARIATIONS, MAX_VARIATIONS),
} satisfies Record<string, Checker<number>>;

export type NumericField = keyof typeof NUMERIC_FIELDS;

/**
 * One bed to generate (the type is `JobSpec`). Exactly one of `scene_tag` / `prompt` is present; after parsing,
 * `scene_tag` is normalised ("#Vlog-Morning" -> "vlog_morning") and `prompt`, `label` are trimmed. Leave a setting
 * out to get the helper's default. Limits: ./limits.
 */
export const JOB_SPEC_SHAPE = {
  /** The client's own id for the job (e.g. the marker's GUID): 1..64 of A-Z a-z 0-9 _ . : - ; unique within a
   * `generate` message. Without one the helper picks an id and reports it in `queued`/`done`/`error`. */
  job_id: optional(jobId),
  /** A preset tag ("unboxing"); the helper's preset table turns it into a prompt (and maybe a pinned seed). */
  scene_tag: optional(tag),
  /** A MusicGen prompt, 1..500 characters. */
  prompt: optional(prompt),
  /** Exact length of the bed in seconds, 0.5..300. */
  duration_sec: NUMERIC_FIELDS.duration_sec,
  /** Tempo to ask MusicGen for, 30..300 bpm ("…, 110 bpm" is added to the prompt). */
  target_bpm: optional(NUMERIC_FIELDS.target_bpm),
  /** Integer 0..2^31-1; same seed + prompt + settings = the same bed. Default: the tag's pinned seed, else random. */
  seed: optional(seed),
  /** Absolute folder for the WAV; must lie inside one of the helper's output roots. Default: the helper's. */
  output_dir: optional(outputDir),
  /** Classifier-free guidance, 0..20 (default 3). */
  guidance_scale: optional(NUMERIC_FIELDS.guidance_scale),
  /** Top-k sampling, integer 1..2048 (default 250). */
  top_k: optional(NUMERIC_FIELDS.top_k),
  /** Sampling temperature, (0, 10] (default 1). */
  temperature: optional(NUMERIC_FIELDS.temperature),
  /** Integrated loudness target in LUFS, -40..-5 (default: the helper's, DEFAULT_LOUDNESS_LUFS). */
  loudness_lufs: optional(NUMERIC_FIELDS.loudness_lufs),
  /** Bed level in dB relative to the target, -40..0 (default: the helper's, DEFAULT_BED_LEVEL_DB). */
  bed_level_db: optional(NUMERIC_FIELDS.bed_level_db),
  /** Free text carried for the user, e.g. the marker's name (<= 200 characters). */
  label: optional(str({ trim: true, min: 0, max: MAX_LABEL_CHARS, multiline: true })),
  /** Takes to make, integer 1..4 (default 1): one batched decode, take i with seed (seed + i) mod 2^31. */
  variations: optional(NUMERIC_FIELDS.variations),
  /** "baked" (default): the bed level is in the WAV. "keyframes": the WAV stays at its finished loudness and the
   * result carries `bed_gain_db` for the clip's volume. */
  levels: optional(enumOf(LEVELS_MODES)),
};
const JOB_SPEC_KEYS = Object.keys(JOB_SPEC_SHAPE);
const jobSpecObject = object(JOB_SPEC_SHAPE);

/** A preset as sent (the type is `PresetBody`). */
export const PRESET_SHAPE = {
  prompt,
  /** Pinned seed so every use of the tag in a series sounds like one family. */
  seed: optional(seed),
};
const presetObject = object(PRESET_SHAPE);

/** A voice-over (the type is `AnalyzeSpec`): its transcript (typed or pasted) and/or the clip's media file with its
 * source in/out points. */
export const ANALYZE_SHAPE = {
  text: optional(str({ trim: true, max: MAX_TRANSCRIPT_CHARS, multiline: true })),
  /** Absolute path of the clip's media (mp4/mov/wav/mp3 …) as Premiere reports it. */
  media_path: optional(
    refine(str({ max: MAX_OUTPUT_DIR_CHARS }), (p, path) =>
      looksAbsolute(p) ? ok(p) : invalidField(path, `${nameOf(path)} must be an absolute file path, got ${quote(p)}`),
    ),
  ),
  in_sec: optional(NUMERIC_FIELDS.in_sec),
  out_sec: optional(NUMERIC_FIELDS.out_sec),
  /** What the bed is for, in the prompt ("narration" by default). */
  context: optional(str({ trim: true, max: 100 })),
};
/** analyze + generate + duck (the type is `BedSpec`): a bed of the clip's exact length that dips under the voice. */
export const BED_SHAPE = {
  ...ANALYZE_SHAPE,
  job_id: optional(jobId),
  /** Default: the clip's length (out_sec - in_sec), else the media's length. */
  duration_sec: optional(NUMERIC_FIELDS.duration_sec),
  seed: optional(seed),
  output_dir: optional(outputDir),
  /** How far the bed dips under speech (default DEFAULT_DUCK_DB). */
  duck_db: optional(NUMERIC_FIELDS.duck_db),
  /** Takes of one analysis, as for a job: one batched decode, seeds seed + i, every take ducked the same. */
  variations: optional(NUMERIC_FIELDS.variations),
  /** "baked" (default): level and dip in the WAV; "keyframes": returned as `bed_gain_db` and `duck_keyframes`. */
  levels: optional(enumOf(LEVELS_MODES)),
};

/** Continue a finished take to a longer length: same opening, more music (the type is `ExtendSpec`). */
export const EXTEND_SHAPE = {
  /** The take to continue: the `sha256` of a WAV this helper rendered. */
  sha256,
  /** The new length in seconds (limits as `duration_sec` of a job); longer than the take. */
  duration_sec: NUMERIC_FIELDS.duration_sec,
  job_id: optional(jobId),
  output_dir: optional(outputDir),
  levels: optional(enumOf(LEVELS_MODES)),
};

/** A voice-over needs its transcript or its media; in/out points must be in order. */
function voiceTarget<T extends AnalyzeSpec>(r: Result<T>, path: string): Result<T> {
  if (!r.ok) return r;
  const v = r.value;
  if (v.text === undefined && v.media_path === undefined)
    return invalidField(joinPath(path, "text"), "give the voice-over's text, its media_path, or both");
  if (v.in_sec !== undefined && v.out_sec !== undefined && v.out_sec <= v.in_sec)
    return invalidField(joinPath(path, "out_sec"), "out_sec must be after in_sec");
  return r;
}

/** "This music isn't right" about one bed (the type is `FeedbackBody`). */
export const FEEDBACK_SHAPE = {
  /** The bed's job id, or its take's ("<job_id>#1") when its job asked for variations. */
  job_id: optional(takeIdField),
  /** Lowercase hex (upper case is accepted and lowered). */
  sha256: optional(sha256),
  reason: enumOf(FEEDBACK_REASONS),
  /** Free text, <= 2000 characters. */
  note: optional(str({ trim: true, min: 0, max: MAX_NOTE_CHARS, multiline: true })),
};

function feedbackTarget<T extends FeedbackBody>(r: Result<T>, path: string): Result<T> {
  if (r.ok && r.value.job_id === undefined && r.value.sha256 === undefined) {
    return invalidField(
      joinPath(path, "job_id"),
      `${path === "" ? "feedback" : path} must say which bed it is about: give job_id or sha256`,
    );
  }
  return r;
}

// ---------------------------------------------------------------------------------------------------------------
// Public parsers for parts (also the HTTP bodies)

/**
 * One job spec (a `generate` job, or the body of POST /generate). `path` prefixes the field names in errors
 * ("jobs[2]" -> "jobs[2].duration_sec"); "" for a body of its own. Exactly one of scene_tag / prompt; the tag
 * is normalised, prompt and label trimmed.
 */
export function parseJobSpec(value: unknown, path = ""): Result<JobSpec> {
  if (isPlainObject(value)) {
    const unknown = rejectUnknownKeys(value, path, JOB_SPEC_KEYS);
    if (unknown) return unknown;
    const hasTag = has(value, "scene_tag");
    const hasPrompt = has(value, "prompt");
    const where = path === "" ? "" : `${path}: `;
    if (hasTag && hasPrompt) {
      return invalidField(joinPath(path, "scene_tag"), `${where}give either scene_tag or prompt, not both`);
    }
    if (!hasTag && !hasPrompt) {
      return invalidField(joinPath(path, "scene_tag"), `${where}give a scene_tag (e.g. "unboxing") or a prompt`);
    }
  }
  return jobSpecObject(value, path);
}

/** One numeric field checked alone (`path` names it in the message, e.g. "--top-k"): the CLI refuses what a
 * message would. */
export function parseNumericField(field: NumericField, value: unknown, path: string = field): Result<number> {
  return NUMERIC_FIELDS[field](value, path);
}

/** A preset `{prompt, seed?}` (presets.set, or the body of PUT /presets/{tag}). */
export function parsePreset(value: unknown, path = ""): Result<PresetBody> {
  return presetObject(value, path);
}

/** A feedback without type/id (the body of POST /feedback). */
export function parseFeedback(value: unknown, path = ""): Result<FeedbackBody> {
  return feedbackTarget(object(FEEDBACK_SHAPE)(value, path), path);
}

/** A voice-over to analyse (the body of POST /analyze). */
export function parseAnalyzeSpec(value: unknown, path = ""): Result<AnalyzeSpec> {
  return voiceTarget(object(ANALYZE_SHAPE)(value, path), path);
}

/** A bed under a voice-over (the body of POST /bed). */
export function parseBedSpec(value: unknown, path = ""): Result<BedSpec> {
  return voiceTarget(object(BED_SHAPE)(value, path), path);
}

/** A take to continue to a longer length (the body of POST /extend). */
export function parseExtendSpec(value: unknown, path = ""): Result<ExtendSpec> {
  return object(EXTEND_SHAPE)(value, path);
}

/** A scene tag as typed ("#Vlog-Morning") -> its normal form ("vlog_morning"), e.g. from /presets/{tag}. */
export function parseTag(value: unknown, path = "tag"): Result<string> {
  return tag(value, path);
}

/** A client's job id (1..64 of A-Z a-z 0-9 _ . : -). */
export function parseJobId(value: unknown, path = "job_id"): Result<string> {
  return jobId(value, path);
}

// ---------------------------------------------------------------------------------------------------------------
// Whole messages

export interface ParseOptions {
  /** Largest text accepted, in UTF-8 bytes; default MAX_MESSAGE_BYTES for client messages, none for server ones. */
  maxBytes?: number;
}

/** A failed client message keeps its `id` when it could be read, so the `error` reply can carry it. */
export type ClientParseResult = Success<ClientMessage> | (Failure & { id?: string });

/** Text -> JSON value: size (when text), emptiness, syntax. Anything not text is taken as already decoded. */
function decode(input: unknown, maxBytes: number): Result<unknown> {
  if (typeof input !== "string") {
    if (typeof ArrayBuffer !== "undefined" && (input instanceof ArrayBuffer || ArrayBuffer.isView(input))) {
      return fail("invalid_message", "binary messages are not accepted: send JSON as a text message");
    }
    return ok(input);
  }
  if (input.length > maxBytes) {
    return fail("too_large", `message is at least ${input.length} bytes; the limit is ${maxBytes}`);
  }
  if (input.length * 3 > maxBytes) {
    const bytes = utf8Length(input);
    if (bytes > maxBytes) return fail("too_large", `message is ${bytes} bytes; the limit is ${maxBytes}`);
  }
  if (input.trim() === "") return fail("invalid_message", "message is empty: send a JSON object");
  try {
    return ok(JSON.parse(input) as unknown);
  } catch (err) {
    return fail("invalid_message", `message is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** Reads `type`: a failure (code unknown_type, field "type") unless it is one of `known`. */
function readType<T extends string>(value: Record<string, unknown>, known: readonly T[]): Result<T> {
  const type = Object.prototype.hasOwnProperty.call(value, "type") ? value.type : undefined;
  const expected = `expected one of ${known.join(", ")}`;
  if (type === undefined) return fail("unknown_type", `message has no type; ${expected}`, "type");
  if (typeof type !== "string")
    return fail("unknown_type", `message type must be a string, got ${describe(type)}; ${expected}`, "type");
  if (!(known as readonly string[]).includes(type))
    return fail("unknown_type", `unknown message type ${quote(type)}; ${expected}`, "type");
  return ok(type as T);
}

const TYPE = ["type"] as const;
const generateObject = object(
  { id: messageId, jobs: arrayOf(parseJobSpec, { min: 1, max: MAX_JOBS_PER_BATCH }) },
  { allowKeys: TYPE },
);
const cancelObject = object({ id: messageId, job_id: jobId }, { allowKeys: TYPE });
const idOnlyObject = object({ id: messageId }, { allowKeys: TYPE });
const presetsSetObject = object({ id: messageId, tag, preset: presetObject }, { allowKeys: TYPE });
const presetsDeleteObject = object({ id: messageId, tag }, { allowKeys: TYPE });
const feedbackObject = object({ id: messageId, ...FEEDBACK_SHAPE }, { allowKeys: TYPE });
const analyzeObject = object({ id: messageId, ...ANALYZE_SHAPE }, { allowKeys: TYPE });
const bedObject = object({ id: messageId, ...BED_SHAPE }, { allowKeys: TYPE });
const extendObject = object({ id: messageId, ...EXTEND_SHAPE }, { allowKeys: TYPE });

function parseClientObject(value: Record<string, unknown>): Result<ClientMessage> {
  const type = readType(value, CLIENT_MESSAGE_TYPES);
  if (!type.ok) return type;
  switch (type.value) {
    case "generate": {
      const r = generateObject(value, "");
      if (!r.ok) return r;
      // Effective job ids (given, or "<id>.<index>") must be unique: replies and `cancel` are keyed by them.
      const seen = new Map<string, number>();
      for (let i = 0; i < r.value.jobs.length; i++) {
        const given = r.value.jobs[i].job_id;
        const id = given ?? defaultJobId(r.value.id, i);
        const first = seen.get(id);
        if (first !== undefined) {
          const what =
            given !== undefined
              ? `jobs[${i}].job_id ${quote(id)}`
              : `jobs[${i}] has no job_id, and its default ${quote(id)}`;
          return invalidField(
            `jobs[${i}].job_id`,
            `${what} repeats the job id of jobs[${first}]; job ids must be unique within a message`,
          );
        }
        seen.set(id, i);
      }
      return ok({ type: "generate", ...r.value });
    }
    case "cancel":
      return tagged("cancel", cancelObject(value, ""));
    case "presets.get":
      return tagged("presets.get", idOnlyObject(value, ""));
    case "presets.set":
      return tagged("presets.set", presetsSetObject(value, ""));
    case "presets.delete":
      return tagged("presets.delete", presetsDeleteObject(value, ""));
    case "feedback":
      return tagged("feedback", feedbackTarget(feedbackObject(value, ""), ""));
    case "health":
      return tagged("health", idOnlyObject(value, ""));
    case "analyze":
      return tagged("analyze", voiceTarget(analyzeObject(value, ""), ""));
    case "bed":
      return tagged("bed", voiceTarget(bedObject(value, ""), ""));
    case "extend":
      return tagged("extend", extendObject(value, ""));
  }
}

function tagged<const T extends string, V extends object>(type: T, r: Result<V>): Result<{ type: T } & V> {
  return r.ok ? ok({ type, ...r.value }) : r;
}

/**
 * A message from the panel (or any WebSocket client): the raw text (size-checked, then JSON-parsed) or an
 * already-decoded value. Bad JSON / not an object -> invalid_message; over `maxBytes` -> too_large; no or
 * unknown type -> unknown_type (field "type"); a bad field -> invalid_field naming its path.
 */
export function parseClientMessage(input: unknown, options: ParseOptions = {}): ClientParseResult {
  const decoded = decode(input, options.maxBytes ?? MAX_MESSAGE_BYTES);
  if (!decoded.ok) return decoded;
  const value = decoded.value;
  if (!isPlainObject(value)) return fail("invalid_message", `a message must be a JSON object, got ${describe(value)}`);
  const r = parseClientObject(value);
  if (r.ok) return r;
  const id = Object.prototype.hasOwnProperty.call(value, "id") ? value.id : undefined;
  return messageId(id, "id").ok ? { ...r, id: id as string } : r;
}

// ---------------------------------------------------------------------------------------------------------------
// Server messages, read leniently by the panel

const text: Checker<string> = (value, path) =>
  typeof value === "string"
    ? ok(value)
    : invalidField(path, `${nameOf(path)} must be a string, got ${describe(value)}`);
const finite = num();
const flag = bool();
const LENIENT = { unknownKeys: "strip" } as const;

const jobResultObject = object(
  {
    job_id: text,
    path: text,
    duration_sec: finite,
    sample_rate: finite,
    samples: finite,
    prompt: text,
    scene_tag: optional(text),
    seed: finite,
    sha256: text,
    loudness_lufs: finite,
    true_peak_dbtp: finite,
    bpm_estimate: nullable(finite),
    beats_sec: optional(arrayOf(finite)),
    cached: flag,
    model: text,
    contract_model: flag,
    wall_ms: finite,
    batch_size: optional(finite),
    take_index: optional(finite),
    extended_from: optional(text),
    levels: optional(enumOf(LEVELS_MODES)),
    bed_gain_db: optional(finite),
    duck_keyframes: optional(arrayOf(object({ time_sec: finite, gain_db: finite }, LENIENT))),
  },
  LENIENT,
);

/** A job result as the helper sends it (lenient: unknown keys dropped). */
export function parseJobResult(value: unknown, path = ""): Result<JobResult> {
  return jobResultObject(value, path);
}

/** An error payload; a code this panel does not know (from a newer helper) becomes "internal", keeping it in the message. */
const errorPayload: Checker<ErrorPayload> = refine(
  object({ code: text, message: text, field: optional(text) }, LENIENT),
  (e) => {
    if (isErrorCode(e.code))
      return ok(
        e.field === undefined
          ? { code: e.code, message: e.message }
          : { code: e.code, message: e.message, field: e.field },
      );
    const message = `${e.message} (code ${e.code})`;
    return ok(e.field === undefined ? { code: "internal", message } : { code: "internal", message, field: e.field });
  },
);

const presetTable: Checker<PresetTable> = recordOf(object({ prompt: text, seed: optional(finite) }, LENIENT));

const helloObject = object({ version: text, protocol: num({ integer: true, min: 1 }) }, LENIENT);
const queuedObject = object({ id: text, job_id: text, position: finite }, LENIENT);
const progressObject = object({ id: text, job_id: text, fraction: finite, eta_ms: finite }, LENIENT);
const doneObject = object(
  { id: text, job_id: text, result: parseJobResult, takes: optional(arrayOf(parseJobResult)) },
  LENIENT,
);
const errorObject = object({ id: optional(text), job_id: optional(text), error: errorPayload }, LENIENT);
const presetsObject = object({ id: text, presets: presetTable }, LENIENT);
const ackObject = object({ id: text }, LENIENT);
const analysisObject = object(
  {
    id: text,
    result: (v: unknown, path: string) =>
      isPlainObject(v) ? ok(v as never) : invalidField(path, `${nameOf(path)} must be an object`),
  },
  LENIENT,
);
const healthObject = object(
  {
    id: text,
    status: enumOf(HEALTH_STATUSES),
    model_loaded: flag,
    provider: nullable(text),
    queue_length: finite,
    version: text,
    model_dir: text,
    contract_model: flag,
    fetch_command: optional(text),
    reason: optional(text),
  },
  LENIENT,
);

/**
 * A message from the helper, for the panel: text or an already-decoded value. Checks the type and the types
 * of the fields the panel relies on; unknown keys are dropped and null optional fields count as absent.
 */
export function parseServerMessage(input: unknown, options: ParseOptions = {}): Result<ServerMessage> {
  const decoded = decode(input, options.maxBytes ?? Infinity);
  if (!decoded.ok) return decoded;
  const value = decoded.value;
  if (!isPlainObject(value)) return fail("invalid_message", `a message must be a JSON object, got ${describe(value)}`);
  const type = readType(value, SERVER_MESSAGE_TYPES);
  if (!type.ok) return type;
  switch (type.value) {
    case "hello":
      return tagged("hello", helloObject(value, ""));
    case "queued":
      return tagged("queued", queuedObject(value, ""));
    case "progress":
      return tagged("progress", progressObject(value, ""));
    case "done":
      return tagged("done", doneObject(value, ""));
    case "error":
      return tagged("error", errorObject(value, ""));
    case "presets":
      return tagged("presets", presetsObject(value, ""));
    case "ack":
      return tagged("ack", ackObject(value, ""));
    case "health":
      return tagged("health", healthObject(value, ""));
    case "analysis":
      return tagged("analysis", analysisObject(value, ""));
  }
}
