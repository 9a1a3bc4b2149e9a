#!/usr/bin/python3
"""Exports a MusicGen decoder of our own with torch.onnx.export into the published merged-decoder contract.

Why: the install-time rewrite (models/transform/flat-decoder.ts) and the self-check must be tested on graphs
shaped by a real exporter, not only on graphs we wrote by hand. The module below follows transformers'
MusicgenForCausalLM as the 2024 optimum export traced it: sinusoidal positions, the four codebook embeddings
summed, pre-LN decoder layers, BART's eager attention (past K/V concatenated in 4-D, then reshaped to
[B*H, T, D] and multiplied with bmm), cross-attention to the projected text-encoder states, four LM heads.
Weights are random (seeded): the audio is noise, the graph's shape is the point.

Attention styles (--attention):
  bart         transformers' MusicgenAttention (eager, copied from BART): q_proj(x) * scaling, bmm over 3-D.
  sdpa-after   SDPA's ONNX decomposition: 4-D MatMul, Mul(sqrt(scale)) on q and on K *after* the Transpose.
  sdpa-before  the same with the Mul on K *before* the Transpose.

Like optimum, two graphs are exported (first call without past, cached call with past) and merged into one
model whose If on `use_cache_branch` holds them as branches; the weights are lifted to the top graph and
shared. Names, dtypes and shapes of inputs and outputs are the published decoder_model_merged.onnx's.

Run on Debian bookworm (torch 1.13, onnx 1.12 from Debian; use /usr/bin/python3, a python3 earlier on PATH
may not see Debian's packages):
  sudo apt-get install -y python3-torch python3-onnx
  /usr/bin/python3 models/export/export_decoder.py --size tiny --attention bart --out tests/fixtures/exported-decoder/bart.onnx
  /usr/bin/python3 models/export/export_decoder.py --size small --attention bart --out bench/models/exported/decoder_model_merged.onnx
--size small has the real dimensions (24 layers, hidden 1024, ~1.7 GB, weights in <out>_data); it takes a few
minutes and ~8 GB of memory. The committed tiny fixtures (tests/fixtures/exported-decoder/) are rewritten with
  for a in bart sdpa-after sdpa-before; do /usr/bin/python3 models/export/export_decoder.py --attention $a --out tests/fixtures/exported-decoder/$a.onnx; done
"""
import argparse
import hashlib
import math
import os
import sys
import tempfile

import numpy
import onnx
import torch
from onnx import helper, numpy_helper, TensorProto
from torch import nn

CODEBOOKS = 4
CODEBOOK_SIZE = 2048
MAX_POSITIONS = 2048
OPSET = 14  # what the published export used: layer norm decomposes, attention stays MatMul/Softmax

# text_dim matches the tiny contract model's text encoder (models/build/dims.ts), so the fixtures drop into it
SIZES = {
    "tiny": dict(layers=2, hidden=16, heads=2, ffn=32, text_dim=32),
    "small": dict(layers=24, hidden=1024, heads=16, ffn=4096, text_dim=768),
}


class SinusoidalPositions(nn.Module):
    """MusicgenSinusoidalPositionalEmbedding: row p = cat(cos(p*f), sin(p*f)), f_i = exp(-i*ln(10000)/(half-1))."""

    def __init__(self, positions, dim):
        super().__init__()
        half = dim // 2
        f = torch.exp(torch.arange(half, dtype=torch.float32) * -(math.log(10000) / (half - 1)))
        angles = torch.arange(positions, dtype=torch.float32).unsqueeze(1) * f.unsqueeze(0)
        self.weights = nn.Parameter(torch.cat([torch.cos(angles), torch.sin(angles)], dim=1), requires_grad=False)

    def forward(self, seq_len, past_len):
        position_ids = torch.arange(seq_len) + past_len
        return self.weights.index_select(0, position_ids.view(-1))


class Attention(nn.Module):
    """Self- or cross-attention. Returns (output, key, value); key/value are [B, H, T, D] (the presents)."""

    def __init__(self, hidden, heads, style):
        super().__init__()
        self.heads, self.head_dim, self.style = heads, hidden // heads, style
        self.scaling = self.head_dim ** -0.5
        self.k_proj = nn.Linear(hidden, hidden, bias=False)
        self.v_proj = nn.Linear(hidden, hidden, bias=False)
        self.q_proj = nn.Linear(hidden, hidden, bias=False)
        self.out_proj = nn.Linear(hidden, hidden, bias=False)

    def _shape(self, x, bsz):
        return x.view(bsz, -1, self.heads, self.head_dim).transpose(1, 2).contiguous()

    def forward(self, x, mask, kv_states=None, past=None, cross_past=None):
        bsz, tgt_len, hidden = x.size()
        if cross_past is not None:  # cached call: the cross K/V of the first call
            key, value = cross_past
        elif kv_states is not None:
            key, value = self._shape(self.k_proj(kv_states), bsz), self._shape(self.v_proj(kv_states), bsz)
        else:
            key, value = self._shape(self.k_proj(x), bsz), self._shape(self.v_proj(x), bsz)
            if past is not None:
                key = torch.cat([past[0], key], dim=2)
                value = torch.cat([past[1], value], dim=2)
        if self.style == "bart":
            out = self._bart(x, mask, key, value, bsz, tgt_len)
        else:
            out = self._sdpa(x, mask, key, value, bsz)
        return self.out_proj(out.transpose(1, 2).reshape(bsz, tgt_len, hidden)), key, value

    def _bart(self, x, mask, key, value, bsz, tgt_len):
        proj_shape = (bsz * self.heads, -1, self.head_dim)
        q = self._shape(self.q_proj(x) * self.scaling, bsz).view(*proj_shape)
        k = key.reshape(*proj_shape)
        v = value.reshape(*proj_shape)
        src_len = k.size(1)
        w = torch.bmm(q, k.transpose(1, 2))
        w = w.view(bsz, self.heads, tgt_len, src_len) + mask
        w = w.view(bsz * self.heads, tgt_len, src_len)
        out = torch.bmm(nn.functional.softmax(w, dim=-1), v)
        return out.view(bsz, self.heads, tgt_len, self.head_dim)

    def _sdpa(self, x, mask, key, value, bsz):
        # torch's ONNX decomposition of scaled_dot_product_attention: scale = 1/sqrt(E) from the query's shape,
        # sqrt(scale) multiplied into q and into K next to its transpose
        q = self._shape(self.q_proj(x), bsz)
        embed = torch._shape_as_tensor(q)[-1].to(torch.float32)
        half_scale = torch.sqrt(1.0 / torch.sqrt(embed))
        if self.style == "sdpa-after":
            kt = key.transpose(-2, -1) * half_scale
        else:
            kt = (key * half_scale).transpose(-2, -1)
        w = torch.matmul(q * half_scale, kt) + mask
        return torch.matmul(torch.softmax(w, dim=-1), value)


class DecoderLayer(nn.Module):
    def __init__(self, d, style):
        super().__init__()
        h = d["hidden"]
        self.self_attn = Attention(h, d["heads"], style)
        self.self_attn_layer_norm = nn.LayerNorm(h)
        self.encoder_attn = Attention(h, d["heads"], style)
        self.encoder_attn_layer_norm = nn.LayerNorm(h)
        self.fc1 = nn.Linear(h, d["ffn"], bias=False)
        self.fc2 = nn.Linear(d["ffn"], h, bias=False)
        self.final_layer_norm = nn.LayerNorm(h)

    def forward(self, x, causal, enc, enc_mask, past=None, cross_past=None):
        a, k, v = self.self_attn(self.self_attn_layer_norm(x), causal, past=past)
        x = x + a
        a, ck, cv = self.encoder_attn(self.encoder_attn_layer_norm(x), enc_mask, kv_states=enc, cross_past=cross_past)
        x = x + a
        x = x + self.fc2(nn.functional.gelu(self.fc1(self.final_layer_norm(x))))
        return x, (k, v, ck, cv)


class MusicgenDecoder(nn.Module):
    """Decoder + LM heads + the 768->1024 enc_to_dec_proj (the published decoder graph holds the projection)."""

    def __init__(self, d, style):
        super().__init__()
        h = d["hidden"]
        self.embed_tokens = nn.ModuleList([nn.Embedding(CODEBOOK_SIZE + 1, h) for _ in range(CODEBOOKS)])
        self.embed_positions = SinusoidalPositions(MAX_POSITIONS, h)
        self.layers = nn.ModuleList([DecoderLayer(d, style) for _ in range(d["layers"])])
        self.layer_norm = nn.LayerNorm(h)
        self.lm_heads = nn.ModuleList([nn.Linear(h, CODEBOOK_SIZE, bias=False) for _ in range(CODEBOOKS)])
        self.enc_to_dec_proj = nn.Linear(d["text_dim"], h)

    def forward(self, input_ids, encoder_hidden_states, encoder_attention_mask, past=None):
        ids = input_ids.reshape(-1, CODEBOOKS, input_ids.shape[-1])
        bsz, _, seq_len = ids.shape
        x = sum(self.embed_tokens[k](ids[:, k]) for k in range(CODEBOOKS))
        past_len = past[0].shape[2] if past is not None else 0
        x = x + self.embed_positions(seq_len, past_len)
        # masks as transformers builds them: additive, finfo.min where not allowed
        neg = torch.finfo(torch.float32).min
        q_pos = torch.arange(seq_len) + past_len
        k_pos = torch.arange(seq_len + past_len)
        causal = torch.where(k_pos.unsqueeze(0) <= q_pos.unsqueeze(1), torch.tensor(0.0), torch.tensor(neg))[None, None]
        enc_mask = (1.0 - encoder_attention_mask[:, None, None, :].to(torch.float32)) * neg
        enc = None if past is not None else self.enc_to_dec_proj(encoder_hidden_states)
        presents = []
        for i, layer in enumerate(self.layers):
            self_past = (past[4 * i], past[4 * i + 1]) if past is not None else None
            cross_past = (past[4 * i + 2], past[4 * i + 3]) if past is not None else None
            x, kv = layer(x, causal, enc, enc_mask, self_past, cross_past)
            presents.extend(kv[:2] if past is not None else kv)
        x = self.layer_norm(x)
        logits = torch.stack([head(x) for head in self.lm_heads], dim=1)  # [B, 4, S, V]
        return (logits.reshape(-1, *logits.shape[2:]), *presents)


class FirstCall(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, input_ids, encoder_hidden_states, encoder_attention_mask):
        return self.m(input_ids, encoder_hidden_states, encoder_attention_mask)


class CachedCall(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, input_ids, encoder_attention_mask, *past):
        return self.m(input_ids, None, encoder_attention_mask, list(past))


def past_names(layers):
    return [f"past_key_values.{l}.{kind}.{kv}" for l in range(layers) for kind in ("decoder", "encoder") for kv in ("key", "value")]


def export_graph(module, args, input_names, output_names, dynamic_axes, folder, name):
    path = os.path.join(folder, name)
    torch.onnx.export(module, args, path, input_names=input_names, output_names=output_names, dynamic_axes=dynamic_axes,
                      opset_version=OPSET, do_constant_folding=True)
    return onnx.load(path)


def merge(first, cached, d):
    """One model, If(use_cache_branch) then cached else first, weights lifted to the top graph and deduplicated."""
    heads, head_dim, layers = d["heads"], d["hidden"] // d["heads"], d["layers"]
    top_inits = {}  # name -> TensorProto
    by_content = {}  # sha256 of (dtype, dims, bytes) -> name

    def lift(graph, tag):
        rename = {}
        for t in graph.initializer:
            arr = numpy_helper.to_array(t)
            key = hashlib.sha256(f"{t.data_type}:{list(t.dims)}".encode() + arr.tobytes()).hexdigest()
            if key in by_content:
                rename[t.name] = by_content[key]
                continue
            name = t.name if t.name not in top_inits else f"{tag}/{t.name}"
            t2 = numpy_helper.from_array(arr, name)
            top_inits[name] = t2
            by_content[key] = name
            if name != t.name:
                rename[t.name] = name
        del graph.initializer[:]
        for node in graph.node:
            for i, v in enumerate(node.input):
                if v in rename:
                    node.input[i] = rename[v]
        for o in graph.output:
            if o.name in rename:  # an output that is a weight itself: keep the name via Identity
                graph.node.append(helper.make_node("Identity", [rename[o.name]], [o.name]))

    lift(first.graph, "first")
    lift(cached.graph, "cached")

    # the cached branch returns empty encoder presents [0, H, 1, D], as the published export does
    empty = numpy_helper.from_array(numpy.zeros((0, heads, 1, head_dim), dtype="float32"), "cuesmith_export/empty_encoder_present")
    top_inits[empty.name] = empty
    cached_outputs = {o.name: o for o in cached.graph.output}
    outputs = []
    for o in first.graph.output:
        outputs.append(o.name)
        if o.name not in cached_outputs:
            cached.graph.node.append(helper.make_node("Identity", [empty.name], [o.name]))
    for g in (first.graph, cached.graph):
        del g.input[:]
        del g.value_info[:]
    cached_out = [cached_outputs.get(n) or helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n in outputs]
    del cached.graph.output[:]
    cached.graph.output.extend(cached_out)
    then_branch = helper.make_graph(list(cached.graph.node), "then_branch", [], list(cached.graph.output))
    else_branch = helper.make_graph(list(first.graph.node), "else_branch", [], list(first.graph.output))

    rows, seq = "batch_size_x_num_codebooks", "decoder_sequence_length"
    inputs = [
        helper.make_tensor_value_info("input_ids", TensorProto.INT64, [rows, seq]),
        helper.make_tensor_value_info("encoder_hidden_states", TensorProto.FLOAT, ["batch_size", "encoder_sequence_length", d["text_dim"]]),
        helper.make_tensor_value_info("encoder_attention_mask", TensorProto.INT64, ["batch_size", "encoder_sequence_length"]),
    ]
    outs = [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [rows, seq, CODEBOOK_SIZE])]
    for l in range(layers):
        for kind, past_len, present_len in (("decoder", "past_decoder_sequence_length", "present_decoder_sequence_length"),
                                            ("encoder", "encoder_sequence_length_out", "encoder_sequence_length_out")):
            for kv in ("key", "value"):
                inputs.append(helper.make_tensor_value_info(f"past_key_values.{l}.{kind}.{kv}", TensorProto.FLOAT, ["batch_size", heads, past_len, head_dim]))
                outs.append(helper.make_tensor_value_info(f"present.{l}.{kind}.{kv}", TensorProto.FLOAT, ["batch_size", heads, present_len, head_dim]))
    inputs.append(helper.make_tensor_value_info("use_cache_branch", TensorProto.BOOL, [1]))
    assert [o.name for o in outs] == outputs, "exported outputs are not in the published order"
    if_node = helper.make_node("If", ["use_cache_branch"], outputs, name="optimum::if", then_branch=then_branch, else_branch=else_branch)
    graph = helper.make_graph([if_node], "decoder_model_merged", inputs, outs, initializer=list(top_inits.values()))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="pytorch", producer_version=torch.__version__)
    model.ir_version = first.ir_version
    return model


def build(size, style, seed, out):
    d = SIZES[size]
    torch.manual_seed(seed)
    m = MusicgenDecoder(d, style).eval()
    with torch.no_grad():
        for name, p in m.named_parameters():  # HF's init: N(0, 0.02) for linear/embedding weights
            if name.endswith("embed_positions.weights"):
                continue
            if p.dim() >= 2:
                p.normal_(0.0, 0.02)
            elif name.endswith("weight"):
                p.fill_(1.0)
            else:
                p.zero_()
    layers, heads, hd = d["layers"], d["heads"], d["hidden"] // d["heads"]
    b, s_enc, seq, past_len = 2, 5, 3, 4  # trace with sizes > 1 everywhere so nothing is specialised
    ids = torch.randint(0, CODEBOOK_SIZE, (b * CODEBOOKS, seq))
    enc = torch.randn(b, s_enc, d["text_dim"])
    mask = torch.ones(b, s_enc, dtype=torch.int64)
    present_names = ["logits"] + [f"present.{l}.{kind}.{kv}" for l in range(layers) for kind in ("decoder", "encoder") for kv in ("key", "value")]
    axes = {"input_ids": {0: "batch_size_x_num_codebooks", 1: "decoder_sequence_length"},
            "encoder_hidden_states": {0: "batch_size", 1: "encoder_sequence_length"},
            "encoder_attention_mask": {0: "batch_size", 1: "encoder_sequence_length"},
            "logits": {0: "batch_size_x_num_codebooks", 1: "decoder_sequence_length"}}
    for n in present_names[1:]:
        axes[n] = {0: "batch_size", 2: "present_decoder_sequence_length" if ".decoder." in n else "encoder_sequence_length_out"}
    past = []
    for l in range(layers):
        past += [torch.randn(b, heads, past_len, hd), torch.randn(b, heads, past_len, hd), torch.randn(b, heads, s_enc, hd), torch.randn(b, heads, s_enc, hd)]
    for n in past_names(layers):
        axes[n] = {0: "batch_size", 2: "past_decoder_sequence_length" if ".decoder." in n else "encoder_sequence_length_out"}
    with tempfile.TemporaryDirectory() as tmp, torch.no_grad():
        first = export_graph(FirstCall(m), (ids, enc, mask), ["input_ids", "encoder_hidden_states", "encoder_attention_mask"],
                             present_names, axes, tmp, "decoder_model.onnx")
        cached_outputs = ["logits"] + [f"present.{l}.decoder.{kv}" for l in range(layers) for kv in ("key", "value")]
        cached = export_graph(CachedCall(m), (ids, mask, *past), ["input_ids", "encoder_attention_mask"] + past_names(layers),
                              cached_outputs, axes, tmp, "decoder_with_past_model.onnx")
    merged = merge(first, cached, d)
    merged.doc_string = f"cuesmith exported contract decoder ({size}, {style} attention, seed {seed}): random weights"
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    if size == "tiny":
        onnx.save(merged, out)
    else:
        onnx.save(merged, out, save_as_external_data=True, all_tensors_to_one_file=True, location=os.path.basename(out) + "_data", size_threshold=1024)
    onnx.checker.check_model(out)
    print(f"wrote {out} ({size}, {style}, seed {seed})")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--size", choices=sorted(SIZES), default="tiny")
    p.add_argument("--attention", choices=["bart", "sdpa-after", "sdpa-before"], default="bart")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    build(a.size, a.attention, a.seed, a.out)


if __name__ == "__main__":
    sys.exit(main())
