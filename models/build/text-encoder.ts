// T5-style text encoder: token embedding, N × (RMS norm, masked self-attention, RMS norm, ReLU FFN) with
// residuals, final RMS norm. No relative position bias (optional for the contract; noted in the report).
import { graphProto, ModelBuilder, Scope, valueInfo } from "./graph";
import type { TextDims } from "./dims";
import { attend, linear, mergeHeads, paddingBias, rmsNorm, splitHeads, Weights } from "./nn";
import type { onnx } from "onnx-proto";

export function buildTextEncoder(model: ModelBuilder, w: Weights, d: TextDims): onnx.IGraphProto {
  const s = new Scope(model, "text_encoder");
  const headDim = d.dModel / d.heads;
  // T5's own init (factor 1): it has no 1/sqrt(d) in attention, the query weights carry it.
  const std = {
    embed: 1,
    q: (d.dModel * headDim) ** -0.5,
    kv: d.dModel ** -0.5,
    o: (d.heads * headDim) ** -0.5,
    wi: d.dModel ** -0.5,
    wo: d.dFf ** -0.5,
  };

  let x = s.one("Gather", [w.normal("shared.weight", [d.vocab, d.dModel], std.embed), "input_ids"]);
  const bias = paddingBias(s, "attention_mask");
  for (let l = 0; l < d.layers; l++) {
    const p = `encoder.block.${l}`;
    const h = rmsNorm(s, w, x, `${p}.layer.0.layer_norm`, d.dModel);
    const proj = (n: string, sd: number) =>
      splitHeads(
        s,
        linear(s, w, h, `${p}.layer.0.SelfAttention.${n}`, d.dModel, d.dModel, { std: sd }),
        d.heads,
        headDim,
      );
    const ctx = attend(s, proj("q", std.q), proj("k", std.kv), proj("v", std.kv), bias);
    x = s.one("Add", [
      x,
      linear(s, w, mergeHeads(s, ctx, d.dModel), `${p}.layer.0.SelfAttention.o`, d.dModel, d.dModel, { std: std.o }),
    ]);
    const f = rmsNorm(s, w, x, `${p}.layer.1.layer_norm`, d.dModel);
    const inner = s.one("Relu", [linear(s, w, f, `${p}.layer.1.DenseReluDense.wi`, d.dModel, d.dFf, { std: std.wi })]);
    x = s.one("Add", [x, linear(s, w, inner, `${p}.layer.1.DenseReluDense.wo`, d.dFf, d.dModel, { std: std.wo })]);
  }
  const out = rmsNorm(s, w, x, "encoder.final_layer_norm", d.dModel);
  s.to("last_hidden_state", "Identity", [out]);

  const dims = ["batch_size", "encoder_sequence_length"];
  return graphProto(
    "text_encoder",
    s,
    [valueInfo("input_ids", "int64", dims), valueInfo("attention_mask", "int64", dims)],
    [valueInfo("last_hidden_state", "float32", [...dims, d.dModel])],
    model.initializers,
  );
}
