// `cuesmith analyze --text TEXT`: a voice-over transcript -> emotion, undertone, evidence and the music prompt.
import { analyzeText } from "../voice/emotion/analyze-text";
import { composePrompt } from "../voice/prompt-composer";
import { CliIO, parse, UsageError } from "./args";

export async function runAnalyzeCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parse(argv, { text: { type: "string" }, input: { type: "string" }, context: { type: "string" } });
  if (values.input !== undefined) {
    // Said plainly rather than faked: decoding, speech regions and transcription are the voice-over issue's next part.
    throw new UsageError("--input (audio) is not supported yet: transcription is not installed in this version; pass the transcript with --text");
  }
  if (values.text === undefined || values.text.trim() === "") throw new UsageError("give the transcript with --text TEXT");
  const emotion = analyzeText(values.text);
  io.out(JSON.stringify({
    transcript: values.text,
    transcription: "not installed: analysed the text given",
    ...emotion,
    prompt: composePrompt({ emotion: emotion.emotion, subtone: emotion.subtone, context: values.context }),
  }, null, 2));
  return 0;
}
