// A generation job as the wire carries it (snake_case, as in the source article's HTTP JSON
// {"scene_tag": "unboxing", "duration_sec": 15, "target_bpm": 110}), and the result the helper sends back.
// Types only; parseJobSpec in ./parse turns untrusted JSON into a JobSpec, whose type ./specs derives from its shape.

/** One bed to generate: its type comes from the shape its parser checks. */
export type { JobSpec } from "./specs";

/** How the bed level and the dip under a voice reach Premiere: in the samples, or as clip-volume keyframes. */
export const LEVELS_MODES = ["baked", "keyframes"] as const;
export type LevelsMode = (typeof LEVELS_MODES)[number];

/** One corner of the dip under a voice: the clip-volume change (dB, <= 0) at `time_sec` from the bed's start. */
export interface DuckKeyframe {
  time_sec: number;
  gain_db: number;
}

/** Continue a finished take to a longer length: same opening, more music (POST /extend, WS `extend`). */
export type { ExtendSpec } from "./specs";

/** A finished bed. */
export interface JobResult {
  job_id: string;
  /** Absolute path of the 24-bit WAV. */
  path: string;
  /** Exact length in seconds (samples / sample_rate). */
  duration_sec: number;
  sample_rate: number;
  samples: number;
  /** The prompt MusicGen was given (the tag's prompt with the tempo added, when there was one). */
  prompt: string;
  scene_tag?: string;
  seed: number;
  /** SHA-256 of the WAV file, lowercase hex. */
  sha256: string;
  /** Measured integrated loudness of the finished bed. */
  loudness_lufs: number;
  true_peak_dbtp: number;
  /** Estimated tempo of the bed; null when no steady beat was found. */
  bpm_estimate: number | null;
  /** Estimated beat times in seconds from the start of the bed. */
  beats_sec?: number[];
  /** True when the bed came from the render cache. */
  cached: boolean;
  /** The model folder that made it. */
  model: string;
  /** True when that model is a contract (random-weight test) model: its audio is noise. */
  contract_model: boolean;
  /** Wall time from accepting the job to the file being in place, in milliseconds. */
  wall_ms: number;
  /** How many jobs shared the decode that made it (absent for cache hits). */
  batch_size?: number;
  /** 0-based take number, when the job asked for more than one variation. */
  take_index?: number;
  /** The take this one continues (its sha256), for results of `extend`. */
  extended_from?: string;
  /** Where the bed level and the dip are: "baked" into the WAV, or to be applied as "keyframes". */
  levels?: LevelsMode;
  /** With levels "keyframes": the bed level to apply as clip volume, dB. */
  bed_gain_db?: number;
  /** With levels "keyframes", for beds under a voice: the dip's corners, sorted by time, within [0, duration].
   * Total gain at t = bed_gain_db + the keyframes interpolated linearly in dB (0 before the first, after the last). */
  duck_keyframes?: DuckKeyframe[];
}
