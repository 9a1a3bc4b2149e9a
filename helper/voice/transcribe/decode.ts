// The decoder side of one window: encoder pass, the language step, and greedy decoding with the KV cache of the
// merged decoder (first call use_cache_branch=false with zero-length pasts; later calls return the encoder K/V
// empty, so the first call's are kept — the same convention as the MusicGen engine's decode-window.ts).
import * as ort from "onnxruntime-node";
import { applyWhisperRules, argmax, TimestampRuleOptions } from "./logits";
import type { WhisperModel } from "./load";

export async function encode(model: WhisperModel, features: Float32Array): Promise<ort.Tensor> {
  const { featureSize, nbMaxFrames } = model.features;
  const out = await model.encoder.run({
    input_features: new ort.Tensor("float32", features, [1, featureSize, nbMaxFrames]),
  });
  return out.last_hidden_state;
}

/** Runs the decoder with a KV cache; `step(ids)` feeds the new ids and returns the last position's logits. */
export class DecoderState {
  private feeds: Record<string, ort.Tensor>;
  private first = true;
  length = 0;

  constructor(
    private readonly model: WhisperModel,
    encoderHidden: ort.Tensor,
  ) {
    const { decoderLayers, decoderHeads, headDim } = model.config;
    const empty = () => new ort.Tensor("float32", new Float32Array(0), [1, decoderHeads, 0, headDim]);
    this.feeds = {
      encoder_hidden_states: encoderHidden,
      use_cache_branch: new ort.Tensor("bool", new Uint8Array([0]), [1]),
    };
    for (let l = 0; l < decoderLayers; l++) {
      for (const kind of ["decoder", "encoder"]) {
        this.feeds[`past_key_values.${l}.${kind}.key`] = empty();
        this.feeds[`past_key_values.${l}.${kind}.value`] = empty();
      }
    }
  }

  async step(ids: number[]): Promise<Float32Array> {
    const feeds = this.feeds;
    feeds.input_ids = new ort.Tensor(
      "int64",
      BigInt64Array.from(ids, (i) => BigInt(i)),
      [1, ids.length],
    );
    const out = await this.model.decoder.run(feeds);
    const layers = this.model.config.decoderLayers;
    if (this.first) {
      for (let l = 0; l < layers; l++) {
        feeds[`past_key_values.${l}.encoder.key`] = out[`present.${l}.encoder.key`];
        feeds[`past_key_values.${l}.encoder.value`] = out[`present.${l}.encoder.value`];
      }
      feeds.use_cache_branch = new ort.Tensor("bool", new Uint8Array([1]), [1]);
      this.first = false;
    }
    for (let l = 0; l < layers; l++) {
      feeds[`past_key_values.${l}.decoder.key`] = out[`present.${l}.decoder.key`];
      feeds[`past_key_values.${l}.decoder.value`] = out[`present.${l}.decoder.value`];
    }
    this.length += ids.length;
    const logits = out.logits;
    const V = logits.dims[2];
    const S = logits.dims[1];
    return new Float32Array((logits.data as Float32Array).subarray((S - 1) * V, S * V));
  }
}

/** Logits of the step after <|startoftranscript|> alone: what language detection reads. */
export async function languageLogits(model: WhisperModel, encoderHidden: ort.Tensor): Promise<Float32Array> {
  return new DecoderState(model, encoderHidden).step([model.config.decoderStart]);
}

export interface GreedyOptions extends TimestampRuleOptions {
  maxNewTokens: number;
  signal?: AbortSignal;
}

/** Greedy tokens after `prefix` (eos included when produced), under Whisper's suppression and timestamp rules. */
export async function greedyDecode(
  model: WhisperModel,
  encoderHidden: ort.Tensor,
  prefix: number[],
  opts: GreedyOptions,
): Promise<number[]> {
  const cfg = model.config;
  const room = cfg.maxTargetPositions - prefix.length;
  const limit = Math.max(0, Math.min(opts.maxNewTokens, room));
  const state = new DecoderState(model, encoderHidden);
  const generated: number[] = [];
  let next = prefix;
  while (generated.length < limit) {
    if (opts.signal?.aborted) throw new Error("transcription cancelled");
    const row = await state.step(next);
    applyWhisperRules(row, generated, cfg, opts);
    const tok = argmax(row);
    generated.push(tok);
    if (tok === cfg.eos) break;
    next = [tok];
  }
  return generated;
}
