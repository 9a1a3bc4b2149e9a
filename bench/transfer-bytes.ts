// Host↔device bytes per decoder step, for the bench's GPU rows: what the webgpu provider moves (measured by
// helper/engine/webgpu/transfer-counter.ts), against what the published merged graph moves when its K/V are not
// kept on the device (onnxruntime-node's GPU providers: every past goes up and every present comes back, each step).

export interface StepShape {
  layers: number;
  heads: number;
  headDim: number;
  /** Decoder batch (with guidance: twice the prompts). */
  batch: number;
  codebooks: number;
  vocab: number;
  /** Text-encoder positions (the cross-attention K/V length). */
  textLength: number;
}

export interface StepBytes {
  uploaded: number;
  readBack: number;
}

const F32 = 4;

/** One cached step at past length `past` of the published graph, nothing resident: pasts up, presents and logits down. */
export function publishedStepBytes(s: StepShape, past: number): StepBytes {
  const perPosition = s.layers * 2 * s.batch * s.heads * s.headDim * F32; // K and V of every layer, one position
  const logits = s.batch * s.codebooks * s.vocab * F32;
  const ids = s.batch * s.codebooks * 8;
  return {
    uploaded: ids + perPosition * past + perPosition * s.textLength,
    // presents: the self-attention cache including the new position; cached calls return empty encoder presents
    readBack: logits + perPosition * (past + 1),
  };
}

/** The mean over the cached steps of a window of `steps` calls (past 1 … steps - 1). */
export function publishedMeanBytes(s: StepShape, steps: number): StepBytes {
  const sum = { uploaded: 0, readBack: 0 };
  for (let past = 1; past < steps; past++) {
    const b = publishedStepBytes(s, past);
    sum.uploaded += b.uploaded;
    sum.readBack += b.readBack;
  }
  const n = Math.max(1, steps - 1);
  return { uploaded: sum.uploaded / n, readBack: sum.readBack / n };
}
