// `cuesmith analyze (--input FILE [--in SEC --out SEC] | --text TEXT) [--whisper-dir DIR] [--emotion-dir DIR]`: a voice-over -> speech
// regions, emotion, undertone, evidence and the music prompt. The transcript comes from --text, else from the
// installed Whisper model (~/.cuesmith/models/whisper-base, $CUESMITH_WHISPER_DIR or --whisper-dir).
import * as path from "node:path";
import { analyzeVoiceOver } from "../service/voice-service";
import { CliIO, fieldNumberOption, parse, UsageError } from "./args";

export const ANALYZE_USAGE =
  "cuesmith analyze (--input FILE [--in SEC --out SEC] | --text TEXT) [--context TEXT] [--whisper-dir DIR] [--emotion-dir DIR]";

export async function runAnalyzeCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parse(argv, {
    text: { type: "string" },
    input: { type: "string" },
    in: { type: "string" },
    out: { type: "string" },
    context: { type: "string" },
    "whisper-dir": { type: "string" },
    "emotion-dir": { type: "string" },
  });
  if (values.text === undefined && values.input === undefined)
    throw new UsageError("give --input FILE (a voice-over clip) and/or --text TEXT (its transcript)");
  if (values.text !== undefined && values.text.trim() === "") throw new UsageError("--text must not be empty");
  const inSec = fieldNumberOption("in", values.in, "in_sec");
  const outSec = fieldNumberOption("out", values.out, "out_sec");
  if (inSec !== undefined && outSec !== undefined && outSec <= inSec) throw new UsageError("--out must be after --in");
  const { result } = await analyzeVoiceOver(
    {
      text: values.text,
      media_path: values.input !== undefined ? path.resolve(values.input) : undefined,
      in_sec: inSec,
      out_sec: outSec,
      context: values.context,
    },
    {
      ...(values["whisper-dir"] !== undefined ? { whisperDir: path.resolve(values["whisper-dir"]) } : {}),
      ...(values["emotion-dir"] !== undefined ? { emotionDir: path.resolve(values["emotion-dir"]) } : {}),
    },
  );
  if (result.emotion_model_error !== undefined)
    io.err(
      `cuesmith: the installed emotion model could not be used (the lexicon judged instead): ${result.emotion_model_error}`,
    );
  if (result.transcription_error !== undefined)
    io.err(`cuesmith: the installed Whisper model could not transcribe: ${result.transcription_error}`);
  if (result.transcription === "not_installed") {
    io.err(
      "cuesmith: transcription is not installed (`npx cuesmith models fetch whisper-base`); pass the transcript with --text for emotion and prompt",
    );
  }
  io.out(JSON.stringify(result, null, 2));
  return 0;
}
