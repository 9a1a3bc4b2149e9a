// A tiny graph-building DSL over onnx-proto: initializers (inline or streamed to an external data file),
// nodes with explicitly typed attributes, value infos, and model serialization.
import * as fs from "node:fs";
import { onnx } from "onnx-proto";

export type DType = "float32" | "int64" | "int32" | "bool" | "int8" | "uint8";
export type TypedData = Float32Array | BigInt64Array | Int32Array | Int8Array | Uint8Array;
/** A fixed size or a symbolic dimension name. */
export type Dim = number | string;

const ELEM_TYPE: Record<DType, number> = { float32: 1, uint8: 2, int8: 3, int32: 6, int64: 7, bool: 9 };

/** A FLOAT attribute. Plain JS numbers are INT attributes: a whole-number float (Elu alpha 1.0) must be wrapped. */
export class FloatAttr {
  constructor(readonly value: number) {}
}
export class FloatsAttr {
  constructor(readonly values: number[]) {}
}
export const float = (v: number) => new FloatAttr(v);
export const floats = (v: number[]) => new FloatsAttr(v);

export type AttrValue = number | number[] | string | FloatAttr | FloatsAttr | onnx.IGraphProto;
export type Attrs = Record<string, AttrValue>;

const AT = onnx.AttributeProto.AttributeType;

function attribute(name: string, v: AttrValue): onnx.IAttributeProto {
  if (v instanceof FloatAttr) return { name, type: AT.FLOAT, f: v.value };
  if (v instanceof FloatsAttr) return { name, type: AT.FLOATS, floats: v.values };
  if (typeof v === "number") {
    if (!Number.isInteger(v)) throw new Error(`attribute ${name}=${v}: wrap floats in float()`);
    return { name, type: AT.INT, i: v };
  }
  if (Array.isArray(v)) {
    if (!v.every(Number.isInteger)) throw new Error(`attribute ${name}: wrap float lists in floats()`);
    return { name, type: AT.INTS, ints: v };
  }
  if (typeof v === "string") return { name, type: AT.STRING, s: Buffer.from(v, "utf8") };
  return { name, type: AT.GRAPH, g: v };
}

function bytesOf(data: TypedData): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Streams large initializers into one `<model>.onnx_data` file next to the model, as the published export
 * does, so a 1.7 GB decoder never exists as one protobuf in memory (protobuf also caps messages at 2 GB).
 */
export class ExternalDataWriter {
  private fd: number;
  private offset = 0;

  /** @param filePath where to write; @param location the name recorded in the model (relative to it). */
  constructor(
    filePath: string,
    readonly location: string,
  ) {
    this.fd = fs.openSync(filePath, "w");
  }

  write(bytes: Uint8Array): { offset: number; length: number } {
    // 4 KiB alignment lets onnxruntime memory-map the tensors.
    const pad = (4096 - (this.offset % 4096)) % 4096;
    if (pad) fs.writeSync(this.fd, new Uint8Array(pad));
    const offset = this.offset + pad;
    let done = 0;
    while (done < bytes.length) done += fs.writeSync(this.fd, bytes, done, bytes.length - done);
    this.offset = offset + bytes.length;
    return { offset, length: bytes.length };
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

/** Holds a model's initializers and hands out unique value names; nodes live in Scopes. */
export class ModelBuilder {
  readonly initializers: onnx.ITensorProto[] = [];
  private readonly used = new Set<string>();
  private readonly constants = new Map<string, string>();
  private counter = 0;

  /** Initializers of at least `externalMinBytes` go to `external` when one is given. */
  constructor(
    readonly external?: ExternalDataWriter,
    readonly externalMinBytes = 4096,
  ) {}

  unique(base: string): string {
    let name = base;
    while (this.used.has(name)) name = `${base}_${++this.counter}`;
    this.used.add(name);
    return name;
  }

  /** Registers a named weight and returns its name. */
  weight(name: string, dtype: DType, dims: number[], data: TypedData): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (data.length !== count) throw new Error(`${name}: ${data.length} values for dims [${dims}]`);
    name = this.unique(name);
    const base = { name, dims, dataType: ELEM_TYPE[dtype] };
    if (this.external && data.byteLength >= this.externalMinBytes) {
      const { offset, length } = this.external.write(bytesOf(data));
      this.initializers.push({
        ...base,
        dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
        externalData: [
          { key: "location", value: this.external.location },
          { key: "offset", value: String(offset) },
          { key: "length", value: String(length) },
        ],
      });
    } else {
      // copy: callers may reuse their buffers
      this.initializers.push({ ...base, rawData: new Uint8Array(bytesOf(data)) });
    }
    return name;
  }

  /** A small constant initializer, shared by every use of the same value. */
  constant(dtype: DType, dims: number[], values: number[]): string {
    const key = `${dtype}|${dims}|${values}`;
    const hit = this.constants.get(key);
    if (hit) return hit;
    const data =
      dtype === "int64"
        ? BigInt64Array.from(values, (v) => BigInt(v))
        : dtype === "float32"
          ? Float32Array.from(values)
          : dtype === "int32"
            ? Int32Array.from(values)
            : dtype === "int8"
              ? Int8Array.from(values)
              : Uint8Array.from(values);
    const name = this.weight(`const_${dtype}_${this.constants.size}`, dtype, dims, data);
    this.constants.set(key, name);
    return name;
  }
}

/** One graph body (the main graph or an If branch): a node list sharing the model's initializers. */
export class Scope {
  readonly nodes: onnx.INodeProto[] = [];
  private n = 0;

  constructor(
    readonly model: ModelBuilder,
    readonly prefix: string,
  ) {}

  /** Adds a node; returns its output names (`outputs` gives their number or exact names). */
  op(type: string, inputs: string[], attrs: Attrs = {}, outputs: number | string[] = 1, domain?: string): string[] {
    const id = `${this.prefix}/${type}_${this.n++}`;
    const outs =
      typeof outputs === "number"
        ? Array.from({ length: outputs }, (_, i) => this.model.unique(outputs === 1 ? id : `${id}:${i}`))
        : outputs.map((o) => this.model.unique(o));
    this.nodes.push({
      name: id,
      opType: type,
      input: inputs,
      output: outs,
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
      ...(domain ? { domain } : {}),
    });
    return outs;
  }

  /** Single-output node. */
  one(type: string, inputs: string[], attrs: Attrs = {}, domain?: string): string {
    return this.op(type, inputs, attrs, 1, domain)[0];
  }

  /** Node writing to a fixed output name (graph outputs). */
  to(name: string, type: string, inputs: string[], attrs: Attrs = {}): string {
    const out = this.op(type, inputs, attrs, [name])[0];
    if (out !== name) throw new Error(`value name ${name} is already taken`);
    return out;
  }

  ints(values: number[]): string {
    return this.model.constant("int64", [values.length], values);
  }

  int(value: number): string {
    return this.model.constant("int64", [], [value]);
  }

  scalar(value: number): string {
    return this.model.constant("float32", [], [value]);
  }
}

export function valueInfo(name: string, dtype: DType, dims?: Dim[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: ELEM_TYPE[dtype],
        ...(dims
          ? { shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) } }
          : {}),
      },
    },
  };
}

export function graphProto(
  name: string,
  scope: Scope,
  inputs: onnx.IValueInfoProto[],
  outputs: onnx.IValueInfoProto[],
  initializers: onnx.ITensorProto[] = [],
): onnx.IGraphProto {
  return { name, node: scope.nodes, input: inputs, output: outputs, initializer: initializers };
}

export interface ModelOptions {
  /** Needs the com.microsoft domain (quantized ops). */
  microsoft?: boolean;
  docString?: string;
}

export function encodeModel(graph: onnx.IGraphProto, opts: ModelOptions = {}): Uint8Array {
  const model: onnx.IModelProto = {
    irVersion: 8,
    producerName: "cuesmith-build",
    producerVersion: "1",
    opsetImport: [{ domain: "", version: 17 }, ...(opts.microsoft ? [{ domain: "com.microsoft", version: 1 }] : [])],
    graph,
    ...(opts.docString ? { docString: opts.docString } : {}),
  };
  const err = onnx.ModelProto.verify(model);
  if (err) throw new Error(`invalid ModelProto: ${err}`);
  return onnx.ModelProto.encode(model).finish();
}
