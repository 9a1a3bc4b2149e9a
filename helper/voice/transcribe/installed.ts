// The helper's one resident Whisper model: loaded on first use from the installed folder, kept for later clips.
import { whisperModelDir } from "../../config/paths";
import { residentLoader } from "../../util/resident";
import { isWhisperFolder } from "./layout";
import { loadWhisper, WhisperModel } from "./load";

const resident = residentLoader(loadWhisper);

/**
 * The model in the installed whisper-base folder, or null when none is there. A folder named explicitly must
 * load: its missing or broken files are reported (naming the file and the fetch command), not skipped.
 */
export async function installedWhisper(explicitDir?: string): Promise<WhisperModel | null> {
  const dir = explicitDir ?? whisperModelDir();
  if (explicitDir === undefined && !isWhisperFolder(dir)) return null;
  return resident(dir);
}
