// A MusicGen folder's config.json: the numbers the engine needs, and one clear model_corrupt error naming the key.
import { EngineError } from "../../helper/engine/errors";
import { parseMusicgenConfig } from "../../helper/engine/config";

const GOOD = {
  model_type: "musicgen",
  decoder: { hidden_size: 8, num_attention_heads: 2, num_codebooks: 4, num_hidden_layers: 1, vocab_size: 2048 },
  audio_encoder: { sampling_rate: 32000 },
  architectures: ["MusicgenForConditionalGeneration"],
};

describe("parseMusicgenConfig", () => {
  it("reads the numbers, with the published defaults for what a config may leave out", () => {
    expect(parseMusicgenConfig(GOOD)).toEqual({
      codebooks: 4,
      codebookSize: 2048,
      padToken: 2048,
      decoderStartToken: 2048,
      layers: 1,
      heads: 2,
      headDim: 4,
      sampleRate: 32000,
      frameRate: 50,
      hopLength: 640,
      contractModel: false,
    });
    expect(
      parseMusicgenConfig({ ...GOOD, decoder_start_token_id: 7, cuesmith_contract_model: { v: 1 } }),
    ).toMatchObject({ decoderStartToken: 7, contractModel: true });
  });

  it.each([
    [null, /not a JSON object/],
    [[], /not a JSON object/],
    [{ ...GOOD, model_type: "bert" }, /model_type must be one of "musicgen", got the string "bert"/],
    [{ model_type: "musicgen" }, /decoder is required/],
    [{ ...GOOD, decoder: { ...GOOD.decoder, vocab_size: "2048" } }, /decoder\.vocab_size must be a number/],
    [{ ...GOOD, audio_encoder: {} }, /audio_encoder\.sampling_rate is required/],
  ])("refuses %j as model_corrupt, naming the key", (raw, why) => {
    const err = (() => {
      try {
        parseMusicgenConfig(raw, "/m/config.json");
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(EngineError);
    expect(err).toMatchObject({ code: "model_corrupt", file: "/m/config.json" });
    expect((err as Error).message).toMatch(/^\/m\/config\.json is not a MusicGen config: /);
    expect((err as Error).message).toMatch(why);
  });
});
