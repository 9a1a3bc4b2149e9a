// The helper <-> panel protocol, as a spec: what parses, what each kind of bad input is answered with.
import * as fs from "node:fs";
import * as path from "node:path";
import * as engineDuration from "../../helper/engine/generation/duration";
import {
  CLIENT_MESSAGE_TYPES,
  ERROR_CODES,
  FEEDBACK_REASONS,
  MAX_DURATION_SEC,
  MAX_JOB_ID_CHARS,
  MAX_JOBS_PER_BATCH,
  MAX_MESSAGE_BYTES,
  MAX_SEED,
  MAX_VARIATIONS,
  MIN_DURATION_SEC,
  PROTOCOL_VERSION,
  SERVER_MESSAGE_TYPES,
  defaultJobId,
  httpErrorBody,
  httpStatusFor,
  isErrorCode,
  parseClientMessage,
  parseExtendSpec,
  parseFeedback,
  parseJobSpec,
  parsePreset,
  parseServerMessage,
  parseTag,
  takeId,
  type ClientMessage,
  type ErrorCode,
  type JobResult,
  type ParseError,
  type Result,
  type ServerMessage,
} from "../../shared/protocol";

/** The value of a successful parse (fails the test with the error otherwise). */
function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected success, got ${JSON.stringify(r.error)}`);
  return r.value;
}

/** The error of a failed parse. */
function error<T>(r: Result<T>): ParseError {
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.value)}`);
  return r.error;
}

const client = (msg: unknown) => parseClientMessage(JSON.stringify(msg));
const generate = (...jobs: unknown[]) => client({ type: "generate", id: "m1", jobs });

const RESULT: JobResult = {
  job_id: "marker-1",
  path: "/Users/ed/Music/Cuesmith/unboxing_15s_seed42_ab12cd34.wav",
  duration_sec: 15,
  sample_rate: 48000,
  samples: 720000,
  prompt: "upbeat tech product reveal music, clean synth melody, light percussion, modern and confident, 110 bpm",
  scene_tag: "unboxing",
  seed: 42,
  sha256: "a".repeat(64),
  loudness_lufs: -26,
  true_peak_dbtp: -13.2,
  bpm_estimate: 109.8,
  beats_sec: [0.27, 0.82, 1.36],
  cached: false,
  model: "/Users/ed/.cuesmith/models/musicgen-small",
  contract_model: false,
  wall_ms: 8123,
};

describe("job specs", () => {
  it("accepts the source article's exact HTTP JSON", () => {
    expect(value(parseJobSpec(JSON.parse('{"scene_tag": "unboxing", "duration_sec": 15, "target_bpm": 110}')))).toEqual(
      {
        scene_tag: "unboxing",
        duration_sec: 15,
        target_bpm: 110,
      },
    );
  });

  it("accepts every field at once, normalising the tag and trimming text", () => {
    const spec = {
      job_id: "marker:0f3a-9.b_2",
      scene_tag: "#Vlog-Morning",
      duration_sec: 12.5,
      target_bpm: 87.5,
      seed: MAX_SEED,
      output_dir: "C:\\Users\\ed\\Music",
      guidance_scale: 3,
      top_k: 250,
      temperature: 1,
      loudness_lufs: -14,
      bed_level_db: -12,
      label: "  Intro  ",
    };
    expect(value(parseJobSpec(spec))).toEqual({ ...spec, scene_tag: "vlog_morning", label: "Intro" });
    expect(
      value(parseJobSpec({ prompt: "  calm piano, no vocals ", duration_sec: 0.5, output_dir: "/tmp/beds" })),
    ).toEqual({
      prompt: "calm piano, no vocals",
      duration_sec: 0.5,
      output_dir: "/tmp/beds",
    });
  });

  it("accepts the edges of every range", () => {
    const ok = (extra: object) => parseJobSpec({ prompt: "p", duration_sec: 300, ...extra }).ok;
    expect(ok({ target_bpm: 30 })).toBe(true);
    expect(ok({ target_bpm: 300 })).toBe(true);
    expect(ok({ seed: 0 })).toBe(true);
    expect(ok({ guidance_scale: 0 })).toBe(true);
    expect(ok({ guidance_scale: 20 })).toBe(true);
    expect(ok({ top_k: 1 })).toBe(true);
    expect(ok({ top_k: 2048 })).toBe(true);
    expect(ok({ temperature: 10 })).toBe(true);
    expect(ok({ loudness_lufs: -40 })).toBe(true);
    expect(ok({ loudness_lufs: -5 })).toBe(true);
    expect(ok({ bed_level_db: 0 })).toBe(true);
    expect(ok({ prompt: "x".repeat(500) })).toBe(true);
    expect(ok({ prompt: "🎹".repeat(500) })).toBe(true); // characters, not UTF-16 units
    expect(ok({ output_dir: "/" + "d".repeat(1023) })).toBe(true);
  });

  it("needs exactly one of scene_tag and prompt", () => {
    expect(error(parseJobSpec({ scene_tag: "unboxing", prompt: "calm piano", duration_sec: 15 }))).toMatchObject({
      code: "invalid_field",
      field: "scene_tag",
      message: expect.stringContaining("not both"),
    });
    expect(error(parseJobSpec({ duration_sec: 15 }))).toMatchObject({ code: "invalid_field", field: "scene_tag" });
  });

  it.each([
    ["a duration under 0.5 s", { duration_sec: 0.4 }, "duration_sec", "from 0.5 to 300 seconds, got 0.4"],
    ["a duration over 300 s", { duration_sec: 301 }, "duration_sec", "got 301"],
    ["a zero duration", { duration_sec: 0 }, "duration_sec", "got 0"],
    ["a duration given as a string", { duration_sec: "15" }, "duration_sec", 'got the string "15"'],
    ["a bpm of 500", { target_bpm: 500 }, "target_bpm", "from 30 to 300 bpm, got 500"],
    [
      "a prompt of 501 characters",
      { scene_tag: undefined, prompt: "x".repeat(501) },
      "prompt",
      "at most 500 characters, got 501",
    ],
    ["a blank prompt", { scene_tag: undefined, prompt: "   " }, "prompt", "must not be empty"],
    ["a tag that normalises to nothing", { scene_tag: "../etc" }, "scene_tag", "not a usable tag"],
    ["a tag that is not a string", { scene_tag: 7 }, "scene_tag", "must be a string, got 7"],
    ["a fractional seed", { seed: 1.5 }, "seed", "whole number"],
    ["a negative seed", { seed: -1 }, "seed", "got -1"],
    ["a seed of 2^31", { seed: 2 ** 31 }, "seed", "from 0 to 2147483647"],
    ["a guidance over 20", { guidance_scale: 21 }, "guidance_scale", "got 21"],
    ["a top_k of 0", { top_k: 0 }, "top_k", "from 1 to 2048"],
    ["a fractional top_k", { top_k: 2.5 }, "top_k", "whole number"],
    ["a temperature of 0", { temperature: 0 }, "temperature", "greater than 0 and at most 10"],
    ["a loudness above -5 LUFS", { loudness_lufs: -3 }, "loudness_lufs", "LUFS"],
    ["a bed level above 0 dB", { bed_level_db: 1 }, "bed_level_db", "dB"],
    ["a job_id with a space", { job_id: "marker 1" }, "job_id", "use only A-Z a-z 0-9 _ . : -"],
    ["a job_id with a slash", { job_id: "../x" }, "job_id", "use only"],
    ["a job_id of 65 characters", { job_id: "j".repeat(65) }, "job_id", "at most 64 characters"],
    ["an empty job_id", { job_id: "" }, "job_id", "must not be empty"],
    [
      "an output_dir with NUL",
      { output_dir: "/tmp/beds\u0000.wav" },
      "output_dir",
      "control characters (found U+0000 at index 9)",
    ],
    ["a relative output_dir", { output_dir: "beds" }, "output_dir", "absolute"],
    ["an output_dir under ~", { output_dir: "~/Music" }, "output_dir", "~ is not expanded"],
    ["an output_dir of 1025 characters", { output_dir: "/" + "d".repeat(1024) }, "output_dir", "at most 1024"],
    ["a label of 201 characters", { label: "l".repeat(201) }, "label", "at most 200"],
    ["null for an optional field", { seed: null }, "seed", "got null"],
    ["NaN (from a caller that did not go through JSON)", { duration_sec: NaN }, "duration_sec", "got NaN"],
  ])("refuses %s", (_what, change, field, message) => {
    const spec = { scene_tag: "unboxing", duration_sec: 15, ...change };
    expect(error(parseJobSpec(spec))).toEqual({
      code: "invalid_field",
      field,
      message: expect.stringContaining(message),
    });
  });

  it("names an unknown key, suggesting the field it was probably meant to be", () => {
    expect(error(parseJobSpec({ scene_tag: "unboxing", durationSec: 15 }))).toEqual({
      code: "invalid_field",
      field: "durationSec",
      message: expect.stringContaining('did you mean "duration_sec"?'),
    });
    expect(error(parseJobSpec({ scene_tag: "unboxing", duration_sec: 15, bpm: 110 })).message).toContain(
      'did you mean "target_bpm"?',
    );
    expect(error(parseJobSpec({ scene_tag: "unboxing", duration_sec: 15, zzz: 1 })).message).not.toContain(
      "did you mean",
    );
  });

  it("needs a JSON object", () => {
    expect(error(parseJobSpec([]))).toMatchObject({
      code: "invalid_message",
      message: "expected a JSON object, got an array",
    });
    expect(error(parseJobSpec(null)).code).toBe("invalid_message");
    expect(error(parseJobSpec("x", "jobs[3]"))).toMatchObject({ code: "invalid_field", field: "jobs[3]" });
  });

  it("names nested fields with their JSON path", () => {
    expect(error(parseJobSpec({ prompt: "p", duration_sec: 301 }, "jobs[2]")).field).toBe("jobs[2].duration_sec");
  });
});

describe("client messages", () => {
  const examples: Record<ClientMessage["type"], { input: unknown; parsed: ClientMessage }> = {
    generate: {
      input: {
        type: "generate",
        id: "m1",
        jobs: [
          { job_id: "a", scene_tag: "Unboxing", duration_sec: 15, target_bpm: 110 },
          { prompt: "calm piano", duration_sec: 8 },
        ],
      },
      parsed: {
        type: "generate",
        id: "m1",
        jobs: [
          { job_id: "a", scene_tag: "unboxing", duration_sec: 15, target_bpm: 110 },
          { prompt: "calm piano", duration_sec: 8 },
        ],
      },
    },
    cancel: { input: { type: "cancel", id: "m2", job_id: "a" }, parsed: { type: "cancel", id: "m2", job_id: "a" } },
    "presets.get": { input: { type: "presets.get", id: "m3" }, parsed: { type: "presets.get", id: "m3" } },
    "presets.set": {
      input: { type: "presets.set", id: "m4", tag: "#Rainy-City", preset: { prompt: " lo-fi rain ", seed: 7 } },
      parsed: { type: "presets.set", id: "m4", tag: "rainy_city", preset: { prompt: "lo-fi rain", seed: 7 } },
    },
    "presets.delete": {
      input: { type: "presets.delete", id: "m5", tag: "rainy_city" },
      parsed: { type: "presets.delete", id: "m5", tag: "rainy_city" },
    },
    feedback: {
      input: { type: "feedback", id: "m6", sha256: "AB".repeat(32), reason: "too_loud", note: "drowns the voice-over" },
      parsed: {
        type: "feedback",
        id: "m6",
        sha256: "ab".repeat(32),
        reason: "too_loud",
        note: "drowns the voice-over",
      },
    },
    health: { input: { type: "health", id: "m7" }, parsed: { type: "health", id: "m7" } },
    analyze: {
      input: {
        type: "analyze",
        id: "m8",
        text: " 这个新功能真的太棒了！ ",
        media_path: "/Users/ed/vo.mov",
        in_sec: 1.5,
        out_sec: 9,
      },
      parsed: {
        type: "analyze",
        id: "m8",
        text: "这个新功能真的太棒了！",
        media_path: "/Users/ed/vo.mov",
        in_sec: 1.5,
        out_sec: 9,
      },
    },
    bed: {
      input: { type: "bed", id: "m9", job_id: "vo-1", media_path: "C:\\clips\\vo.mp4", duck_db: 10, seed: 3 },
      parsed: { type: "bed", id: "m9", job_id: "vo-1", media_path: "C:\\clips\\vo.mp4", duck_db: 10, seed: 3 },
    },
    extend: {
      input: { type: "extend", id: "m10", sha256: "CD".repeat(32), duration_sec: 20, levels: "keyframes" },
      parsed: { type: "extend", id: "m10", sha256: "cd".repeat(32), duration_sec: 20, levels: "keyframes" },
    },
  };

  it.each(CLIENT_MESSAGE_TYPES.map((t) => [t]))("parses %s", (type) => {
    const { input, parsed } = examples[type];
    expect(value(parseClientMessage(JSON.stringify(input)))).toEqual(parsed);
    expect(value(parseClientMessage(input))).toEqual(parsed); // an already-decoded value works too
  });

  it("reads variations 1..4 and the levels mode on a job, and refuses anything else", () => {
    const job = (extra: object) => parseJobSpec({ prompt: "p", duration_sec: 5, ...extra });
    expect(value(job({ variations: 4, levels: "keyframes" }))).toMatchObject({ variations: 4, levels: "keyframes" });
    expect(error(job({ variations: 5 }))).toMatchObject({ code: "invalid_field", field: "variations" });
    expect(error(job({ variations: 0 })).field).toBe("variations");
    expect(error(job({ variations: 1.5 })).field).toBe("variations");
    expect(error(job({ levels: "clip" }))).toMatchObject({ code: "invalid_field", field: "levels" });
    expect(error(client({ type: "bed", id: "b", text: "hi", levels: "loud" })).field).toBe("levels");
  });

  it("needs a take's sha256 and a valid duration to extend", () => {
    expect(error(client({ type: "extend", id: "e", duration_sec: 20 })).field).toBe("sha256");
    expect(error(client({ type: "extend", id: "e", sha256: "xyz", duration_sec: 20 })).field).toBe("sha256");
    expect(error(client({ type: "extend", id: "e", sha256: "0".repeat(64), duration_sec: 301 })).field).toBe(
      "duration_sec",
    );
    expect(error(parseExtendSpec({ sha256: "0".repeat(64), duration_sec: 9, seed: 1 })).field).toBe("seed");
  });

  it("reads the new result fields and the takes of a done message leniently", () => {
    const result = {
      job_id: "a#1",
      path: "/x.wav",
      duration_sec: 1,
      sample_rate: 48000,
      samples: 48000,
      prompt: "p",
      seed: 2,
      sha256: "0".repeat(64),
      loudness_lufs: -14,
      true_peak_dbtp: -1,
      bpm_estimate: null,
      cached: false,
      model: "m",
      contract_model: true,
      wall_ms: 5,
      take_index: 1,
      levels: "keyframes",
      bed_gain_db: -12,
      duck_keyframes: [{ time_sec: 0.2, gain_db: 0 }],
      extended_from: "1".repeat(64),
    };
    const done = value(parseServerMessage({ type: "done", id: "m", job_id: "a", result, takes: [result] }));
    expect(done).toMatchObject({ takes: [{ take_index: 1, bed_gain_db: -12, duck_keyframes: [{ time_sec: 0.2 }] }] });
  });

  it("accepts every feedback reason, and job_id, sha256 or both", () => {
    for (const reason of FEEDBACK_REASONS)
      expect(client({ type: "feedback", id: "f", job_id: "a", reason }).ok).toBe(true);
    expect(client({ type: "feedback", id: "f", job_id: "a", sha256: "0".repeat(64), reason: "other" }).ok).toBe(true);
  });

  it("lets feedback name a take of a job with variations by the id its result carries", () => {
    const longest = "j".repeat(MAX_JOB_ID_CHARS);
    expect([takeId("mk-1", 0), takeId("mk-1", 2), takeId(longest, MAX_VARIATIONS - 1)]).toEqual([
      "mk-1",
      "mk-1#2",
      `${longest}#${MAX_VARIATIONS - 1}`,
    ]);
    for (const job_id of ["mk-1#1", takeId(longest, MAX_VARIATIONS - 1)])
      expect(client({ type: "feedback", id: "f", job_id, sha256: "0".repeat(64), reason: "good_fit" }).ok).toBe(true);
    for (const job_id of ["mk-1#0", "mk-1#", "#1", "mk-1#100", "mk-1#1#2", "mk 1#1"])
      expect(error(client({ type: "feedback", id: "f", job_id, reason: "other" }))).toMatchObject({
        code: "invalid_field",
        field: "job_id",
      });
    // a job itself cannot take a take's id: '#' is not in the job-id alphabet
    expect(
      error(client({ type: "generate", id: "g", jobs: [{ job_id: "mk-1#1", prompt: "x", duration_sec: 1 }] })),
    ).toMatchObject({ field: "jobs[0].job_id" });
  });

  it("refuses text that is not JSON", () => {
    expect(error(parseClientMessage("{type: generate"))).toMatchObject({
      code: "invalid_message",
      message: expect.stringContaining("not valid JSON"),
    });
    expect(error(parseClientMessage("   "))).toMatchObject({
      code: "invalid_message",
      message: expect.stringContaining("empty"),
    });
    expect(error(parseClientMessage("[1, 2]"))).toMatchObject({
      code: "invalid_message",
      message: expect.stringContaining("got an array"),
    });
    expect(error(parseClientMessage("null")).code).toBe("invalid_message");
    expect(error(parseClientMessage(new Uint8Array([123, 125])))).toMatchObject({
      code: "invalid_message",
      message: expect.stringContaining("binary"),
    });
  });

  it("refuses a message over 256 KiB, counting UTF-8 bytes", () => {
    const big = JSON.stringify({ type: "health", id: "m", pad: "x".repeat(MAX_MESSAGE_BYTES) });
    expect(error(parseClientMessage(big))).toEqual({
      code: "too_large",
      message: expect.stringContaining(`the limit is ${MAX_MESSAGE_BYTES}`),
    });
    // 100,000 "é" are 100,000 UTF-16 units but 200,000 bytes: under the limit only when counted as units.
    const accented = JSON.stringify({ type: "health", id: "m", pad: "é".repeat(140_000) });
    expect(accented.length).toBeLessThan(MAX_MESSAGE_BYTES);
    expect(error(parseClientMessage(accented)).code).toBe("too_large");
    // The limit is the caller's to choose; size is checked before JSON syntax.
    expect(error(parseClientMessage('{"type": "health", "id": "m"}', { maxBytes: 10 })).code).toBe("too_large");
  });

  it("refuses a missing, non-string or unknown type, naming it", () => {
    expect(error(client({ id: "m" }))).toEqual({
      code: "unknown_type",
      field: "type",
      message: expect.stringContaining("no type"),
    });
    expect(error(client({ type: 3, id: "m" }))).toMatchObject({ code: "unknown_type", field: "type" });
    expect(error(client({ type: "transcribe", id: "m" }))).toEqual({
      code: "unknown_type",
      field: "type",
      message: expect.stringContaining('unknown message type "transcribe"'),
    });
    // a server message type is not a client message
    expect(error(client({ type: "done", id: "m" })).code).toBe("unknown_type");
  });

  it("needs an id of the job-id alphabet", () => {
    expect(error(client({ type: "health" }))).toEqual({
      code: "invalid_field",
      field: "id",
      message: "id is required",
    });
    expect(error(client({ type: "health", id: 5 }))).toMatchObject({ code: "invalid_field", field: "id" });
    expect(error(client({ type: "health", id: "" }))).toMatchObject({ code: "invalid_field", field: "id" });
    expect(error(client({ type: "health", id: "a b" }))).toMatchObject({ code: "invalid_field", field: "id" });
    expect(error(client({ type: "health", id: "x".repeat(61) }))).toMatchObject({ code: "invalid_field", field: "id" });
  });

  it("keeps the id of a refused message so the error reply can carry it", () => {
    const r = client({ type: "generate", id: "m9", jobs: [] });
    expect(r).toEqual({
      ok: false,
      id: "m9",
      error: { code: "invalid_field", field: "jobs", message: expect.stringContaining("1 to 64") },
    });
    expect(client({ type: "generate", jobs: [] })).not.toHaveProperty("id");
  });

  it("refuses unknown keys, naming them", () => {
    expect(error(client({ type: "health", id: "m", verbose: true }))).toMatchObject({
      code: "invalid_field",
      field: "verbose",
    });
    expect(error(generate({ scene_tag: "unboxing", duration_sec: 15, duraton_sec: 15 }))).toEqual({
      code: "invalid_field",
      field: "jobs[0].duraton_sec",
      message: expect.stringContaining('did you mean "duration_sec"?'),
    });
    // a key JSON.parse makes an own property must not slip through or touch any prototype
    expect(error(parseClientMessage('{"type": "health", "id": "m", "__proto__": {"x": 1}}'))).toMatchObject({
      code: "invalid_field",
      field: "__proto__",
    });
    expect(error(client({ type: "presets.set", id: "m", tag: "a", preset: { prompt: "p", seeds: 1 } })).field).toBe(
      "preset.seeds",
    );
  });

  it("checks every job of a generate, naming the job by index", () => {
    const good = { scene_tag: "unboxing", duration_sec: 15 };
    expect(error(generate(good, good, { ...good, duration_sec: 301 }))).toMatchObject({
      code: "invalid_field",
      field: "jobs[2].duration_sec",
    });
    expect(error(generate(good, { ...good, prompt: "p" }))).toMatchObject({
      field: "jobs[1].scene_tag",
      message: expect.stringContaining("jobs[1]"),
    });
    expect(error(generate(good, { duration_sec: 15 }))).toMatchObject({ field: "jobs[1].scene_tag" });
    expect(error(generate(good, 42))).toMatchObject({ field: "jobs[1]", message: "jobs[1] must be an object, got 42" });
    expect(error(client({ type: "generate", id: "m", jobs: good }))).toMatchObject({
      field: "jobs",
      message: "jobs must be an array, got an object",
    });
  });

  it("takes 1 to 64 jobs per generate", () => {
    const job = { prompt: "p", duration_sec: 1 };
    expect(generate(...Array(MAX_JOBS_PER_BATCH).fill(job)).ok).toBe(true);
    expect(error(generate(...Array(MAX_JOBS_PER_BATCH + 1).fill(job)))).toMatchObject({
      code: "invalid_field",
      field: "jobs",
    });
    expect(error(generate())).toMatchObject({ code: "invalid_field", field: "jobs" });
  });

  it("refuses job ids used twice in one generate, counting the default ids", () => {
    const job = { prompt: "p", duration_sec: 1 };
    expect(error(generate({ ...job, job_id: "a" }, { ...job, job_id: "a" }))).toMatchObject({
      code: "invalid_field",
      field: "jobs[1].job_id",
    });
    // jobs[1] has no job_id, so it would be "m1.1", which jobs[0] already claims
    expect(defaultJobId("m1", 1)).toBe("m1.1");
    expect(error(generate({ ...job, job_id: "m1.1" }, job))).toMatchObject({
      field: "jobs[1].job_id",
      message: expect.stringContaining('"m1.1"'),
    });
  });

  it("checks the other messages' fields", () => {
    expect(error(client({ type: "cancel", id: "m" }))).toMatchObject({ code: "invalid_field", field: "job_id" });
    expect(error(client({ type: "cancel", id: "m", job_id: "a/b" }))).toMatchObject({
      code: "invalid_field",
      field: "job_id",
    });
    expect(error(client({ type: "presets.set", id: "m", tag: "!!", preset: { prompt: "p" } }))).toMatchObject({
      field: "tag",
    });
    expect(error(client({ type: "presets.set", id: "m", tag: "a", preset: { seed: 1 } }))).toMatchObject({
      field: "preset.prompt",
    });
    expect(error(client({ type: "presets.set", id: "m", tag: "a", preset: "calm" }))).toMatchObject({
      field: "preset",
    });
    expect(error(client({ type: "presets.delete", id: "m" }))).toMatchObject({ field: "tag" });
  });

  it("checks feedback: a known reason, which bed, a bounded note", () => {
    expect(error(client({ type: "feedback", id: "m", job_id: "a", reason: "too_quiet" }))).toEqual({
      code: "invalid_field",
      field: "reason",
      message: expect.stringContaining('"too_loud", "tempo_slow"'),
    });
    expect(error(client({ type: "feedback", id: "m", reason: "other" }))).toMatchObject({
      code: "invalid_field",
      field: "job_id",
    });
    expect(error(client({ type: "feedback", id: "m", sha256: "abc", reason: "other" }))).toMatchObject({
      field: "sha256",
    });
    expect(
      error(client({ type: "feedback", id: "m", job_id: "a", reason: "other", note: "n".repeat(2001) })),
    ).toMatchObject({ field: "note" });
    expect(client({ type: "feedback", id: "m", job_id: "a", reason: "other", note: "line 1\nline 2" }).ok).toBe(true);
  });
});

describe("HTTP bodies", () => {
  it("POST /feedback: the feedback message without type and id", () => {
    expect(value(parseFeedback({ job_id: "a", reason: "tempo_slow" }))).toEqual({ job_id: "a", reason: "tempo_slow" });
    expect(error(parseFeedback({ id: "m", job_id: "a", reason: "tempo_slow" }))).toMatchObject({ field: "id" });
    expect(error(parseFeedback({ reason: "tempo_slow" }))).toMatchObject({ field: "job_id" });
  });

  it("PUT /presets/{tag}: a preset, and the tag from the path", () => {
    expect(value(parsePreset({ prompt: "warm pads", seed: 3 }))).toEqual({ prompt: "warm pads", seed: 3 });
    expect(error(parsePreset({ prompt: "warm pads", seed: "3" }))).toMatchObject({ field: "seed" });
    expect(value(parseTag("#Closing-Credits"))).toBe("closing_credits");
    expect(error(parseTag("a/b"))).toMatchObject({ code: "invalid_field", field: "tag" });
  });
});

describe("voice-over requests", () => {
  it("need the text or the media, and in/out in order", () => {
    expect(error(client({ type: "analyze", id: "a" }))).toMatchObject({ code: "invalid_field", field: "text" });
    expect(error(client({ type: "bed", id: "b", media_path: "/v.mov", in_sec: 5, out_sec: 2 }))).toMatchObject({
      field: "out_sec",
    });
    expect(error(client({ type: "bed", id: "b", media_path: "vo.mov" }))).toMatchObject({ field: "media_path" });
    expect(error(client({ type: "bed", id: "b", text: "x", duck_db: 40 }))).toMatchObject({ field: "duck_db" });
  });
});

describe("server messages (read leniently by the panel)", () => {
  const examples: Record<ServerMessage["type"], ServerMessage> = {
    hello: { type: "hello", version: "0.1.0", protocol: PROTOCOL_VERSION },
    queued: { type: "queued", id: "m1", job_id: "a", position: 0 },
    progress: { type: "progress", id: "m1", job_id: "a", fraction: 0.5, eta_ms: 4200 },
    done: { type: "done", id: "m1", job_id: "a", result: RESULT },
    error: {
      type: "error",
      id: "m1",
      job_id: "a",
      error: { code: "queue_full", message: "the queue is full (64 jobs); try again shortly" },
    },
    presets: {
      type: "presets",
      id: "m3",
      presets: { unboxing: { prompt: "upbeat" }, course_intro: { prompt: "orchestral", seed: 42 } },
    },
    ack: { type: "ack", id: "m6" },
    health: {
      type: "health",
      id: "m7",
      status: "model_missing",
      model_loaded: false,
      provider: null,
      queue_length: 0,
      version: "0.1.0",
      model_dir: "/Users/ed/.cuesmith/models/musicgen-small",
      contract_model: false,
      fetch_command: "npx cuesmith models fetch musicgen-small",
    },
    analysis: {
      type: "analysis",
      id: "m8",
      result: {
        transcript: "hi",
        transcription: "given",
        language: "en",
        segments: [],
        speech_regions: [{ start: 0.1, end: 1.2 }],
        emotion: "calm",
        subtone: null,
        scores: { calm: 0 },
        evidence: [],
        energy: null,
        prompt: "calm background music for narration, soft piano, slow tempo, peaceful, no vocals",
      },
    },
  };

  it.each(SERVER_MESSAGE_TYPES.map((t) => [t]))("parses %s", (type) => {
    expect(value(parseServerMessage(JSON.stringify(examples[type])))).toEqual(examples[type]);
  });

  it("drops unknown keys and treats null optional fields as absent (a newer helper may add fields)", () => {
    const msg = {
      type: "done",
      id: "m1",
      job_id: "a",
      result: { ...RESULT, scene_tag: null, loudness_range: 4 },
      trace: "x",
    };
    const { scene_tag: _omitted, ...rest } = RESULT;
    expect(value(parseServerMessage(JSON.stringify(msg)))).toEqual({
      type: "done",
      id: "m1",
      job_id: "a",
      result: rest,
    });
    expect(value(parseServerMessage({ type: "error", id: null, error: { code: "timeout", message: "m" } }))).toEqual({
      type: "error",
      error: { code: "timeout", message: "m" },
    });
  });

  it("keeps a code it does not know as internal, with the code in the message", () => {
    expect(
      value(parseServerMessage({ type: "error", error: { code: "gpu_on_fire", message: "hot", field: "x" } })),
    ).toEqual({
      type: "error",
      error: { code: "internal", message: "hot (code gpu_on_fire)", field: "x" },
    });
  });

  it("still checks the type and the required fields", () => {
    expect(error(parseServerMessage('{"type": "bed"}'))).toMatchObject({ code: "unknown_type", field: "type" });
    expect(
      error(parseServerMessage({ type: "done", id: "m1", job_id: "a", result: { ...RESULT, path: 3 } })),
    ).toMatchObject({
      code: "invalid_field",
      field: "result.path",
    });
    expect(error(parseServerMessage({ type: "progress", id: "m1", job_id: "a" }))).toMatchObject({ field: "fraction" });
    expect(error(parseServerMessage({ ...examples.health, status: "napping" }))).toMatchObject({ field: "status" });
    expect(error(parseServerMessage("not json")).code).toBe("invalid_message");
  });
});

describe("error codes", () => {
  it("map to HTTP statuses", () => {
    const expected: Record<ErrorCode, number> = {
      invalid_message: 400,
      invalid_field: 400,
      unknown_type: 400,
      forbidden: 403,
      unknown_tag: 404,
      not_found: 404,
      cancelled: 409,
      too_large: 413,
      internal: 500,
      generation_failed: 500,
      model_missing: 503,
      model_loading: 503,
      tool_missing: 503,
      queue_full: 503,
      timeout: 504,
    };
    for (const code of ERROR_CODES) expect([code, httpStatusFor(code)]).toEqual([code, expected[code]]);
    expect([...ERROR_CODES].sort()).toEqual(Object.keys(expected).sort());
  });

  it("answer 500 for a code that is not ours, and do not mistake Object's own keys for codes", () => {
    expect(httpStatusFor("no_such_code")).toBe(500);
    expect(httpStatusFor("toString")).toBe(500);
    expect(isErrorCode("constructor")).toBe(false);
    expect(isErrorCode("timeout")).toBe(true);
  });

  it("travel over HTTP as {error: {code, message, field?}}", () => {
    expect(httpErrorBody({ code: "invalid_field", message: "m", field: "duration_sec" })).toEqual({
      error: { code: "invalid_field", message: "m", field: "duration_sec" },
    });
    expect(httpErrorBody({ code: "timeout", message: "m" })).toEqual({ error: { code: "timeout", message: "m" } });
  });

  it("cover every code a parser produces", () => {
    const parseCodes: ErrorCode[] = ["invalid_message", "invalid_field", "unknown_type", "too_large"];
    for (const code of parseCodes) expect(isErrorCode(code)).toBe(true);
  });
});

describe("limits", () => {
  it("are the engine's duration range", () => {
    const refused = (seconds: number) => {
      try {
        engineDuration.checkDuration(seconds);
        return false;
      } catch {
        return true;
      }
    };
    expect([MIN_DURATION_SEC, MAX_DURATION_SEC].map(refused)).toEqual([false, false]);
    expect([MIN_DURATION_SEC - 0.001, MAX_DURATION_SEC + 0.001].map(refused)).toEqual([true, true]);
  });

  it("the shared protocol imports nothing from Node or the helper (the panel bundles it)", () => {
    const dir = path.join(__dirname, "../../shared/protocol");
    for (const file of fs.readdirSync(dir)) {
      const source = fs.readFileSync(path.join(dir, file), "utf8");
      const imports = [...source.matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]);
      for (const spec of imports)
        expect([file, spec]).toEqual([file, expect.stringMatching(/^\.\.?\/(?!\.\.\/)(?!helper)/)]);
      expect([file, /\brequire\(|\bBuffer\.|\bprocess\./.test(source)]).toEqual([file, false]);
    }
  });
});
