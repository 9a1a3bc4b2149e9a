// Window placement over long clips (16 kHz, hop 160: 100 mel frames per second, 3000 per window).
import { fixedWindows, totalFrames, windowAt } from "../../helper/voice/transcribe/windows";

describe("Whisper windows", () => {
  it("cuts a 70 s clip into 30 + 30 + 10 s when every window is taken whole", () => {
    const w = fixedWindows(70 * 16000, 160, 3000);
    expect(w.map((x) => [x.startSample / 16000, x.samples / 16000, x.frames])).toEqual([
      [0, 30, 3000],
      [30, 30, 3000],
      [60, 10, 1000],
    ]);
  });

  it("places a window at any seek and ends at the clip", () => {
    expect(windowAt(950, 20 * 16000, 160, 3000)).toEqual({ startSample: 152000, samples: 168000, frames: 1050 });
    expect(windowAt(2000, 20 * 16000, 160, 3000)).toBeNull();
    expect(fixedWindows(0, 160, 3000)).toEqual([]);
  });

  it("counts a partial last hop as a frame", () => {
    expect(totalFrames(16001, 160)).toBe(101);
    expect(fixedWindows(30 * 16000 + 1, 160, 3000)).toHaveLength(2);
  });
});
