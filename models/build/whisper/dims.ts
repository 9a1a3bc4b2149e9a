// Dimensions of the tiny Whisper contract model. Everything that is part of the published contract stays real
// (80 mel bins, 3000 input frames -> 1500 encoder positions, 448 decoder positions, timestamp tokens every
// 0.02 s up to 30.00); the widths, depths and the text vocabulary shrink so it builds and runs in seconds.

export const NUM_MEL_BINS = 80;
export const INPUT_FRAMES = 3000;
export const MAX_SOURCE_POSITIONS = 1500;
export const MAX_TARGET_POSITIONS = 448;

export interface WhisperDims {
  dModel: number;
  encoderLayers: number;
  encoderHeads: number;
  encoderFfn: number;
  decoderLayers: number;
  decoderHeads: number;
  decoderFfn: number;
}

export const TINY_DIMS: WhisperDims = {
  dModel: 32,
  encoderLayers: 1,
  encoderHeads: 2,
  encoderFfn: 64,
  decoderLayers: 2,
  decoderHeads: 2,
  decoderFfn: 64,
};
