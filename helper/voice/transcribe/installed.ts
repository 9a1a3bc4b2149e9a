// The helper's one resident Whisper model: loaded on first use from the installed folder, kept for later clips.
import { whisperModelDir } from "../../config/paths";
import { isWhisperFolder } from "./layout";
import { loadWhisper, WhisperModel } from "./load";

const loaded = new Map<string, Promise<WhisperModel>>();

/**
 * The model in the installed whisper-base folder, or null when none is there. A folder named explicitly must
 * load: its missing or broken files are reported (naming the file and the fetch command), not skipped.
 */
export async function installedWhisper(explicitDir?: string): Promise<WhisperModel | null> {
  const dir = explicitDir ?? whisperModelDir();
  if (explicitDir === undefined && !isWhisperFolder(dir)) return null;
  let pending = loaded.get(dir);
  if (!pending) {
    pending = loadWhisper(dir);
    loaded.set(dir, pending);
    pending.catch(() => loaded.delete(dir)); // a broken folder is retried (and reported) next time
  }
  return pending;
}
