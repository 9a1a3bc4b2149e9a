// int8 from fp32 (models/transform/quantize.ts): an install with only the fp32 decoder gets an int8 decoder
// (DynamicQuantizeMatMul, per-column symmetric weights). It must load, run, stay close to fp32 and match the
// contract builder's own q8 (the same quantisation of the same weights).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ort from "onnxruntime-node";
import { buildTestModel } from "../../models/build";
import { ONNX_DIR, ONNX_FILES } from "../../models/layout";
import { PrepareResult, prepareDecoders } from "../../models/transform";
import { quantizeColumns, quantizeDecoderFile } from "../../models/transform/quantize";
import { MusicGenEngine } from "../../helper/engine/musicgen";

let root: string;
let dir: string; // fp32 only, then derived q8
let built: string; // the builder's fp32 + q8
let prepared: PrepareResult;
const onnxFile = (d: string, f: string) => path.join(d, ONNX_DIR, f);

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-q8-"));
  dir = path.join(root, "fp32");
  built = path.join(root, "built");
  await buildTestModel({ size: "tiny", outDir: dir, variants: ["fp32"], flat: false });
  await buildTestModel({ size: "tiny", outDir: built, variants: ["fp32", "q8"], flat: false });
  prepared = await prepareDecoders(dir);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** One first-call decoder run (batch 2 with guidance, 5 positions) on fixed inputs; returns the logits. */
async function logits(file: string): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(file);
  const cfg = JSON.parse(fs.readFileSync(path.join(dir, "config.json"), "utf8"));
  const [B, S, T, textDim, heads, layers] = [
    2,
    5,
    7,
    cfg.text_encoder.d_model,
    cfg.decoder.num_attention_heads,
    cfg.decoder.num_hidden_layers,
  ];
  const hd = cfg.decoder.hidden_size / heads;
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor(
      "int64",
      BigInt64Array.from({ length: B * 4 * S }, (_, i) => BigInt((i * 37) % 2049)),
      [B * 4, S],
    ),
    encoder_hidden_states: new ort.Tensor(
      "float32",
      Float32Array.from({ length: B * T * textDim }, (_, i) => Math.sin(i)),
      [B, T, textDim],
    ),
    encoder_attention_mask: new ort.Tensor("int64", new BigInt64Array(B * T).fill(1n), [B, T]),
    use_cache_branch: new ort.Tensor("bool", new Uint8Array([0]), [1]),
  };
  for (let l = 0; l < layers; l++)
    for (const k of ["decoder", "encoder"])
      for (const kv of ["key", "value"])
        feeds[`past_key_values.${l}.${k}.${kv}`] = new ort.Tensor("float32", new Float32Array(0), [B, heads, 0, hd]);
  const out = await s.run(feeds, ["logits"]);
  await s.release();
  return out.logits.data as Float32Array;
}

function distance(
  ref: Float32Array,
  x: Float32Array,
): { relMax: number; relMean: number; absMax: number; refMax: number } {
  let maxDiff = 0,
    maxRef = 0,
    sumDiff = 0,
    sumRef = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs(ref[i] - x[i]);
    maxDiff = Math.max(maxDiff, d);
    maxRef = Math.max(maxRef, Math.abs(ref[i]));
    sumDiff += d;
    sumRef += Math.abs(ref[i]);
  }
  return { relMax: maxDiff / maxRef, relMean: sumDiff / sumRef, absMax: maxDiff, refMax: maxRef };
}

describe("int8 decoder from fp32", () => {
  it("quantizes each column symmetrically: |w - q·s| ≤ s/2, zero stays zero", () => {
    const w = Float32Array.from([0.5, -2, 0, 0.2, -0.5, 0, 0, 0.9, 0]);
    const { weights, scales } = quantizeColumns(w, 3, 3);
    expect(Array.from(scales)).toEqual([0.5 / 127, 2 / 127, 1].map(Math.fround));
    for (let i = 0; i < w.length; i++)
      expect(Math.abs(w[i] - weights[i] * scales[i % 3])).toBeLessThanOrEqual(scales[i % 3] / 2 + 1e-9);
    expect(Array.from(weights)).toEqual([127, -127, 0, 51, -32, 0, 0, 57, 0]);
  });

  it("is written by prepareDecoders when only fp32 is installed, with its flat variant", async () => {
    const r = prepared;
    expect(r.errors).toEqual([]);
    expect(r.written.sort()).toEqual(
      [ONNX_FILES.decoder.q8, ONNX_FILES.decoderFlat.fp32, ONNX_FILES.decoderFlat.q8]
        .map((f) => `${ONNX_DIR}/${f}`)
        .sort(),
    );
    expect(fs.existsSync(onnxFile(dir, `${ONNX_FILES.decoder.q8}_data`))).toBe(true);
    const s = await ort.InferenceSession.create(onnxFile(dir, ONNX_FILES.decoder.q8));
    expect(s.outputNames).toContain("present.0.decoder.key");
    await s.release();
  });

  it("stays close to fp32: relative logit distance (max, mean) within measured bounds", async () => {
    const ref = await logits(onnxFile(dir, ONNX_FILES.decoder.fp32));
    const q8 = await logits(onnxFile(dir, ONNX_FILES.decoder.q8));
    const d = distance(ref, q8);
    // measured on this model (7-bit weights, AVX2 CPU): relative max 1.6e-2, mean 1.3e-2; see docs/engine.md
    console.log(
      `q8-from-fp32 vs fp32 logits: relative max ${d.relMax.toExponential(2)}, relative mean ${d.relMean.toExponential(2)}, max abs ${d.absMax.toExponential(2)} (max |fp32| ${d.refMax.toExponential(2)})`,
    );
    expect(d.relMax).toBeLessThan(0.03);
    expect(d.relMean).toBeLessThan(0.025);
    expect(d.relMean).toBeGreaterThan(0); // it is quantized
  });

  it("matches the contract builder's q8 decoder (same weights, same quantisation)", async () => {
    const mine = await logits(onnxFile(dir, ONNX_FILES.decoder.q8));
    const theirs = await logits(onnxFile(built, ONNX_FILES.decoder.q8));
    expect(distance(theirs, mine).relMax).toBe(0);
  });

  it("full-range (8-bit) weights are the option, not the default: on AVX2 without VNNI they saturate", async () => {
    const full = onnxFile(dir, "full-range.onnx");
    quantizeDecoderFile(onnxFile(dir, ONNX_FILES.decoder.fp32), full, { reduceRange: false });
    const d = distance(await logits(onnxFile(dir, ONNX_FILES.decoder.fp32)), await logits(full));
    console.log(
      `full-range int8 vs fp32 logits: relative max ${d.relMax.toExponential(2)}, relative mean ${d.relMean.toExponential(2)}`,
    );
    expect(d.relMean).toBeGreaterThan(0);
  });

  it("runs in the engine, which prefers it (auto variant) through its flat rewrite", async () => {
    const engine = await MusicGenEngine.load(dir, { provider: "cpu", warmup: false });
    expect(engine.info.variant).toBe("q8");
    expect(engine.info.decoderGraph).toBe("flat");
    const r = await engine.generate({ prompts: ["a"], durationSec: 1, seed: 1 });
    expect(r.codes[0][0].length).toBe(50);
    for (const row of r.codes[0]) for (const c of row) expect(c >= 0 && c < 2048).toBe(true);
  });
});
