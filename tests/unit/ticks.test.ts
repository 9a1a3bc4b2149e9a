import {
  TICKS_PER_SECOND,
  fpsFromTicksPerFrame,
  framesBetween,
  framesToTicks,
  isFrameAligned,
  isTickString,
  maxTicks,
  minTicks,
  rangesOverlap,
  secondsToTicks,
  snapTicksToFrame,
  ticksPerFrameForFps,
  ticksToFrames,
  ticksToSeconds,
  ticksToString,
  ticksToTimecode,
  toTicks,
} from "../../shared/time";

const TPF_2997 = 8475667200n;
const TPF_25 = 10160640000n;

describe("Premiere ticks", () => {
  it("counts 254016000000 ticks per second", () => {
    expect(TICKS_PER_SECOND).toBe(254016000000n);
  });

  it("knows the timebase of every common frame rate", () => {
    expect(ticksPerFrameForFps(29.97)).toBe(8475667200n);
    expect(ticksPerFrameForFps(25)).toBe(10160640000n);
    expect(ticksPerFrameForFps(23.976)).toBe(10594584000n);
    expect(ticksPerFrameForFps(24)).toBe(10584000000n);
    expect(ticksPerFrameForFps(30)).toBe(8467200000n);
    expect(ticksPerFrameForFps(50)).toBe(5080320000n);
    expect(ticksPerFrameForFps(59.94)).toBe(4237833600n);
    expect(ticksPerFrameForFps(60)).toBe(4233600000n);
    expect(() => ticksPerFrameForFps(0)).toThrow(RangeError);
  });

  it("reads the frame rate back from a timebase", () => {
    expect(fpsFromTicksPerFrame("10160640000")).toBe(25);
    expect(fpsFromTicksPerFrame(TPF_2997)).toBeCloseTo(30000 / 1001, 9);
    expect(() => fpsFromTicksPerFrame("0")).toThrow(RangeError);
  });

  it("converts seconds exactly, also past 2^53 ticks", () => {
    expect(secondsToTicks(1)).toBe(TICKS_PER_SECOND);
    expect(secondsToTicks(15.5)).toBe(3937248000000n);
    expect(secondsToTicks(0.1)).toBe(25401600000n);
    // 10 hours = 9144576000000000 ticks, beyond Number.MAX_SAFE_INTEGER (9007199254740991)
    expect(secondsToTicks(36000)).toBe(9144576000000000n);
    expect(secondsToTicks(36000.5)).toBe(9144703008000000n);
    expect(ticksToSeconds("3937248000000")).toBe(15.5);
    expect(ticksToSeconds(9144703008000000n)).toBe(36000.5);
    expect(() => secondsToTicks(Number.NaN)).toThrow(RangeError);
  });

  it("reads tick strings as BigInt and refuses fractions", () => {
    expect(toTicks("18014398509481985")).toBe(18014398509481985n);
    expect(ticksToString(18014398509481985n)).toBe("18014398509481985");
    expect(toTicks(42)).toBe(42n);
    expect(isTickString("8475667200")).toBe(true);
    expect(isTickString("-5")).toBe(true);
    expect(isTickString("1.5")).toBe(false);
    expect(isTickString(15)).toBe(false);
    expect(() => toTicks("1.5")).toThrow(RangeError);
    expect(() => toTicks("1e9")).toThrow(RangeError);
    expect(() => toTicks(1.5)).toThrow(/secondsToTicks/);
  });

  it("snaps to frames: nearest, floor and ceil", () => {
    // 1.476 frames at 25 fps
    expect(snapTicksToFrame(15000000000n, TPF_25)).toBe(TPF_25);
    expect(snapTicksToFrame(15000000000n, TPF_25, "floor")).toBe(TPF_25);
    expect(snapTicksToFrame(15000000000n, TPF_25, "ceil")).toBe(2n * TPF_25);
    // exactly half a frame goes away from zero
    expect(snapTicksToFrame(TPF_25 / 2n, TPF_25)).toBe(TPF_25);
    expect(snapTicksToFrame(-TPF_25 / 2n, TPF_25)).toBe(-TPF_25);
    // 10 s at 29.97 is 299.7 frames
    expect(snapTicksToFrame(secondsToTicks(10), TPF_2997)).toBe(300n * TPF_2997);
    expect(snapTicksToFrame(secondsToTicks(10), "8475667200", "floor")).toBe(299n * TPF_2997);
    expect(isFrameAligned(300n * TPF_2997, TPF_2997)).toBe(true);
    expect(isFrameAligned(secondsToTicks(10), TPF_2997)).toBe(false);
    expect(() => snapTicksToFrame(1n, 0n)).toThrow(RangeError);
  });

  it("counts frames", () => {
    expect(framesBetween("0", secondsToTicks(10), TPF_25)).toBe(250);
    expect(framesBetween(0n, TICKS_PER_SECOND, TPF_2997)).toBe(30); // 29.97 rounds to 30
    expect(framesBetween(secondsToTicks(10), 0n, TPF_25)).toBe(-250);
    expect(ticksToFrames(secondsToTicks(1), TPF_2997)).toBe(29n);
    expect(framesToTicks(300, TPF_2997)).toBe(2542700160000n);
  });

  it("compares ranges half-open", () => {
    expect(rangesOverlap(0n, 10n, 10n, 20n)).toBe(false);
    expect(rangesOverlap(0n, 11n, 10n, 20n)).toBe(true);
    expect(rangesOverlap("5", "6", "0", "100")).toBe(true);
    expect(maxTicks("3", 7n, 5)).toBe(7n);
    expect(minTicks("3", 7n, 5)).toBe(3n);
  });

  it("formats timecode", () => {
    expect(ticksToTimecode(secondsToTicks(3600) + TPF_25, TPF_25)).toBe("01:00:00:01");
    expect(ticksToTimecode(0n, TPF_2997)).toBe("00:00:00:00");
    expect(ticksToTimecode(29n * TPF_2997, TPF_2997)).toBe("00:00:00:29");
    expect(ticksToTimecode(30n * TPF_2997, TPF_2997)).toBe("00:00:01:00");
  });
});
