// Rewrites a published merged MusicGen decoder into the "flat" decoder the engine prefers (issue #6).
// The published graph returns every layer's whole self-attention cache (present.*.decoder.*) on every step;
// onnxruntime-node copies each output into JS, so a step's cost grew with the clip. The flat graph returns
// only what is new — logits, each layer's new K/V slice (`new.{i}.decoder.{key,value}`) and, on the first call,
// the encoder presents — and reads its past from a buffer the engine grows in place (inputs are wrapped, not
// copied). All weights and other nodes are kept; the Concats that build the presents are found by following
// the graph. Three layouts of the past (measured in bench/RESULTS.md; "in-place" is the default):
//   "capacity":   past_key_values.{i}.decoder.* [B, H, capacity, D] + int64 `past_length` [1]; one Slice
//                 inside the graph takes the first past_length positions. One tensor object per step, reused.
//   "time-major": past_key_values.{i}.decoder.* [past, B, H, D]; a prefix of the engine's buffer is
//                 contiguous, so it is passed as a view; one Transpose inside the graph restores [B, H, past, D].
//   "in-place":   the inputs of "capacity", but the cached branch's self-attention reads the buffers where they
//                 are: scores = [q·Kbufᵀ (first past_length columns), q·k_newᵀ], out = pad(p_past)·Vbuf + p_new·v_new.
//                 No copy of the past at all (the Slice and the Concat go); each step reads the whole capacity.
//                 Needs the attention pattern MatMul(q, Transpose(K)) … MatMul(probs, V) on the Concats; a graph
//                 without it is rejected (writeFlatDecoder then falls back to "capacity").
import { onnx } from "onnx-proto";

export type FlatLayout = "capacity" | "time-major" | "in-place";
export const FLAT_LAYOUT_KEY = "cuesmith.flat_layout";
export const PAST_LENGTH = "past_length";
export const newSliceName = (layer: number, kind: "key" | "value") => `new.${layer}.decoder.${kind}`;

const PAST = /^past_key_values\.(\d+)\.decoder\.(key|value)$/;
const PRESENT = /^present\.(\d+)\.decoder\.(key|value)$/;
const AT = onnx.AttributeProto.AttributeType;
const PREFIX = "cuesmith_flat/";

type Dim = onnx.TensorShapeProto.IDimension;

/** Rewrites `model` (mutated and returned). Throws when the graph is not a merged decoder this understands. */
export function flattenDecoder(model: onnx.IModelProto, layout: FlatLayout): onnx.IModelProto {
  const g = model.graph;
  if (!g?.node || !g.input || !g.output) throw new Error("model has no graph");
  const pastInputs = g.input.filter((i) => PAST.test(i.name ?? ""));
  const presentIdx = g.output.flatMap((o, j) => (PRESENT.test(o.name ?? "") ? [j] : []));
  if (pastInputs.length === 0 || presentIdx.length !== pastInputs.length) {
    throw new Error(
      `not a merged decoder: ${pastInputs.length} past decoder inputs, ${presentIdx.length} present decoder outputs`,
    );
  }
  const ifNode = g.node.find((n) => n.opType === "If" && (n.output ?? []).some((o) => PRESENT.test(o)));
  if (!ifNode) throw new Error("no If node produces the present.*.decoder.* outputs");
  const branches = (ifNode.attribute ?? [])
    .filter((a) => a.name === "then_branch" || a.name === "else_branch")
    .map((a) => a.g!);
  if (branches.length !== 2) throw new Error("the If node lacks a branch");

  // 1. Adapters at the top: every past input is turned back into the [B, H, past, D] tensor the graph expects,
  //    and every use of the input, in the top graph and inside the branches, is renamed to the adapter's output.
  const adapters: onnx.INodeProto[] = [];
  const adapted = new Map<string, string>();
  const constants: onnx.ITensorProto[] = [];
  const capacityInputs = layout !== "time-major";
  if (capacityInputs) {
    constants.push(int64Tensor(`${PREFIX}zero`, [0]), int64Tensor(`${PREFIX}axis2`, [2]));
    if (layout === "in-place") {
      constants.push(
        int64Tensor(`${PREFIX}axis3`, [3]),
        int64Tensor(`${PREFIX}end`, [Number.MAX_SAFE_INTEGER]),
        int64Tensor(`${PREFIX}two`, [2]),
        int64Tensor(`${PREFIX}pads_head`, [0, 0, 0, 0, 0, 0, 0]),
      );
    }
    g.input.push(valueInfo(PAST_LENGTH, 7, [{ dimValue: 1 }]));
  }
  for (const input of pastInputs) {
    const name = input.name!;
    const out = `${PREFIX}${name}`;
    adapted.set(name, out);
    const dims = input.type?.tensorType?.shape?.dim ?? [];
    if (dims.length !== 4) throw new Error(`${name} is not 4-D`);
    if (capacityInputs) {
      adapters.push({
        name: `${PREFIX}slice_${name}`,
        opType: "Slice",
        input: [name, `${PREFIX}zero`, PAST_LENGTH, `${PREFIX}axis2`],
        output: [out],
      });
      input.type!.tensorType!.shape!.dim = [dims[0], dims[1], { dimParam: "past_capacity" }, dims[3]];
    } else {
      adapters.push({
        name: `${PREFIX}transpose_${name}`,
        opType: "Transpose",
        input: [name],
        output: [out],
        attribute: [ints("perm", [1, 2, 0, 3])],
      });
      input.type!.tensorType!.shape!.dim = [dims[2], dims[0], dims[1], dims[3]];
    }
  }
  renameUses(g, adapted);
  g.node.splice(g.node.indexOf(ifNode), 0, ...adapters);
  g.initializer = [...(g.initializer ?? []), ...constants];

  // 2. In each branch, the present output becomes the new slice: the Concat's other input (cached branch),
  //    or the present itself where the branch has no past (first call).
  const pastValues = new Set(adapted.values());
  const inputOf = new Map([...adapted].map(([input, out]) => [out, input]));
  const concats: {
    branch: onnx.IGraphProto;
    concat: onnx.INodeProto;
    past: string;
    fresh: string;
    kind: "key" | "value";
  }[] = [];
  for (const branch of branches) {
    const producer = new Map<string, onnx.INodeProto>();
    for (const n of branch.node ?? []) for (const o of n.output ?? []) producer.set(o, n);
    const through = (v: string): string => {
      let n = producer.get(v);
      while (n?.opType === "Identity") {
        v = n.input![0];
        n = producer.get(v);
      }
      return v;
    };
    for (const j of presentIdx) {
      const present = branch.output![j].name!;
      const source = producer.get(through(present));
      let slice = present;
      if (source?.opType === "Concat") {
        const axis = Number((source.attribute ?? []).find((a) => a.name === "axis")?.i ?? 0);
        const ins = source.input ?? [];
        const pastAt = ins.findIndex((v) => pastValues.has(through(v)));
        if (ins.length !== 2 || pastAt < 0 || (axis !== 2 && axis !== -2)) {
          throw new Error(`${ifNode.output![j]}: its Concat (${source.name}) is not concat(past, new) on axis 2`);
        }
        slice = ins[1 - pastAt];
        concats.push({
          branch,
          concat: source,
          past: inputOf.get(through(ins[pastAt]))!,
          fresh: slice,
          kind: PRESENT.exec(ifNode.output![j])![2] as "key" | "value",
        });
      } else if ((source?.input ?? []).some((v) => pastValues.has(through(v)))) {
        throw new Error(`${ifNode.output![j]} reads the past but is not built by a Concat`);
      }
      if (layout === "time-major") {
        const tm = `${PREFIX}${branch.name ?? "branch"}/${ifNode.output![j]}`;
        branch.node!.push({
          name: tm,
          opType: "Transpose",
          input: [slice],
          output: [tm],
          attribute: [ints("perm", [2, 0, 1, 3])],
        });
        slice = tm;
      }
      branch.output![j] = valueInfo(slice, 1);
    }
  }

  if (layout === "in-place") {
    for (const c of concats) attendInPlace(c.branch, c.concat, c.past, c.fresh, c.kind);
    pruneDead(g);
    if (!(model.opsetImport ?? []).some((o) => o.domain === MS_DOMAIN))
      model.opsetImport = [...(model.opsetImport ?? []), { domain: MS_DOMAIN, version: 1 }];
  }

  // 3. The If and the graph output the new slices under new names.
  for (const j of presentIdx) {
    const [, layer, kind] = PRESENT.exec(ifNode.output![j])!;
    const name = newSliceName(Number(layer), kind as "key" | "value");
    const dims = g.output[j].type?.tensorType?.shape?.dim ?? [];
    const seq: Dim = { dimParam: "decoder_sequence_length" };
    const shape =
      dims.length === 4
        ? capacityInputs
          ? [dims[0], dims[1], seq, dims[3]]
          : [seq, dims[0], dims[1], dims[3]]
        : undefined;
    ifNode.output![j] = name;
    g.output[j] = valueInfo(name, 1, shape);
  }
  // stale shape annotations of renamed values would only mislead shape inference
  const renamed = new Set([...pastInputs.map((i) => i.name!), ...presentIdx.map((j) => g.output![j].name!)]);
  g.valueInfo = (g.valueInfo ?? []).filter((v) => !renamed.has(v.name ?? "") && !PRESENT.test(v.name ?? ""));
  model.metadataProps = [
    ...(model.metadataProps ?? []).filter((p) => p.key !== FLAT_LAYOUT_KEY),
    { key: FLAT_LAYOUT_KEY, value: layout },
  ];
  return model;
}

const MS_DOMAIN = "com.microsoft";

/**
 * Replaces the attention on concat(past, new) by attention on the buffer (`past`, a graph input of capacity
 * positions) and the new slice, so the past is never copied. key: the scores MatMul(q, Transpose(K)) becomes
 * concat(slice(q·bufᵀ, past_length), q·newᵀ); value: MatMul(P, V) becomes pad(P_past)·buf + P_new·new.
 */
function attendInPlace(
  branch: onnx.IGraphProto,
  concat: onnx.INodeProto,
  past: string,
  fresh: string,
  kind: "key" | "value",
): void {
  const nodes = branch.node!;
  const consumers = (v: string) => nodes.filter((n) => (n.input ?? []).includes(v));
  const out = concat.output![0];
  const users = consumers(out);
  const fail = (why: string) => new Error(`in-place attention: ${concat.name ?? out}: ${why}`);
  if ((branch.output ?? []).some((o) => o.name === out)) throw fail("the concatenated cache is still a branch output");
  const fused = (name: string, a: string, b: string): onnx.INodeProto => ({
    name,
    opType: "FusedMatMul",
    domain: MS_DOMAIN,
    input: [a, b],
    output: [name],
    attribute: [{ name: "transB", type: AT.INT, i: 1 }],
  });
  const at = (n: onnx.INodeProto) => nodes.indexOf(n);
  const p = `${PREFIX}${out}`;
  if (kind === "key") {
    const t = users[0];
    const perm = (t?.attribute ?? []).find((a) => a.name === "perm")?.ints?.map(Number);
    if (users.length !== 1 || t.opType !== "Transpose" || String(perm) !== "0,1,3,2")
      throw fail("K is not used by one Transpose(0,1,3,2)");
    const mm = consumers(t.output![0]);
    if (mm.length !== 1 || mm[0].opType !== "MatMul" || mm[0].input![1] !== t.output![0])
      throw fail("Kᵀ is not used by one MatMul(q, Kᵀ)");
    const m = mm[0];
    const q = m.input![0];
    const repl: onnx.INodeProto[] = [
      fused(`${p}/scores_buffer`, q, past),
      {
        name: `${p}/scores_past`,
        opType: "Slice",
        input: [`${p}/scores_buffer`, `${PREFIX}zero`, PAST_LENGTH, `${PREFIX}axis3`],
        output: [`${p}/scores_past`],
      },
      fused(`${p}/scores_new`, q, fresh),
      {
        name: `${p}/scores`,
        opType: "Concat",
        input: [`${p}/scores_past`, `${p}/scores_new`],
        output: [m.output![0]],
        attribute: [{ name: "axis", type: AT.INT, i: -1 }],
      },
    ];
    nodes.splice(at(m), 1, ...repl);
    nodes.splice(at(t), 1);
  } else {
    const m = users[0];
    if (users.length !== 1 || m.opType !== "MatMul" || m.input![1] !== out)
      throw fail("V is not used by one MatMul(P, V)");
    const probs = m.input![0];
    const repl: onnx.INodeProto[] = [
      {
        name: `${p}/p_past`,
        opType: "Slice",
        input: [probs, `${PREFIX}zero`, PAST_LENGTH, `${PREFIX}axis3`],
        output: [`${p}/p_past`],
      },
      {
        name: `${p}/p_new`,
        opType: "Slice",
        input: [probs, PAST_LENGTH, `${PREFIX}end`, `${PREFIX}axis3`],
        output: [`${p}/p_new`],
      },
      { name: `${p}/shape`, opType: "Shape", input: [past], output: [`${p}/shape`] },
      { name: `${p}/capacity`, opType: "Gather", input: [`${p}/shape`, `${PREFIX}two`], output: [`${p}/capacity`] },
      { name: `${p}/pad_end`, opType: "Sub", input: [`${p}/capacity`, PAST_LENGTH], output: [`${p}/pad_end`] },
      {
        name: `${p}/pads`,
        opType: "Concat",
        input: [`${PREFIX}pads_head`, `${p}/pad_end`],
        output: [`${p}/pads`],
        attribute: [{ name: "axis", type: AT.INT, i: 0 }],
      },
      { name: `${p}/p_padded`, opType: "Pad", input: [`${p}/p_past`, `${p}/pads`], output: [`${p}/p_padded`] },
      { name: `${p}/out_past`, opType: "MatMul", input: [`${p}/p_padded`, past], output: [`${p}/out_past`] },
      { name: `${p}/out_new`, opType: "MatMul", input: [`${p}/p_new`, fresh], output: [`${p}/out_new`] },
      { name: `${p}/out`, opType: "Add", input: [`${p}/out_past`, `${p}/out_new`], output: [m.output![0]] },
    ];
    nodes.splice(at(m), 1, ...repl);
  }
  nodes.splice(at(concat), 1);
}

/** Removes nodes of the main graph whose outputs nothing reads any more (the adapters the in-place attention replaced). */
function pruneDead(g: onnx.IGraphProto): void {
  const used = new Set<string>((g.output ?? []).map((o) => o.name ?? ""));
  const collect = (graph: onnx.IGraphProto) => {
    for (const n of graph.node ?? []) {
      for (const v of n.input ?? []) used.add(v);
      for (const a of n.attribute ?? [])
        for (const sg of [a.g, ...(a.graphs ?? [])])
          if (sg) {
            collect(sg);
            for (const o of sg.output ?? []) used.add(o.name ?? "");
          }
    }
  };
  collect(g);
  g.node = (g.node ?? []).filter(
    (n) => !(n.name ?? "").startsWith(PREFIX) || (n.output ?? []).some((o) => used.has(o)),
  );
}

/** Renames uses (node inputs, subgraph outputs) in `graph` and all its subgraphs. */
function renameUses(graph: onnx.IGraphProto, map: Map<string, string>): void {
  for (const n of graph.node ?? []) {
    n.input = (n.input ?? []).map((v) => map.get(v) ?? v);
    for (const a of n.attribute ?? []) {
      if (a.g) renameSubgraph(a.g, map);
      for (const sg of a.graphs ?? []) renameSubgraph(sg, map);
    }
  }
}

function renameSubgraph(graph: onnx.IGraphProto, map: Map<string, string>): void {
  renameUses(graph, map);
  for (const o of graph.output ?? []) if (o.name && map.has(o.name)) o.name = map.get(o.name);
}

function ints(name: string, values: number[]): onnx.IAttributeProto {
  return { name, type: AT.INTS, ints: values };
}

function int64Tensor(name: string, values: number[]): onnx.ITensorProto {
  return {
    name,
    dims: [values.length],
    dataType: 7,
    rawData: new Uint8Array(BigInt64Array.from(values, BigInt).buffer),
  };
}

function valueInfo(name: string, elemType: number, dim?: Dim[]): onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType, ...(dim ? { shape: { dim } } : {}) } } };
}
