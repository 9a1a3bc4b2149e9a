// The MusicGen decoder with the published merged contract: one top-level If on `use_cache_branch`.
// else (first call): ignores every past input (transformers.js feeds zero-length ones), projects the text
//   states and computes the cross-attention K/V, which it returns as present.*.encoder.*.
// then (cached): self K/V = concat(past, new); cross K/V come from the past encoder inputs, and
//   present.*.encoder.* are EMPTY [0, heads, 1, head_dim], as in the published export.
// Both branches handle any number of new positions (a multi-step prompt) with a causal mask.
import type { onnx } from "onnx-proto";
import { CODEBOOKS, CODEBOOK_SIZE, DecoderDims, MAX_POSITIONS } from "./dims";
import { DType, graphProto, ModelBuilder, Scope, valueInfo } from "./graph";
import { addKvIo, DecoderIo, mergedDecoderGraph } from "./merged-decoder";
import { attend, gelu, layerNorm, linear, MASK_NEG, mergeHeads, paddingBias, splitHeads, Weights } from "./nn";

const { cos, sin, exp, log } = Math; // bound once: see random.ts
const EMBED_ROWS = CODEBOOK_SIZE + 1; // + the pad / start token 2048

/** MusicGen's sinusoidal table: row p = cat(cos(p·f), sin(p·f)), f_i = exp(-i·ln(10000)/(half-1)). */
export function sinusoidalTable(positions: number, dim: number): Float32Array {
  const half = dim / 2;
  const out = new Float32Array(positions * dim);
  for (let p = 0; p < positions; p++) {
    for (let i = 0; i < half; i++) {
      const a = p * exp((-i * log(10000)) / (half - 1));
      out[p * dim + i] = cos(a);
      out[p * dim + half + i] = sin(a);
    }
  }
  return out;
}

/** Input and output declarations; symbolic names except heads and head_dim (transformers.js reads them). */
export function decoderIo(d: DecoderDims, textDim: number): DecoderIo {
  const hd = d.hidden / d.heads;
  const rows = "batch_size_x_num_codebooks";
  const inputs = [
    valueInfo("input_ids", "int64", [rows, "decoder_sequence_length"]),
    valueInfo("encoder_hidden_states", "float32", ["batch_size", "encoder_sequence_length", textDim]),
    valueInfo("encoder_attention_mask", "int64", ["batch_size", "encoder_sequence_length"]),
  ];
  const outputs = [valueInfo("logits", "float32", [rows, "decoder_sequence_length", CODEBOOK_SIZE])];
  return addKvIo({ inputs, outputs }, d.layers, d.heads, hd, "present_decoder_sequence_length");
}

export function buildDecoder(model: ModelBuilder, w: Weights, d: DecoderDims, textDim: number): onnx.IGraphProto {
  const elseBranch = branch(model, w, d, textDim, false);
  const thenBranch = branch(model, w, d, textDim, true);
  return mergedDecoderGraph(model, decoderIo(d, textDim), thenBranch, elseBranch);
}

function branch(model: ModelBuilder, w: Weights, d: DecoderDims, textDim: number, cached: boolean): onnx.IGraphProto {
  const name = cached ? "then" : "else";
  const s = new Scope(model, name);
  const H = d.hidden;
  const hd = H / d.heads;
  const outs: { name: string; dtype: DType }[] = [];
  const out = (v: string) => outs.push({ name: v, dtype: "float32" });

  // tokens [B·4, S] -> [B, 4, S]; one table of 4×2049 rows, codebook k offset by k·2049 (= 4 summed embeddings)
  const seq1 = s.one("Shape", ["input_ids"], { start: 1, end: 2 });
  const seq = s.one("Squeeze", [seq1, s.ints([0])]);
  const ids = s.one("Reshape", ["input_ids", s.one("Concat", [s.ints([-1, CODEBOOKS]), seq1], { axis: 0 })]);
  const offsets = model.constant(
    "int64",
    [1, CODEBOOKS, 1],
    Array.from({ length: CODEBOOKS }, (_, k) => k * EMBED_ROWS),
  );
  const table = w.normal("decoder.embed_tokens.weight", [CODEBOOKS * EMBED_ROWS, H], 0.02);
  const embeds = s.one("ReduceSum", [s.one("Gather", [table, s.one("Add", [ids, offsets])]), s.ints([1])], {
    keepdims: 0,
  });

  // absolute positions past_len .. past_len+S-1 (the else branch never looks at the past inputs)
  const pastLen = cached
    ? s.one("Squeeze", [s.one("Shape", ["past_key_values.0.decoder.key"], { start: 2, end: 3 }), s.ints([0])])
    : s.int(0);
  const total = s.one("Add", [pastLen, seq]);
  const qPos = s.one("Range", [pastLen, total, s.int(1)]);
  const kPos = s.one("Range", [s.int(0), total, s.int(1)]);
  const positions = w.data("decoder.embed_positions.weights", [MAX_POSITIONS, H], () =>
    sinusoidalTable(MAX_POSITIONS, H),
  );
  let x = s.one("Add", [embeds, s.one("Gather", [positions, qPos])]);

  // causal: query at absolute position p sees keys 0..p; additive [S, T]
  const allowed = s.one("LessOrEqual", [
    s.one("Unsqueeze", [kPos, s.ints([0])]),
    s.one("Unsqueeze", [qPos, s.ints([1])]),
  ]);
  const causal = s.one("Where", [allowed, s.scalar(0), s.scalar(MASK_NEG)]);
  const crossBias = paddingBias(s, "encoder_attention_mask");
  const enc = cached ? "" : linear(s, w, "encoder_hidden_states", "enc_to_dec_proj", textDim, H, { bias: true });
  const empty = cached ? model.constant("float32", [0, d.heads, 1, hd], []) : "";

  const scale = s.scalar(hd ** -0.5);
  const query = (h: string, p: string) =>
    splitHeads(s, s.one("Mul", [linear(s, w, h, `${p}.q_proj`, H, H), scale]), d.heads, hd);
  const heads = (h: string, p: string, inDim = H) => splitHeads(s, linear(s, w, h, p, inDim, H), d.heads, hd);

  const presents: string[] = [];
  for (let l = 0; l < d.layers; l++) {
    const p = `decoder.layers.${l}`;
    // self-attention
    let h = layerNorm(s, w, x, `${p}.self_attn_layer_norm`, H);
    const q = query(h, `${p}.self_attn`);
    let k = heads(h, `${p}.self_attn.k_proj`);
    let v = heads(h, `${p}.self_attn.v_proj`);
    if (cached) {
      k = s.one("Concat", [`past_key_values.${l}.decoder.key`, k], { axis: 2 });
      v = s.one("Concat", [`past_key_values.${l}.decoder.value`, v], { axis: 2 });
    }
    presents.push(k, v);
    x = s.one("Add", [x, linear(s, w, mergeHeads(s, attend(s, q, k, v, causal), H), `${p}.self_attn.out_proj`, H, H)]);

    // cross-attention
    h = layerNorm(s, w, x, `${p}.encoder_attn_layer_norm`, H);
    const cq = query(h, `${p}.encoder_attn`);
    let ck: string, cv: string;
    if (cached) {
      ck = `past_key_values.${l}.encoder.key`;
      cv = `past_key_values.${l}.encoder.value`;
      presents.push(s.one("Identity", [empty]), s.one("Identity", [empty]));
    } else {
      ck = heads(enc, `${p}.encoder_attn.k_proj`);
      cv = heads(enc, `${p}.encoder_attn.v_proj`);
      presents.push(ck, cv);
    }
    x = s.one("Add", [
      x,
      linear(s, w, mergeHeads(s, attend(s, cq, ck, cv, crossBias), H), `${p}.encoder_attn.out_proj`, H, H),
    ]);

    // feed-forward
    h = layerNorm(s, w, x, `${p}.final_layer_norm`, H);
    x = s.one("Add", [x, linear(s, w, gelu(s, linear(s, w, h, `${p}.fc1`, H, d.ffn)), `${p}.fc2`, d.ffn, H)]);
  }
  x = layerNorm(s, w, x, "decoder.layer_norm", H);

  // 4 lm heads as one [H, 4·2048] matmul -> [B, S, 4, V] -> [B, 4, S, V] -> rows batch-major, codebook-minor
  const all = linear(s, w, x, "lm_heads", H, CODEBOOKS * CODEBOOK_SIZE);
  const perHead = s.one("Transpose", [s.one("Reshape", [all, s.ints([0, 0, CODEBOOKS, CODEBOOK_SIZE])])], {
    perm: [0, 2, 1, 3],
  });
  out(s.one("Reshape", [perHead, s.one("Concat", [s.ints([-1]), seq1, s.ints([CODEBOOK_SIZE])], { axis: 0 })]));
  presents.forEach(out);

  return graphProto(
    `${name}_branch`,
    s,
    [],
    outs.map((o) => valueInfo(o.name, o.dtype)),
  );
}
