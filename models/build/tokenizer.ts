// A small T5-style SentencePiece Unigram tokenizer in the exact tokenizer.json schema of t5-base
// (ids 0 <pad>, 1 </s>, 2 <unk>; Metaspace "▁"; </s> appended). Whole music words score higher than
// their spelling, and every printable ASCII character is a piece, so any ASCII prompt tokenizes without <unk>.

const SPACE = "\u2581"; // ▁

// Prompt words a music-bed tool sees; each becomes one "▁word" piece.
const WORDS = `
a an and the with of in on for to at by from into over under without very more less some no not
music song track beat beats loop groove melody harmony rhythm bass drum drums percussion kick snare hihat hat
cymbal clap shaker tambourine piano keys organ synth synths synthesizer pad pads lead arp arpeggio pluck
guitar guitars acoustic electric strings string violin viola cello orchestra orchestral brass horn horns
trumpet trombone sax saxophone flute clarinet choir vocal vocals voice chant bell bells marimba harp
ambient cinematic epic upbeat uplifting happy sad dark bright warm cold calm chill relaxing relaxed
energetic driving intense dramatic tense suspense suspenseful mysterious dreamy emotional inspiring
hopeful peaceful playful quirky funky groovy smooth soft hard heavy light gentle slow fast medium
tempo bpm minor major key loud quiet deep lofi lo fi hip hop rap trap house techno trance edm dubstep
electronic pop rock indie folk jazz blues soul funk disco reggae latin country classical cinematic
corporate documentary trailer background intro outro build drop bridge chorus verse ending
minimal simple rich lush sparse layered atmospheric texture textures noise retro vintage modern
eighties nineties analog digital distorted clean reverb echo delay filtered sweeping rising falling
sunny summer winter night morning rain ocean space cosmic tropical urban city nature forest
video vlog podcast commercial advert ad game film movie scene travel sports workout party dance
love romantic nostalgic melancholic triumphant heroic adventure action battle victory calm
solo duet ensemble band live studio recording high low quality stereo mono short long
one two three four five six seven eight nine ten
`;

// Common endings, so inflected words split into a word piece and a suffix instead of letters.
const SUFFIXES = [
  "s",
  "es",
  "ed",
  "ing",
  "er",
  "ers",
  "ly",
  "y",
  "al",
  "ic",
  "ful",
  "ness",
  "ment",
  "tion",
  "ive",
  "ous",
  "ish",
  "est",
];

export interface TokenizerFiles {
  tokenizerJson: Record<string, unknown>;
  tokenizerConfig: Record<string, unknown>;
  specialTokensMap: Record<string, unknown>;
  vocabSize: number;
}

const SPECIALS = ["<pad>", "</s>", "<unk>"] as const;

export function buildVocab(): [string, number][] {
  const vocab: [string, number][] = SPECIALS.map((t) => [t, 0]);
  const seen = new Set<string>(SPECIALS);
  const add = (piece: string, score: number) => {
    if (!seen.has(piece)) {
      seen.add(piece);
      vocab.push([piece, score]);
    }
  };
  add(SPACE, -2);
  const words = WORDS.split(/\s+/).filter(Boolean);
  words.forEach((word, i) => add(SPACE + word, -6 - i * 0.001));
  // T5 is case-sensitive: capitalized forms too, so "Upbeat" at the start of a prompt stays one piece
  words.forEach((word, i) => add(SPACE + word[0].toUpperCase() + word.slice(1), -7 - i * 0.001));
  SUFFIXES.forEach((suffix, i) => add(suffix, -8 - i * 0.001));
  const printable = Array.from({ length: 126 - 33 + 1 }, (_, i) => String.fromCharCode(33 + i));
  printable.forEach((ch, i) => add(SPACE + ch, -9.5 - i * 0.001));
  printable.forEach((ch, i) => add(ch, -10 - i * 0.001));
  return vocab;
}

export function buildTokenizer(): TokenizerFiles {
  const vocab = buildVocab();
  const special = (id: number) => ({
    id,
    content: SPECIALS[id],
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const metaspace = {
    type: "Metaspace",
    replacement: SPACE,
    add_prefix_space: true,
    prepend_scheme: "always",
    split: true,
  };
  const eos = { SpecialToken: { id: "</s>", type_id: 0 } };
  const tokenizerJson = {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: [special(0), special(1), special(2)],
    // t5-base ships a Precompiled (NFKC-like) charsmap; NFKC plus space folding does the same job here
    normalizer: {
      type: "Sequence",
      normalizers: [{ type: "NFKC" }, { type: "Replace", pattern: { Regex: " {2,}" }, content: " " }],
    },
    pre_tokenizer: { type: "Sequence", pretokenizers: [{ type: "WhitespaceSplit" }, metaspace] },
    post_processor: {
      type: "TemplateProcessing",
      single: [{ Sequence: { id: "A", type_id: 0 } }, eos],
      pair: [{ Sequence: { id: "A", type_id: 0 } }, eos, { Sequence: { id: "B", type_id: 0 } }, eos],
      special_tokens: { "</s>": { id: "</s>", ids: [1], tokens: ["</s>"] } },
    },
    decoder: metaspace,
    model: { type: "Unigram", unk_id: 2, vocab, byte_fallback: false },
  };
  const tokenizerConfig = {
    additional_special_tokens: [],
    clean_up_tokenization_spaces: true,
    eos_token: "</s>",
    extra_ids: 0,
    model_max_length: 512,
    pad_token: "<pad>",
    tokenizer_class: "T5Tokenizer",
    unk_token: "<unk>",
  };
  const specialTokensMap = { eos_token: "</s>", pad_token: "<pad>", unk_token: "<unk>" };
  return { tokenizerJson, tokenizerConfig, specialTokensMap, vocabSize: vocab.length };
}
