// Model dimensions. "small" is the real facebook/musicgen-small; "tiny" keeps every number that is part of
// the contract (4 codebooks of 2048, pad 2048, 32 kHz, hop 640, max 2048 positions) and shrinks the rest.

export const CODEBOOKS = 4;
export const CODEBOOK_SIZE = 2048;
export const MAX_POSITIONS = 2048;
export const UPSAMPLING_RATIOS = [8, 5, 4, 4];
export const SAMPLE_RATE = 32000;
export const FRAME_RATE = 50;

export interface TextDims {
  vocab: number;
  dModel: number;
  dFf: number;
  heads: number;
  layers: number;
}
export interface DecoderDims {
  layers: number;
  hidden: number;
  heads: number;
  ffn: number;
}
/** `numFilters` as in EnCodec: the first conv has numFilters·2^(ratios) channels, halved at each upsampling. */
export interface EncodecDims {
  codebookDim: number;
  numFilters: number;
  lstmLayers: number;
}

export interface ModelDims {
  text: TextDims;
  decoder: DecoderDims;
  encodec: EncodecDims;
}

export const DIMS: Record<"tiny" | "small", ModelDims> = {
  tiny: {
    // text vocab 0 = "as many ids as the tokenizer has"
    text: { vocab: 0, dModel: 32, dFf: 64, heads: 2, layers: 1 },
    decoder: { layers: 2, hidden: 64, heads: 4, ffn: 128 },
    encodec: { codebookDim: 16, numFilters: 4, lstmLayers: 2 },
  },
  small: {
    text: { vocab: 32128, dModel: 768, dFf: 3072, heads: 12, layers: 12 },
    decoder: { layers: 24, hidden: 1024, heads: 16, ffn: 4096 },
    encodec: { codebookDim: 128, numFilters: 64, lstmLayers: 2 },
  },
};

/** Channels of the EnCodec decoder stages: first conv, then after each upsampling. */
export function encodecChannels(d: EncodecDims): number[] {
  const top = d.numFilters * 2 ** UPSAMPLING_RATIOS.length;
  return [top, ...UPSAMPLING_RATIOS.map((_, i) => top / 2 ** (i + 1))];
}
