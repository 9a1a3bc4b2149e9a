// Whisper's logits rules for greedy timestamp decoding, applied in transformers.js's order: suppress_tokens,
// begin_suppress_tokens (first generated position only), then the timestamp rules of
// WhisperTimeStampLogitsProcessor. Pure functions on one row of logits; `generated` is what follows the prefix.
import type { WhisperConfig } from "./config";

const { exp, log } = Math;
const NEG = -Infinity;

export interface TimestampRuleOptions {
  /**
   * Forbid timestamps earlier than the last one (HF Python / openai-whisper). transformers.js 4.3 does not do
   * this; the equivalence test turns it off.
   */
  monotonic: boolean;
  /**
   * The first timestamp may be at most this index (50 = 1.00 s in whisper-base's config); null: no limit.
   * transformers.js 4.3 never applies it (its check sits after a `continue`), HF Python does.
   */
  maxInitialTimestampIndex: number | null;
}

export type RuleConfig = Pick<
  WhisperConfig,
  "eos" | "noTimestamps" | "timestampBegin" | "suppressTokens" | "beginSuppressTokens"
>;

export function applyWhisperRules(
  row: Float32Array,
  generated: readonly number[],
  cfg: RuleConfig,
  opts: TimestampRuleOptions,
): void {
  for (const id of cfg.suppressTokens) if (id < row.length) row[id] = NEG;
  if (generated.length === 0) for (const id of cfg.beginSuppressTokens) if (id < row.length) row[id] = NEG;
  applyTimestampRules(row, generated, cfg, opts);
}

export function applyTimestampRules(
  row: Float32Array,
  generated: readonly number[],
  cfg: RuleConfig,
  opts: TimestampRuleOptions,
): void {
  const tsBegin = cfg.timestampBegin;
  row[cfg.noTimestamps] = NEG;
  const n = generated.length;
  if (n === 0) {
    // the first token is a timestamp
    row.fill(NEG, 0, tsBegin);
    if (opts.maxInitialTimestampIndex !== null) row.fill(NEG, tsBegin + opts.maxInitialTimestampIndex + 1);
    return;
  }
  const lastTs = generated[n - 1] >= tsBegin;
  const penultimateTs = n < 2 || generated[n - 2] >= tsBegin;
  if (lastTs) {
    if (penultimateTs)
      row.fill(NEG, tsBegin); // a pair just closed: text (or eos) next
    else row.fill(NEG, 0, cfg.eos); // an opening timestamp after text: its closing partner or eos next
  }
  if (opts.monotonic) {
    let last = -1;
    for (let i = n - 1; i >= 0; i--)
      if (generated[i] >= tsBegin) {
        last = generated[i];
        break;
      }
    if (last >= 0) row.fill(NEG, tsBegin, lastTs && !penultimateTs ? last : last + 1);
  }
  // when all timestamps together are likelier than the best text token, a timestamp it is
  let top = NEG;
  for (let i = 0; i < row.length; i++) if (row[i] > top) top = row[i];
  if (top === NEG) return;
  let sumTs = 0;
  for (let i = tsBegin; i < row.length; i++) sumTs += exp(row[i] - top);
  let maxText = NEG;
  for (let i = 0; i < tsBegin; i++) if (row[i] > maxText) maxText = row[i];
  if (sumTs > 0 && log(sumTs) + top > maxText) row.fill(NEG, 0, tsBegin);
}

export function argmax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}
