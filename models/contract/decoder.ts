// decoder_model_merged: the published merged decoder's contract. One `If` on use_cache_branch chooses between
// the first call (no past: computes the cross-attention K/V from encoder_hidden_states) and cached calls (self
// K/V = past + new; cross K/V from the past encoder inputs; encoder presents come back EMPTY).
import { attr, GraphBuilder } from "./graph";
import { CODEBOOKS, CODEBOOK_SIZE, ContractDims } from "./dims";
import { attend, dimOf, gelu, layerNorm, linear, mergeHeads, NEG, paddingMask, splitHeads } from "./nn";
import { ones, WeightRng, zeros } from "./random";

interface DecoderWeights {
  embed: string;
  positions: string;
  proj: { w: string; b: string };
  layers: Record<string, string>[];
  finalLn: { s: string; b: string };
  heads: string;
}

/** MusicGen's sinusoidal table: [cos | sin] halves, as in MusicgenSinusoidalPositionalEmbedding. */
function sinusoids(n: number, dim: number): Float32Array {
  const half = dim / 2;
  const out = new Float32Array(n * dim);
  const step = Math.log(10000) / (half - 1);
  for (let p = 0; p < n; p++) {
    for (let i = 0; i < half; i++) {
      const a = p * Math.exp(-i * step);
      out[p * dim + i] = Math.cos(a);
      out[p * dim + half + i] = Math.sin(a);
    }
  }
  return out;
}

function makeWeights(g: GraphBuilder, dims: ContractDims["decoder"], textDim: number, rng: WeightRng): DecoderWeights {
  const { hidden: H, ffn: F, layers } = dims;
  const lin = (name: string, r: number, c: number) => g.weight(name, [r, c], rng.normal(r * c));
  const vec = (name: string, n: number, v: Float32Array) => g.weight(name, [n], v);
  return {
    embed: g.weight("decoder.embed_tokens", [CODEBOOKS * (CODEBOOK_SIZE + 1), H], rng.normal(CODEBOOKS * (CODEBOOK_SIZE + 1) * H)),
    positions: g.weight("decoder.embed_positions", [dims.maxPositions, H], sinusoids(dims.maxPositions, H)),
    proj: { w: lin("enc_to_dec_proj.weight", textDim, H), b: vec("enc_to_dec_proj.bias", H, zeros(H)) },
    layers: Array.from({ length: layers }, (_, l) => {
      const p = `decoder.layers.${l}`;
      return {
        ln1s: vec(`${p}.self_attn_layer_norm.weight`, H, ones(H)), ln1b: vec(`${p}.self_attn_layer_norm.bias`, H, zeros(H)),
        q: lin(`${p}.self_attn.q_proj`, H, H), k: lin(`${p}.self_attn.k_proj`, H, H), v: lin(`${p}.self_attn.v_proj`, H, H), o: lin(`${p}.self_attn.out_proj`, H, H),
        ln2s: vec(`${p}.encoder_attn_layer_norm.weight`, H, ones(H)), ln2b: vec(`${p}.encoder_attn_layer_norm.bias`, H, zeros(H)),
        cq: lin(`${p}.encoder_attn.q_proj`, H, H), ck: lin(`${p}.encoder_attn.k_proj`, H, H), cv: lin(`${p}.encoder_attn.v_proj`, H, H), co: lin(`${p}.encoder_attn.out_proj`, H, H),
        ln3s: vec(`${p}.final_layer_norm.weight`, H, ones(H)), ln3b: vec(`${p}.final_layer_norm.bias`, H, zeros(H)),
        fc1: lin(`${p}.fc1`, H, F), fc2: lin(`${p}.fc2`, F, H),
      };
    }),
    finalLn: { s: vec("decoder.layer_norm.weight", H, ones(H)), b: vec("decoder.layer_norm.bias", H, zeros(H)) },
    // the 4 lm_heads side by side: one MatMul, then split into codebook rows
    heads: lin("lm_heads", H, CODEBOOKS * CODEBOOK_SIZE),
  };
}

function buildBranch(cached: boolean, dims: ContractDims["decoder"], w: DecoderWeights): GraphBuilder {
  const g = new GraphBuilder(cached ? "with_past" : "no_past", undefined, cached ? "wp_" : "np_");
  const { hidden: H, heads, layers } = dims;
  const dh = H / heads;
  const seq = dimOf(g, "input_ids", 1);

  // token embeddings: codebook k's ids index rows k*2049 .. of one table, summed over codebooks
  const ids3 = g.o("Reshape", ["input_ids", g.o("Concat", [g.ints([-1, CODEBOOKS]), seq], { axis: attr.i(0) })]);
  const offsets = g.const("int64", [1, CODEBOOKS, 1], Array.from({ length: CODEBOOKS }, (_, k) => k * (CODEBOOK_SIZE + 1)));
  const emb = g.o("Gather", [w.embed, g.o("Add", [ids3, offsets])], { axis: attr.i(0) });
  let x = g.o("ReduceSum", [emb, g.ints([1])], { keepdims: attr.i(0) });

  // absolute positions past_len .. past_len+seq-1, and the causal mask over past + new keys
  const pastLen = cached ? dimOf(g, "past_key_values.0.decoder.key", 2) : g.ints([0]);
  const total = g.o("Add", [pastLen, seq]);
  const scalar = (v: string) => g.o("Squeeze", [v, g.ints([0])]);
  const one = g.const("int64", [], [1]);
  const pos = g.o("Range", [scalar(pastLen), scalar(total), one]);
  x = g.o("Add", [x, g.o("Gather", [w.positions, pos], { axis: attr.i(0) })]);
  const keys = g.o("Range", [g.const("int64", [], [0]), scalar(total), one]);
  const allowed = g.o("LessOrEqual", [g.o("Unsqueeze", [keys, g.ints([0])]), g.o("Unsqueeze", [pos, g.ints([1])])]);
  const causal = g.o("Where", [allowed, g.scalar(0), g.scalar(NEG)]);
  const crossMask = paddingMask(g, "encoder_attention_mask");
  const enc = cached ? "" : linear(g, "encoder_hidden_states", w.proj.w, w.proj.b);

  const presents: string[] = [];
  const scale = 1 / Math.sqrt(dh);
  for (let l = 0; l < layers; l++) {
    const L = w.layers[l];
    let h = layerNorm(g, x, L.ln1s, L.ln1b);
    const q = splitHeads(g, linear(g, h, L.q), heads, dh);
    let k = splitHeads(g, linear(g, h, L.k), heads, dh);
    let v = splitHeads(g, linear(g, h, L.v), heads, dh);
    if (cached) {
      k = g.o("Concat", [`past_key_values.${l}.decoder.key`, k], { axis: attr.i(2) });
      v = g.o("Concat", [`past_key_values.${l}.decoder.value`, v], { axis: attr.i(2) });
    }
    x = g.o("Add", [x, linear(g, mergeHeads(g, attend(g, q, k, v, causal, scale), heads, dh), L.o)]);

    h = layerNorm(g, x, L.ln2s, L.ln2b);
    const cq = splitHeads(g, linear(g, h, L.cq), heads, dh);
    const ck = cached ? `past_key_values.${l}.encoder.key` : splitHeads(g, linear(g, enc, L.ck), heads, dh);
    const cv = cached ? `past_key_values.${l}.encoder.value` : splitHeads(g, linear(g, enc, L.cv), heads, dh);
    x = g.o("Add", [x, linear(g, mergeHeads(g, attend(g, cq, ck, cv, crossMask, scale), heads, dh), L.co)]);

    h = layerNorm(g, x, L.ln3s, L.ln3b);
    x = g.o("Add", [x, linear(g, gelu(g, linear(g, h, L.fc1)), L.fc2)]);

    // the published export returns empty encoder presents on cached calls: the caller keeps step 0's
    const empty = () => g.o("Identity", [g.const("float32", [0, heads, 1, dh], [])]);
    presents.push(
      g.o("Identity", [k]),
      g.o("Identity", [v]),
      cached ? empty() : g.o("Identity", [ck]),
      cached ? empty() : g.o("Identity", [cv]),
    );
  }
  x = layerNorm(g, x, w.finalLn.s, w.finalLn.b);
  const all = g.o("Reshape", [linear(g, x, w.heads), g.ints([0, 0, CODEBOOKS, CODEBOOK_SIZE])]);
  const perCodebook = g.o("Transpose", [all], { perm: attr.ints([0, 2, 1, 3]) });
  const logits = g.o("Reshape", [perCodebook, g.o("Concat", [g.ints([-1]), seq, g.ints([CODEBOOK_SIZE])], { axis: attr.i(0) })]);

  g.output(logits, "float32", ["rows", "decoder_sequence_length", CODEBOOK_SIZE]);
  for (const p of presents) g.output(p, "float32", ["batch_size", heads, "len", dh]);
  return g;
}

export function buildDecoder(g: GraphBuilder, dims: ContractDims["decoder"], textDim: number, rng: WeightRng): void {
  const { heads, hidden, layers } = dims;
  const dh = hidden / heads;
  g.input("input_ids", "int64", ["batch_size", "decoder_sequence_length"]);
  g.input("encoder_hidden_states", "float32", ["batch_size", "encoder_sequence_length", textDim]);
  g.input("encoder_attention_mask", "int64", ["batch_size", "encoder_sequence_length"]);
  const presentNames: string[] = [];
  for (let l = 0; l < layers; l++) {
    for (const [kind, len] of [["decoder", "past_decoder_sequence_length"], ["encoder", "encoder_sequence_length_out"]]) {
      for (const kv of ["key", "value"]) {
        g.input(`past_key_values.${l}.${kind}.${kv}`, "float32", ["batch_size", heads, len, dh]);
      }
    }
    presentNames.push(`present.${l}.decoder.key`, `present.${l}.decoder.value`, `present.${l}.encoder.key`, `present.${l}.encoder.value`);
  }
  g.input("use_cache_branch", "bool", [1]);

  const w = makeWeights(g, dims, textDim, rng);
  const withPast = buildBranch(true, dims, w).toGraph();
  const noPast = buildBranch(false, dims, w).toGraph();
  g.op("If", ["use_cache_branch"], { then_branch: attr.g(withPast), else_branch: attr.g(noPast) }, ["logits", ...presentNames]);

  g.output("logits", "float32", ["batch_size", "decoder_sequence_length", CODEBOOK_SIZE]);
  for (let l = 0; l < layers; l++) {
    g.output(`present.${l}.decoder.key`, "float32", ["batch_size", heads, "past_decoder_sequence_length + 1", dh]);
    g.output(`present.${l}.decoder.value`, "float32", ["batch_size", heads, "past_decoder_sequence_length + 1", dh]);
    g.output(`present.${l}.encoder.key`, "float32", ["encoder_sequence_length_out", heads, "encoder_sequence_length_out", dh]);
    g.output(`present.${l}.encoder.value`, "float32", ["encoder_sequence_length_out", heads, "encoder_sequence_length_out", dh]);
  }
}
