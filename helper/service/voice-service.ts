// The voice-over flow: the clip's audio (decoded with ffmpeg, speech found by Silero VAD) and its transcript (typed
// or pasted, else transcribed by Whisper when a model folder is installed) -> emotion and undertone -> a prompt;
// and a bed of the clip's length, ducked under the speech.
import { DEFAULT_DUCK_DB, MAX_DURATION_SEC, MIN_DURATION_SEC } from "../../shared/protocol";
import type { AnalyzeResult, AnalyzeSpec, BedSpec } from "../../shared/protocol";
import { decodeAudio } from "../voice/decode-audio";
import { detectLanguage } from "../voice/emotion/analyze-text";
import { installedEmotionClassifier } from "../voice/emotion/installed";
import { prosody } from "../voice/prosody";
import { composePrompt } from "../voice/prompt-composer";
import { Region, speechRegions } from "../voice/speech-regions";
import { transcribe, Transcript } from "../voice/transcribe";
import { installedWhisper } from "../voice/transcribe/installed";
import { BedService, JobError, JobEvents, SubmittedJob } from "./bed-service";

export interface AnalysisWithAudio {
  result: AnalyzeResult;
  /** Seconds of media analysed (the clip's length), when there was media. */
  mediaSec: number | null;
}

export interface AnalyzeOptions {
  /** Whisper model folder (default: `$CUESMITH_WHISPER_DIR`, else ~/.cuesmith/models/whisper-base); null: never transcribe. */
  whisperDir?: string | null;
  /** Emotion classifier folder (default: `$CUESMITH_EMOTION_DIR`, else ~/.cuesmith/models/emotion-nli when there); null: the lexicon. */
  emotionDir?: string | null;
  /** Abort when the caller is gone (client disconnected, job cancelled): a running ffmpeg decode is killed. */
  signal?: AbortSignal;
  /** Accept Windows network-share (UNC) media paths (the helper's `allowUncMediaPaths` setting). */
  allowUncMediaPaths?: boolean;
}

/** Languages the emotion lexicon reads: Whisper's language detection chooses between them. */
const TRANSCRIBE_LANGUAGES = ["zh", "en"];

export async function analyzeVoiceOver(spec: AnalyzeSpec, options: AnalyzeOptions = {}): Promise<AnalysisWithAudio> {
  let regions: Region[] = [];
  let mediaSec: number | null = null;
  let heard: Transcript | null = null;
  let transcriptionError: string | undefined;
  let audio: Float32Array | null = null;
  if (spec.media_path !== undefined) {
    audio = await decodeAudio(spec.media_path, {
      inSec: spec.in_sec,
      outSec: spec.out_sec,
      signal: options.signal,
      allowUnc: options.allowUncMediaPaths,
    });
    mediaSec = audio.length / 16000;
    regions = await speechRegions(audio);
    // typed text wins; otherwise the installed Whisper model, if any, listens
    if (spec.text === undefined && options.whisperDir !== null) {
      try {
        const whisper = await installedWhisper(options.whisperDir ?? undefined);
        if (whisper) heard = await transcribe(whisper, audio, { candidates: TRANSCRIBE_LANGUAGES });
      } catch (err) {
        // a folder named on purpose must work; a broken default install degrades to "not_installed", saying why
        if (options.whisperDir !== undefined) throw err;
        transcriptionError = err instanceof Error ? err.message : String(err);
      }
    }
  }
  const transcript = spec.text ?? (heard && heard.text.trim() !== "" ? heard.text : null);
  const { classifier, error: classifierError } = await installedEmotionClassifier(options.emotionDir);
  const emotion = transcript !== null ? await classifier.classify(transcript) : null;
  const language = emotion?.language ?? (transcript !== null ? detectLanguage(transcript) : "en");
  const voice = prosody(audio, 16000, regions, transcript, language);
  const energy = voice.energy;
  const main = emotion?.emotion ?? "calm";
  return {
    mediaSec,
    result: {
      transcript,
      transcription: spec.text !== undefined ? "given" : heard ? "whisper" : "not_installed",
      language,
      ...(transcriptionError !== undefined ? { transcription_error: transcriptionError } : {}),
      ...(heard
        ? {
            spoken_language: heard.language,
            ...(heard.languageProbability !== undefined
              ? { language_probability: round3(heard.languageProbability) }
              : {}),
          }
        : {}),
      segments: heard
        ? heard.segments
        : transcript !== null && regions.length > 0
          ? [{ start: regions[0].start, end: regions[regions.length - 1].end, text: transcript }]
          : [],
      speech_regions: regions.map((r) => ({ start: round3(r.start), end: round3(r.end) })),
      emotion: main,
      subtone: emotion?.subtone ?? null,
      scores: emotion?.scores ?? {},
      evidence: emotion?.evidence ?? [],
      emotion_model: classifier.name,
      ...(classifierError !== undefined ? { emotion_model_error: classifierError } : {}),
      energy: energy === null ? null : round3(energy),
      ...(audio
        ? {
            prosody: {
              pace_ratio: voice.paceRatio === null ? null : round3(voice.paceRatio),
              pauses: voice.pauses,
              pause_ratio: round3(voice.pauseRatio),
              loudness_variation_db: voice.loudnessVariationDb === null ? null : round3(voice.loudnessVariationDb),
            },
          }
        : {}),
      prompt: composePrompt({
        emotion: main,
        subtone: emotion?.subtone,
        energy: energy ?? undefined,
        context: spec.context,
      }),
    },
  };
}

/**
 * analyze + generate + duck. Resolves with the job (already queued) and its analysis. `signal` stops the analysis
 * (and its ffmpeg) when the caller goes away before the job is queued; after that, cancel the returned job.
 */
export async function submitBed(
  service: BedService,
  spec: BedSpec,
  jobId: string,
  events: JobEvents = {},
  options: AnalyzeOptions = {},
): Promise<{ job: SubmittedJob; analysis: AnalyzeResult }> {
  const { result: analysis, mediaSec } = await analyzeVoiceOver(spec, options);
  if (options.signal?.aborted) throw new JobError("cancelled", "the job was cancelled");
  const duration = spec.duration_sec ?? mediaSec;
  if (duration === null)
    throw new JobError(
      "invalid_field",
      "give duration_sec, or the clip's media_path so the bed can match its length",
      "duration_sec",
    );
  const job = service.submit(
    {
      prompt: analysis.prompt,
      duration_sec: Math.min(MAX_DURATION_SEC, Math.max(MIN_DURATION_SEC, round3(duration))),
      seed: spec.seed,
      output_dir: spec.output_dir,
      job_id: jobId,
      ...(spec.levels !== undefined ? { levels: spec.levels } : {}),
      ...(spec.variations !== undefined ? { variations: spec.variations } : {}),
    },
    jobId,
    events,
    { regions: analysis.speech_regions, depthDb: spec.duck_db ?? DEFAULT_DUCK_DB },
  );
  return { job, analysis };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
