// The on-disk layout of a Whisper model folder. It lives in models/whisper-layout.ts, beside the MusicGen layout,
// because the fetcher and the contract-model builder use it too; the transcriber imports it from here.
export {
  isWhisperFolder,
  resolveWhisperFiles,
  whisperRequiredFiles,
  WHISPER_CONFIG_FILES,
  WHISPER_MODEL_NAME,
  WHISPER_ONNX_DIR,
  WHISPER_ONNX_FILES,
  type WhisperVariant,
} from "../../../models/whisper-layout";
