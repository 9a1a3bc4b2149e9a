// MusicGen's delay pattern: codebook k is shifted right by k steps, so frame f of codebook k is produced
// at sequence position f + 1 + k (position 0 is the decoder start token). A window of F frames therefore
// takes F + K - 1 decoder steps. Positions outside a codebook's frames hold the pad token.

export interface PatternSpec {
  codebooks: number;
  /** Frames this sequence must produce, prompt included. */
  frames: number;
  padToken: number;
  /** Known frames per codebook (`prompt[k][f]`), teacher-forced at their delayed positions. */
  prompt?: ArrayLike<number>[];
  /**
   * "both" (audiocraft, HF Python): pad before a codebook starts and after it ends.
   * "start" (transformers.js): pad only before it starts; tokens after the end are sampled but unused.
   */
  padEdges?: "both" | "start";
}

/** Number of positions after the start token that must be generated for `frames` frames. */
export function stepsFor(frames: number, codebooks: number): number {
  return frames + codebooks - 1;
}

/**
 * The token forced at sequence position `t` (>= 1) of codebook `k`, or -1 when it must be sampled.
 */
export function forcedToken(spec: PatternSpec, k: number, t: number): number {
  const f = t - 1 - k;
  if (f < 0) return spec.padToken;
  if (f >= spec.frames) return spec.padEdges === "start" ? -1 : spec.padToken;
  const prompt = spec.prompt?.[k];
  if (prompt && f < prompt.length) return prompt[f];
  return -1;
}

/** Undoes the delay: codes[k][f] = sequence[k][f + 1 + k] for f < frames. */
export function codesFromSequence(sequence: ArrayLike<number>[], frames: number): Int32Array[] {
  return sequence.map((row, k) => {
    const codes = new Int32Array(frames);
    for (let f = 0; f < frames; f++) codes[f] = row[f + 1 + k];
    return codes;
  });
}
