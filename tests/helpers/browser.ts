// What the browser tests share: the Debian chromium they drive (a test file is skipped, saying why, where it or the
// built harness is missing), where their screenshots go, and a spoken voice-over for the harness's Dialogue clip.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { harnessDir } from "../../helper/server/static-ui";

export const CHROMIUM = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
  (p) => p && fs.existsSync(p),
);
const BUILT = fs.existsSync(path.join(harnessDir() ?? "", "index.html"));
export const SHOTS = path.resolve(__dirname, "../../test-artifacts/browser");
const have = (tool: string, flag = "--version") => spawnSync(tool, [flag]).status === 0;
/** espeak-ng and ffmpeg: a real voice-over can be made and decoded. */
export const VOICE_TOOLS = have("espeak-ng") && have("ffmpeg", "-version");

/** `describe` where chromium and the built harness are there; else `describe.skip`, with the reason logged. */
export function describeBrowser(what: string): jest.Describe {
  if (!CHROMIUM) console.warn(`chromium missing: ${what} is skipped (scripts/setup.sh installs it)`);
  if (!BUILT) console.warn("plugin/dist-harness is not built: run npm run build (npm test does)");
  return CHROMIUM && BUILT ? describe : describe.skip;
}

/** Headless chromium as the tests run it (no sandbox: CI runs as root). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
  });
}

/** A WAV of espeak-ng saying `text` (SSML when `ssml`), in a fresh temp folder; undefined without the voice tools. */
export function speakVoiceOver(text: string, ssml = false): string | undefined {
  if (!VOICE_TOOLS) return undefined;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-vo-")), "voice-over.wav");
  const r = spawnSync("espeak-ng", ["-v", "en", ...(ssml ? ["-m"] : []), "-w", file, text]);
  if (r.status !== 0) throw new Error(`espeak-ng failed: ${r.stderr}`);
  return file;
}
