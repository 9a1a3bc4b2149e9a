/**
 * Time maths for the panel. The implementation lives in shared/time.ts (pure, BigInt, shared with the helper);
 * this module is the panel's entry point to it.
 */
export {
  TICKS_PER_SECOND,
  isTickString,
  toTicks,
  ticksToString,
  secondsToTicks,
  ticksToSeconds,
  ticksPerFrameForFps,
  fpsFromTicksPerFrame,
  snapTicksToFrame,
  isFrameAligned,
  ticksToFrames,
  framesToTicks,
  framesBetween,
  rangesOverlap,
  maxTicks,
  minTicks,
  ticksToTimecode,
} from "../../shared/time";
export type { TickString, TickLike, FrameRounding } from "../../shared/time";
