// Rewrites a published merged MusicGen decoder into the "flat" decoder the engine prefers.
// The published graph returns every layer's whole self-attention cache (present.*.decoder.*) on every step;
// onnxruntime-node copies each output into JS, so a step's cost grew with the clip. The flat graph returns
// only what is new — logits, each layer's new K/V slice (`new.{i}.decoder.{key,value}`) and, on the first call,
// the encoder presents — and reads its past from a buffer the engine grows in place (inputs are wrapped, not
// copied): past_key_values.{i}.decoder.* [B, H, capacity, D] plus an int64 `past_length` [1]. All weights and
// other nodes are kept; the Concats that build the presents are found by following the graph. Two layouts:
//   "in-place" (preferred): the cached branch's self-attention reads the buffers where they are:
//                 scores = [q·Kbufᵀ (first past_length columns), q·k_newᵀ], out = pad(p_past)·Vbuf + p_new·v_new.
//                 No copy of the past at all; each step reads the whole capacity. Needs the attention written as
//                 exporters write it (attendInPlace: 4-D, BART's 3-D reshape + bmm, SDPA's scale Mul).
//   "capacity":   one Slice per past input takes the first past_length positions and the graph's own Concat
//                 stays: two native copies of the past per step. Works on any merged decoder whose presents are
//                 concat(past, new), e.g. where the attention has a shape attendInPlace does not know.
// A fused attention op (com.microsoft Attention / MultiHeadAttention, from onnxruntime's transformer optimiser)
// keeps its own past: neither layout applies and the engine runs the published graph. The flat file records its
// layout and why (FLAT_REASON_KEY).
import { onnx } from "onnx-proto";
import { allGraphs } from "./onnx-file";

export type FlatLayout = "capacity" | "in-place";
/** Layouts in the order they are tried: the fastest first, the published graph after the last. */
export const FLAT_LAYOUTS: readonly FlatLayout[] = ["in-place", "capacity"];
export const FLAT_LAYOUT_KEY = "cuesmith.flat_layout";
/** Why the file has its layout (which attention form matched, or why in-place did not apply). */
export const FLAT_REASON_KEY = "cuesmith.flat_layout_reason";
export const PAST_LENGTH = "past_length";
export const newSliceName = (layer: number, kind: "key" | "value") => `new.${layer}.decoder.${kind}`;

const PAST = /^past_key_values\.(\d+)\.decoder\.(key|value)$/;
const PRESENT = /^present\.(\d+)\.decoder\.(key|value)$/;
const AT = onnx.AttributeProto.AttributeType;
const PREFIX = "cuesmith_flat/";

type Dim = onnx.TensorShapeProto.IDimension;

/**
 * Rewrites `model` (mutated and returned). Throws when the graph is not a merged decoder this understands, or (for
 * "in-place") when an attention has a form attendInPlace does not know. `reason` is recorded beside the layout
 * (in-place records the attention forms it matched).
 */
export function flattenDecoder(model: onnx.IModelProto, layout: FlatLayout, reason = ""): onnx.IModelProto {
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
  for (const input of pastInputs) {
    const name = input.name!;
    const out = `${PREFIX}${name}`;
    adapted.set(name, out);
    const dims = input.type?.tensorType?.shape?.dim ?? [];
    if (dims.length !== 4) throw new Error(`${name} is not 4-D`);
    adapters.push({
      name: `${PREFIX}slice_${name}`,
      opType: "Slice",
      input: [name, `${PREFIX}zero`, PAST_LENGTH, `${PREFIX}axis2`],
      output: [out],
    });
    input.type!.tensorType!.shape!.dim = [dims[0], dims[1], { dimParam: "past_capacity" }, dims[3]];
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
      branch.output![j] = valueInfo(slice, 1);
    }
  }

  for (const branch of branches) pruneBranch(branch);
  if (layout === "in-place") {
    const forms = concats
      .map((c) => ({ kind: c.kind, ...attendInPlace(c.branch, c.concat, c.past, c.fresh, c.kind) }))
      .filter((f) => f.kind === "key");
    const described = [
      ...new Set(
        forms.map((f) => `${f.rank3 ? "3-D reshape + bmm" : "4-D MatMul"}${f.scaled ? " with a scale Mul on K" : ""}`),
      ),
    ];
    reason = reason || `all ${concats.length / 2} cached self-attentions matched (${described.join("; ")})`;
    for (const branch of branches) {
      pruneBranch(branch);
      sortTopologically(branch);
    }
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
    const shape = dims.length === 4 ? [dims[0], dims[1], seq, dims[3]] : undefined;
    ifNode.output![j] = name;
    g.output[j] = valueInfo(name, 1, shape);
  }
  // stale shape annotations of renamed values would only mislead shape inference
  const renamed = new Set([...pastInputs.map((i) => i.name!), ...presentIdx.map((j) => g.output![j].name!)]);
  g.valueInfo = (g.valueInfo ?? []).filter((v) => !renamed.has(v.name ?? "") && !PRESENT.test(v.name ?? ""));
  model.metadataProps = [
    ...(model.metadataProps ?? []).filter((p) => p.key !== FLAT_LAYOUT_KEY && p.key !== FLAT_REASON_KEY),
    { key: FLAT_LAYOUT_KEY, value: layout },
    { key: FLAT_REASON_KEY, value: reason },
  ];
  return model;
}

const MS_DOMAIN = "com.microsoft";

/** What `attendInPlace` found: which form the attention had (recorded as the layout's reason). */
interface AttentionForm {
  rank3: boolean;
  scaled: boolean;
}

/**
 * Replaces the attention on concat(past, new) by attention on the buffer (`past`, a graph input of capacity
 * positions) and the new slice, so the past is never copied. key: the scores MatMul(q, Kᵀ) becomes
 * concat(slice(q·bufᵀ, past_length), q·newᵀ); value: MatMul(P, V) becomes pad(P_past)·buf + P_new·new.
 * Recognised between the Concat and the MatMul (as exporters write it): an optional Reshape to [B·H, T, D] (BART's
 * eager attention, then bmm), the Transpose of K (last two axes), and scalar Mul (SDPA's decomposition scales K
 * before or after its Transpose; the scale moves onto q, which is the same product). A Shape read of any value on
 * that chain is recomputed from the new slice and past_length. The maths is done in 4-D on the buffer; a 3-D form
 * gets Reshapes of q / P in and of the result out (views of small tensors, not of the cache).
 */
function attendInPlace(
  branch: onnx.IGraphProto,
  concat: onnx.INodeProto,
  past: string,
  fresh: string,
  kind: "key" | "value",
): AttentionForm {
  const nodes = branch.node!;
  const out = concat.output![0];
  const fail = (why: string) => new Error(`in-place attention: ${concat.name ?? out}: ${why}`);
  if ((branch.output ?? []).some((o) => o.name === out)) throw fail("the concatenated cache is still a branch output");
  const p = `${PREFIX}${out}`;
  const add: onnx.INodeProto[] = [];
  const node = (
    opType: string,
    inputs: string[],
    name: string,
    attribute?: onnx.IAttributeProto[],
    domain?: string,
  ): string => {
    add.push({
      name: `${p}/${name}`,
      opType,
      input: inputs,
      output: [`${p}/${name}`],
      ...(attribute ? { attribute } : {}),
      ...(domain ? { domain } : {}),
    });
    return `${p}/${name}`;
  };
  const branchConstants: onnx.ITensorProto[] = [];
  const constant = (name: string, values: number[]) => {
    branchConstants.push(int64Tensor(`${p}/${name}`, values));
    return `${p}/${name}`;
  };
  // the shape of the concatenated cache, [B, H, past_length + seq, D], without the cache
  const shapeOfConcat = node(
    "Add",
    [
      node("Shape", [fresh], "fresh_shape"),
      node("Concat", [constant("zeros2", [0, 0]), PAST_LENGTH, constant("zero1", [0])], "past_dims", [
        { name: "axis", type: AT.INT, i: 0 },
      ]),
    ],
    "concat_shape",
  );

  // walk the chain Concat → … → MatMul
  const chain: onnx.INodeProto[] = [];
  const shapeReads: { node: onnx.INodeProto; shape: string }[] = [];
  const scales: string[] = [];
  let rank3 = false;
  let transposed = false;
  let v = out;
  let shape = shapeOfConcat;
  let matmul: onnx.INodeProto | undefined;
  for (let guard = 0; guard < 8 && !matmul; guard++) {
    const users = nodes.filter((n) => (n.input ?? []).includes(v));
    for (const u of users.filter((n) => n.opType === "Shape")) shapeReads.push({ node: u, shape });
    const next = users.filter((n) => n.opType !== "Shape");
    if (next.length !== 1) throw fail(`${v} has ${next.length} users besides Shape (expected one)`);
    const n = next[0];
    if (n.opType === "MatMul") {
      if (n.input![1] !== v) throw fail("the cache is not the right operand of its MatMul");
      matmul = n;
      break;
    }
    if (n.opType === "Reshape" && n.input![0] === v && !rank3 && !transposed) {
      rank3 = true;
      shape = reshapedShape(node, constant, shape, n.input![1], `reshape${guard}`);
    } else if (n.opType === "Transpose" && kind === "key" && !transposed) {
      const perm = (n.attribute ?? []).find((a) => a.name === "perm")?.ints?.map(Number) ?? [];
      const swap = rank3 ? [0, 2, 1] : [0, 1, 3, 2];
      if (String(perm) !== String(swap)) throw fail(`Transpose(${perm}) is not a swap of the last two axes`);
      transposed = true;
      shape = node("Gather", [shape, constant(`perm${guard}`, swap)], `transposed_shape${guard}`);
    } else if (n.opType === "Mul" && kind === "key") {
      const other = n.input![0] === v ? n.input![1] : n.input![0];
      if (!isScalarLike(branch, other)) throw fail(`Mul by ${other}, which is not a scalar`);
      scales.push(other);
    } else {
      throw fail(`${n.opType} between the cache and its MatMul`);
    }
    chain.push(n);
    v = n.output![0];
  }
  if (!matmul) throw fail("no MatMul within 8 nodes of the cache");
  if (kind === "key" && !transposed) throw fail("K reaches its MatMul without a Transpose");

  const fused = (name: string, a: string, b: string) =>
    node("FusedMatMul", [a, b], name, [{ name: "transB", type: AT.INT, i: 1 }], MS_DOMAIN);
  const pastShape = node("Shape", [past], "buffer_shape");
  const bh = () => node("Slice", [pastShape, constant("at0", [0]), constant("at2", [2])], "bh");
  const to4d = (x: string, lastDim: string, name: string) =>
    node(
      "Reshape",
      [
        x,
        node("Concat", [bh(), constant("minus1", [-1]), lastDim], `${name}_shape`, [
          { name: "axis", type: AT.INT, i: 0 },
        ]),
      ],
      name,
    );
  const dimOf = (x: string, at: number, name: string) =>
    node(
      "Slice",
      [node("Shape", [x], `${name}_of`), constant(`${name}_from`, [at]), constant(`${name}_to`, [at + 1])],
      name,
    );
  const result = matmul.output![0];
  let resultNode: onnx.INodeProto;
  if (kind === "key") {
    let q = matmul.input![0];
    for (const [i, s] of scales.entries()) q = node("Mul", [q, s], `q_scaled${i}`);
    const q4 = rank3 ? to4d(q, dimOf(past, 3, "head_dim"), "q4") : q;
    const past4 = node(
      "Slice",
      [fused("scores_buffer", q4, past), `${PREFIX}zero`, PAST_LENGTH, `${PREFIX}axis3`],
      "scores_past",
    );
    const scores4 = node("Concat", [past4, fused("scores_new", q4, fresh)], "scores4", [
      { name: "axis", type: AT.INT, i: -1 },
    ]);
    resultNode = rank3
      ? {
          name: `${p}/scores`,
          opType: "Reshape",
          input: [
            scores4,
            node(
              "Concat",
              [
                node(
                  "Slice",
                  [node("Shape", [matmul.input![0]], "q_shape"), constant("q_from", [0]), constant("q_to", [2])],
                  "bh_s",
                ),
                constant("last", [-1]),
              ],
              "scores_shape",
              [{ name: "axis", type: AT.INT, i: 0 }],
            ),
          ],
          output: [result],
        }
      : { name: `${p}/scores`, opType: "Identity", input: [scores4], output: [result] };
  } else {
    const probs = matmul.input![0];
    const p4 = rank3 ? to4d(probs, dimOf(probs, 2, "keys"), "p4") : probs;
    const pPast = node("Slice", [p4, `${PREFIX}zero`, PAST_LENGTH, `${PREFIX}axis3`], "p_past");
    const pNew = node("Slice", [p4, PAST_LENGTH, `${PREFIX}end`, `${PREFIX}axis3`], "p_new");
    const padEnd = node("Sub", [node("Gather", [pastShape, `${PREFIX}two`], "capacity"), PAST_LENGTH], "pad_end");
    const pads = node("Concat", [`${PREFIX}pads_head`, padEnd], "pads", [{ name: "axis", type: AT.INT, i: 0 }]);
    const out4 = node(
      "Add",
      [
        node("MatMul", [node("Pad", [pPast, pads], "p_padded"), past], "out_past"),
        node("MatMul", [pNew, fresh], "out_new"),
      ],
      "out4",
    );
    resultNode = rank3
      ? {
          name: `${p}/out`,
          opType: "Reshape",
          input: [
            out4,
            node(
              "Concat",
              [constant("minus1_out", [-1]), dimOf(probs, 1, "queries"), dimOf(past, 3, "value_dim")],
              "out_shape",
              [{ name: "axis", type: AT.INT, i: 0 }],
            ),
          ],
          output: [result],
        }
      : { name: `${p}/out`, opType: "Identity", input: [out4], output: [result] };
  }
  // Shape reads of the chain now come from the computed shapes
  for (const { node: s, shape: computed } of shapeReads) {
    const start = Number((s.attribute ?? []).find((a) => a.name === "start")?.i ?? 0);
    const end = (s.attribute ?? []).find((a) => a.name === "end")?.i;
    const replacement: onnx.INodeProto =
      start === 0 && end == null
        ? { name: s.name, opType: "Identity", input: [computed], output: s.output }
        : {
            name: s.name,
            opType: "Slice",
            input: [
              computed,
              constant(`${s.output![0]}_start`, [start]),
              constant(`${s.output![0]}_end`, [end == null ? Number.MAX_SAFE_INTEGER : Number(end)]),
            ],
            output: s.output,
          };
    nodes.splice(nodes.indexOf(s), 1, replacement);
  }
  // the new nodes go where the MatMul was (everything they read is computed before it); the chain goes
  nodes.splice(nodes.indexOf(matmul), 1, ...add, resultNode);
  for (const n of [concat, ...chain]) nodes.splice(nodes.indexOf(n), 1);
  branch.initializer = [...(branch.initializer ?? []), ...branchConstants];
  return { rank3, scaled: scales.length > 0 };
}

/** The shape Reshape(x, spec) gives, from x's shape: ONNX's 0 (copy that dim) and -1 (the rest) resolved in the graph. */
function reshapedShape(
  node: (op: string, inputs: string[], name: string, attribute?: onnx.IAttributeProto[]) => string,
  constant: (name: string, v: number[]) => string,
  shape: string,
  spec: string,
  tag: string,
): string {
  const eq = (a: string, b: string, name: string) => node("Equal", [a, b], `${tag}_${name}`);
  const head = node("Slice", [shape, constant(`${tag}_at0`, [0]), node("Shape", [spec], `${tag}_rank`)], `${tag}_head`);
  const zero = constant(`${tag}_0`, [0]);
  const minus = constant(`${tag}_m1`, [-1]);
  const withCopies = node("Where", [eq(spec, zero, "is0"), head, spec], `${tag}_copied`);
  const isRest = eq(withCopies, minus, "isrest");
  const known = node(
    "ReduceProd",
    [node("Where", [isRest, constant(`${tag}_1`, [1]), withCopies], `${tag}_known_dims`)],
    `${tag}_known`,
    [{ name: "keepdims", type: AT.INT, i: 1 }],
  );
  const total = node("ReduceProd", [shape], `${tag}_total`, [{ name: "keepdims", type: AT.INT, i: 1 }]);
  return node("Where", [isRest, node("Div", [total, known], `${tag}_rest`), withCopies], `${tag}_shape`);
}

/** True when `v` is a one-element initializer or Constant, or is computed (from shapes) by scalar arithmetic. */
function isScalarLike(branch: onnx.IGraphProto, v: string, depth = 0): boolean {
  const init = (branch.initializer ?? []).find((t) => t.name === v);
  if (init) return (init.dims ?? []).reduce((a: number, b) => a * Number(b), 1) === 1;
  const producer = (branch.node ?? []).find((n) => (n.output ?? []).includes(v));
  if (!producer) return false; // an outer-scope value: not known to be a scalar
  if (producer.opType === "Constant") {
    const t = (producer.attribute ?? []).find((a) => a.name === "value")?.t;
    return t != null && (t.dims ?? []).reduce((a: number, b) => a * Number(b), 1) === 1;
  }
  // SDPA's decomposition: sqrt(1 / sqrt(float(shape(q)[-1]))), a scalar by construction
  if (depth > 8 || !["Sqrt", "Div", "Cast", "Reciprocal", "Mul", "Gather"].includes(producer.opType ?? ""))
    return false;
  if (producer.opType === "Gather") {
    const data = (branch.node ?? []).find((n) => (n.output ?? []).includes(producer.input![0]));
    return data?.opType === "Shape" && isScalarLike(branch, producer.input![1], depth + 1);
  }
  return (producer.input ?? []).every((i) => isScalarLike(branch, i, depth + 1));
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

/** Removes a branch's nodes whose outputs nothing reads (e.g. an Identity that fed a present now renamed). */
function pruneBranch(branch: onnx.IGraphProto): void {
  for (;;) {
    const used = new Set<string>((branch.output ?? []).map((o) => o.name ?? ""));
    // a nested subgraph may read any value by name: count every name read anywhere below
    for (const sub of allGraphs(branch)) for (const n of sub.node ?? []) for (const v of n.input ?? []) used.add(v);
    const kept = (branch.node ?? []).filter((n) => (n.output ?? []).some((o) => used.has(o)));
    if (kept.length === branch.node!.length) {
      if (branch.initializer) branch.initializer = branch.initializer.filter((t) => used.has(t.name ?? ""));
      return;
    }
    branch.node = kept;
  }
}

/** Orders a branch's nodes so every value is produced before it is read (Kahn; values from outside count as ready). */
function sortTopologically(branch: onnx.IGraphProto): void {
  const nodes = branch.node ?? [];
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => (n.output ?? []).forEach((o) => producer.set(o, i)));
  const waiting = nodes.map(() => 0);
  const consumers = nodes.map((): number[] => []);
  nodes.forEach((n, i) => {
    for (const v of new Set(n.input ?? [])) {
      const from = producer.get(v);
      if (from === undefined) continue;
      waiting[i]++;
      consumers[from].push(i);
    }
  });
  const queue = nodes.flatMap((_, i) => (waiting[i] === 0 ? [i] : []));
  const sorted: onnx.INodeProto[] = [];
  for (let at = 0; at < queue.length; at++) {
    sorted.push(nodes[queue[at]]);
    for (const c of consumers[queue[at]]) if (--waiting[c] === 0) queue.push(c);
  }
  if (sorted.length !== nodes.length) throw new Error("the rewritten branch has a cycle");
  branch.node = sorted;
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
