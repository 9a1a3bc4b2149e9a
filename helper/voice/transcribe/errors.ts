// Every failure to open a Whisper folder names the file and the way to get it.
export const WHISPER_FETCH_HINT =
  "run `npx cuesmith models fetch whisper-base` (or copy an onnx-community/whisper-base folder there)";

export class WhisperModelError extends Error {
  constructor(
    readonly code: "whisper_missing" | "whisper_corrupt",
    message: string,
    readonly file: string,
    readonly fix: string = WHISPER_FETCH_HINT,
  ) {
    super(`${message} — ${fix}`);
    this.name = "WhisperModelError";
  }
}
