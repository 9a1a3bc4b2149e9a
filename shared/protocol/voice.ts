// Voice-over analysis and beds under a clip: what the panel's "Generate bed" sends and gets back.
import type { LevelsMode } from "./job";

/** A voice-over: its transcript (typed or pasted) and/or the clip's media file with its source in/out points. */
export interface AnalyzeSpec {
  text?: string;
  /** Absolute path of the clip's media (mp4/mov/wav/mp3 …) as Premiere reports it. */
  media_path?: string;
  in_sec?: number;
  out_sec?: number;
  /** What the bed is for, in the prompt ("narration" by default). */
  context?: string;
}

export interface SpeechRegion {
  start: number;
  end: number;
}

export interface AnalyzeResult {
  transcript: string | null;
  /**
   * "given": the text came with the request; "whisper": transcribed from the clip by the installed Whisper model
   * (then `segments` are Whisper's timed segments); "not_installed": no Whisper model, and no text was given.
   */
  transcription: "given" | "whisper" | "not_installed";
  language: "zh" | "en";
  /** Whisper's detected spoken language (zh or en), when transcription is "whisper". */
  spoken_language?: string;
  /** Whisper's confidence in `spoken_language` (softmax over the zh and en tokens). */
  language_probability?: number;
  /** Why the installed Whisper model could not transcribe (then transcription is "not_installed"). */
  transcription_error?: string;
  segments: { start: number; end: number; text: string }[];
  speech_regions: SpeechRegion[];
  emotion: string;
  subtone: string | null;
  scores: Record<string, number>;
  evidence: { term: string; emotion: string; weight: number; part: string; cue?: string }[];
  /** Which classifier judged the emotion: "lexicon" (built in) or "nli:<folder>" (the optional ONNX model). */
  emotion_model?: string;
  /** Why an installed emotion model was not used (the lexicon judged instead). */
  emotion_model_error?: string;
  /**
   * 0..1, 0.5 an ordinary read, from the voice: pace (with a transcript), pauses and loudness movement (with
   * audio); null without enough speech to judge.
   */
  energy: number | null;
  /** What `energy` was made of, when there was audio. */
  prosody?: { pace_ratio: number | null; pauses: number; pause_ratio: number; loudness_variation_db: number | null };
  prompt: string;
}

/** analyze + generate + duck: a bed of the clip's exact length that dips under the voice. */
export interface BedSpec extends AnalyzeSpec {
  job_id?: string;
  /** Default: the clip's length (out_sec - in_sec), else the media's length. */
  duration_sec?: number;
  seed?: number;
  output_dir?: string;
  /** How far the bed dips under speech (default 8 dB). */
  duck_db?: number;
  /** "baked" (default): level and dip in the WAV; "keyframes": returned as `bed_gain_db` and `duck_keyframes`. */
  levels?: LevelsMode;
}
