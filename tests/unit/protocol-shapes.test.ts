// The request bodies' types are derived from the shapes their parsers check (shared/protocol/specs.ts). These tests
// hold both directions: every key of each type is checked by its parser (a bad value is refused, naming that key),
// and a value using every typed key is accepted as it is. The `Required<…>` values below stop compiling when a field
// is added to a shape, so a new field gets its example here.
import {
  parseAnalyzeSpec,
  parseBedSpec,
  parseExtendSpec,
  parseFeedback,
  parseJobSpec,
  parsePreset,
  type AnalyzeSpec,
  type BedSpec,
  type ExtendSpec,
  type FeedbackBody,
  type JobSpec,
  type PresetBody,
  type Result,
} from "../../shared/protocol";

const job: Required<Omit<JobSpec, "scene_tag">> = {
  job_id: "m1",
  prompt: "warm piano",
  duration_sec: 12.5,
  target_bpm: 96,
  seed: 42,
  output_dir: "/Users/me/Music",
  guidance_scale: 3,
  top_k: 250,
  temperature: 1,
  loudness_lufs: -16,
  bed_level_db: -10,
  label: "intro",
  variations: 3,
  levels: "keyframes",
};
const analyze: Required<AnalyzeSpec> = {
  text: "welcome back",
  media_path: "/Users/me/vo.wav",
  in_sec: 1,
  out_sec: 9,
  context: "narration",
};
const bed: Required<BedSpec> = {
  ...analyze,
  job_id: "vo1",
  duration_sec: 8,
  seed: 7,
  output_dir: "C:\\Users\\me\\Music",
  duck_db: 12,
  levels: "baked",
  variations: 2,
};
const extend: Required<ExtendSpec> = {
  sha256: "b".repeat(64),
  duration_sec: 20,
  job_id: "m1-extended",
  output_dir: "/Users/me/Music",
  levels: "keyframes",
};
const feedback: Required<FeedbackBody> = {
  job_id: "m1",
  sha256: "a".repeat(64),
  reason: "style_mismatch",
  note: "too sad",
};
const preset: Required<PresetBody> = { prompt: "soft rain piano", seed: 3 };

type Parser = (value: unknown) => Result<unknown>;
const CASES: [string, Parser, Record<string, unknown>, Record<string, unknown>][] = [
  ["JobSpec", (v) => parseJobSpec(v), job, { prompt: "p", duration_sec: 5 }],
  [
    "JobSpec (scene_tag)",
    (v) => parseJobSpec(v),
    { scene_tag: "unboxing", duration_sec: 5 },
    { scene_tag: "unboxing", duration_sec: 5 },
  ],
  ["AnalyzeSpec", (v) => parseAnalyzeSpec(v), analyze, { text: "hello" }],
  ["BedSpec", (v) => parseBedSpec(v), bed, { text: "hello" }],
  ["ExtendSpec", (v) => parseExtendSpec(v), extend, { sha256: "b".repeat(64), duration_sec: 20 }],
  ["FeedbackBody", (v) => parseFeedback(v), feedback, { job_id: "m1", reason: "style_mismatch" }],
  ["PresetBody", (v) => parsePreset(v), preset, { prompt: "p" }],
];

describe("request types and their parsers come from one shape", () => {
  it.each(CASES)("%s: a value using every typed key is accepted unchanged", (_name, parse, full) => {
    expect(parse(full)).toEqual({ ok: true, value: full });
  });

  it.each(CASES)("%s: every typed key is checked (a bad value is refused, naming it)", (_name, parse, full, base) => {
    const unchecked: string[] = [];
    for (const key of Object.keys(full)) {
      const r = parse({ ...base, [key]: { not: "a valid value" } });
      if (r.ok || r.error.code !== "invalid_field" || r.error.field !== key) unchecked.push(key);
    }
    expect(unchecked).toEqual([]);
  });

  it.each(CASES)("%s: a key the type does not have is refused", (_name, parse, _full, base) => {
    const r = parse({ ...base, not_a_field: 1 });
    expect(r).toMatchObject({ ok: false, error: { code: "invalid_field", field: "not_a_field" } });
  });
});
