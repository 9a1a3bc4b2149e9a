// The decoder's self-attention cache kept on the device (webgpu provider). Each step's `present.*.decoder.*`
// outputs are GPU tensors (session.ts asks for them there) and are fed back unchanged as the next step's
// `past_key_values.*.decoder.*`; the previous step's tensors are disposed once replaced. The encoder K/V of the
// window's first call stay on the device for the whole window (decode-window.ts feeds them back); later calls
// return them empty, and those are disposed at once. Nothing here reads a tensor back to the host.
import * as ort from "onnxruntime-node";
import type { CacheShape, KvCache } from "../kv-cache";

type Outputs = ort.InferenceSession.OnnxValueMapType;

const KINDS = ["key", "value"] as const;

export class DeviceKvCache implements KvCache {
  /** The latest decoder presents, fed as the next past. */
  private last?: Outputs;
  /** The first call's outputs: their encoder presents serve the whole window. */
  private first?: Outputs;

  constructor(private readonly s: CacheShape) {}

  feed(feeds: Record<string, ort.Tensor>, past: number): void {
    const { batch, heads, headDim } = this.s;
    for (let l = 0; l < this.s.layers; l++) {
      for (const kv of KINDS) {
        feeds[`past_key_values.${l}.decoder.${kv}`] =
          past === 0 || !this.last
            ? new ort.Tensor("float32", new Float32Array(0), [batch, heads, 0, headDim])
            : (this.last[`present.${l}.decoder.${kv}`] as ort.Tensor);
      }
    }
  }

  update(out: Outputs, past: number): void {
    for (let l = 0; l < this.s.layers; l++) {
      for (const kv of KINDS) {
        if (this.last) dispose(this.last[`present.${l}.decoder.${kv}`]);
        if (past > 0) dispose(out[`present.${l}.encoder.${kv}`]);
      }
    }
    if (past === 0) this.first = out;
    this.last = out;
  }

  release(): void {
    for (let l = 0; l < this.s.layers; l++) {
      for (const kv of KINDS) {
        if (this.last) dispose(this.last[`present.${l}.decoder.${kv}`]);
        if (this.first) dispose(this.first[`present.${l}.encoder.${kv}`]);
      }
    }
    this.last = this.first = undefined;
  }
}

/** Frees a device tensor's buffer (CPU tensors have nothing to free). */
function dispose(value: ort.OnnxValue | undefined): void {
  if (value && value.location === "gpu-buffer") value.dispose();
}
