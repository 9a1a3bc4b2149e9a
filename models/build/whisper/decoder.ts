// Whisper's decoder with the published merged contract (onnx-community/whisper-base decoder_model_merged.onnx):
// one top-level If on `use_cache_branch`.
// else (first call): ignores the past inputs (fed zero-length), computes cross-attention K/V from
//   encoder_hidden_states and returns them as present.*.encoder.*.
// then (cached): self K/V = concat(past, new); cross K/V come from past_key_values.*.encoder.*, and
//   present.*.encoder.* come back EMPTY, as in the published export: callers keep the first call's.
// Learned positions, pre-norm layers, final LayerNorm, logits through the tied token embedding.
import type { onnx } from "onnx-proto";
import { DType, graphProto, ModelBuilder, Scope, valueInfo } from "../graph";
import { addKvIo, DecoderIo, mergedDecoderGraph } from "../merged-decoder";
import { attend, gelu, layerNorm, linear, MASK_NEG, mergeHeads, Weights } from "../nn";
import { MAX_TARGET_POSITIONS, WhisperDims } from "./dims";
import { attentionProjections } from "./encoder";

export function whisperDecoderIo(d: WhisperDims, vocab: number): DecoderIo {
  const hd = d.dModel / d.decoderHeads;
  const inputs = [
    valueInfo("input_ids", "int64", ["batch_size", "decoder_sequence_length"]),
    valueInfo("encoder_hidden_states", "float32", ["batch_size", "encoder_sequence_length", d.dModel]),
  ];
  const outputs = [valueInfo("logits", "float32", ["batch_size", "decoder_sequence_length", vocab])];
  return addKvIo({ inputs, outputs }, d.decoderLayers, d.decoderHeads, hd, "past_decoder_sequence_length + 1");
}

export function buildWhisperDecoder(model: ModelBuilder, w: Weights, d: WhisperDims, vocab: number): onnx.IGraphProto {
  const elseBranch = branch(model, w, d, vocab, false);
  const thenBranch = branch(model, w, d, vocab, true);
  return mergedDecoderGraph(model, whisperDecoderIo(d, vocab), thenBranch, elseBranch);
}

function branch(model: ModelBuilder, w: Weights, d: WhisperDims, vocab: number, cached: boolean): onnx.IGraphProto {
  const s = new Scope(model, cached ? "then" : "else");
  const H = d.dModel;
  const hd = H / d.decoderHeads;
  const std = H ** -0.5;
  const outs: { name: string; dtype: DType }[] = [];

  // unit-variance token embeddings: tied logits then have a clear argmax (a random model still decides)
  const table = w.normal("decoder.embed_tokens.weight", [vocab, H], 1);
  const seq = s.one("Squeeze", [s.one("Shape", ["input_ids"], { start: 1, end: 2 }), s.ints([0])]);
  const pastLen = cached
    ? s.one("Squeeze", [s.one("Shape", ["past_key_values.0.decoder.key"], { start: 2, end: 3 }), s.ints([0])])
    : s.int(0);
  const total = s.one("Add", [pastLen, seq]);
  const qPos = s.one("Range", [pastLen, total, s.int(1)]);
  const kPos = s.one("Range", [s.int(0), total, s.int(1)]);
  // unit-variance positions too: with tied logits the current token would otherwise predict itself forever
  const positions = w.normal("decoder.embed_positions.weight", [MAX_TARGET_POSITIONS, H], 1.5);
  let x = s.one("Add", [s.one("Gather", [table, "input_ids"]), s.one("Gather", [positions, qPos])]);

  const allowed = s.one("LessOrEqual", [
    s.one("Unsqueeze", [kPos, s.ints([0])]),
    s.one("Unsqueeze", [qPos, s.ints([1])]),
  ]);
  const causal = s.one("Where", [allowed, s.scalar(0), s.scalar(MASK_NEG)]);
  const empty = cached ? model.constant("float32", [0, d.decoderHeads, 1, hd], []) : "";

  const presents: string[] = [];
  for (let l = 0; l < d.decoderLayers; l++) {
    const p = `decoder.layers.${l}`;
    let h = layerNorm(s, w, x, `${p}.self_attn_layer_norm`, H);
    const sa = attentionProjections(s, w, h, `${p}.self_attn`, H, d.decoderHeads);
    let { k, v } = sa;
    if (cached) {
      k = s.one("Concat", [`past_key_values.${l}.decoder.key`, k], { axis: 2 });
      v = s.one("Concat", [`past_key_values.${l}.decoder.value`, v], { axis: 2 });
    }
    presents.push(k, v);
    x = s.one("Add", [
      x,
      linear(s, w, mergeHeads(s, attend(s, sa.q, k, v, causal), H), `${p}.self_attn.out_proj`, H, H, {
        bias: true,
        std,
      }),
    ]);

    h = layerNorm(s, w, x, `${p}.encoder_attn_layer_norm`, H);
    let ck: string, cv: string, cq: string;
    if (cached) {
      cq = attentionProjections(s, w, h, `${p}.encoder_attn`, H, d.decoderHeads).q;
      ck = `past_key_values.${l}.encoder.key`;
      cv = `past_key_values.${l}.encoder.value`;
      presents.push(s.one("Identity", [empty]), s.one("Identity", [empty]));
    } else {
      cq = attentionProjections(s, w, h, `${p}.encoder_attn`, H, d.decoderHeads).q;
      const enc = attentionProjections(s, w, "encoder_hidden_states", `${p}.encoder_attn`, H, d.decoderHeads);
      ck = enc.k;
      cv = enc.v;
      presents.push(ck, cv);
    }
    x = s.one("Add", [
      x,
      linear(s, w, mergeHeads(s, attend(s, cq, ck, cv), H), `${p}.encoder_attn.out_proj`, H, H, { bias: true, std }),
    ]);

    h = layerNorm(s, w, x, `${p}.final_layer_norm`, H);
    x = s.one("Add", [
      x,
      linear(
        s,
        w,
        gelu(s, linear(s, w, h, `${p}.fc1`, H, d.decoderFfn, { bias: true, std })),
        `${p}.fc2`,
        d.decoderFfn,
        H,
        { bias: true, std: d.decoderFfn ** -0.5 },
      ),
    ]);
  }
  x = layerNorm(s, w, x, "decoder.layer_norm", H);
  // proj_out is tied to embed_tokens: logits = x · Eᵀ
  outs.push({ name: s.one("MatMul", [x, s.one("Transpose", [table], { perm: [1, 0] })]), dtype: "float32" });
  for (const p of presents) outs.push({ name: p, dtype: "float32" });
  return graphProto(
    `${cached ? "then" : "else"}_branch`,
    s,
    [],
    outs.map((o) => valueInfo(o.name, o.dtype)),
  );
}
