// int8 decoder from the fp32 one, for installs that only have fp32: dynamic quantisation of the
// MatMul weights, as onnxruntime's quantize_dynamic does. Every MatMul whose second input is a 2-D fp32
// initializer becomes com.microsoft DynamicQuantizeMatMul (activations quantized per call) with symmetric int8
// weights (7-bit range by default, see QuantizeOptions), one scale per output column, zero points 0. Everything else is kept as it is. The result is
// self-contained: its initializers go to its own `<file>_data`, so it does not depend on the fp32 file.
import * as fs from "node:fs";
import * as path from "node:path";
import { onnx } from "onnx-proto";
import { ExternalDataWriter } from "../build/graph";
import { allGraphs, writeModel } from "./onnx-file";

const { abs, max, min, round } = Math; // bound once: hot loops
const FLOAT = 1;
const INT8 = 3;
const EXTERNAL = onnx.TensorProto.DataLocation.EXTERNAL;
const MS_DOMAIN = "com.microsoft";

/** Largest weight magnitude with `reduceRange` (7-bit). */
export const REDUCED_RANGE = 63;

export interface QuantizedColumns {
  weights: Int8Array;
  scales: Float32Array;
}

/** Symmetric int8 per column of a row-major [rows, cols] matrix: q = round(w / s), s = max|w[:, j]| / qMax. */
export function quantizeColumns(w: Float32Array, rows: number, cols: number, qMax = 127): QuantizedColumns {
  const scales = new Float32Array(cols);
  for (let i = 0; i < rows * cols; i++) scales[i % cols] = max(scales[i % cols], abs(w[i]));
  for (let j = 0; j < cols; j++) scales[j] = scales[j] / qMax || 1;
  const weights = new Int8Array(rows * cols);
  for (let i = 0; i < rows * cols; i++) weights[i] = max(-qMax, min(qMax, round(w[i] / scales[i % cols])));
  return { weights, scales };
}

/** An initializer's bytes: inline raw_data, float_data, or its external data file (relative to `dir`). */
function tensorBytes(t: onnx.ITensorProto, dir: string): Uint8Array {
  if (t.dataLocation === EXTERNAL) {
    const get = (k: string) => t.externalData?.find((e) => e.key === k)?.value;
    const file = path.join(dir, get("location") ?? "");
    const offset = Number(get("offset") ?? 0);
    const length = get("length") !== undefined ? Number(get("length")) : fs.statSync(file).size - offset;
    const out = new Uint8Array(length);
    const fd = fs.openSync(file, "r");
    try {
      for (let done = 0; done < length;) done += fs.readSync(fd, out, done, length - done, offset + done);
    } finally {
      fs.closeSync(fd);
    }
    return out;
  }
  if (t.rawData && t.rawData.length) return t.rawData;
  if (t.dataType === FLOAT && t.floatData?.length) return new Uint8Array(Float32Array.from(t.floatData).buffer);
  return new Uint8Array(0);
}

export interface QuantizeOptions {
  /**
   * 7-bit weights (±63) instead of 8-bit (±127). Default true: onnxruntime's u8·s8 kernels on AVX2 CPUs without
   * VNNI sum pairs of products in int16 and saturate with full-range weights (255·127·2 > 32767); this is
   * onnxruntime's own `reduce_range` advice. Measured on the tiny contract model: see docs/engine.md.
   */
  reduceRange?: boolean;
}

/** Reads an fp32 decoder (`src`), writes its int8 dynamic-quantized twin (`dst`, same folder). */
export function quantizeDecoderFile(src: string, dst: string, opts: QuantizeOptions = {}): { quantized: number } {
  const qMax = opts.reduceRange === false ? 127 : REDUCED_RANGE;
  const dir = path.dirname(src);
  if (path.resolve(path.dirname(dst)) !== path.resolve(dir))
    throw new Error("the quantized decoder must sit next to its source");
  const model = onnx.ModelProto.decode(fs.readFileSync(src));
  if (!model.graph) throw new Error(`${path.basename(src)} has no graph`);
  const graphs = allGraphs(model.graph);
  const inits = new Map<string, onnx.ITensorProto>();
  for (const g of graphs) for (const t of g.initializer ?? []) inits.set(t.name ?? "", t);

  const done = new Map<string, { w: string; scale: string; zeroPoint: string }>();
  const added: onnx.ITensorProto[] = [];
  let quantized = 0;
  for (const g of graphs) {
    for (const node of g.node ?? []) {
      if (node.opType !== "MatMul" || (node.domain ?? "") !== "") continue;
      const name = node.input?.[1] ?? "";
      const t = inits.get(name);
      if (!t || t.dataType !== FLOAT || t.dims?.length !== 2) continue;
      let q = done.get(name);
      if (!q) {
        const [rows, cols] = t.dims.map(Number);
        const bytes = tensorBytes(t, dir);
        const w = new Float32Array(new Uint8Array(bytes).buffer); // an aligned copy: offsets in the file need not be 4-byte aligned
        if (w.length !== rows * cols) throw new Error(`${name}: ${w.length} values for [${rows}, ${cols}]`);
        const { weights, scales } = quantizeColumns(w, rows, cols, qMax);
        q = { w: `${name}_quantized`, scale: `${name}_scale`, zeroPoint: `${name}_zero_point` };
        added.push(
          { name: q.w, dims: [rows, cols], dataType: INT8, rawData: new Uint8Array(weights.buffer) },
          { name: q.scale, dims: [cols], dataType: FLOAT, rawData: new Uint8Array(scales.buffer) },
          { name: q.zeroPoint, dims: [cols], dataType: INT8, rawData: new Uint8Array(cols) },
        );
        done.set(name, q);
      }
      node.opType = "DynamicQuantizeMatMul";
      node.domain = MS_DOMAIN;
      node.input = [node.input![0], q.w, q.scale, q.zeroPoint];
      quantized++;
    }
  }
  if (quantized === 0) throw new Error(`${path.basename(src)} has no MatMul with a constant 2-D weight`);

  // drop fp32 weights nothing reads any more
  const used = new Set<string>();
  for (const g of graphs) for (const n of g.node ?? []) for (const v of n.input ?? []) used.add(v);
  for (const g of graphs) g.initializer = (g.initializer ?? []).filter((t) => used.has(t.name ?? ""));
  model.graph.initializer = [...(model.graph.initializer ?? []), ...added];

  // everything large (kept fp32 tensors included) into our own data file
  const dataName = `${path.basename(dst)}_data`;
  const tmpData = path.join(dir, `${dataName}.tmp-${process.pid}`);
  const writer = new ExternalDataWriter(tmpData, dataName);
  try {
    for (const g of graphs) {
      for (const t of g.initializer ?? []) {
        const bytes = tensorBytes(t, dir);
        if (bytes.length < 1024) {
          if (t.dataLocation === EXTERNAL) Object.assign(t, { dataLocation: 0, externalData: [], rawData: bytes });
          continue;
        }
        const { offset, length } = writer.write(bytes);
        t.rawData = new Uint8Array(0);
        t.floatData = [];
        t.dataLocation = EXTERNAL;
        t.externalData = [
          { key: "location", value: dataName },
          { key: "offset", value: String(offset) },
          { key: "length", value: String(length) },
        ] as onnx.StringStringEntryProto[];
      }
    }
  } finally {
    writer.close();
  }
  if (!(model.opsetImport ?? []).some((o) => o.domain === MS_DOMAIN))
    model.opsetImport = [...(model.opsetImport ?? []), { domain: MS_DOMAIN, version: 1 }];
  model.producerName = "cuesmith-transform";
  model.docString = `${model.docString ? `${model.docString}\n` : ""}int8 (DynamicQuantizeMatMul, per-column) from ${path.basename(src)} by cuesmith`;
  try {
    fs.renameSync(tmpData, path.join(dir, dataName));
    writeModel(dst, model);
  } catch (err) {
    fs.rmSync(tmpData, { force: true });
    throw err;
  }
  return { quantized };
}
