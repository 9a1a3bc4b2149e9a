// Whisper transcription of a 16 kHz mono clip of any length: 30 s windows positioned by Whisper's sequential
// seek, language detected once on the first window (or given), greedy timestamp decoding, timed segments.
import { encode, greedyDecode, languageLogits } from "./decode";
import { pickLanguage } from "./language";
import type { WhisperModel } from "./load";
import { segmentsFromTokens, seekStep, stripEos } from "./timestamps";
import { windowAt } from "./windows";

export { loadWhisper } from "./load";
export type { WhisperModel, LoadWhisperOptions } from "./load";
export { WhisperModelError } from "./errors";
export { isWhisperFolder, WHISPER_MODEL_NAME } from "./layout";

export interface TranscribeOptions {
  /** A language code ("en", "zh"): skips detection. */
  language?: string;
  /** Detection chooses among these codes (default: every language of the model). */
  candidates?: readonly string[];
  /** New tokens per window (default 224, openai-whisper's sample_len), capped by the decoder's 448 positions. */
  maxNewTokens?: number;
  /**
   * "timestamps" (default): Whisper's sequential long-form, each window starts at the last complete timestamp
   * of the one before. "fixed": every window is taken whole (30 s steps).
   */
  seek?: "timestamps" | "fixed";
  /** Overrides of the timestamp rules (defaults: monotonic, max_initial_timestamp_index from the config). */
  monotonic?: boolean;
  maxInitialTimestampIndex?: number | null;
  signal?: AbortSignal;
}

export interface TranscriptSegment {
  start: number;
  end: number;
  text: string;
}

export interface TranscriptWindow {
  /** Seconds: where the window started and how far it moved the seek. */
  start: number;
  end: number;
  /** Tokens kept from it (timestamps included). */
  tokens: number;
}

export interface Transcript {
  text: string;
  language: string;
  /** Softmax over the candidate language tokens; absent when the language was given. */
  languageProbability?: number;
  segments: TranscriptSegment[];
  windows: TranscriptWindow[];
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

export async function transcribe(
  model: WhisperModel,
  audio: Float32Array,
  opts: TranscribeOptions = {},
): Promise<Transcript> {
  const cfg = model.config;
  const { hopLength, samplingRate, nbMaxFrames } = model.features;
  const inputStride = nbMaxFrames / cfg.maxSourcePositions; // mel frames per encoder position (2)
  const frameSec = hopLength / samplingRate;
  const layout = { eos: cfg.eos, timestampBegin: cfg.timestampBegin, timePrecision: inputStride * frameSec };
  const clipSec = audio.length / samplingRate;
  const rules = {
    monotonic: opts.monotonic ?? true,
    maxInitialTimestampIndex:
      opts.maxInitialTimestampIndex === undefined ? cfg.maxInitialTimestampIndex : opts.maxInitialTimestampIndex,
  };
  const maxNewTokens = opts.maxNewTokens ?? 224;
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 1)
    throw new RangeError("maxNewTokens must be a whole number >= 1");

  let language = opts.language;
  let languageProbability: number | undefined;
  if (language !== undefined && cfg.isMultilingual && cfg.langToId[`<|${language}|>`] === undefined) {
    throw new RangeError(`language "${language}" is not one of the model's languages`);
  }
  const segments: TranscriptSegment[] = [];
  const windows: TranscriptWindow[] = [];
  let seek = 0;
  for (;;) {
    const w = windowAt(seek, audio.length, hopLength, nbMaxFrames);
    if (!w) break;
    const hidden = await encode(
      model,
      model.extractor.extract(audio.subarray(w.startSample, w.startSample + w.samples)),
    );
    let prefix = [cfg.decoderStart];
    if (cfg.isMultilingual) {
      if (language === undefined) {
        const choice = pickLanguage(await languageLogits(model, hidden), cfg.langToId, opts.candidates);
        language = choice.language;
        languageProbability = choice.probability;
      }
      prefix = [cfg.decoderStart, cfg.langToId[`<|${language}|>`], cfg.taskToId.transcribe];
    }
    const tokens = stripEos(
      await greedyDecode(model, hidden, prefix, { ...rules, maxNewTokens, signal: opts.signal }),
      cfg.eos,
    );
    const step =
      opts.seek === "fixed" || tokens.length === 0
        ? { advanceFrames: w.frames, keep: tokens.length }
        : seekStep(tokens, cfg.timestampBegin, w.frames, inputStride);
    const offset = seek * frameSec;
    const windowEnd = Math.min(w.frames * frameSec, clipSec - offset);
    for (const s of segmentsFromTokens(tokens.slice(0, step.keep), layout, windowEnd)) {
      const text = model.decodeText(s.tokens).trim();
      if (!text) continue;
      // milliseconds, never past the clip's end (which need not be a whole millisecond)
      const start = Math.min(round3(offset + s.start), clipSec);
      segments.push({ start, end: Math.max(start, Math.min(round3(offset + s.end), offset + windowEnd)), text });
    }
    windows.push({
      start: round3(offset),
      end: Math.min(clipSec, round3((seek + step.advanceFrames) * frameSec)),
      tokens: step.keep,
    });
    seek += step.advanceFrames;
  }
  return {
    text: segments.map((s) => s.text).join(" "),
    language: language ?? "en",
    ...(languageProbability !== undefined ? { languageProbability } : {}),
    segments,
    windows,
  };
}
