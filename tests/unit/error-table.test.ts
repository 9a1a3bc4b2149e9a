// The one error model: every error the helper raises on purpose is a CuesmithError, and each internal code reaches
// the wire as the protocol code and HTTP status below. One row per internal code; a new code fails the coverage check.
import { EngineError } from "../../helper/engine/errors";
import { QueueError } from "../../helper/jobs/generation-queue";
import { ERROR_TABLE, errorBody, type InternalErrorCode } from "../../helper/server/errors";
import { JobError } from "../../helper/service/bed-service";
import { StoreError } from "../../helper/store/errors";
import { ConfinementError } from "../../helper/util/confine";
import { AudioInputError } from "../../helper/voice/decode-audio";
import { NliModelError } from "../../helper/voice/emotion/nli-classifier";
import { WhisperModelError } from "../../helper/voice/transcribe/errors";
import { ModelFileError } from "../../models/fetch/errors";
import { CuesmithError } from "../../shared/errors";
import { httpStatusFor, type ErrorCode } from "../../shared/protocol";

type Row = [InternalErrorCode, () => CuesmithError, ErrorCode, number, string | undefined];

const FIX = "run `npx cuesmith models fetch musicgen-small`";
const ROWS: Row[] = [
  [
    "model_missing",
    () => new EngineError("model_missing", "decoder.onnx is missing", "decoder.onnx", FIX),
    "model_missing",
    503,
    undefined,
  ],
  [
    "model_corrupt",
    () => new EngineError("model_corrupt", "decoder.onnx is damaged", "decoder.onnx", FIX),
    "model_missing",
    503,
    undefined,
  ],
  ["invalid_request", () => new EngineError("invalid_request", "topK must be >= 1"), "invalid_field", 400, undefined],
  ["aborted", () => new EngineError("aborted", "generation was cancelled"), "cancelled", 409, undefined],
  ["busy", () => new EngineError("busy", "the model is loading"), "model_loading", 503, undefined],
  ["cancelled", () => new QueueError("cancelled", "cancelled"), "cancelled", 409, undefined],
  ["timeout", () => new QueueError("timeout", "took too long"), "timeout", 504, undefined],
  ["queue_full", () => new QueueError("queue_full", "64 jobs are waiting"), "queue_full", 503, undefined],
  [
    "generation_failed",
    () => new QueueError("generation_failed", "the decoder failed"),
    "generation_failed",
    500,
    undefined,
  ],
  ["invalid_field", () => new StoreError("invalid_field", "bpm must be a number", "bpm"), "invalid_field", 400, "bpm"],
  ["forbidden", () => new ConfinementError("output_dir is outside the allowed folders"), "forbidden", 403, undefined],
  [
    "ffmpeg_missing",
    () => new AudioInputError("ffmpeg_missing", "ffmpeg is not installed"),
    "tool_missing",
    503,
    undefined,
  ],
  ["file_missing", () => new AudioInputError("file_missing", "no such file"), "invalid_field", 400, "media_path"],
  ["not_a_file", () => new AudioInputError("not_a_file", "a folder"), "invalid_field", 400, "media_path"],
  ["refused_path", () => new AudioInputError("refused_path", "a device path"), "invalid_field", 400, "media_path"],
  ["undecodable", () => new AudioInputError("undecodable", "not audio"), "invalid_field", 400, "media_path"],
  [
    "invalid_range",
    () => new AudioInputError("invalid_range", "out before in", "out_sec"),
    "invalid_field",
    400,
    "out_sec",
  ],
  ["too_long", () => new AudioInputError("too_long", "over 20 minutes", "in_sec"), "invalid_field", 400, "in_sec"],
  [
    "missing",
    () => new ModelFileError("missing", "onnx/decoder.onnx is missing", "onnx/decoder.onnx", FIX),
    "model_missing",
    503,
    undefined,
  ],
  [
    "wrong_size",
    () => new ModelFileError("wrong_size", "wrong size", "onnx/decoder.onnx", FIX),
    "model_missing",
    503,
    undefined,
  ],
  [
    "wrong_hash",
    () => new ModelFileError("wrong_hash", "wrong sha256", "onnx/decoder.onnx", FIX),
    "model_missing",
    503,
    undefined,
  ],
  ["offline", () => new ModelFileError("offline", "no network", undefined, FIX), "model_missing", 503, undefined],
  [
    "network",
    () => new ModelFileError("network", "the connection broke", undefined, FIX),
    "model_missing",
    503,
    undefined,
  ],
  ["http", () => new ModelFileError("http", "the hub answered 500"), "model_missing", 503, undefined],
  [
    "hub_mismatch",
    () => new ModelFileError("hub_mismatch", "the hub publishes other files"),
    "model_missing",
    503,
    undefined,
  ],
  [
    "unknown_model",
    () => new ModelFileError("unknown_model", "no model musicgen-huge"),
    "invalid_field",
    400,
    undefined,
  ],
  ["io", () => new ModelFileError("io", "disk full"), "internal", 500, undefined],
  [
    "whisper_missing",
    () => new WhisperModelError("whisper_missing", "config.json is missing", "config.json"),
    "model_missing",
    503,
    undefined,
  ],
  [
    "whisper_corrupt",
    () => new WhisperModelError("whisper_corrupt", "config.json is not JSON", "config.json"),
    "model_missing",
    503,
    undefined,
  ],
  ["emotion_missing", () => new NliModelError("emotion_missing", "no tokenizer.json"), "model_missing", 503, undefined],
  ["emotion_corrupt", () => new NliModelError("emotion_corrupt", "no logits output"), "model_missing", 503, undefined],
];

describe("the error table", () => {
  it("has one test row per internal code", () => {
    expect(ROWS.map((r) => r[0]).sort()).toEqual(Object.keys(ERROR_TABLE).sort());
  });

  it.each(ROWS)("%s reaches the wire as its protocol code and status", (internal, make, code, status, field) => {
    const err = make();
    expect(err).toBeInstanceOf(CuesmithError);
    expect(err.code).toBe(internal);
    const body = errorBody(err);
    expect(body.code).toBe(code);
    expect(httpStatusFor(body.code)).toBe(status);
    expect(body.field).toBe(field);
    // a known error keeps its own words, fix included; only unknown failures are "internal error: …"
    if (code !== "internal") expect(body.message).toBe(err.message);
    if (err.fix) expect(body.message).toContain(err.fix);
  });

  it("keeps a job's protocol code and field, and calls anything else internal", () => {
    expect(errorBody(new JobError("forbidden", "output_dir cannot be written", "output_dir"))).toEqual({
      code: "forbidden",
      message: "output_dir cannot be written",
      field: "output_dir",
    });
    expect(errorBody(new TypeError("x is undefined"))).toEqual({
      code: "internal",
      message: "internal error: x is undefined",
    });
    expect(errorBody("a string")).toEqual({ code: "internal", message: "internal error: a string" });
  });

  it("gives every error its class name, code, field and fix", () => {
    const err = new WhisperModelError("whisper_missing", "config.json is missing in /m", "config.json");
    expect(err.name).toBe("WhisperModelError");
    expect(err.fix).toMatch(/models fetch whisper-base/);
    expect(err.message).toBe(`config.json is missing in /m — ${err.fix}`);
    expect(new StoreError("invalid_field", "bad", "bpm")).toMatchObject({ name: "StoreError", field: "bpm" });
  });
});
