// The contract model's graphs against the published export's input/output contract.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ort from "onnxruntime-node";
import { buildTestModel } from "../../models/contract";
import { requiredFiles } from "../../models/layout";
import { PromptTokenizer } from "../../helper/engine/tokenizer";
import { tinyModelDir } from "../helpers/contract-model";

let dir: string;
let config: any;
const sessions: Record<string, ort.InferenceSession> = {};

beforeAll(async () => {
  dir = await tinyModelDir();
  config = JSON.parse(fs.readFileSync(path.join(dir, "config.json"), "utf8"));
  for (const name of ["text_encoder", "decoder_model_merged", "encodec_decode"]) {
    sessions[name] = await ort.InferenceSession.create(path.join(dir, "onnx", `${name}.onnx`));
  }
});

const L = () => config.decoder.num_hidden_layers as number;
const heads = () => config.decoder.num_attention_heads as number;
const dh = () => config.decoder.hidden_size / config.decoder.num_attention_heads;

/** Decoder feeds for `batch` guided rows with zero-length past (the first call). */
function firstCallFeeds(batch: number, ids: bigint[][], textLen = 3, mask?: bigint[]): Record<string, ort.Tensor> {
  const d = config.text_encoder.d_model;
  const hidden = Float32Array.from({ length: batch * textLen * d }, (_, i) => Math.sin(i));
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor("int64", BigInt64Array.from(ids.flat()), [ids.length, ids[0].length]),
    encoder_hidden_states: new ort.Tensor("float32", hidden, [batch, textLen, d]),
    encoder_attention_mask: new ort.Tensor("int64", BigInt64Array.from(mask ?? new Array(batch * textLen).fill(1n)), [batch, textLen]),
    use_cache_branch: new ort.Tensor("bool", new Uint8Array([0]), [1]),
  };
  for (let l = 0; l < L(); l++) {
    for (const kind of ["decoder", "encoder"]) for (const kv of ["key", "value"]) {
      feeds[`past_key_values.${l}.${kind}.${kv}`] = new ort.Tensor("float32", new Float32Array(0), [batch, heads(), 0, dh()]);
    }
  }
  return feeds;
}

const rows = (batch: number, tokens: number[]) => Array.from({ length: batch * 4 }, () => tokens.map(BigInt));

describe("contract model layout", () => {
  it("has every file of the published layout and marks itself as random", () => {
    for (const f of requiredFiles("fp32")) expect(fs.existsSync(path.join(dir, f))).toBe(true);
    expect(config.model_type).toBe("musicgen");
    expect(config.cuesmith_contract_model).toMatchObject({ size: "tiny", seed: 0 });
    const gen = JSON.parse(fs.readFileSync(path.join(dir, "generation_config.json"), "utf8"));
    expect(gen).toMatchObject({ decoder_start_token_id: 2048, guidance_scale: 3, max_length: 1500, do_sample: true });
  });

  it("tokenizes like T5: ids end with EOS 1", () => {
    const tok = PromptTokenizer.fromJson(JSON.parse(fs.readFileSync(path.join(dir, "tokenizer.json"), "utf8")), JSON.parse(fs.readFileSync(path.join(dir, "tokenizer_config.json"), "utf8")));
    const ids = tok.encode("upbeat synth");
    expect(ids[ids.length - 1]).toBe(1);
    expect(ids.length).toBeGreaterThan(1);
    expect(Math.max(...ids)).toBeLessThan(config.text_encoder.vocab_size);
  });
});

describe("input/output contract", () => {
  it("names the text encoder's inputs and output", async () => {
    const s = sessions.text_encoder;
    expect(s.inputNames).toEqual(["input_ids", "attention_mask"]);
    expect(s.outputNames).toEqual(["last_hidden_state"]);
    const out = await s.run({
      input_ids: new ort.Tensor("int64", BigInt64Array.from([19n, 46n, 1n, 5n, 1n, 0n]), [2, 3]),
      attention_mask: new ort.Tensor("int64", BigInt64Array.from([1n, 1n, 1n, 1n, 1n, 0n]), [2, 3]),
    });
    expect(out.last_hidden_state.dims).toEqual([2, 3, config.text_encoder.d_model]);
  });

  it("names the merged decoder's inputs and outputs like the published export", () => {
    const s = sessions.decoder_model_merged;
    const past = Array.from({ length: L() }, (_, l) => ["decoder.key", "decoder.value", "encoder.key", "encoder.value"].map((x) => `past_key_values.${l}.${x}`)).flat();
    const present = past.map((n) => n.replace("past_key_values", "present"));
    expect(s.inputNames).toEqual(["input_ids", "encoder_hidden_states", "encoder_attention_mask", ...past, "use_cache_branch"]);
    expect(s.outputNames).toEqual(["logits", ...present]);
  });

  it("first call: logits per codebook row, decoder presents of this call, encoder presents kept", async () => {
    const out = await sessions.decoder_model_merged.run(firstCallFeeds(4, rows(4, [2048])));
    expect(out.logits.dims).toEqual([16, 1, 2048]);
    expect(out["present.0.decoder.key"].dims).toEqual([4, heads(), 1, dh()]);
    expect(out["present.0.encoder.key"].dims).toEqual([4, heads(), 3, dh()]);
  });

  it("cached call: presents grow by one and the encoder presents come back empty", async () => {
    const feeds = firstCallFeeds(2, rows(2, [2048]));
    const first = await sessions.decoder_model_merged.run(feeds);
    for (let l = 0; l < L(); l++) for (const kind of ["decoder", "encoder"]) for (const kv of ["key", "value"]) {
      feeds[`past_key_values.${l}.${kind}.${kv}`] = first[`present.${l}.${kind}.${kv}`];
    }
    feeds.use_cache_branch = new ort.Tensor("bool", new Uint8Array([1]), [1]);
    feeds.input_ids = new ort.Tensor("int64", BigInt64Array.from(rows(2, [7]).flat()), [8, 1]);
    const second = await sessions.decoder_model_merged.run(feeds);
    expect(second["present.0.decoder.key"].dims).toEqual([2, heads(), 2, dh()]);
    expect(second["present.0.encoder.key"].dims).toEqual([0, heads(), 1, dh()]);
    expect(second.logits.dims).toEqual([8, 1, 2048]);
  });

  it("is causal: three tokens then one cached step equal four tokens at once", async () => {
    const all = await sessions.decoder_model_merged.run(firstCallFeeds(1, rows(1, [2048, 5, 9, 700])));
    const feeds = firstCallFeeds(1, rows(1, [2048, 5, 9]));
    const first = await sessions.decoder_model_merged.run(feeds);
    for (let l = 0; l < L(); l++) for (const kind of ["decoder", "encoder"]) for (const kv of ["key", "value"]) {
      feeds[`past_key_values.${l}.${kind}.${kv}`] = first[`present.${l}.${kind}.${kv}`];
    }
    feeds.use_cache_branch = new ort.Tensor("bool", new Uint8Array([1]), [1]);
    feeds.input_ids = new ort.Tensor("int64", BigInt64Array.from(rows(1, [700]).flat()), [4, 1]);
    const step = await sessions.decoder_model_merged.run(feeds);
    const a = all.logits.data as Float32Array;
    const b = step.logits.data as Float32Array;
    for (let r = 0; r < 4; r++) {
      for (let v = 0; v < 2048; v += 97) expect(b[r * 2048 + v]).toBeCloseTo(a[(r * 4 + 3) * 2048 + v], 4);
    }
    // and the first three positions do not see the fourth token
    for (let v = 0; v < 2048; v += 97) expect((first.logits.data as Float32Array)[2 * 2048 + v]).toBeCloseTo(a[2 * 2048 + v], 4);
  });

  it("stays finite with an all-zero encoder mask (the unconditional half of guidance)", async () => {
    const out = await sessions.decoder_model_merged.run(firstCallFeeds(2, rows(2, [2048]), 3, [1n, 1n, 0n, 0n, 0n, 0n]));
    expect((out.logits.data as Float32Array).every(Number.isFinite)).toBe(true);
  });

  it("EnCodec makes exactly 640 samples per frame", async () => {
    for (const frames of [1, 7, 500]) {
      const codes = BigInt64Array.from({ length: 2 * 4 * frames }, (_, i) => BigInt((i * 37) % 2048));
      const out = await sessions.encodec_decode.run({ audio_codes: new ort.Tensor("int64", codes, [1, 2, 4, frames]) });
      expect(out.audio_values.dims).toEqual([2, 1, frames * 640]);
    }
  });
});

describe("determinism", () => {
  it("same seed -> byte-identical files; another seed -> different weights", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-det-"));
    await buildTestModel({ size: "tiny", outDir: path.join(tmp, "a"), seed: 3 });
    await buildTestModel({ size: "tiny", outDir: path.join(tmp, "b"), seed: 3 });
    await buildTestModel({ size: "tiny", outDir: path.join(tmp, "c"), seed: 4 });
    const read = (d: string) => fs.readFileSync(path.join(tmp, d, "onnx", "decoder_model_merged.onnx"));
    expect(read("a").equals(read("b"))).toBe(true);
    expect(read("a").equals(read("c"))).toBe(false);
  });
});
