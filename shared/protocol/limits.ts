// Limits of the helper <-> panel protocol. The helper enforces them on everything it receives; the panel can
// use them to check input before sending, and the helper's CLI and engine take their ranges from here too, so a
// value one end accepts is never refused by the other. Plain constants, no imports: shared by Node and the panel.

/** Largest WebSocket text message or HTTP JSON body the helper reads, in UTF-8 bytes (256 KiB). */
export const MAX_MESSAGE_BYTES = 256 * 1024;

/**
 * Message `id` (client-chosen): 1..60 characters from A-Z a-z 0-9 _ . : - , the job-id alphabet, so that the id
 * the helper gives a job sent without `job_id`, "<id>.<index>" (index < 64), is always a valid job id itself.
 */
export const MAX_ID_CHARS = 60;
export const MESSAGE_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,60}$/;

/** A job's `job_id` (client-chosen): 1..64 characters from A-Z a-z 0-9 _ . : - */
export const MAX_JOB_ID_CHARS = 64;
export const JOB_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

/**
 * A take's id, as results carry it and feedback may name it: take 0 of a job is the job's own id, take i >= 1 of a
 * job that asked for `variations` is "<job_id>#<i>" ('#' is outside the job-id alphabet, so a take's id never
 * collides with a job's).
 */
export const TAKE_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}(?:#[1-9][0-9]?)?$/;
export const MAX_TAKE_ID_CHARS = MAX_JOB_ID_CHARS + "#99".length;

/** A prompt, after trimming, in characters (Unicode code points). */
export const MAX_PROMPT_CHARS = 500;

/** Length of one bed in seconds (inclusive). */
export const MIN_DURATION_SEC = 0.5;
export const MAX_DURATION_SEC = 300;

/** Sample rate of every finished bed, in Hz: the rate Premiere sequences run at. */
export const OUTPUT_SAMPLE_RATE = 48000;

/** Takes one job may ask for (`variations`): they share one batched decode, take i with seed (seed + i) mod 2^31. */
export const MIN_VARIATIONS = 1;
export const MAX_VARIATIONS = 4;

/** Jobs in one `generate` message. */
export const MAX_JOBS_PER_BATCH = 64;

/** Feedback `note`, in characters. */
export const MAX_NOTE_CHARS = 2000;

/** A job's `label` (e.g. the marker's name), in characters. */
export const MAX_LABEL_CHARS = 200;

/** Target tempo in beats per minute (inclusive; decimals allowed). */
export const MIN_BPM = 30;
export const MAX_BPM = 300;

/** Seeds are integers 0..2^31-1 (inclusive). */
export const MIN_SEED = 0;
export const MAX_SEED = 2 ** 31 - 1;

/** Classifier-free guidance scale (inclusive). */
export const MIN_GUIDANCE_SCALE = 0;
export const MAX_GUIDANCE_SCALE = 20;

/** Top-k sampling: an integer 1..2048 (MusicGen's codebook size). */
export const MIN_TOP_K = 1;
export const MAX_TOP_K = 2048;

/** Sampling temperature: greater than 0, at most 10. */
export const MIN_TEMPERATURE_EXCLUSIVE = 0;
export const MAX_TEMPERATURE = 10;

/** Integrated loudness target of a finished bed, in LUFS (inclusive). */
export const MIN_LOUDNESS_LUFS = -40;
export const MAX_LOUDNESS_LUFS = -5;
/** The target when a job names none: streaming platforms' reference level. */
export const DEFAULT_LOUDNESS_LUFS = -14;

/** Bed level relative to the loudness target, in dB (inclusive). */
export const MIN_BED_LEVEL_DB = -40;
export const MAX_BED_LEVEL_DB = 0;
/** The bed level when a job names none: the source article's, this far below the loudness target. */
export const DEFAULT_BED_LEVEL_DB = -12;

/** How far a voice-over bed dips under speech, in dB (inclusive); the panel's Settings offer the same range. */
export const MIN_DUCK_DB = 0;
export const MAX_DUCK_DB = 30;
/** The dip when a `bed` request names none. */
export const DEFAULT_DUCK_DB = 8;

/** `output_dir`, in characters. */
export const MAX_OUTPUT_DIR_CHARS = 1024;

/** A voice-over transcript sent for analysis, in characters. */
export const MAX_TRANSCRIPT_CHARS = 20000;
