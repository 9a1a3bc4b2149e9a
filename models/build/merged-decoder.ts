// What every merged decoder export shares (MusicGen's and Whisper's, from optimum): past/present K/V for the
// decoder (self) and encoder (cross) attention of each layer, the `use_cache_branch` flag, and one top-level If
// whose two branches produce every output.
import type { onnx } from "onnx-proto";
import { graphProto, ModelBuilder, Scope, valueInfo } from "./graph";

export interface DecoderIo {
  inputs: onnx.IValueInfoProto[];
  outputs: onnx.IValueInfoProto[];
}

/**
 * Appends past_key_values.{l}.{decoder,encoder}.{key,value} inputs, present.* outputs and `use_cache_branch`.
 * `presentDecoderLength` is the symbolic name the export gives the grown self-attention length.
 */
export function addKvIo(
  io: DecoderIo,
  layers: number,
  heads: number,
  headDim: number,
  presentDecoderLength: string,
): DecoderIo {
  for (let l = 0; l < layers; l++) {
    for (const [kind, past, present] of [
      ["decoder", "past_decoder_sequence_length", presentDecoderLength],
      ["encoder", "encoder_sequence_length_out", "encoder_sequence_length_out"],
    ]) {
      for (const kv of ["key", "value"]) {
        io.inputs.push(
          valueInfo(`past_key_values.${l}.${kind}.${kv}`, "float32", ["batch_size", heads, past, headDim]),
        );
        io.outputs.push(valueInfo(`present.${l}.${kind}.${kv}`, "float32", ["batch_size", heads, present, headDim]));
      }
    }
  }
  io.inputs.push(valueInfo("use_cache_branch", "bool", [1]));
  return io;
}

/** The top-level graph: If(use_cache_branch) then the cached branch, else the first-call branch. */
export function mergedDecoderGraph(
  model: ModelBuilder,
  io: DecoderIo,
  thenBranch: onnx.IGraphProto,
  elseBranch: onnx.IGraphProto,
): onnx.IGraphProto {
  const top = new Scope(model, "decoder");
  top.op(
    "If",
    ["use_cache_branch"],
    { then_branch: thenBranch, else_branch: elseBranch },
    io.outputs.map((o) => o.name!),
  );
  return graphProto("decoder_model_merged", top, io.inputs, io.outputs, model.initializers);
}
