// A small EnCodec (32 kHz) decoder with the published contract: audio_codes [1, B, 4, L] -> audio_values
// [B, 1, L·640]. Codebook lookup summed over the 4 codebooks, Conv k7, 2-layer LSTM with skip, then per
// upsampling ratio ELU + ConvTranspose + residual block, ELU, Conv k7 -> 1 channel (SEANet decoder).
import type { onnx } from "onnx-proto";
import { CODEBOOKS, CODEBOOK_SIZE, EncodecDims, encodecChannels, UPSAMPLING_RATIOS } from "./dims";
import { float, graphProto, ModelBuilder, Scope, valueInfo } from "./graph";
import { Weights } from "./nn";

export function buildEncodec(model: ModelBuilder, w: Weights, d: EncodecDims): onnx.IGraphProto {
  const s = new Scope(model, "encodec");
  const ch = encodecChannels(d);
  const elu = (x: string) => s.one("Elu", [x], { alpha: float(1) });
  // PyTorch-like fan-in init keeps the signal at a useful level through ~15 layers (std 0.02 would give silence).
  const conv = (x: string, name: string, cin: number, cout: number, k: number, gain = 1) =>
    s.one(
      "Conv",
      [x, w.normal(`${name}.weight`, [cout, cin, k], gain / Math.sqrt(cin * k)), w.fill(`${name}.bias`, [cout], 0)],
      {
        kernel_shape: [k],
        pads: [(k - 1) >> 1, k >> 1],
      },
    );

  // [1, B, 4, L] -> [B, 4, L] (+ k·2048) -> [B, 4, L, D] -> sum over codebooks -> [B, D, L]
  const codes = s.one("Squeeze", ["audio_codes", s.ints([0])]);
  const offsets = model.constant(
    "int64",
    [1, CODEBOOKS, 1],
    Array.from({ length: CODEBOOKS }, (_, k) => k * CODEBOOK_SIZE),
  );
  const codebooks = w.normal("quantizer.codebooks", [CODEBOOKS * CODEBOOK_SIZE, d.codebookDim], 1);
  const summed = s.one("ReduceSum", [s.one("Gather", [codebooks, s.one("Add", [codes, offsets])]), s.ints([1])], {
    keepdims: 0,
  });
  let x = conv(s.one("Transpose", [summed], { perm: [0, 2, 1] }), "decoder.layers.0.conv", d.codebookDim, ch[0], 7);

  // LSTM over time ([L, B, C] for ONNX), output + input
  const c = ch[0];
  const bound = 1 / Math.sqrt(c);
  let seq = s.one("Transpose", [x], { perm: [2, 0, 1] });
  const lstmIn = seq;
  for (let l = 0; l < d.lstmLayers; l++) {
    const p = `decoder.layers.1.lstm.${l}`;
    const y = s.one(
      "LSTM",
      [
        seq,
        w.uniform(`${p}.W`, [1, 4 * c, c], bound),
        w.uniform(`${p}.R`, [1, 4 * c, c], bound),
        w.uniform(`${p}.B`, [1, 8 * c], bound),
      ],
      { hidden_size: c },
    );
    seq = s.one("Squeeze", [y, s.ints([1])]);
  }
  x = s.one("Transpose", [s.one("Add", [seq, lstmIn])], { perm: [1, 2, 0] });

  UPSAMPLING_RATIOS.forEach((r, i) => {
    const p = `decoder.layers.${2 + i}`;
    const [cin, cout] = [ch[i], ch[i + 1]];
    // kernel 2r, stride r; trimming r at the end (non-causal EnCodec trims it all on the right) gives exactly L·r
    x = s.one(
      "ConvTranspose",
      [
        elu(x),
        w.normal(`${p}.conv_tr.weight`, [cin, cout, 2 * r], 1 / Math.sqrt(cin * 2)),
        w.fill(`${p}.conv_tr.bias`, [cout], 0),
      ],
      {
        kernel_shape: [2 * r],
        strides: [r],
        pads: [0, r],
      },
    );
    const hidden = Math.max(1, cout >> 1);
    const inner = conv(elu(conv(elu(x), `${p}.block.1`, cout, hidden, 3)), `${p}.block.3`, hidden, cout, 1);
    x = s.one("Add", [x, inner]);
  });
  // gain 0.2: noise at a plausible music-bed level (RMS ~0.2) rather than around full scale
  const out = conv(elu(x), "decoder.layers.final.conv", ch[ch.length - 1], 1, 7, 0.2);
  s.to("audio_values", "Identity", [out]);

  return graphProto(
    "encodec_decode",
    s,
    [valueInfo("audio_codes", "int64", [1, "batch_size", CODEBOOKS, "chunk_length"])],
    [valueInfo("audio_values", "float32", ["batch_size", 1, "num_samples"])],
    model.initializers,
  );
}
