// Whisper's audio encoder with the published contract: input_features f32 [B, 80, 3000] -> last_hidden_state
// [B, 1500, d]. Conv1d k3 + GELU, Conv1d k3 stride 2 + GELU, sinusoidal positions, pre-norm self-attention
// layers (q and v projections with bias, k without, as in HF's WhisperAttention), final LayerNorm.
import type { onnx } from "onnx-proto";
import { graphProto, ModelBuilder, Scope, valueInfo } from "../graph";
import { attend, gelu, layerNorm, linear, mergeHeads, splitHeads, Weights } from "../nn";
import { MAX_SOURCE_POSITIONS, NUM_MEL_BINS, WhisperDims } from "./dims";

const { exp, log, sin, cos } = Math; // bound once: see ../random.ts

/** Whisper's `sinusoids(length, channels)`: row t = cat(sin(t·f), cos(t·f)), f_i = exp(-i·ln(10000)/(half-1)). */
export function whisperSinusoids(length: number, channels: number): Float32Array {
  const half = channels / 2;
  const out = new Float32Array(length * channels);
  for (let t = 0; t < length; t++) {
    for (let i = 0; i < half; i++) {
      const a = t * exp((-i * log(10000)) / (half - 1));
      out[t * channels + i] = sin(a);
      out[t * channels + half + i] = cos(a);
    }
  }
  return out;
}

/** Pre-norm attention + FFN block shared by encoder (no mask) and decoder (its own wiring, see decoder.ts). */
export function attentionProjections(s: Scope, w: Weights, h: string, p: string, H: number, heads: number) {
  const hd = H / heads;
  const std = H ** -0.5;
  const q = splitHeads(
    s,
    s.one("Mul", [linear(s, w, h, `${p}.q_proj`, H, H, { bias: true, std }), s.scalar(hd ** -0.5)]),
    heads,
    hd,
  );
  const k = splitHeads(s, linear(s, w, h, `${p}.k_proj`, H, H, { std }), heads, hd);
  const v = splitHeads(s, linear(s, w, h, `${p}.v_proj`, H, H, { bias: true, std }), heads, hd);
  return { q, k, v };
}

export function buildEncoder(model: ModelBuilder, w: Weights, d: WhisperDims): onnx.IGraphProto {
  const s = new Scope(model, "encoder");
  const H = d.dModel;
  const std = H ** -0.5;
  const conv1 = s.one(
    "Conv",
    [
      "input_features",
      w.normal("encoder.conv1.weight", [H, NUM_MEL_BINS, 3], (NUM_MEL_BINS * 3) ** -0.5),
      w.fill("encoder.conv1.bias", [H], 0),
    ],
    { kernel_shape: [3], pads: [1, 1] },
  );
  const conv2 = s.one(
    "Conv",
    [
      gelu(s, conv1),
      w.normal("encoder.conv2.weight", [H, H, 3], (H * 3) ** -0.5),
      w.fill("encoder.conv2.bias", [H], 0),
    ],
    { kernel_shape: [3], pads: [1, 1], strides: [2] },
  );
  const positions = w.data("encoder.embed_positions.weight", [MAX_SOURCE_POSITIONS, H], () =>
    whisperSinusoids(MAX_SOURCE_POSITIONS, H),
  );
  let x = s.one("Add", [s.one("Transpose", [gelu(s, conv2)], { perm: [0, 2, 1] }), positions]);
  for (let l = 0; l < d.encoderLayers; l++) {
    const p = `encoder.layers.${l}`;
    const h = layerNorm(s, w, x, `${p}.self_attn_layer_norm`, H);
    const { q, k, v } = attentionProjections(s, w, h, `${p}.self_attn`, H, d.encoderHeads);
    x = s.one("Add", [
      x,
      linear(s, w, mergeHeads(s, attend(s, q, k, v), H), `${p}.self_attn.out_proj`, H, H, { bias: true, std }),
    ]);
    const f = layerNorm(s, w, x, `${p}.final_layer_norm`, H);
    x = s.one("Add", [
      x,
      linear(
        s,
        w,
        gelu(s, linear(s, w, f, `${p}.fc1`, H, d.encoderFfn, { bias: true, std })),
        `${p}.fc2`,
        d.encoderFfn,
        H,
        { bias: true, std: d.encoderFfn ** -0.5 },
      ),
    ]);
  }
  s.to("last_hidden_state", "Identity", [layerNorm(s, w, x, "encoder.layer_norm", H)]);
  return graphProto(
    "encoder_model",
    s,
    [valueInfo("input_features", "float32", ["batch_size", NUM_MEL_BINS, "feature_size"])],
    [valueInfo("last_hidden_state", "float32", ["batch_size", "encoder_sequence_length", H])],
    model.initializers,
  );
}
