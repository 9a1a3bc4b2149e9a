// A small T5-style SentencePiece Unigram tokenizer.json, in the same schema as t5-base's, so the engine's
// tokenizer code (and transformers.js) load it exactly as they load the real one.

const WORDS = (
  "a an and the of for with in on to by no not music background upbeat calm chill tense dreamy mechanical clean lo-fi " +
  "warm crisp distant light heavy soft gentle bright dark driving slow fast medium tempo bpm beat beats rhythm melody " +
  "synth synths piano guitar acoustic electric bass bassline drums drum percussion strings string cello violin harp " +
  "ukulele orchestral orchestra cinematic epic ambient pad pads texture swell sting logo intro outro theme closing " +
  "credits fade out transition smooth rising hit deep short long seconds tech product reveal modern confident " +
  "friendly educational tutorial vlog morning coffee vibe rain sounds cheerful inspiring glissando timpani pulse " +
  "suspenseful tension uplifting grounded hopeful sincere subtle vocals narration video demo study focus game over " +
  "screen jingle happy sad playful serious romantic mysterious jazz rock pop electronic hip hop lofi house techno " +
  "classical folk country blues funk groove chords arpeggio solo warm analog 8-bit chiptune"
).split(" ");

export function buildTokenizerJson(): { json: object; vocabSize: number } {
  const vocab: [string, number][] = [["<pad>", 0], ["</s>", 0], ["<unk>", 0], ["▁", -3]];
  const seen = new Set(vocab.map(([p]) => p));
  const add = (piece: string, score: number) => {
    if (!seen.has(piece)) {
      seen.add(piece);
      vocab.push([piece, score]);
    }
  };
  WORDS.forEach((w, i) => add(`▁${w}`, -4 - i / 1000));
  // single characters so any ASCII text tokenizes (T5 has no byte fallback: anything else is <unk>)
  const chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:!?'\"-()/&#+%";
  for (const c of chars) add(c, -9);
  for (const c of chars) add(`▁${c}`, -8);
  const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  const json = {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: [special(0, "<pad>"), special(1, "</s>"), special(2, "<unk>")],
    normalizer: { type: "Sequence", normalizers: [{ type: "NFKC" }, { type: "Replace", pattern: { Regex: " {2,}" }, content: " " }] },
    pre_tokenizer: { type: "Metaspace", replacement: "▁", prepend_scheme: "always", split: true },
    post_processor: {
      type: "TemplateProcessing",
      single: [{ Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "</s>", type_id: 0 } }],
      pair: [{ Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "</s>", type_id: 0 } }, { Sequence: { id: "B", type_id: 0 } }, { SpecialToken: { id: "</s>", type_id: 0 } }],
      special_tokens: { "</s>": { id: "</s>", ids: [1], tokens: ["</s>"] } },
    },
    decoder: { type: "Metaspace", replacement: "▁", prepend_scheme: "always", split: true },
    model: { type: "Unigram", unk_id: 2, vocab, byte_fallback: false },
  };
  return { json, vocabSize: vocab.length };
}

export const TOKENIZER_CONFIG = {
  tokenizer_class: "T5Tokenizer",
  eos_token: "</s>",
  pad_token: "<pad>",
  unk_token: "<unk>",
  extra_ids: 0,
  model_max_length: 512,
  clean_up_tokenization_spaces: true,
};

export const SPECIAL_TOKENS_MAP = { eos_token: "</s>", pad_token: "<pad>", unk_token: "<unk>" };
