// An independent check: transformers.js implements the same model. With greedy decoding on the same contract
// model and prompt, Cuesmith's codes must equal transformers.js's step for step.
import * as path from "node:path";
import { MusicGenEngine } from "../../helper/engine/musicgen";
import { tinyModelDir } from "../helpers/contract-model";

// transformers.js ships CommonJS for Node; require keeps ts-jest from compiling its types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tjs = require("@huggingface/transformers");

interface TjsRun {
  codes: number[][];
  audio: Float32Array;
}

async function transformersJsGreedy(modelDir: string, prompt: string, frames: number): Promise<TjsRun> {
  tjs.env.allowRemoteModels = false;
  tjs.env.localModelPath = path.dirname(modelDir) + path.sep;
  const name = path.basename(modelDir);
  const tokenizer = await tjs.AutoTokenizer.from_pretrained(name);
  const model = await tjs.MusicgenForConditionalGeneration.from_pretrained(name, { dtype: "fp32", device: "cpu" });
  let captured: { data: BigInt64Array; dims: number[] } | undefined;
  const filter = model._apply_and_filter_by_delay_pattern_mask.bind(model);
  model._apply_and_filter_by_delay_pattern_mask = (ids: unknown) => (captured = filter(ids));
  const inputs = tokenizer([prompt]);
  // N frames need N + 3 new tokens (the delay pattern); max_new_tokens overrides generation_config's max_length.
  const audio = await model.generate({ ...inputs, max_new_tokens: frames + 3, do_sample: false, guidance_scale: 3 });
  await model.dispose();
  if (!captured) throw new Error("transformers.js did not produce codes");
  const [K, n] = captured.dims.slice(-2); // generate() unsqueezes the returned tensor in place
  const codes = Array.from({ length: K }, (_, k) => Array.from(captured!.data.subarray(k * n, (k + 1) * n), Number));
  return { codes, audio: audio.data as Float32Array };
}

describe("equivalence with transformers.js (greedy, guidance 3)", () => {
  let engine: MusicGenEngine;
  let modelDir: string;
  const prompt = "upbeat synth with light percussion";
  const seconds = 2; // 100 frames, 103 decoder steps
  let reference: TjsRun;

  beforeAll(async () => {
    modelDir = await tinyModelDir();
    engine = await MusicGenEngine.load(modelDir, { provider: "cpu", warmup: false });
    reference = await transformersJsGreedy(modelDir, prompt, 100);
  });

  it("produces the same codes step for step with transformers.js's delay-pattern edges", async () => {
    const ours = await engine.generate({
      prompts: [prompt],
      durationSec: seconds,
      topK: 1,
      guidanceScale: 3,
      padEdges: "start",
    });
    expect(reference.codes[0]).toHaveLength(100);
    expect(ours.codes[0].map((r) => Array.from(r))).toEqual(reference.codes);
    // the same codes through the same EnCodec graph give the same audio
    const a = ours.audio[0];
    let maxDiff = 0;
    for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - reference.audio[i]));
    expect(maxDiff).toBeLessThan(1e-5);
  });

  it("with audiocraft's end padding differs only where a finished codebook feeds a later step", async () => {
    const ours = await engine.generate({ prompts: [prompt], durationSec: seconds, topK: 1, guidanceScale: 3 });
    const n = 100;
    // frame f of codebook k comes from inputs up to position f + k; codebook 0 is past its end from position n + 1,
    // so only frames with f + k > n - 1 + 1 (codebook 2's last frame, codebook 3's last two) can differ.
    ours.codes[0].forEach((row, k) => {
      const stable = Math.min(n, n - k + 1);
      expect(Array.from(row.subarray(0, stable))).toEqual(reference.codes[k].slice(0, stable));
    });
  });
});
