// Generated tokens of one window -> timed segments, and how far the window lets the next one start (Whisper's
// sequential long-form: seek to the last complete timestamp pair, else past the whole window).

export interface RawSegment {
  /** Seconds from the window start. */
  start: number;
  end: number;
  /** Text tokens (ids below eos) of the segment. */
  tokens: number[];
}

export interface TokenLayout {
  eos: number;
  timestampBegin: number;
  /** Seconds per timestamp step (0.02). */
  timePrecision: number;
}

/** Drops a final eos. */
export function stripEos(tokens: readonly number[], eos: number): number[] {
  return tokens.length > 0 && tokens[tokens.length - 1] === eos ? tokens.slice(0, -1) : [...tokens];
}

/**
 * Text between an opening and a closing timestamp becomes a segment. Text after the last timestamp (cut off by
 * eos or the token limit) ends at `windowEnd` seconds. Specials between eos and the timestamps are not text.
 */
export function segmentsFromTokens(tokens: readonly number[], layout: TokenLayout, windowEnd: number): RawSegment[] {
  const { eos, timestampBegin, timePrecision } = layout;
  const out: RawSegment[] = [];
  let start: number | null = null;
  let text: number[] = [];
  for (const tok of tokens) {
    if (tok >= timestampBegin) {
      const t = (tok - timestampBegin) * timePrecision;
      if (start === null) start = t;
      else {
        if (text.length > 0) out.push({ start, end: Math.max(start, t), tokens: text });
        start = null;
        text = [];
      }
    } else if (tok < eos) {
      if (start === null) start = out.length > 0 ? out[out.length - 1].end : 0;
      text.push(tok);
    }
  }
  if (start !== null && text.length > 0) out.push({ start, end: Math.max(start, windowEnd), tokens: text });
  return out;
}

export interface SeekStep {
  /** Mel frames to advance the seek by (> 0). */
  advanceFrames: number;
  /** How many of the window's tokens to keep (the rest are re-decoded in the next window). */
  keep: number;
}

/**
 * transformers.js's `_generate_with_seek` / HF Python: with consecutive timestamp pairs and no lone final
 * timestamp, cut after the last pair and seek to its time; otherwise take the whole window. A cut that would not
 * move forward (a pair at <|0.00|>) takes the whole window too, so the loop always ends.
 * @param windowFrames mel frames in this window (3000, or fewer for the last one)
 * @param inputStride mel frames per timestamp step (2: the encoder halves 3000 frames to 1500 positions)
 */
export function seekStep(
  tokens: readonly number[],
  timestampBegin: number,
  windowFrames: number,
  inputStride = 2,
): SeekStep {
  const isTs = tokens.map((t) => t >= timestampBegin);
  const n = tokens.length;
  const singleEnding = n >= 2 && isTs[n - 1] && !isTs[n - 2];
  let lastBoundary = -1;
  for (let i = 0; i < n - 1; i++) if (isTs[i] && isTs[i + 1]) lastBoundary = i + 1;
  if (lastBoundary < 0 || singleEnding) return { advanceFrames: windowFrames, keep: n };
  const advance = (tokens[lastBoundary - 1] - timestampBegin) * inputStride;
  if (advance <= 0) return { advanceFrames: windowFrames, keep: n };
  return { advanceFrames: Math.min(advance, windowFrames), keep: lastBoundary };
}
