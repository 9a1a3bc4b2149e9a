// Segment parsing and the long-form seek rule on hand-made token sequences (ids from a small made-up layout:
// text < 10 = eos, timestamps from 20 = <|0.00|>, one step = 0.02 s).
import { segmentsFromTokens, seekStep, stripEos } from "../../helper/voice/transcribe/timestamps";

const layout = { eos: 10, timestampBegin: 20, timePrecision: 0.02 };
const ts = (sec: number) => 20 + Math.round(sec / 0.02);

describe("segmentsFromTokens", () => {
  it("turns timestamp pairs into timed segments", () => {
    const tokens = [ts(0), 1, 2, ts(1.5), ts(1.5), 3, ts(2.4)];
    expect(segmentsFromTokens(tokens, layout, 30)).toEqual([
      { start: 0, end: 1.5, tokens: [1, 2] },
      { start: 1.5, end: 2.4, tokens: [3] },
    ]);
  });

  it("ends text cut off by eos or the token limit at the window end, and skips specials", () => {
    const tokens = [ts(0.2), 1, ts(0.8), ts(1), 2, 12, 3];
    expect(segmentsFromTokens(tokens, layout, 7.5)).toEqual([
      { start: 0.2, end: 0.8, tokens: [1] },
      { start: 1, end: 7.5, tokens: [2, 3] },
    ]);
  });

  it("drops pairs with no text between them", () => {
    expect(segmentsFromTokens([ts(0), ts(0.4), ts(0.4), 5, ts(1)], layout, 30)).toEqual([
      { start: 0.4, end: 1, tokens: [5] },
    ]);
  });

  it("strips one final eos only", () => {
    expect(stripEos([ts(0), 1, ts(1), 10], 10)).toEqual([ts(0), 1, ts(1)]);
    expect(stripEos([ts(0), 1], 10)).toEqual([ts(0), 1]);
  });
});

describe("seekStep (sequential long-form)", () => {
  it("seeks to the last complete pair and keeps the tokens before it", () => {
    const tokens = [ts(0), 1, ts(4), ts(4), 2, ts(9.5), ts(9.5), 3];
    // 9.5 s = 475 timestamp steps = 950 mel frames
    expect(seekStep(tokens, 20, 3000)).toEqual({ advanceFrames: 950, keep: 6 });
  });

  it("takes the whole window on a lone final timestamp (the speech ended inside the window)", () => {
    expect(seekStep([ts(0), 1, ts(4), ts(4), 2, ts(6)], 20, 3000)).toEqual({ advanceFrames: 3000, keep: 6 });
  });

  it("takes the whole window when there is no pair at all, or the pair would not move forward", () => {
    expect(seekStep([ts(0), 1, 2], 20, 1234)).toEqual({ advanceFrames: 1234, keep: 3 });
    expect(seekStep([ts(0), ts(0), 1], 20, 3000)).toEqual({ advanceFrames: 3000, keep: 3 });
  });
});
