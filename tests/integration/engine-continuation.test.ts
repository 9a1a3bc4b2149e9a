// Continuation on the real engine with a tiny contract model: a take's codes, teacher-forced as the prompt of a
// longer decode, give exactly what one longer decode gives (greedy sampling), and the audio's opening is the same.
import { MusicGenEngine } from "../../helper/engine/musicgen";
import { EngineError } from "../../helper/engine/errors";
import { promptFramesOf } from "../../helper/engine/generation/continuation";
import { tinyModelDir } from "../helpers/contract-model";

let engine: MusicGenEngine;

beforeAll(async () => {
  engine = await MusicGenEngine.load(await tinyModelDir(), { provider: "cpu" });
});

const rows = (codes: Int32Array[]) => codes.map((r) => Array.from(r));
const greedy = { prompts: ["warm piano"], seed: 5, topK: 1 };

describe("continuation", () => {
  it("greedy continuation of a short take equals a one-shot greedy decode of the longer length", async () => {
    const short = await engine.generate({ ...greedy, durationSec: 1 });
    const long = await engine.generate({ ...greedy, durationSec: 2.4 });
    const known = promptFramesOf(short.codes[0][0].length, short.codes[0].length);
    const promptCodes = short.codes[0].map((r) => r.slice(0, known));
    // the faithful prefix of the short take is the long decode's prefix
    expect(rows(promptCodes)).toEqual(rows(long.codes[0].map((r) => r.slice(0, known))));
    const continued = await engine.generate({ ...greedy, durationSec: 2.4, promptCodes: [promptCodes] });
    expect(rows(continued.codes[0])).toEqual(rows(long.codes[0]));
    expect(continued.steps).toBeLessThan(long.steps); // the known frames are fed at once, not decoded again
  });

  it("keeps the opening with sampling too, and refuses prompt codes that cover the whole length", async () => {
    const take = await engine.generate({ prompts: ["lo-fi beat"], durationSec: 1, seed: 9 });
    const known = promptFramesOf(take.codes[0][0].length, 4);
    const promptCodes = take.codes[0].map((r) => r.slice(0, known));
    const continued = await engine.generate({
      prompts: ["lo-fi beat"],
      durationSec: 2,
      seed: 9,
      promptCodes: [promptCodes],
    });
    expect(rows(continued.codes[0].map((r) => r.slice(0, known)))).toEqual(rows(promptCodes));
    await expect(
      engine.generate({ prompts: ["x"], durationSec: 0.5, promptCodes: [take.codes[0]] }),
    ).rejects.toBeInstanceOf(EngineError);
  });
});
