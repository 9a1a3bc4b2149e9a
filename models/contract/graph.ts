// A small graph-building layer over onnx-proto: named values, typed attributes, initializers (inline or in an
// external-data file), sub-graphs for `If`. Just enough to write MusicGen-shaped graphs from TypeScript.
import * as fs from "node:fs";
import { onnx } from "onnx-proto";

export const OPSET = 17;
export type Dim = number | string;
export type ElemType = "float32" | "int64" | "bool";

const ELEM: Record<ElemType, onnx.TensorProto.DataType> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
};

export type AttrValue = { f: number } | { i: number } | { ints: number[] } | { floats: number[] } | { g: onnx.IGraphProto } | { t: onnx.ITensorProto };

/** Explicitly typed attributes: a whole-number float such as epsilon=1 must not be written as an int. */
export const attr = {
  f: (f: number): AttrValue => ({ f }),
  i: (i: number): AttrValue => ({ i }),
  ints: (ints: number[]): AttrValue => ({ ints }),
  floats: (floats: number[]): AttrValue => ({ floats }),
  g: (g: onnx.IGraphProto): AttrValue => ({ g }),
  t: (t: onnx.ITensorProto): AttrValue => ({ t }),
};

function attribute(name: string, v: AttrValue): onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if ("f" in v) return { name, type: T.FLOAT, f: v.f };
  if ("i" in v) return { name, type: T.INT, i: v.i };
  if ("ints" in v) return { name, type: T.INTS, ints: v.ints };
  if ("floats" in v) return { name, type: T.FLOATS, floats: v.floats };
  if ("g" in v) return { name, type: T.GRAPH, g: v.g };
  return { name, type: T.TENSOR, t: v.t };
}

export function valueInfo(name: string, type: ElemType, shape: Dim[]): onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: ELEM[type], shape: { dim: shape.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) } } },
  };
}

/** Writes large initializers into one external-data file as they are made, so no giant protobuf is ever built. */
export class ExternalData {
  private fd: number;
  private offset = 0;
  constructor(readonly file: string, readonly location: string, readonly threshold = 1024) {
    this.fd = fs.openSync(file, "w");
  }
  write(name: string, dims: number[], data: Float32Array): onnx.ITensorProto {
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    fs.writeSync(this.fd, bytes);
    const t: onnx.ITensorProto = {
      name,
      dims,
      dataType: onnx.TensorProto.DataType.FLOAT,
      dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
      externalData: [
        { key: "location", value: this.location },
        { key: "offset", value: String(this.offset) },
        { key: "length", value: String(bytes.length) },
      ],
    };
    this.offset += bytes.length;
    return t;
  }
  close(): void {
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
  }
}

export function tensor(name: string, type: ElemType, dims: number[], values: ArrayLike<number> | ArrayLike<bigint>): onnx.ITensorProto {
  let raw: Uint8Array;
  if (type === "float32") raw = new Uint8Array(Float32Array.from(values as ArrayLike<number>).buffer);
  else if (type === "int64") raw = new Uint8Array(BigInt64Array.from(Array.from(values as ArrayLike<number | bigint>, (v) => BigInt(v))).buffer);
  else raw = Uint8Array.from(values as ArrayLike<number>);
  return { name, dims, dataType: ELEM[type], rawData: raw };
}

/** A graph (or an `If` branch) under construction. */
export class GraphBuilder {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  readonly inputs: onnx.IValueInfoProto[] = [];
  readonly outputs: onnx.IValueInfoProto[] = [];
  private counter = 0;

  constructor(readonly name: string, private readonly external?: ExternalData, private readonly prefix = "") {}

  /** A fresh value name. */
  fresh(hint = "v"): string {
    return `${this.prefix}${hint}_${this.counter++}`;
  }

  input(name: string, type: ElemType, shape: Dim[]): string {
    this.inputs.push(valueInfo(name, type, shape));
    return name;
  }

  output(name: string, type: ElemType, shape: Dim[]): void {
    this.outputs.push(valueInfo(name, type, shape));
  }

  /** Adds a node; returns its output names (one fresh name per output unless given). */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, outputs: number | string[] = 1, domain = ""): string[] {
    const outs = typeof outputs === "number" ? Array.from({ length: outputs }, () => this.fresh(opType.toLowerCase())) : outputs;
    this.nodes.push({ opType, domain, input: inputs, output: outs, name: this.fresh(`n_${opType}`), attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)) });
    return outs;
  }

  /** One-output node. */
  o(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, output?: string): string {
    return this.op(opType, inputs, attrs, output ? [output] : 1)[0];
  }

  /** A weight: inline when small, external-data when large and a file is attached. */
  weight(name: string, dims: number[], data: Float32Array): string {
    const t = this.external && data.length * 4 >= this.external.threshold ? this.external.write(name, dims, data) : tensor(name, "float32", dims, data);
    this.initializers.push({ ...t, name });
    return name;
  }

  const(type: ElemType, dims: number[], values: ArrayLike<number> | ArrayLike<bigint>, hint = "c"): string {
    const name = this.fresh(hint);
    this.initializers.push(tensor(name, type, dims, values));
    return name;
  }

  /** int64 vector constant, for shapes and axes. */
  ints(values: number[]): string {
    return this.const("int64", [values.length], values, "i64");
  }

  /** float scalar constant. */
  scalar(v: number): string {
    return this.const("float32", [], [v], "f");
  }

  toGraph(): onnx.IGraphProto {
    return { name: this.name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs };
  }
}

export function saveModel(file: string, graph: onnx.IGraphProto, extraOpsets: { domain: string; version: number }[] = []): void {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: "cuesmith-contract-model",
    opsetImport: [{ domain: "", version: OPSET }, ...extraOpsets],
    graph,
  });
  fs.writeFileSync(file, onnx.ModelProto.encode(model).finish());
}
