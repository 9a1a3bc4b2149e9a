// The voice-over analysis with a Whisper folder installed (the tiny contract model: random weights, so the
// transcript is gibberish and only its structure is checked) and without one.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { errorBody } from "../../helper/server/errors";
import { analyzeVoiceOver } from "../../helper/service/voice-service";
import { httpStatusFor } from "../../shared/protocol";
import { tinyWhisperDir } from "../helpers/whisper-model";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-whisper-vo-"));
const have = (cmd: string, flag: string) => spawnSync(cmd, [flag]).status === 0;
const tools = have("espeak-ng", "--version") && have("ffmpeg", "-version");
const itTools = tools ? it : it.skip;
if (!tools) console.warn("espeak-ng or ffmpeg missing: the Whisper voice-over tests are skipped");

let clip = "";
beforeAll(() => {
  if (!tools) return;
  clip = path.join(tmp, "vo.wav");
  const r = spawnSync("espeak-ng", [
    "-v",
    "en",
    "-w",
    clip,
    "Welcome back. Today we unbox the new camera and test it outside.",
  ]);
  if (r.status !== 0) throw new Error(`espeak-ng failed: ${r.stderr}`);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("analyzeVoiceOver with Whisper", () => {
  itTools("transcribes the clip when a Whisper folder is installed and puts its segments in the result", async () => {
    const { result, mediaSec } = await analyzeVoiceOver({ media_path: clip }, { whisperDir: await tinyWhisperDir() });
    expect(result.transcription).toBe("whisper");
    expect(["zh", "en"]).toContain(result.spoken_language);
    expect(result.language_probability).toBeGreaterThanOrEqual(0.5);
    expect(result.segments.length).toBeGreaterThan(0);
    for (const s of result.segments) {
      expect(s.end).toBeGreaterThanOrEqual(s.start);
      expect(s.end).toBeLessThanOrEqual(mediaSec! + 1e-9);
    }
    expect(result.transcript).toBe(result.segments.map((s) => s.text).join(" "));
    expect(result.speech_regions.length).toBeGreaterThan(0);
  });

  itTools("keeps typed text over Whisper, and says not_installed when no folder is there", async () => {
    const typed = await analyzeVoiceOver(
      { media_path: clip, text: "What a great day!" },
      { whisperDir: await tinyWhisperDir() },
    );
    expect(typed.result.transcription).toBe("given");
    expect(typed.result.spoken_language).toBeUndefined();
    const saved = process.env.CUESMITH_WHISPER_DIR;
    process.env.CUESMITH_WHISPER_DIR = path.join(tmp, "no-model-here");
    try {
      const none = await analyzeVoiceOver({ media_path: clip });
      expect(none.result.transcription).toBe("not_installed");
      expect(none.result.transcript).toBeNull();
    } finally {
      if (saved === undefined) delete process.env.CUESMITH_WHISPER_DIR;
      else process.env.CUESMITH_WHISPER_DIR = saved;
    }
  });

  itTools("degrades a broken default install to not_installed and says why", async () => {
    const broken = path.join(tmp, "broken-install");
    fs.cpSync(await tinyWhisperDir(), broken, { recursive: true });
    fs.writeFileSync(path.join(broken, "onnx", "decoder_model_merged.onnx"), "not a model");
    const saved = process.env.CUESMITH_WHISPER_DIR;
    process.env.CUESMITH_WHISPER_DIR = broken;
    try {
      const { result } = await analyzeVoiceOver({ media_path: clip });
      expect(result.transcription).toBe("not_installed");
      expect(result.transcription_error).toMatch(/onnx\/decoder_model_merged\.onnx in .* cannot be loaded/);
    } finally {
      if (saved === undefined) delete process.env.CUESMITH_WHISPER_DIR;
      else process.env.CUESMITH_WHISPER_DIR = saved;
    }
  });

  itTools("answers a broken named folder with model_missing (503), naming the file and the fix", async () => {
    const broken = path.join(tmp, "broken-named");
    fs.cpSync(await tinyWhisperDir(), broken, { recursive: true });
    fs.writeFileSync(path.join(broken, "onnx", "decoder_model_merged.onnx"), "not a model");
    const err = await analyzeVoiceOver({ media_path: clip }, { whisperDir: broken }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const body = errorBody(err);
    expect(body.code).toBe("model_missing");
    expect(httpStatusFor(body.code)).toBe(503);
    expect(body.message).toMatch(/onnx\/decoder_model_merged\.onnx in .* cannot be loaded.*models fetch whisper-base/);
  });

  itTools("reports a named folder that is not a Whisper model, naming the file and the fetch command", async () => {
    await expect(analyzeVoiceOver({ media_path: clip }, { whisperDir: tmp })).rejects.toThrow(
      /config\.json is missing .*models fetch whisper-base/,
    );
  });
});
