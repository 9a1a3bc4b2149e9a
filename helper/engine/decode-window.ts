// One autoregressive pass of the MusicGen decoder over a window of up to 30 s, for a batch of prompts at
// once: classifier-free guidance (conditional and unconditional halves in one batch), the delay pattern,
// top-k sampling and the KV cache (the encoder K/V of the first call is kept: later calls return it empty;
// the self-attention cache lives in kv-cache.ts, for the published graph or the flat rewrite).
import * as ort from "onnxruntime-node";
import type { MusicgenConfig } from "./config";
import { abortError } from "./errors";
import { forcedToken, PatternSpec, stepsFor, codesFromSequence } from "./generation/delay-pattern";
import { mixGuidance, temperature } from "./generation/logits-processors";
import { Rng } from "./generation/rng";
import { CacheShape, createKvCache, DecoderGraph, KvCache } from "./kv-cache";
import type { KvBufferPool } from "./kv-pool";
import { argmax, sampleTopK } from "./generation/sampler";

export interface WindowItem {
  /** Frames this prompt needs in this window, prompt frames included. */
  frames: number;
  /** Codes per codebook re-fed from the previous window (all items of a window share the same length). */
  prompt?: Int32Array[];
  rng: Rng;
}

export interface WindowInputs {
  items: WindowItem[];
  /** Text encoder output for these items, [items, textLength, textHidden], and its mask [items, textLength]. */
  encoderHidden: ort.Tensor;
  encoderMask: ort.Tensor;
  guidanceScale: number;
  topK: number;
  temperature: number;
  padEdges: "both" | "start";
  signal?: AbortSignal;
  /** Called after every decoder call with the number of positions produced so far. */
  onStep?: (done: number, total: number) => void;
}

/** Decoder calls a window takes: up to the longest item's last delayed position, minus the re-fed prompt. */
export function windowSteps(frames: number[], promptFrames: number, codebooks: number): number {
  return Math.max(...frames.map((f) => stepsFor(f, codebooks))) - promptFrames;
}

/** The decoder session and which graph it runs (plain: the published one; flat: our rewrite). */
export interface WindowDecoder {
  session: ort.InferenceSession;
  graph: DecoderGraph;
  /** Cache buffers kept between windows and requests (kv-pool.ts); without, each window allocates its own. */
  kvPool?: KvBufferPool;
  /** Builds the window's cache instead of kv-cache.ts (the webgpu provider keeps it on the device). */
  createKvCache?: (shape: CacheShape) => KvCache;
}

export async function decodeWindow(
  decoder: WindowDecoder,
  cfg: MusicgenConfig,
  input: WindowInputs,
): Promise<Int32Array[][]> {
  const { graph } = decoder;
  const { items, guidanceScale } = input;
  const K = cfg.codebooks;
  const V = cfg.codebookSize;
  const guided = guidanceScale > 1;
  const n = items.length;
  const batch = guided ? 2 * n : n; // decoder batch: [cond 0..n-1, uncond 0..n-1]
  const rows = batch * K;
  const promptFrames = items[0].prompt?.[0]?.length ?? 0;
  if (items.some((it) => (it.prompt?.[0]?.length ?? 0) !== promptFrames))
    throw new Error("window items must share the prompt length");

  const specs: PatternSpec[] = items.map((it) => ({
    codebooks: K,
    frames: it.frames,
    padToken: cfg.padToken,
    prompt: it.prompt,
    padEdges: input.padEdges,
  }));
  const lastPosition = Math.max(...items.map((it) => stepsFor(it.frames, K)));
  // sequence[i][k][t]: the delayed token grid of item i; position 0 is the decoder start token.
  const sequence = items.map(() => Array.from({ length: K }, () => new Int32Array(lastPosition + 1)));
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) {
      sequence[i][k][0] = cfg.decoderStartToken;
      for (let t = 1; t <= promptFrames; t++) {
        const tok = forcedToken(specs[i], k, t);
        if (tok < 0) throw new Error("prompt positions must all be known");
        sequence[i][k][t] = tok;
      }
    }
  }

  const [encHidden, encMask] = guided
    ? withUnconditionalHalf(input.encoderHidden, input.encoderMask)
    : [input.encoderHidden, input.encoderMask];
  const scale = temperature(input.temperature);
  const mixed = new Float32Array(V);
  const zeroPast = () => new ort.Tensor("float32", new Float32Array(0), [batch, cfg.heads, 0, cfg.headDim]);
  const feeds: Record<string, ort.Tensor> = {
    encoder_hidden_states: encHidden,
    encoder_attention_mask: encMask,
    use_cache_branch: new ort.Tensor("bool", new Uint8Array([0]), [1]),
  };
  for (let l = 0; l < cfg.layers; l++) {
    feeds[`past_key_values.${l}.encoder.key`] = zeroPast();
    feeds[`past_key_values.${l}.encoder.value`] = zeroPast();
  }
  const shape: CacheShape = {
    layers: cfg.layers,
    batch,
    heads: cfg.heads,
    headDim: cfg.headDim,
    capacity: lastPosition,
  };
  const cache = decoder.createKvCache?.(shape) ?? createKvCache(graph, shape, decoder.kvPool);

  const tokensAt = (from: number, to: number): ort.Tensor => {
    const len = to - from;
    const ids = new BigInt64Array(rows * len);
    for (let b = 0; b < batch; b++) {
      const seq = sequence[b % n];
      for (let k = 0; k < K; k++) {
        const base = (b * K + k) * len;
        for (let t = from; t < to; t++) ids[base + t - from] = BigInt(seq[k][t]);
      }
    }
    return new ort.Tensor("int64", ids, [rows, len]);
  };

  const totalCalls = lastPosition - promptFrames;
  let inputFrom = 0;
  try {
    for (let t = promptFrames + 1; t <= lastPosition; t++) {
      if (input.signal?.aborted) throw abortError();
      feeds.input_ids = tokensAt(inputFrom, t);
      cache.feed(feeds, inputFrom, t - inputFrom);
      const out = await decoder.session.run(feeds);
      cache.update(out, inputFrom, t - inputFrom);
      if (inputFrom === 0) {
        for (let l = 0; l < cfg.layers; l++) {
          feeds[`past_key_values.${l}.encoder.key`] = out[`present.${l}.encoder.key`];
          feeds[`past_key_values.${l}.encoder.value`] = out[`present.${l}.encoder.value`];
        }
        feeds.use_cache_branch = new ort.Tensor("bool", new Uint8Array([1]), [1]);
      }
      inputFrom = t;

      const logits = out.logits;
      const seqLen = logits.dims[1];
      const data = logits.data as Float32Array;
      const rowAt = (r: number) => data.subarray((r * seqLen + seqLen - 1) * V, (r * seqLen + seqLen) * V);
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < K; k++) {
          let tok = forcedToken(specs[i], k, t);
          if (tok < 0) {
            const cond = rowAt(i * K + k);
            const row = guided
              ? mixGuidance(cond, rowAt((n + i) * K + k), guidanceScale, mixed)
              : (mixed.set(cond), mixed);
            // sampleTopK draws exactly what masking top-k then sampleCategorical would, in fewer passes over the row
            tok = input.topK <= 1 ? argmax(row) : sampleTopK(scale(row), input.topK, items[i].rng);
          }
          sequence[i][k][t] = tok;
        }
      }
      input.onStep?.(t - promptFrames, totalCalls);
    }
  } finally {
    cache.release(); // the buffers go back to the pool, also when a step failed or was cancelled
  }
  return sequence.map((seq, i) => codesFromSequence(seq, items[i].frames));
}

/** Appends the unconditional half: zeroed encoder states and an all-zero mask, as MusicGen's CFG does. */
function withUnconditionalHalf(hidden: ort.Tensor, mask: ort.Tensor): [ort.Tensor, ort.Tensor] {
  const h = hidden.data as Float32Array;
  const m = mask.data as BigInt64Array;
  const h2 = new Float32Array(h.length * 2);
  h2.set(h);
  const m2 = new BigInt64Array(m.length * 2);
  m2.set(m);
  const [b, ...rest] = hidden.dims;
  return [
    new ort.Tensor("float32", h2, [2 * b, ...rest]),
    new ort.Tensor("int64", m2, [2 * mask.dims[0], mask.dims[1]]),
  ];
}
