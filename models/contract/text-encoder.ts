// text_encoder: T5-style encoder. input_ids, attention_mask [batch, seq] -> last_hidden_state [batch, seq, d].
import { attr, GraphBuilder } from "./graph";
import { ContractDims } from "./dims";
import { attend, linear, mergeHeads, paddingMask, rmsNorm, splitHeads } from "./nn";
import { ones, WeightRng } from "./random";

export function buildTextEncoder(g: GraphBuilder, dims: ContractDims["text"], rng: WeightRng): void {
  const { vocab, dModel: d, dFf, heads, layers } = dims;
  const dh = d / heads;
  const ids = g.input("input_ids", "int64", ["batch_size", "encoder_sequence_length"]);
  const mask = g.input("attention_mask", "int64", ["batch_size", "encoder_sequence_length"]);
  const emb = g.weight("shared.weight", [vocab, d], rng.normal(vocab * d, 1));
  let x = g.o("Gather", [emb, ids], { axis: attr.i(0) });
  const addMask = paddingMask(g, mask);
  for (let l = 0; l < layers; l++) {
    const p = `encoder.block.${l}`;
    const n1 = rmsNorm(g, x, g.weight(`${p}.layer.0.layer_norm.weight`, [d], ones(d)));
    const w = (name: string, r: number, c: number) => g.weight(`${p}.${name}`, [r, c], rng.normal(r * c, 1 / Math.sqrt(r)));
    const q = splitHeads(g, linear(g, n1, w("layer.0.SelfAttention.q", d, d)), heads, dh);
    const k = splitHeads(g, linear(g, n1, w("layer.0.SelfAttention.k", d, d)), heads, dh);
    const v = splitHeads(g, linear(g, n1, w("layer.0.SelfAttention.v", d, d)), heads, dh);
    const att = mergeHeads(g, attend(g, q, k, v, addMask, 1), heads, dh); // T5 folds the scale into its weights
    x = g.o("Add", [x, linear(g, att, w("layer.0.SelfAttention.o", d, d))]);
    const n2 = rmsNorm(g, x, g.weight(`${p}.layer.1.layer_norm.weight`, [d], ones(d)));
    const h = g.o("Relu", [linear(g, n2, w("layer.1.DenseReluDense.wi", d, dFf))]);
    x = g.o("Add", [x, linear(g, h, w("layer.1.DenseReluDense.wo", dFf, d))]);
  }
  rmsNorm(g, x, g.weight("encoder.final_layer_norm.weight", [d], ones(d)));
  // rename the last node's output to the contract name
  g.nodes[g.nodes.length - 1].output = ["last_hidden_state"];
  g.output("last_hidden_state", "float32", ["batch_size", "encoder_sequence_length", d]);
}
