// A take's codes file round-trips its grid and header, and a damaged one is named as such.
import { decodeTakeCodes, encodeTakeCodes } from "../../helper/service/take-codes";
import { planContinuation, promptFramesOf } from "../../helper/engine/generation/continuation";
import { planWindows } from "../../helper/engine/generation/windows";

const header = {
  frame_rate: 50,
  model: "/m",
  variant: "fp32",
  prompt: "calm piano",
  seed: 7,
  settings: { guidance_scale: 3, top_k: 250, temperature: 1, loudness_lufs: -14, bed_level_db: -12 },
  generated_sec: 2,
  trim_start_sec: 0.12,
  duration_sec: 1,
};

describe("take codes", () => {
  it("round-trips the grid as int16, and as int32 when a token does not fit", () => {
    const codes = [0, 1, 2, 3].map((k) => Int32Array.from({ length: 5 }, (_, f) => k * 100 + f * 7));
    const small = decodeTakeCodes(encodeTakeCodes(codes, header));
    expect(small.header).toMatchObject({ ...header, codebooks: 4, frames: 5, dtype: "int16" });
    expect(small.codes.map((r) => Array.from(r))).toEqual(codes.map((r) => Array.from(r)));
    codes[2][3] = 70000;
    const wide = decodeTakeCodes(encodeTakeCodes(codes, header));
    expect(wide.header.dtype).toBe("int32");
    expect(wide.codes[2][3]).toBe(70000);
  });

  it("refuses a file that is not one, or cut short", () => {
    const bytes = encodeTakeCodes([Int32Array.of(1, 2)], header);
    expect(() => decodeTakeCodes(Buffer.from("hello world"))).toThrow(/not a codes file/);
    expect(() => decodeTakeCodes(bytes.subarray(0, bytes.length - 1))).toThrow(/wrong length/);
  });
});

describe("continuation windows", () => {
  it("are planWindows without known frames, and stretch the first prompt over the known frames", () => {
    expect(planContinuation(2000, 0)).toEqual(planWindows(2000));
    expect(planContinuation(600, 250)).toEqual([{ offset: 0, promptFrames: 250, frames: 600 }]);
    // a take longer than one window: windows wholly inside it are skipped
    expect(planContinuation(3000, 1600)).toEqual([
      { offset: 900, promptFrames: 700, frames: 1500 },
      { offset: 1800, promptFrames: 600, frames: 1200 },
    ]);
    expect(() => planContinuation(100, 100)).toThrow(RangeError);
  });

  it("keep all of a take's frames but the last K - 1", () => {
    expect(promptFramesOf(100, 4)).toBe(97);
    expect(promptFramesOf(2, 4)).toBe(0);
  });
});
