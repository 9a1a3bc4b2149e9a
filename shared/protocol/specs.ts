// The request bodies' types, derived from the shapes their parsers check (./parse): a field cannot be typed but
// refused, or accepted but untyped. Field docs live on the shapes and show on these types.
import type { Infer } from "./validate";
import type { ANALYZE_SHAPE, BED_SHAPE, EXTEND_SHAPE, FEEDBACK_SHAPE, JOB_SPEC_SHAPE, PRESET_SHAPE } from "./parse";

/** One bed to generate (a `generate` job, or the body of POST /generate). */
export type JobSpec = Infer<typeof JOB_SPEC_SHAPE>;

/** A voice-over to analyse (the body of POST /analyze). */
export type AnalyzeSpec = Infer<typeof ANALYZE_SHAPE>;

/** A bed under a voice-over (the body of POST /bed). */
export type BedSpec = Infer<typeof BED_SHAPE>;

/** A feedback without type/id (the body of POST /feedback). */
export type FeedbackBody = Infer<typeof FEEDBACK_SHAPE>;

/** A preset `{prompt, seed?}` (presets.set, or the body of PUT /presets/{tag}). */
export type PresetBody = Infer<typeof PRESET_SHAPE>;

/** Continue a finished take to a longer length (POST /extend, WS `extend`). */
export type ExtendSpec = Infer<typeof EXTEND_SHAPE>;
