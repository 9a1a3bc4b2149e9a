// Does onnxruntime-node copy input tensors? The flat decoder (docs/engine.md) relies on it not doing so: it passes
// the whole preallocated KV buffer every step. A one-Slice graph takes 50 positions out of buffers of growing
// capacity; a copied input would cost time in proportion to the buffer.   node dist/bench/input-zero-copy.js
import { onnx } from "onnx-proto";
import * as ort from "onnxruntime-node";
import { encodeModel, graphProto, ModelBuilder, Scope, valueInfo } from "../models/build/graph";

async function main(): Promise<void> {
  const model = new ModelBuilder();
  const s = new Scope(model, "g");
  s.to("y", "Slice", ["x", s.ints([0]), "past_length", s.ints([2])]);
  const graph: onnx.IGraphProto = graphProto(
    "slice",
    s,
    [valueInfo("x", "float32", [2, 16, "capacity", 64]), valueInfo("past_length", "int64", [1])],
    [valueInfo("y", "float32")],
    model.initializers,
  );
  const session = await ort.InferenceSession.create(Buffer.from(encodeModel(graph)), { intraOpNumThreads: 1 });
  for (const capacity of [64, 1536, 16384, 65536]) {
    const x = new ort.Tensor("float32", new Float32Array(2 * 16 * capacity * 64).fill(1), [2, 16, capacity, 64]);
    const feeds = { x, past_length: new ort.Tensor("int64", BigInt64Array.from([50n]), [1]) };
    const times: number[] = [];
    for (let r = 0; r < 30; r++) {
      const t0 = performance.now();
      await session.run(feeds);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(
      `input ${(x.data.byteLength / 2 ** 20).toFixed(0)} MiB, Slice of 50 positions: median ${times[15].toFixed(3)} ms`,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
