// Model dimensions: "small" is the real musicgen-small; "tiny" keeps every contract-relevant number
// (4 codebooks of 2048, pad 2048, 32 kHz, hop 640) and shrinks the rest so tests run in seconds.

export interface ContractDims {
  text: { vocab: number; dModel: number; dFf: number; heads: number; layers: number };
  decoder: { hidden: number; heads: number; layers: number; ffn: number; maxPositions: number };
  encodec: { codebookDim: number; channels: number[]; lstmLayers: number };
}

export const CODEBOOKS = 4;
export const CODEBOOK_SIZE = 2048;
export const UPSAMPLING = [8, 5, 4, 4];
export const SAMPLE_RATE = 32000;
export const FRAME_RATE = 50;

export const DIMS: Record<"tiny" | "small", ContractDims> = {
  tiny: {
    text: { vocab: 0 /* = tokenizer size */, dModel: 32, dFf: 64, heads: 2, layers: 1 },
    decoder: { hidden: 64, heads: 4, layers: 2, ffn: 128, maxPositions: 2048 },
    encodec: { codebookDim: 16, channels: [32, 16, 8, 4, 4], lstmLayers: 2 },
  },
  small: {
    text: { vocab: 32128, dModel: 768, dFf: 3072, heads: 12, layers: 12 },
    decoder: { hidden: 1024, heads: 16, layers: 24, ffn: 4096, maxPositions: 2048 },
    encodec: { codebookDim: 128, channels: [1024, 512, 256, 128, 64], lstmLayers: 2 },
  },
};
