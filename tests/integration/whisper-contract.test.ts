// The real transcription loop (features, encoder, language step, greedy timestamp decoding, long-form windows) on
// the tiny contract Whisper model, whose weights are random: the words it "hears" are gibberish, so these tests
// check structure (language among the candidates, ordered segments inside the clip, window offsets, token
// limits), never words. The last block checks token-for-token equality with transformers.js's Whisper.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { decodeAudio } from "../../helper/voice/decode-audio";
import { loadWhisper, transcribe, Transcript, WhisperModel } from "../../helper/voice/transcribe";
import { encode, greedyDecode, languageLogits } from "../../helper/voice/transcribe/decode";
import { whisperRequiredFiles } from "../../helper/voice/transcribe/layout";
import { tinyWhisperDir } from "../helpers/whisper-model";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const tjs = require("@huggingface/transformers");

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-whisper-"));
const have = (cmd: string, flag: string) => spawnSync(cmd, [flag]).status === 0;
const tools = have("espeak-ng", "--version") && have("ffmpeg", "-version");
const itTools = tools ? it : it.skip;
if (!tools)
  console.warn("espeak-ng or ffmpeg missing: the espeak speech tests are skipped (scripts/setup.sh installs them)");

async function speech(name: string, voice: string, text: string): Promise<Float32Array> {
  const file = path.join(tmp, `${name}.wav`);
  const r = spawnSync("espeak-ng", ["-v", voice, "-w", file, text]);
  if (r.status !== 0) throw new Error(`espeak-ng failed: ${r.stderr}`);
  return decodeAudio(file);
}

/** A deterministic voice-like signal (gliding harmonics with pauses), for when espeak-ng is missing. */
function voiceLike(seconds: number): Float32Array {
  const x = new Float32Array(Math.round(16000 * seconds));
  const { sin, PI } = Math;
  let phase = 0;
  for (let i = 0; i < x.length; i++) {
    const t = i / 16000;
    phase += (2 * PI * (130 + 50 * sin(2 * PI * 0.4 * t))) / 16000;
    x[i] = (sin(2 * PI * 0.9 * t) > -0.2 ? 1 : 0) * (0.3 * sin(phase) + 0.1 * sin(3 * phase));
  }
  return x;
}

/** `seconds` of audio: the voice-over repeated with 1 s pauses. */
function loop(voice: Float32Array, seconds: number): Float32Array {
  const out = new Float32Array(16000 * seconds);
  for (let at = 0; at < out.length; at += voice.length + 16000)
    out.set(voice.subarray(0, Math.min(voice.length, out.length - at)), at);
  return out;
}

function expectWellFormed(t: Transcript, clipSec: number): void {
  let prev = 0;
  for (const s of t.segments) {
    expect(s.start).toBeGreaterThanOrEqual(prev - 1e-9);
    expect(s.end).toBeGreaterThanOrEqual(s.start);
    expect(s.end).toBeLessThanOrEqual(clipSec + 1e-9);
    expect(s.text.length).toBeGreaterThan(0);
    prev = s.start;
  }
  // windows tile the clip: each starts where the previous one moved the seek to, the last ends at the clip's end
  expect(t.windows[0].start).toBe(0);
  for (let i = 1; i < t.windows.length; i++) expect(t.windows[i].start).toBe(t.windows[i - 1].end);
  expect(t.windows[t.windows.length - 1].end).toBeCloseTo(clipSec, 2);
  expect(t.text).toBe(t.segments.map((s) => s.text).join(" "));
}

describe("Whisper transcription on the tiny contract model (random weights: gibberish text)", () => {
  let dir: string;
  let model: WhisperModel;
  let voice: Float32Array;

  beforeAll(async () => {
    dir = await tinyWhisperDir();
    model = await loadWhisper(dir);
    voice = tools
      ? await speech("en", "en", "Hello editors, this is a short voice over about the new camera.")
      : voiceLike(4);
  });

  itTools("detects a language among the candidates and returns ordered segments inside an espeak-ng clip", async () => {
    for (const [name, v, text] of [
      ["en2", "en", "The quick brown fox jumps over the lazy dog, twice."],
      ["zh", "cmn", "这个新功能真的太棒了，我们明天再试一次。"],
    ]) {
      const audio = await speech(name, v, text);
      const t = await transcribe(model, audio, { candidates: ["zh", "en"] });
      expect(["zh", "en"]).toContain(t.language);
      expect(t.languageProbability).toBeGreaterThanOrEqual(0.5); // the best of two
      expect(t.languageProbability).toBeLessThanOrEqual(1);
      expect(t.windows).toHaveLength(1);
      expectWellFormed(t, audio.length / 16000);
      expect(t.segments.length).toBeGreaterThan(0);
    }
  });

  it("cuts a 70 s clip into 3 windows taken whole and offsets each window's segments by its start", async () => {
    const clip = loop(voice, 70);
    const t = await transcribe(model, clip, { language: "en", seek: "fixed", maxNewTokens: 40 });
    expect(t.windows.map((w) => [w.start, w.end])).toEqual([
      [0, 30],
      [30, 60],
      [60, 70],
    ]);
    expect(t.language).toBe("en");
    expect(t.languageProbability).toBeUndefined();
    expectWellFormed(t, 70);
    // the middle window alone, transcribed as its own clip, gives the same segments 30 s earlier
    const middle = await transcribe(model, clip.subarray(30 * 16000, 60 * 16000), {
      language: "en",
      seek: "fixed",
      maxNewTokens: 40,
    });
    const inMiddle = t.segments.filter((s) => s.start >= 30 && s.start < 60);
    expect(inMiddle.length).toBeGreaterThan(0);
    expect(inMiddle).toEqual(
      middle.segments.map((s) => ({
        ...s,
        start: Math.round((s.start + 30) * 1000) / 1000,
        end: Math.round((s.end + 30) * 1000) / 1000,
      })),
    );
  });

  it("seeks to the last complete timestamp pair in Whisper's sequential mode", async () => {
    const t = await transcribe(model, loop(voice, 70), { language: "en" });
    expect(t.windows.length).toBeGreaterThanOrEqual(3);
    for (const w of t.windows) expect(w.end - w.start).toBeLessThanOrEqual(30 + 1e-9);
    expectWellFormed(t, 70);
  });

  it("respects the token limit per window", async () => {
    const t = await transcribe(model, loop(voice, 35), { language: "zh", seek: "fixed", maxNewTokens: 5 });
    expect(t.windows).toHaveLength(2);
    for (const w of t.windows) expect(w.tokens).toBeLessThanOrEqual(5);
    const first = await greedyDecode(
      model,
      await encode(model, model.extractor.extract(voice)),
      [model.config.decoderStart],
      { maxNewTokens: 7, monotonic: true, maxInitialTimestampIndex: 50 },
    );
    expect(first.length).toBeLessThanOrEqual(7);
    expect(first[0]).toBeGreaterThanOrEqual(model.config.timestampBegin); // a timestamp comes first
    expect(first[0] - model.config.timestampBegin).toBeLessThanOrEqual(50);
  });

  it("detects the language from the step after <|startoftranscript|>, among the candidates only", async () => {
    const hidden = await encode(model, model.extractor.extract(voice));
    const row = await languageLogits(model, hidden);
    const ids = model.config.langToId;
    const best = Object.keys(ids).reduce((a, b) => (row[ids[b]] > row[ids[a]] ? b : a));
    const free = await transcribe(model, voice, { maxNewTokens: 3 });
    expect(`<|${free.language}|>`).toBe(best);
    const only = await transcribe(model, voice, { candidates: ["zh"], maxNewTokens: 3 });
    expect(only.language).toBe("zh");
    expect(only.languageProbability).toBeCloseTo(1, 12);
  });

  it("loads the quantized encoder and decoder files", async () => {
    const q8 = await loadWhisper(dir, { variant: "q8" });
    expect(q8.files).toEqual({
      encoder: "onnx/encoder_model_quantized.onnx",
      decoder: "onnx/decoder_model_merged_quantized.onnx",
    });
    const t = await transcribe(q8, voice, { language: "en", maxNewTokens: 20 });
    expectWellFormed(t, voice.length / 16000);
  });

  it("names a missing file and the fetch command", async () => {
    const broken = path.join(tmp, "broken");
    for (const f of whisperRequiredFiles("fp32")) {
      if (f.endsWith("decoder_model_merged.onnx")) continue;
      fs.mkdirSync(path.dirname(path.join(broken, f)), { recursive: true });
      fs.copyFileSync(path.join(dir, f), path.join(broken, f));
    }
    await expect(loadWhisper(broken, { variant: "fp32" })).rejects.toThrow(
      /onnx\/decoder_model_merged\.onnx is missing in .*npx cuesmith models fetch whisper-base/,
    );
    fs.rmSync(path.join(broken, "generation_config.json"));
    await expect(loadWhisper(broken)).rejects.toThrow(/generation_config\.json is missing/);
  });
});

describe("equivalence with transformers.js's WhisperForConditionalGeneration (greedy, timestamps)", () => {
  it.each([["fp32"], ["q8"]] as const)(
    "produces the same token ids on the same features, for a given language (%s files)",
    async (variant) => {
      const dir = await tinyWhisperDir();
      const model = await loadWhisper(dir, { variant });
      const audio = tools ? await speech("eq", "en", "One more take of the opening line, please.") : voiceLike(5);
      tjs.env.allowRemoteModels = false;
      tjs.env.localModelPath = path.dirname(dir) + path.sep;
      // transformers.js's "q8" dtype loads the *_quantized.onnx files, as ours does
      const ref = await tjs.WhisperForConditionalGeneration.from_pretrained(path.basename(dir), {
        dtype: variant,
        device: "cpu",
      });
      try {
        const features = model.extractor.extract(audio);
        const hidden = await encode(model, features);
        const c = model.config;
        for (const language of ["en", "zh"]) {
          const out = await ref.generate({
            inputs: new tjs.Tensor("float32", features, [1, 80, 3000]),
            max_new_tokens: 40,
            return_timestamps: true,
            language,
            task: "transcribe",
          });
          const theirs = (out.tolist()[0] as bigint[]).map(Number);
          const prefix = [c.decoderStart, c.langToId[`<|${language}|>`], c.taskToId.transcribe];
          expect(theirs.slice(0, 3)).toEqual(prefix);
          // transformers.js 4.3 applies neither max_initial_timestamp_index nor the monotonic rule: match it here
          const ours = await greedyDecode(model, hidden, prefix, {
            maxNewTokens: 40,
            monotonic: false,
            maxInitialTimestampIndex: null,
          });
          expect(ours.length).toBeGreaterThan(10);
          expect(ours.some((t) => t >= c.timestampBegin) && ours.some((t) => t < c.eos)).toBe(true); // both kinds occur
          expect(ours).toEqual(theirs.slice(3));
        }
      } finally {
        await ref.dispose();
      }
    },
  );
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
