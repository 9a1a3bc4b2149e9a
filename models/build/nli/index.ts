// A zero-shot NLI classifier folder in the layout of the published ONNX exports of multilingual NLI models
// (Xenova/mDeBERTa-v3-base-xnli-multilingual-nli-2mil7: config.json with id2label, tokenizer.json with a
// "[CLS] A [SEP] B [SEP]" template, onnx/model.onnx taking input_ids + attention_mask and returning logits
// [batch, 3]) with tiny random weights: the real classifier code runs on it; its verdicts are random.
import * as fs from "node:fs";
import * as path from "node:path";
import { encodeModel, graphProto, ModelBuilder, Scope, valueInfo } from "../graph";
import { attend, gelu, layerNorm, linear, mergeHeads, paddingBias, splitHeads, Weights } from "../nn";
import { WeightRandom } from "../random";
import { buildVocab } from "../tokenizer";

export const NLI_BUILDER_VERSION = "1";

const SPACE = "\u2581";
const SPECIALS = ["[PAD]", "[CLS]", "[SEP]", "[UNK]"] as const;
export const NLI_LABELS = { 0: "entailment", 1: "neutral", 2: "contradiction" } as const;
const DIMS = { dModel: 32, heads: 2, dFf: 64, layers: 1, maxPositions: 512 };

/** mDeBERTa-style SentencePiece Unigram tokenizer: [PAD] 0, [CLS] 1, [SEP] 2, [UNK] 3; the T5 test pieces after. */
export function nliTokenizer(): { tokenizerJson: object; tokenizerConfig: object; vocabSize: number } {
  const pieces = buildVocab().filter(([p]) => !["<pad>", "</s>", "<unk>"].includes(p));
  const vocab: [string, number][] = [...SPECIALS.map((t): [string, number] => [t, 0]), ...pieces];
  const special = (id: number) => ({
    id,
    content: SPECIALS[id],
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const metaspace = {
    type: "Metaspace",
    replacement: SPACE,
    add_prefix_space: true,
    prepend_scheme: "always",
    split: true,
  };
  const cls = { SpecialToken: { id: "[CLS]", type_id: 0 } };
  const sep = (type: number) => ({ SpecialToken: { id: "[SEP]", type_id: type } });
  const tokenizerJson = {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: SPECIALS.map((_, i) => special(i)),
    normalizer: { type: "Sequence", normalizers: [{ type: "NFKC" }, { type: "Lowercase" }] },
    pre_tokenizer: { type: "Sequence", pretokenizers: [{ type: "WhitespaceSplit" }, metaspace] },
    post_processor: {
      type: "TemplateProcessing",
      single: [cls, { Sequence: { id: "A", type_id: 0 } }, sep(0)],
      pair: [cls, { Sequence: { id: "A", type_id: 0 } }, sep(0), { Sequence: { id: "B", type_id: 1 } }, sep(1)],
      special_tokens: {
        "[CLS]": { id: "[CLS]", ids: [1], tokens: ["[CLS]"] },
        "[SEP]": { id: "[SEP]", ids: [2], tokens: ["[SEP]"] },
      },
    },
    decoder: metaspace,
    model: { type: "Unigram", unk_id: 3, vocab, byte_fallback: false },
  };
  const tokenizerConfig = {
    tokenizer_class: "DebertaV2Tokenizer",
    cls_token: "[CLS]",
    sep_token: "[SEP]",
    pad_token: "[PAD]",
    unk_token: "[UNK]",
    do_lower_case: false,
    model_max_length: DIMS.maxPositions,
  };
  return { tokenizerJson, tokenizerConfig, vocabSize: vocab.length };
}

function buildGraph(model: ModelBuilder, w: Weights, vocab: number): ReturnType<typeof graphProto> {
  const s = new Scope(model, "nli");
  const d = DIMS;
  const headDim = d.dModel / d.heads;
  const tokens = s.one("Gather", [w.normal("embeddings.word_embeddings.weight", [vocab, d.dModel], 0.5), "input_ids"]);
  // learned positions for 0..T-1
  const length = s.one("Gather", [s.one("Shape", ["input_ids"]), s.int(1)]);
  const positions = s.one("Range", [s.int(0), length, s.int(1)]);
  const pos = s.one("Gather", [
    w.normal("embeddings.position_embeddings.weight", [d.maxPositions, d.dModel], 0.5),
    positions,
  ]);
  let x = layerNorm(s, w, s.one("Add", [tokens, pos]), "embeddings.LayerNorm", d.dModel);
  const bias = paddingBias(s, "attention_mask");
  for (let l = 0; l < d.layers; l++) {
    const p = `encoder.layer.${l}`;
    const q = s.one("Mul", [
      linear(s, w, x, `${p}.attention.self.query_proj`, d.dModel, d.dModel, { bias: true }),
      s.scalar(headDim ** -0.5),
    ]);
    const heads = (t: string) => splitHeads(s, t, d.heads, headDim);
    const ctx = attend(
      s,
      heads(q),
      heads(linear(s, w, x, `${p}.attention.self.key_proj`, d.dModel, d.dModel, { bias: true })),
      heads(linear(s, w, x, `${p}.attention.self.value_proj`, d.dModel, d.dModel, { bias: true })),
      bias,
    );
    x = layerNorm(
      s,
      w,
      s.one("Add", [
        x,
        linear(s, w, mergeHeads(s, ctx, d.dModel), `${p}.attention.output.dense`, d.dModel, d.dModel, { bias: true }),
      ]),
      `${p}.attention.output.LayerNorm`,
      d.dModel,
    );
    const inner = gelu(s, linear(s, w, x, `${p}.intermediate.dense`, d.dModel, d.dFf, { bias: true }));
    x = layerNorm(
      s,
      w,
      s.one("Add", [x, linear(s, w, inner, `${p}.output.dense`, d.dFf, d.dModel, { bias: true })]),
      `${p}.output.LayerNorm`,
      d.dModel,
    );
  }
  // ContextPooler: the [CLS] position, dense + GELU, then the 3-way classifier
  const first = s.one("Gather", [x, s.int(0)], { axis: 1 });
  const pooled = gelu(s, linear(s, w, first, "pooler.dense", d.dModel, d.dModel, { bias: true }));
  s.to("logits", "Identity", [linear(s, w, pooled, "classifier", d.dModel, 3, { bias: true, std: 1 })]);
  const dims = ["batch_size", "sequence_length"];
  return graphProto(
    "nli",
    s,
    [valueInfo("input_ids", "int64", dims), valueInfo("attention_mask", "int64", dims)],
    [valueInfo("logits", "float32", ["batch_size", 3])],
    model.initializers,
  );
}

/** Writes the folder atomically (temp sibling + rename). */
export function buildNliTestModel(outDir: string, seed = 0): void {
  const target = path.resolve(outDir);
  const tmp = `${target}.tmp-${process.pid}-${Date.now().toString(36)}`;
  fs.mkdirSync(path.join(tmp, "onnx"), { recursive: true });
  try {
    const tok = nliTokenizer();
    const config = {
      _name_or_path: "cuesmith/contract-nli-tiny",
      architectures: ["DebertaV2ForSequenceClassification"],
      model_type: "deberta-v2",
      hidden_size: DIMS.dModel,
      num_attention_heads: DIMS.heads,
      num_hidden_layers: DIMS.layers,
      intermediate_size: DIMS.dFf,
      max_position_embeddings: DIMS.maxPositions,
      type_vocab_size: 0,
      vocab_size: tok.vocabSize,
      id2label: NLI_LABELS,
      label2id: Object.fromEntries(Object.entries(NLI_LABELS).map(([id, label]) => [label, Number(id)])),
      cuesmith_contract_model: {
        seed,
        builder_version: NLI_BUILDER_VERSION,
        note: "random weights: its verdicts mean nothing",
      },
    };
    fs.writeFileSync(path.join(tmp, "config.json"), JSON.stringify(config, null, 2) + "\n");
    fs.writeFileSync(path.join(tmp, "tokenizer.json"), JSON.stringify(tok.tokenizerJson) + "\n");
    fs.writeFileSync(path.join(tmp, "tokenizer_config.json"), JSON.stringify(tok.tokenizerConfig, null, 2) + "\n");
    const model = new ModelBuilder();
    const graph = buildGraph(model, new Weights(model, new WeightRandom(seed, "nli")), tok.vocabSize);
    fs.writeFileSync(
      path.join(tmp, "onnx", "model.onnx"),
      encodeModel(graph, { docString: `cuesmith NLI contract model (seed ${seed}): random weights` }),
    );
    try {
      fs.renameSync(tmp, target);
    } catch (err) {
      if (!fs.existsSync(path.join(target, "config.json"))) throw err;
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}
