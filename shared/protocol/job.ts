// A generation job as the wire carries it (snake_case, as in the source article's HTTP JSON
// {"scene_tag": "unboxing", "duration_sec": 15, "target_bpm": 110}), and the result the helper sends back.
// Types only; parseJobSpec in ./parse turns untrusted JSON into a JobSpec.

/**
 * One bed to generate. Exactly one of `scene_tag` / `prompt` is present; after parsing, `scene_tag` is
 * normalised ("#Vlog-Morning" -> "vlog_morning") and `prompt`, `label` are trimmed. Leave a setting out to get
 * the helper's default. Limits: ./limits.
 */
export interface JobSpec {
  /** The client's own id for the job (e.g. the marker's GUID): 1..64 of A-Z a-z 0-9 _ . : - ; unique within a
   * `generate` message. Without one the helper picks an id and reports it in `queued`/`done`/`error`. */
  job_id?: string;
  /** A preset tag ("unboxing"); the helper's preset table turns it into a prompt (and maybe a pinned seed). */
  scene_tag?: string;
  /** A MusicGen prompt, 1..500 characters. */
  prompt?: string;
  /** Exact length of the bed in seconds, 0.5..300. */
  duration_sec: number;
  /** Tempo to ask MusicGen for, 30..300 bpm ("…, 110 bpm" is added to the prompt). */
  target_bpm?: number;
  /** Integer 0..2^31-1; same seed + prompt + settings = the same bed. Default: the tag's pinned seed, else random. */
  seed?: number;
  /** Absolute folder for the WAV; must lie inside one of the helper's output roots. Default: the helper's. */
  output_dir?: string;
  /** Classifier-free guidance, 0..20 (default 3). */
  guidance_scale?: number;
  /** Top-k sampling, integer 1..2048 (default 250). */
  top_k?: number;
  /** Sampling temperature, (0, 10] (default 1). */
  temperature?: number;
  /** Integrated loudness target in LUFS, -40..-5 (default: the helper's, -14). */
  loudness_lufs?: number;
  /** Bed level in dB relative to the target, -40..0 (default: the helper's, -12). */
  bed_level_db?: number;
  /** Free text carried for the user, e.g. the marker's name (<= 200 characters). */
  label?: string;
  /** Takes to make, integer 1..4 (default 1): one batched decode, take i with seed (seed + i) mod 2^31. */
  variations?: number;
  /** "baked" (default): the bed level is in the WAV. "keyframes": the WAV stays at its finished loudness and the
   * result carries `bed_gain_db` for the clip's volume. */
  levels?: LevelsMode;
}

/** How the bed level and the dip under a voice reach Premiere: in the samples, or as clip-volume keyframes. */
export const LEVELS_MODES = ["baked", "keyframes"] as const;
export type LevelsMode = (typeof LEVELS_MODES)[number];

/** One corner of the dip under a voice: the clip-volume change (dB, <= 0) at `time_sec` from the bed's start. */
export interface DuckKeyframe {
  time_sec: number;
  gain_db: number;
}

/** Continue a finished take to a longer length: same opening, more music (POST /extend, WS `extend`). */
export interface ExtendSpec {
  /** The take to continue: the `sha256` of a WAV this helper rendered. */
  sha256: string;
  /** The new length in seconds (limits as `duration_sec` of a job); longer than the take. */
  duration_sec: number;
  job_id?: string;
  output_dir?: string;
  levels?: LevelsMode;
}

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
