// encodec_decode: audio_codes [1, batch, 4, frames] -> audio_values [batch, 1, frames*640]. The EnCodec decoder's
// shape: codebook look-up summed over codebooks, Conv k7, 2-layer LSTM with skip, then per stride (8,5,4,4)
// ELU + ConvTranspose (exactly L·stride long) + a residual block, ELU, final Conv k7 to one channel.
import { attr, GraphBuilder } from "./graph";
import { CODEBOOKS, CODEBOOK_SIZE, ContractDims, UPSAMPLING } from "./dims";
import { WeightRng, zeros } from "./random";

function conv(g: GraphBuilder, rng: WeightRng, name: string, x: string, cin: number, cout: number, k: number): string {
  const w = g.weight(`${name}.weight`, [cout, cin, k], rng.normal(cout * cin * k, 1 / Math.sqrt(cin * k)));
  const b = g.weight(`${name}.bias`, [cout], zeros(cout));
  const pad = k - 1; // EnCodec pads asymmetrically so the length is kept
  return g.o("Conv", [x, w, b], { kernel_shape: attr.ints([k]), pads: attr.ints([Math.floor(pad / 2), pad - Math.floor(pad / 2)]) });
}

function elu(g: GraphBuilder, x: string): string {
  return g.o("Elu", [x], { alpha: attr.f(1) });
}

export function buildEncodec(g: GraphBuilder, dims: ContractDims["encodec"], rng: WeightRng): void {
  const { codebookDim: D, channels, lstmLayers } = dims;
  g.input("audio_codes", "int64", [1, "batch_size", CODEBOOKS, "chunk_length"]);
  const codes = g.o("Squeeze", ["audio_codes", g.ints([0])]); // [b, 4, F]
  const offsets = g.const("int64", [1, CODEBOOKS, 1], Array.from({ length: CODEBOOKS }, (_, k) => k * CODEBOOK_SIZE));
  const table = g.weight("quantizer.codebooks", [CODEBOOKS * CODEBOOK_SIZE, D], rng.normal(CODEBOOKS * CODEBOOK_SIZE * D, 1));
  const emb = g.o("ReduceSum", [g.o("Gather", [table, g.o("Add", [codes, offsets])], { axis: attr.i(0) }), g.ints([1])], { keepdims: attr.i(0) }); // [b, F, D]
  let x = conv(g, rng, "decoder.layers.0.conv", g.o("Transpose", [emb], { perm: attr.ints([0, 2, 1]) }), D, channels[0], 7);

  // LSTM over time ([F, b, C] layout), with EnCodec's skip connection
  const C = channels[0];
  let seq = g.o("Transpose", [x], { perm: attr.ints([2, 0, 1]) });
  const skip = seq;
  for (let l = 0; l < lstmLayers; l++) {
    const W = g.weight(`decoder.layers.1.lstm.weight_ih_l${l}`, [1, 4 * C, C], rng.normal(4 * C * C, 1 / Math.sqrt(C)));
    const R = g.weight(`decoder.layers.1.lstm.weight_hh_l${l}`, [1, 4 * C, C], rng.normal(4 * C * C, 1 / Math.sqrt(C)));
    const B = g.weight(`decoder.layers.1.lstm.bias_l${l}`, [1, 8 * C], zeros(8 * C));
    const [y] = g.op("LSTM", [seq, W, R, B], { hidden_size: attr.i(C) }, 3);
    seq = g.o("Squeeze", [y, g.ints([1])]);
  }
  x = g.o("Transpose", [g.o("Add", [seq, skip])], { perm: attr.ints([1, 2, 0]) }); // [b, C, F]

  UPSAMPLING.forEach((stride, i) => {
    const cin = channels[i];
    const cout = channels[i + 1];
    const k = 2 * stride;
    const w = g.weight(`decoder.up.${i}.weight`, [cin, cout, k], rng.normal(cin * cout * k, 1 / Math.sqrt(cin * k)));
    const b = g.weight(`decoder.up.${i}.bias`, [cout], zeros(cout));
    // output length (L-1)·s + k - pads = L·s with pads summing to s
    x = g.o("ConvTranspose", [elu(g, x), w, b], { strides: attr.ints([stride]), kernel_shape: attr.ints([k]), pads: attr.ints([Math.floor(stride / 2), Math.ceil(stride / 2)]) });
    const hidden = Math.max(1, Math.floor(cout / 2));
    const r = conv(g, rng, `decoder.res.${i}.conv2`, elu(g, conv(g, rng, `decoder.res.${i}.conv1`, elu(g, x), cout, hidden, 3)), hidden, cout, 1);
    x = g.o("Add", [x, r]);
  });
  conv(g, rng, "decoder.final", elu(g, x), channels[channels.length - 1], 1, 7);
  g.nodes[g.nodes.length - 1].output = ["audio_values"]; // the final Conv writes the contract output
  g.output("audio_values", "float32", ["batch_size", 1, "audio_length"]);
}
