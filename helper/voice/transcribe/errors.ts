// Every failure to open a Whisper folder names the file and the way to get it.
import { CuesmithError } from "../../../shared/errors";

export const WHISPER_FETCH_HINT =
  "run `npx cuesmith models fetch whisper-base` (or copy an onnx-community/whisper-base folder there)";

export type WhisperModelErrorCode = "whisper_missing" | "whisper_corrupt";

export class WhisperModelError extends CuesmithError<WhisperModelErrorCode> {
  constructor(
    code: WhisperModelErrorCode,
    message: string,
    readonly file: string,
    fix: string = WHISPER_FETCH_HINT,
  ) {
    super(code, message, { fix });
  }
}
