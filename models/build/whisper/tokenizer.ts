// A tiny Whisper tokenizer in the tokenizer.json schema of the published export: byte-level BPE over the 256
// GPT-2 byte symbols (so any UTF-8 text round-trips, Chinese included), no merges, then Whisper's special
// tokens in Whisper's order. Ids follow from that order: they are computed here and written to the configs,
// never assumed by the loader.

/** GPT-2's bytes_to_unicode, in its order: printable bytes map to themselves, the rest to U+0100 onwards. */
export function byteSymbols(): string[] {
  const direct: number[] = [];
  for (let b = 33; b <= 126; b++) direct.push(b);
  for (let b = 161; b <= 172; b++) direct.push(b);
  for (let b = 174; b <= 255; b++) direct.push(b);
  const order = [...direct];
  const chars = direct.map((b) => String.fromCharCode(b));
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!direct.includes(b)) {
      order.push(b);
      chars.push(String.fromCharCode(256 + n++));
    }
  }
  return chars; // chars[i] is the symbol of token id i; "Ġ" (the space byte) lands at 220 as in GPT-2
}

/** Whisper's language tokens start with these, in this order (a prefix of the real 99-language list). */
export const LANGUAGES = ["en", "zh", "de", "es", "ru", "ko", "fr", "ja"] as const;

export interface WhisperVocab {
  tokens: string[];
  eos: number;
  sot: number;
  langToId: Record<string, number>;
  taskToId: Record<"translate" | "transcribe", number>;
  startOfLm: number;
  startOfPrev: number;
  noSpeech: number;
  noTimestamps: number;
  timestampBegin: number;
  /** Timestamp tokens <|0.00|> … <|30.00|>. */
  timestamps: number;
}

export function buildVocab(): WhisperVocab {
  const tokens = byteSymbols();
  const add = (t: string) => tokens.push(t) - 1;
  const eos = add("<|endoftext|>");
  const sot = add("<|startoftranscript|>");
  const langToId: Record<string, number> = {};
  for (const l of LANGUAGES) langToId[`<|${l}|>`] = add(`<|${l}|>`);
  const translate = add("<|translate|>");
  const transcribe = add("<|transcribe|>");
  const startOfLm = add("<|startoflm|>");
  const startOfPrev = add("<|startofprev|>");
  const noSpeech = add("<|nospeech|>");
  const noTimestamps = add("<|notimestamps|>");
  const timestampBegin = tokens.length;
  for (let i = 0; i <= 1500; i++) add(`<|${(i * 0.02).toFixed(2)}|>`);
  return {
    tokens,
    eos,
    sot,
    langToId,
    taskToId: { translate, transcribe },
    startOfLm,
    startOfPrev,
    noSpeech,
    noTimestamps,
    timestampBegin,
    timestamps: 1501,
  };
}

export function buildTokenizerJson(v: WhisperVocab): Record<string, unknown> {
  const specialFrom = v.eos;
  const vocab: Record<string, number> = {};
  v.tokens.forEach((t, i) => {
    if (i < specialFrom) vocab[t] = i;
  });
  const added = v.tokens.slice(specialFrom).map((content, i) => ({
    id: specialFrom + i,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    // the published tokenizer marks timestamp tokens as not special (they survive skip_special_tokens)
    special: !/^<\|\d+\.\d\d\|>$/.test(content),
  }));
  const byteLevel = { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: {
      type: "TemplateProcessing",
      single: [
        { SpecialToken: { id: "<|startoftranscript|>", type_id: 0 } },
        { SpecialToken: { id: "<|notimestamps|>", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "<|endoftext|>", type_id: 0 } },
      ],
      pair: [{ Sequence: { id: "A", type_id: 0 } }, { Sequence: { id: "B", type_id: 1 } }],
      special_tokens: {
        "<|startoftranscript|>": { id: "<|startoftranscript|>", ids: [v.sot], tokens: ["<|startoftranscript|>"] },
        "<|notimestamps|>": { id: "<|notimestamps|>", ids: [v.noTimestamps], tokens: ["<|notimestamps|>"] },
        "<|endoftext|>": { id: "<|endoftext|>", ids: [v.eos], tokens: ["<|endoftext|>"] },
      },
    },
    decoder: byteLevel,
    model: {
      type: "BPE",
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: "",
      end_of_word_suffix: "",
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges: [],
    },
  };
}
