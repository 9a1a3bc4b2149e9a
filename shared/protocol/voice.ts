// Voice-over analysis and beds under a clip: what the panel's "Generate bed" sends and gets back.

/** A voice-over to analyse: its type comes from the shape its parser checks. */
export type { AnalyzeSpec, BedSpec } from "./specs";

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
