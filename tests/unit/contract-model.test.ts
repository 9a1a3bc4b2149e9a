// The contract model (models/build) against the published Xenova/musicgen-small input/output contract,
// run with onnxruntime-node as the engine runs it.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ort from "onnxruntime-node";
import { BUILDER_VERSION, buildTestModel } from "../../models/build";
import { DIMS } from "../../models/build/dims";
import { requiredFiles } from "../../models/layout";
import { parseMusicgenConfig } from "../../helper/engine/config";
import { tinyModelDir } from "../helpers/contract-model";

// The package is typed as ESM but ships a CommonJS build that Node's require resolves to.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Tokenizer } = require("@huggingface/tokenizers");

const tiny = DIMS.tiny;
const LAYERS = tiny.decoder.layers;
const HEADS = tiny.decoder.heads;
const HD = tiny.decoder.hidden / tiny.decoder.heads;
const TEXT = tiny.text.dModel;
const V = 2048;

let dir: string;
let config: Record<string, any>;
const sessions: Record<string, ort.InferenceSession> = {};
let tmp: string;

beforeAll(async () => {
  dir = await tinyModelDir();
  config = JSON.parse(fs.readFileSync(path.join(dir, "config.json"), "utf8"));
  for (const name of ["text_encoder", "decoder_model_merged", "encodec_decode"]) {
    sessions[name] = await ort.InferenceSession.create(path.join(dir, "onnx", `${name}.onnx`));
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-contract-"));
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const json = (file: string) => JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
interface Meta {
  name: string;
  type?: string;
  shape?: readonly (number | string)[];
}
const meta = (list: readonly ort.InferenceSession.ValueMetadata[]): Meta[] =>
  list.map((m) => (m.isTensor ? { name: m.name, type: m.type, shape: m.shape } : { name: m.name }));
const f32 = (t: ort.Tensor) => t.data as Float32Array;
const pastNames = Array.from({ length: LAYERS }, (_, l) =>
  ["decoder.key", "decoder.value", "encoder.key", "encoder.value"].map((x) => `past_key_values.${l}.${x}`),
).flat();

/** First-call feeds for a decoder batch of `batch` (rows = batch·4), zero-length past as transformers.js makes it. */
function firstCall(
  batch: number,
  tokens: number[][],
  opts: { mask?: number[]; hidden?: Float32Array; textLen?: number } = {},
): Record<string, ort.Tensor> {
  const textLen = opts.textLen ?? 5;
  const hidden = opts.hidden ?? Float32Array.from({ length: batch * textLen * TEXT }, (_, i) => Math.sin(i * 0.37));
  const mask = opts.mask ?? new Array(batch * textLen).fill(1);
  const feeds: Record<string, ort.Tensor> = {
    input_ids: ids(tokens),
    encoder_hidden_states: new ort.Tensor("float32", hidden, [batch, textLen, TEXT]),
    encoder_attention_mask: new ort.Tensor("int64", BigInt64Array.from(mask, BigInt), [batch, textLen]),
    use_cache_branch: new ort.Tensor("bool", new Uint8Array([0]), [1]),
  };
  // transformers.js sets batch_size to the input_ids row count and every other symbolic dim to 0
  for (const n of pastNames) feeds[n] = new ort.Tensor("float32", new Float32Array(0), [tokens.length, HEADS, 0, HD]);
  return feeds;
}

function ids(tokens: number[][]): ort.Tensor {
  return new ort.Tensor("int64", BigInt64Array.from(tokens.flat(), BigInt), [tokens.length, tokens[0].length]);
}

/** Feeds for the next (cached) call: decoder K/V from `out`, encoder K/V from the first call. */
function cachedCall(
  prev: Record<string, ort.Tensor>,
  out: ort.InferenceSession.OnnxValueMapType,
  tokens: number[][],
  first: boolean,
): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {
    ...prev,
    input_ids: ids(tokens),
    use_cache_branch: new ort.Tensor("bool", new Uint8Array([1]), [1]),
  };
  for (let l = 0; l < LAYERS; l++) {
    for (const kv of ["key", "value"]) {
      feeds[`past_key_values.${l}.decoder.${kv}`] = out[`present.${l}.decoder.${kv}`];
      if (first) feeds[`past_key_values.${l}.encoder.${kv}`] = out[`present.${l}.encoder.${kv}`];
    }
  }
  return feeds;
}

/** `rows` token rows: row r gets tokens derived from r so rows differ. */
const grid = (rows: number, positions: number[]) =>
  Array.from({ length: rows }, (_, r) => positions.map((p) => (p === 0 ? 2048 : (r * 131 + p * 17) % 2048)));

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Logits of position t of every row, from [rows, seq, V]. */
function positionLogits(logits: ort.Tensor, t: number): Float32Array {
  const [rows, seq] = logits.dims;
  const out = new Float32Array(rows * V);
  for (let r = 0; r < rows; r++) out.set(f32(logits).subarray((r * seq + t) * V, (r * seq + t + 1) * V), r * V);
  return out;
}

describe("folder", () => {
  it("has every file of the published layout", () => {
    for (const f of requiredFiles("fp32")) expect(fs.existsSync(path.join(dir, f))).toBe(true);
    expect(path.basename(dir)).toBe(`tiny-s0-${BUILDER_VERSION}`);
  });

  it("config.json parses as MusicGen and marks the contract model", () => {
    expect(config).toMatchObject({
      model_type: "musicgen",
      is_encoder_decoder: true,
      architectures: ["MusicgenForConditionalGeneration"],
      decoder_start_token_id: 2048,
      pad_token_id: 2048,
      decoder: {
        model_type: "musicgen_decoder",
        num_codebooks: 4,
        vocab_size: 2048,
        num_hidden_layers: LAYERS,
        num_attention_heads: HEADS,
        hidden_size: tiny.decoder.hidden,
      },
      text_encoder: { model_type: "t5", d_model: TEXT },
      audio_encoder: {
        model_type: "encodec",
        sampling_rate: 32000,
        frame_rate: 50,
        codebook_size: 2048,
        upsampling_ratios: [8, 5, 4, 4],
      },
      cuesmith_contract_model: { size: "tiny", seed: 0, builder_version: BUILDER_VERSION },
    });
    const parsed = parseMusicgenConfig(config);
    expect(parsed).toMatchObject({
      contractModel: true,
      codebooks: 4,
      codebookSize: 2048,
      padToken: 2048,
      headDim: HD,
      hopLength: 640,
    });
  });

  it("generation_config.json is the published one", () => {
    expect(json("generation_config.json")).toEqual({
      _from_model_config: false,
      bos_token_id: 2048,
      decoder_start_token_id: 2048,
      do_sample: true,
      guidance_scale: 3.0,
      max_length: 1500,
      pad_token_id: 2048,
    });
    expect(json("preprocessor_config.json")).toMatchObject({
      feature_extractor_type: "EncodecFeatureExtractor",
      sampling_rate: 32000,
      feature_size: 1,
    });
    expect(json("tokenizer_config.json")).toMatchObject({
      tokenizer_class: "T5Tokenizer",
      eos_token: "</s>",
      pad_token: "<pad>",
      unk_token: "<unk>",
    });
  });

  it("tokenizes like T5 with @huggingface/tokenizers: EOS 1 last, ids inside the text vocab", () => {
    const tok = new Tokenizer(json("tokenizer.json"), json("tokenizer_config.json"));
    const enc = tok.encode("upbeat synth");
    expect(enc.tokens).toEqual(["\u2581upbeat", "\u2581synth", "</s>"]);
    expect(enc.ids[enc.ids.length - 1]).toBe(1);
    const any = tok.encode("Dark ambient drone, 70 BPM; no drums! (x2)").ids as number[];
    expect(any).not.toContain(2); // every printable ASCII character has a piece
    expect(Math.max(...any)).toBeLessThan(config.text_encoder.vocab_size);
    expect(tok.decode(any, { skip_special_tokens: true })).toBe("Dark ambient drone, 70 BPM; no drums! (x2)");
  });

  it("loads with transformers.js AutoTokenizer from the local folder", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tjs = require("@huggingface/transformers");
    tjs.env.allowRemoteModels = false;
    tjs.env.localModelPath = path.dirname(dir) + path.sep;
    const tokenizer = await tjs.AutoTokenizer.from_pretrained(path.basename(dir));
    const out = tokenizer(["upbeat synth"]);
    expect(Array.from(out.input_ids.data as BigInt64Array, Number)).toEqual(
      new Tokenizer(json("tokenizer.json"), json("tokenizer_config.json")).encode("upbeat synth").ids,
    );
  });
});

describe("input/output contract", () => {
  it("text encoder: names, dtypes and output shape", async () => {
    const s = sessions.text_encoder;
    expect(meta(s.inputMetadata)).toEqual([
      { name: "input_ids", type: "int64", shape: ["batch_size", "encoder_sequence_length"] },
      { name: "attention_mask", type: "int64", shape: ["batch_size", "encoder_sequence_length"] },
    ]);
    expect(meta(s.outputMetadata)).toEqual([
      { name: "last_hidden_state", type: "float32", shape: ["batch_size", "encoder_sequence_length", TEXT] },
    ]);
    const out = await s.run({
      input_ids: new ort.Tensor("int64", BigInt64Array.from([93n, 52n, 1n, 5n, 1n, 0n]), [2, 3]),
      attention_mask: new ort.Tensor("int64", BigInt64Array.from([1n, 1n, 1n, 1n, 1n, 0n]), [2, 3]),
    });
    expect(out.last_hidden_state.dims).toEqual([2, 3, TEXT]);
    expect(f32(out.last_hidden_state).every(Number.isFinite)).toBe(true);
  });

  it("decoder: names, dtypes, fixed heads and head_dim, symbolic everything else", () => {
    const s = sessions.decoder_model_merged;
    const presentNames = pastNames.map((n) => n.replace("past_key_values", "present"));
    expect(s.inputNames).toEqual([
      "input_ids",
      "encoder_hidden_states",
      "encoder_attention_mask",
      ...pastNames,
      "use_cache_branch",
    ]);
    expect(s.outputNames).toEqual(["logits", ...presentNames]);
    const inputs = meta(s.inputMetadata);
    expect(inputs[0]).toMatchObject({ type: "int64", shape: [expect.any(String), "decoder_sequence_length"] });
    expect(inputs[1]).toEqual({
      name: "encoder_hidden_states",
      type: "float32",
      shape: ["batch_size", "encoder_sequence_length", TEXT],
    });
    expect(inputs[2]).toEqual({
      name: "encoder_attention_mask",
      type: "int64",
      shape: ["batch_size", "encoder_sequence_length"],
    });
    for (const p of inputs.slice(3, -1))
      expect(p).toMatchObject({ type: "float32", shape: ["batch_size", HEADS, expect.any(String), HD] });
    expect(inputs[inputs.length - 1]).toEqual({ name: "use_cache_branch", type: "bool", shape: [1] });
    const outputs = meta(s.outputMetadata);
    expect(outputs[0]).toMatchObject({ type: "float32", shape: [expect.any(String), "decoder_sequence_length", V] });
    for (const p of outputs.slice(1))
      expect(p).toMatchObject({ type: "float32", shape: [expect.any(String), HEADS, expect.any(String), HD] });
  });

  it("encodec: names and dtypes", () => {
    const s = sessions.encodec_decode;
    expect(meta(s.inputMetadata)).toEqual([
      { name: "audio_codes", type: "int64", shape: [1, "batch_size", 4, "chunk_length"] },
    ]);
    expect(meta(s.outputMetadata)).toMatchObject([{ name: "audio_values", type: "float32" }]);
  });
});

describe("decoder", () => {
  const run = (feeds: Record<string, ort.Tensor>) => sessions.decoder_model_merged.run(feeds);

  it("first call then cached call: 2 prompts with guidance = batch 4, 16 rows", async () => {
    const feeds = firstCall(4, grid(16, [0]));
    const first = await run(feeds);
    expect(first.logits.dims).toEqual([16, 1, V]);
    for (let l = 0; l < LAYERS; l++) {
      expect(first[`present.${l}.decoder.key`].dims).toEqual([4, HEADS, 1, HD]);
      expect(first[`present.${l}.decoder.value`].dims).toEqual([4, HEADS, 1, HD]);
      expect(first[`present.${l}.encoder.key`].dims).toEqual([4, HEADS, 5, HD]);
      expect(first[`present.${l}.encoder.value`].dims).toEqual([4, HEADS, 5, HD]);
    }
    const second = await run(cachedCall(feeds, first, grid(16, [1]), true));
    expect(second.logits.dims).toEqual([16, 1, V]);
    for (let l = 0; l < LAYERS; l++) {
      expect(second[`present.${l}.decoder.key`].dims).toEqual([4, HEADS, 2, HD]);
      expect(second[`present.${l}.decoder.value`].dims).toEqual([4, HEADS, 2, HD]);
      // like the published export: the caller keeps the first call's encoder K/V
      expect(second[`present.${l}.encoder.key`].dims).toEqual([0, HEADS, 1, HD]);
      expect(second[`present.${l}.encoder.value`].dims).toEqual([0, HEADS, 1, HD]);
    }
    expect(f32(second.logits).every(Number.isFinite)).toBe(true);
  });

  it("is causal: 3 positions then 1 cached step, and 2 + 2 cached, equal 4 positions in one call", async () => {
    const all = await run(firstCall(2, grid(8, [0, 1, 2, 3])));
    expect(all.logits.dims).toEqual([8, 4, V]);

    const three = firstCall(2, grid(8, [0, 1, 2]));
    const a = await run(three);
    for (let t = 0; t < 3; t++)
      expect(maxAbsDiff(positionLogits(a.logits, t), positionLogits(all.logits, t))).toBeLessThan(1e-4);
    const b = await run(cachedCall(three, a, grid(8, [3]), true));
    expect(maxAbsDiff(positionLogits(b.logits, 0), positionLogits(all.logits, 3))).toBeLessThan(1e-4);

    // a multi-position cached call (continuation prompts) must be causal too
    const two = firstCall(2, grid(8, [0, 1]));
    const c = await run(two);
    const d = await run(cachedCall(two, c, grid(8, [2, 3]), true));
    expect(d["present.0.decoder.key"].dims).toEqual([2, HEADS, 4, HD]);
    for (let t = 0; t < 2; t++)
      expect(maxAbsDiff(positionLogits(d.logits, t), positionLogits(all.logits, 2 + t))).toBeLessThan(1e-4);
  });

  it("gives finite logits for an all-zero encoder mask and ignores masked text positions", async () => {
    const mask = [1, 1, 1, 0, 0, /* unconditional: */ 0, 0, 0, 0, 0];
    const zeros = firstCall(2, grid(8, [0]), { mask });
    const out = await run(zeros);
    expect(f32(out.logits).every(Number.isFinite)).toBe(true);
    // changing the conditional item's text states where its mask is 0 changes nothing (the unconditional
    // item, all masked, attends uniformly to whatever it is given, as in HF)
    const hidden = Float32Array.from(zeros.encoder_hidden_states.data as Float32Array);
    for (const s of [3, 4]) for (let c = 0; c < TEXT; c++) hidden[s * TEXT + c] += 5;
    const again = await run(firstCall(2, grid(8, [0]), { mask, hidden }));
    expect(maxAbsDiff(f32(again.logits), f32(out.logits))).toBeLessThan(1e-5);
  });
});

describe("encodec", () => {
  it("makes exactly 640 samples per frame for 1, 7 and 500 frames", async () => {
    for (const frames of [1, 7, 500]) {
      const codes = BigInt64Array.from({ length: 2 * 4 * frames }, (_, i) => BigInt((i * 37) % 2048));
      const out = await sessions.encodec_decode.run({ audio_codes: new ort.Tensor("int64", codes, [1, 2, 4, frames]) });
      expect(out.audio_values.dims).toEqual([2, 1, frames * 640]);
      expect(f32(out.audio_values).every(Number.isFinite)).toBe(true);
    }
  });
});

describe("builder", () => {
  const onnxFiles = (d: string) => fs.readdirSync(path.join(d, "onnx")).sort();
  const read = (d: string, f: string) => fs.readFileSync(path.join(d, f));

  it("same seed gives byte-identical files; another seed different weights; the cache is current", async () => {
    const a = path.join(tmp, "a");
    const b = path.join(tmp, "b");
    const c = path.join(tmp, "c");
    await buildTestModel({ size: "tiny", outDir: a, seed: 0 });
    await buildTestModel({ size: "tiny", outDir: b, seed: 0 });
    await buildTestModel({ size: "tiny", outDir: c, seed: 1 });
    for (const f of onnxFiles(a)) {
      expect(read(a, `onnx/${f}`).equals(read(b, `onnx/${f}`))).toBe(true);
      expect(read(a, `onnx/${f}`).equals(read(c, `onnx/${f}`))).toBe(false);
    }
    for (const f of requiredFiles("fp32")) {
      if (!read(a, f).equals(read(dir, f))) {
        throw new Error(
          `${f} in ${dir} differs from a fresh build: bump BUILDER_VERSION in models/build/index.ts when graphs change`,
        );
      }
    }
    expect(fs.readdirSync(tmp).sort()).toEqual(["a", "b", "c"]); // no temp folders left behind
  });

  it("keeps an existing folder when another build finished first", async () => {
    const a = path.join(tmp, "a");
    const before = read(a, "onnx/decoder_model_merged.onnx");
    await buildTestModel({ size: "tiny", outDir: a, seed: 5 });
    expect(read(a, "onnx/decoder_model_merged.onnx").equals(before)).toBe(true);
    expect(fs.readdirSync(tmp).filter((n) => n.startsWith("a."))).toEqual([]);
  });

  it("q8 variant: same contract, DynamicQuantizeMatMul weights, close to fp32", async () => {
    const q = path.join(tmp, "q8");
    await buildTestModel({ size: "tiny", outDir: q, seed: 0, variants: ["fp32", "q8"] });
    for (const f of requiredFiles("q8")) expect(fs.existsSync(path.join(q, f))).toBe(true);
    const s8 = await ort.InferenceSession.create(path.join(q, "onnx", "decoder_model_merged_quantized.onnx"));
    const s32 = sessions.decoder_model_merged;
    expect(meta(s8.inputMetadata)).toEqual(meta(s32.inputMetadata));
    expect(meta(s8.outputMetadata)).toEqual(meta(s32.outputMetadata));
    const feeds = firstCall(2, grid(8, [0, 1]));
    const [o8, o32] = [await s8.run(feeds), await s32.run(feeds)];
    expect(o8.logits.dims).toEqual([8, 2, V]);
    expect(maxAbsDiff(f32(o8.logits), f32(o32.logits))).toBeLessThan(0.05);
    expect(read(q, "onnx/decoder_model_merged_quantized.onnx").length).toBeLessThan(
      read(q, "onnx/decoder_model_merged.onnx").length,
    );
  });
});
