// The tiny model's configs and tokenizer are self-consistent, and the loader reads every id from the files.
import { parseFeatureConfig, parseWhisperConfig } from "../../helper/voice/transcribe/config";
import { WhisperModelError } from "../../helper/voice/transcribe/errors";
import {
  whisperConfig,
  whisperGenerationConfig,
  WHISPER_PREPROCESSOR_CONFIG,
} from "../../models/build/whisper/configs";
import { TINY_DIMS } from "../../models/build/whisper/dims";
import { buildTokenizerJson, buildVocab } from "../../models/build/whisper/tokenizer";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Tokenizer } = require("@huggingface/tokenizers");

const vocab = buildVocab();
const config = whisperConfig(TINY_DIMS, vocab, {});
const generation = whisperGenerationConfig(vocab);

describe("tiny Whisper configs", () => {
  it("are read back into the ids the vocabulary defines", () => {
    const c = parseWhisperConfig(config, generation);
    expect(c.eos).toBe(vocab.tokens.indexOf("<|endoftext|>"));
    expect(c.decoderStart).toBe(vocab.tokens.indexOf("<|startoftranscript|>"));
    expect(c.noTimestamps).toBe(vocab.tokens.indexOf("<|notimestamps|>"));
    expect(c.timestampBegin).toBe(vocab.tokens.indexOf("<|0.00|>"));
    expect(vocab.tokens[c.timestampBegin + 1500]).toBe("<|30.00|>");
    expect(c.vocabSize).toBe(vocab.tokens.length);
    for (const [tok, id] of Object.entries(c.langToId)) expect(vocab.tokens[id]).toBe(tok);
    expect(vocab.tokens[c.taskToId.transcribe]).toBe("<|transcribe|>");
    expect(c.beginSuppressTokens).toEqual([vocab.tokens.indexOf("\u0120"), c.eos]);
    expect(c.headDim * c.decoderHeads).toBe(c.dModel);
    expect(c.isMultilingual).toBe(true);
    expect(parseFeatureConfig(WHISPER_PREPROCESSOR_CONFIG)).toMatchObject({
      featureSize: 80,
      nFft: 400,
      hopLength: 160,
      nSamples: 480000,
      nbMaxFrames: 3000,
    });
  });

  it("reject a generation config without the ids the loop needs, naming the file", () => {
    const { no_timestamps_token_id: _drop, ...rest } = generation;
    expect(() => parseWhisperConfig(config, rest)).toThrow(WhisperModelError);
    expect(() => parseWhisperConfig(config, rest)).toThrow(
      /generation_config\.json has no numeric "no_timestamps_token_id"/,
    );
    expect(() => parseWhisperConfig(config, { ...generation, task_to_id: {} })).toThrow(/task_to_id/);
  });

  it("ship a byte-level tokenizer that round-trips English and Chinese", () => {
    const tok = new Tokenizer(buildTokenizerJson(vocab), {});
    for (const text of [" Hello editors, welcome back.", " 这个新功能真的太棒了"]) {
      const ids = tok.encode(text, { add_special_tokens: false }).ids as number[];
      expect(ids.every((id) => id < vocab.eos)).toBe(true);
      expect(tok.decode(ids)).toBe(text);
    }
    expect(tok.token_to_id("<|zh|>")).toBe(
      generation.lang_to_id && (generation.lang_to_id as Record<string, number>)["<|zh|>"],
    );
  });
});
