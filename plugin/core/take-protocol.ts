// The take loop's wire fields as the panel reads and sends them: `variations`, `extend`, `levels` (see the
// take-loop protocol in docs/protocol.md). Until shared/protocol carries them, the panel validates them here:
// the shared parser drops keys it does not know, so these are read again from the raw message.
import { parseJobResult, type JobResult, type JobSpec } from "../../shared/protocol";

/** Most takes one job may ask for (one batched decode). */
export const MAX_VARIATIONS = 4;

export type LevelsField = "baked" | "keyframes";

/** A point of the duck envelope: time from the bed's start, gain there (0 outside the envelope). */
export interface DuckKeyframe {
  time_sec: number;
  gain_db: number;
}

/** The fields a take-loop result adds to JobResult. */
export interface TakeFields {
  /** 0-based, when the job asked for more than one variation. */
  take_index?: number;
  /** sha256 of the take an extended bed continues. */
  extended_from?: string;
  levels?: LevelsField;
  /** Bed level to apply as clip volume (levels: "keyframes"). */
  bed_gain_db?: number;
  /** The duck's corners (beds under a voice-over, levels: "keyframes"). */
  duck_keyframes?: DuckKeyframe[];
}

export type TakeResult = JobResult & TakeFields;

/** What a generate job may add for the take loop. */
export interface TakeJobFields {
  variations?: number;
  levels?: LevelsField;
}

export type TakeJobSpec = JobSpec & TakeJobFields;

/** `extend`: a take this helper rendered (by sha256) continued to a new, longer length. */
export interface ExtendSpec {
  sha256: string;
  duration_sec: number;
  job_id?: string;
  output_dir?: string;
  levels?: LevelsField;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** The take-loop fields of a raw result object; anything malformed is left out, never trusted. */
export function takeFieldsOf(raw: unknown): TakeFields {
  if (!isObject(raw)) return {};
  const fields: TakeFields = {};
  if (Number.isInteger(raw.take_index) && (raw.take_index as number) >= 0) fields.take_index = raw.take_index as number;
  if (typeof raw.extended_from === "string" && /^[0-9a-f]{64}$/.test(raw.extended_from))
    fields.extended_from = raw.extended_from;
  if (raw.levels === "baked" || raw.levels === "keyframes") fields.levels = raw.levels;
  if (finite(raw.bed_gain_db)) fields.bed_gain_db = raw.bed_gain_db;
  if (Array.isArray(raw.duck_keyframes)) {
    const points = raw.duck_keyframes.filter(
      (k): k is DuckKeyframe => isObject(k) && finite(k.time_sec) && k.time_sec >= 0 && finite(k.gain_db),
    );
    if (points.length === raw.duck_keyframes.length)
      fields.duck_keyframes = points
        .map((k) => ({ time_sec: k.time_sec, gain_db: k.gain_db }))
        .sort((a, b) => a.time_sec - b.time_sec);
  }
  return fields;
}

/** A raw result object as a TakeResult (shared checks + the take-loop fields); null when it is not a result. */
export function parseTakeResult(raw: unknown): TakeResult | null {
  const parsed = parseJobResult(raw);
  return parsed.ok ? { ...parsed.value, ...takeFieldsOf(raw) } : null;
}

/** From a raw `done` message: its result with the take-loop fields, and every take when there are several. */
export function takesOfDone(raw: unknown): { result: TakeResult | null; takes: TakeResult[] | null } {
  if (!isObject(raw)) return { result: null, takes: null };
  const result = parseTakeResult(raw.result);
  let takes: TakeResult[] | null = null;
  if (Array.isArray(raw.takes)) {
    const parsed = raw.takes.map(parseTakeResult);
    if (parsed.every((t): t is TakeResult => t !== null)) takes = parsed;
  }
  return { result, takes };
}

/** Checks a variations count before it goes out: whole, 1..MAX_VARIATIONS. */
export function checkVariations(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_VARIATIONS)
    throw new Error(`takes per request must be a whole number from 1 to ${MAX_VARIATIONS}, got ${n}`);
  return n;
}
