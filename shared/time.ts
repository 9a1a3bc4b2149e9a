/**
 * Premiere Pro time maths, pure and exact.
 *
 * Premiere counts time in ticks: 254,016,000,000 per second (divisible by every common frame and sample
 * rate, so 23.976, 25, 29.97, 48 kHz… all land on whole ticks). A 2-hour timeline is 1.8e15 ticks, past
 * what a float can hold with a frame's precision in sums and products, and tick strings from the API can
 * exceed 2^53: everything here is BigInt, and values cross API boundaries as decimal strings.
 *
 * The one home of time maths: the panel (plugin/core, plugin/ui, plugin/host) and the tests
 * import it; no platform APIs.
 */

/** Ticks per second in Premiere Pro. */
export const TICKS_PER_SECOND = 254016000000n;

/** A tick count as Premiere's API writes it: a decimal integer string, e.g. "8475667200". */
export type TickString = string;

/** Anything the functions below accept as a tick count. */
export type TickLike = bigint | TickString | number;

const TICK_STRING = /^-?\d+$/;

/** True when `value` is a decimal integer string (what `TickTime.ticks` returns and `createWithTicks` wants). */
export function isTickString(value: unknown): value is TickString {
  return typeof value === "string" && TICK_STRING.test(value);
}

/**
 * Reads a tick count. Strings must be decimal integers ("1.5" and "1e9" are refused: a fraction of a tick means
 * the caller mixed up seconds and ticks); numbers must be safe integers.
 */
export function toTicks(value: TickLike): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "string") {
    const trimmed = value.trim();
    if (!TICK_STRING.test(trimmed))
      throw new RangeError(`Not a tick count: ${JSON.stringify(value)} (expected a decimal integer string)`);
    return BigInt(trimmed);
  }
  if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
  throw new RangeError(`Not a tick count: ${String(value)} (expected an integer; convert seconds with secondsToTicks)`);
}

/** Tick count as Premiere's decimal string. */
export function ticksToString(ticks: TickLike): TickString {
  return toTicks(ticks).toString();
}

/**
 * Seconds to ticks, rounded to the nearest tick. The whole and fractional seconds are converted separately so
 * long times keep their precision (15.5 s is exactly 3937248000000 ticks).
 */
export function secondsToTicks(seconds: number): bigint {
  if (!Number.isFinite(seconds)) throw new RangeError(`Not a time in seconds: ${seconds}`);
  const whole = Math.trunc(seconds);
  const fraction = seconds - whole;
  return BigInt(whole) * TICKS_PER_SECOND + BigInt(Math.round(fraction * Number(TICKS_PER_SECOND)));
}

/** Ticks to seconds (a float: for display and for the helper's duration_sec, never for placing clips). */
export function ticksToSeconds(ticks: TickLike): number {
  const t = toTicks(ticks);
  const whole = t / TICKS_PER_SECOND;
  const rest = t % TICKS_PER_SECOND;
  return Number(whole) + Number(rest) / Number(TICKS_PER_SECOND);
}

/** The integer or NTSC (×1000/1001) rate an fps value stands for, as a fraction numerator/denominator. */
function frameRateFraction(fps: number): { num: bigint; den: bigint } {
  if (!Number.isFinite(fps) || fps <= 0) throw new RangeError(`Not a frame rate: ${fps}`);
  const rounded = Math.round(fps);
  if (Math.abs(fps - rounded) < 1e-6) return { num: BigInt(rounded), den: 1n };
  const ntscBase = Math.round((fps * 1001) / 1000);
  if (Math.abs(fps - (ntscBase * 1000) / 1001) < 0.005) return { num: BigInt(ntscBase) * 1000n, den: 1001n };
  // Any other rate: to a millionth of a frame per second.
  return { num: BigInt(Math.round(fps * 1e6)), den: 1000000n };
}

/**
 * Ticks per frame for a frame rate. NTSC rates given as 23.976 / 29.97 / 59.94 are read as 24000/1001,
 * 30000/1001, 60000/1001: 29.97 fps is exactly 8475667200 ticks per frame, 25 fps 10160640000.
 */
export function ticksPerFrameForFps(fps: number): bigint {
  const { num, den } = frameRateFraction(fps);
  // Round to the nearest tick (exact for every rate Premiere offers).
  return (TICKS_PER_SECOND * den * 2n + num) / (num * 2n);
}

/** Frames per second for a ticks-per-frame timebase (29.97002997… for 8475667200). */
export function fpsFromTicksPerFrame(ticksPerFrame: TickLike): number {
  const tpf = positiveTicks(ticksPerFrame, "ticks per frame");
  return Number(TICKS_PER_SECOND) / Number(tpf);
}

export type FrameRounding = "nearest" | "floor" | "ceil";

/** Integer division of a by b (b > 0) with the rounding asked for; BigInt `/` truncates toward zero. */
function divRound(a: bigint, b: bigint, rounding: FrameRounding): bigint {
  const q = a / b;
  const r = a % b;
  if (r === 0n) return q;
  const floor = a < 0n ? q - 1n : q;
  if (rounding === "floor") return floor;
  if (rounding === "ceil") return floor + 1n;
  // nearest, halves away from zero
  const twiceRem = (a - floor * b) * 2n; // in [0, 2b)
  if (twiceRem > b) return floor + 1n;
  if (twiceRem < b) return floor;
  return a < 0n ? floor : floor + 1n;
}

function positiveTicks(value: TickLike, what: string): bigint {
  const t = toTicks(value);
  if (t <= 0n) throw new RangeError(`${what} must be positive, got ${t}`);
  return t;
}

/** Snaps a time to a frame boundary of the sequence (nearest by default, halves away from zero). */
export function snapTicksToFrame(
  ticks: TickLike,
  ticksPerFrame: TickLike,
  rounding: FrameRounding = "nearest",
): bigint {
  const tpf = positiveTicks(ticksPerFrame, "ticks per frame");
  return divRound(toTicks(ticks), tpf, rounding) * tpf;
}

/** True when the time sits exactly on a frame boundary. */
export function isFrameAligned(ticks: TickLike, ticksPerFrame: TickLike): boolean {
  return toTicks(ticks) % positiveTicks(ticksPerFrame, "ticks per frame") === 0n;
}

/** Frame index a time falls in (floor by default). */
export function ticksToFrames(ticks: TickLike, ticksPerFrame: TickLike, rounding: FrameRounding = "floor"): bigint {
  return divRound(toTicks(ticks), positiveTicks(ticksPerFrame, "ticks per frame"), rounding);
}

/** Start time of a frame. */
export function framesToTicks(frames: bigint | number, ticksPerFrame: TickLike): bigint {
  const f = typeof frames === "bigint" ? frames : toTicks(frames);
  return f * positiveTicks(ticksPerFrame, "ticks per frame");
}

/**
 * Whole frames from `startTicks` to `endTicks` (negative when end is before start), rounded to the nearest
 * frame. Frame counts of any real timeline fit a number.
 */
export function framesBetween(startTicks: TickLike, endTicks: TickLike, ticksPerFrame: TickLike): number {
  const span = toTicks(endTicks) - toTicks(startTicks);
  return Number(divRound(span, positiveTicks(ticksPerFrame, "ticks per frame"), "nearest"));
}

/** Half-open ranges [aStart, aEnd) and [bStart, bEnd) share at least one tick. */
export function rangesOverlap(aStart: TickLike, aEnd: TickLike, bStart: TickLike, bEnd: TickLike): boolean {
  return toTicks(aStart) < toTicks(bEnd) && toTicks(bStart) < toTicks(aEnd);
}

export function maxTicks(...values: TickLike[]): bigint {
  if (values.length === 0) throw new RangeError("maxTicks needs at least one value");
  return values.map(toTicks).reduce((a, b) => (b > a ? b : a));
}

export function minTicks(...values: TickLike[]): bigint {
  if (values.length === 0) throw new RangeError("minTicks needs at least one value");
  return values.map(toTicks).reduce((a, b) => (b < a ? b : a));
}

/**
 * Non-drop-frame timecode HH:MM:SS:FF for display. NTSC rates count nominal frames (30 for 29.97), as
 * Premiere's NDF display does.
 */
export function ticksToTimecode(ticks: TickLike, ticksPerFrame: TickLike): string {
  const tpf = positiveTicks(ticksPerFrame, "ticks per frame");
  const t = toTicks(ticks);
  const sign = t < 0n ? "-" : "";
  const frames = divRound(t < 0n ? -t : t, tpf, "floor");
  const nominal = BigInt(Math.round(Number(TICKS_PER_SECOND) / Number(tpf)));
  const ff = frames % nominal;
  const totalSeconds = frames / nominal;
  const ss = totalSeconds % 60n;
  const mm = (totalSeconds / 60n) % 60n;
  const hh = totalSeconds / 3600n;
  const two = (v: bigint) => v.toString().padStart(2, "0");
  return `${sign}${two(hh)}:${two(mm)}:${two(ss)}:${two(ff)}`;
}
