// Exact-duration maths: how many EnCodec frames and samples a requested length needs.

export const MIN_DURATION_SEC = 0.5;
export const MAX_DURATION_SEC = 300;

/** Frames that cover `seconds` at `frameRate`: ceil(frameRate·seconds), robust to 50·3.7 = 185.00000000000003. */
export function framesFor(seconds: number, frameRate = 50): number {
  return Math.ceil(Math.round(seconds * frameRate * 1e6) / 1e6);
}

/** Samples of exactly `seconds` at `sampleRate`: round(sampleRate·seconds). */
export function samplesFor(seconds: number, sampleRate: number): number {
  return Math.round(seconds * sampleRate);
}

/** Throws a RangeError that names the limits unless `seconds` is within [0.5, 300]. */
export function checkDuration(seconds: number): void {
  if (!Number.isFinite(seconds) || seconds < MIN_DURATION_SEC || seconds > MAX_DURATION_SEC) {
    throw new RangeError(
      `duration must be between ${MIN_DURATION_SEC} and ${MAX_DURATION_SEC} seconds, got ${seconds}`,
    );
  }
}
