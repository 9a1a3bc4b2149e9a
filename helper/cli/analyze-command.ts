// `cuesmith analyze (--input FILE [--in SEC --out SEC] | --text TEXT) [--whisper-dir DIR] [--emotion-dir DIR]`: a voice-over -> speech
// regions, emotion, undertone, evidence and the music prompt. The transcript comes from --text, else from the
// installed Whisper model (~/.cuesmith/models/whisper-base, $CUESMITH_WHISPER_DIR or --whisper-dir).
import * as path from "node:path";
import { analyzeVoiceOver } from "../service/voice-service";
import { CliIO, numberOption, parse, UsageError } from "./args";

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
  const { result } = await analyzeVoiceOver(
    {
      text: values.text,
      media_path: values.input !== undefined ? path.resolve(values.input) : undefined,
      in_sec: numberOption("in", values.in, (n) => n >= 0, "seconds >= 0"),
      out_sec: numberOption("out", values.out, (n) => n > 0, "seconds > 0"),
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
