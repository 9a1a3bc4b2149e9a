// config.json, generation_config.json, preprocessor_config.json and tokenizer_config.json in the published
// onnx-community/whisper-base format, with every id taken from the tiny vocabulary.
import { INPUT_FRAMES, MAX_SOURCE_POSITIONS, MAX_TARGET_POSITIONS, NUM_MEL_BINS, WhisperDims } from "./dims";
import { WhisperVocab } from "./tokenizer";

// openai/whisper's suppressed symbols that are single bytes (the tiny vocabulary has no multi-byte pieces)
const SYMBOLS = '"#()*+/:;<=>@[\\]^_`{|}~';

export function suppressTokens(v: WhisperVocab): number[] {
  const ids = [...SYMBOLS].map((c) => v.tokens.indexOf(c)).filter((i) => i >= 0);
  ids.push(v.sot, v.taskToId.translate, v.taskToId.transcribe, v.startOfLm, v.startOfPrev, v.noSpeech);
  return [...new Set(ids)].sort((a, b) => a - b);
}

export function whisperConfig(d: WhisperDims, v: WhisperVocab, meta: Record<string, unknown>): Record<string, unknown> {
  const space = v.tokens.indexOf("\u0120"); // "Ġ", the space byte
  return {
    _name_or_path: "cuesmith/whisper-tiny-contract",
    activation_dropout: 0,
    activation_function: "gelu",
    architectures: ["WhisperForConditionalGeneration"],
    attention_dropout: 0,
    begin_suppress_tokens: [space, v.eos],
    bos_token_id: v.eos,
    d_model: d.dModel,
    decoder_attention_heads: d.decoderHeads,
    decoder_ffn_dim: d.decoderFfn,
    decoder_layerdrop: 0,
    decoder_layers: d.decoderLayers,
    decoder_start_token_id: v.sot,
    dropout: 0,
    encoder_attention_heads: d.encoderHeads,
    encoder_ffn_dim: d.encoderFfn,
    encoder_layerdrop: 0,
    encoder_layers: d.encoderLayers,
    eos_token_id: v.eos,
    forced_decoder_ids: [
      [1, null],
      [2, v.taskToId.transcribe],
    ],
    init_std: 0.02,
    is_encoder_decoder: true,
    max_length: MAX_TARGET_POSITIONS,
    max_source_positions: MAX_SOURCE_POSITIONS,
    max_target_positions: MAX_TARGET_POSITIONS,
    model_type: "whisper",
    num_hidden_layers: d.encoderLayers,
    num_mel_bins: NUM_MEL_BINS,
    pad_token_id: v.eos,
    scale_embedding: false,
    suppress_tokens: suppressTokens(v),
    torch_dtype: "float32",
    transformers_version: "4.38.2",
    use_cache: true,
    use_weighted_layer_sum: false,
    vocab_size: v.tokens.length,
    cuesmith_contract_model: meta,
  };
}

export function whisperGenerationConfig(v: WhisperVocab): Record<string, unknown> {
  const space = v.tokens.indexOf("\u0120");
  return {
    begin_suppress_tokens: [space, v.eos],
    bos_token_id: v.eos,
    decoder_start_token_id: v.sot,
    eos_token_id: v.eos,
    forced_decoder_ids: [
      [1, null],
      [2, v.taskToId.transcribe],
    ],
    is_multilingual: true,
    lang_to_id: v.langToId,
    max_initial_timestamp_index: 50,
    max_length: MAX_TARGET_POSITIONS,
    no_timestamps_token_id: v.noTimestamps,
    pad_token_id: v.eos,
    prev_sot_token_id: v.startOfPrev,
    return_timestamps: false,
    suppress_tokens: suppressTokens(v),
    task_to_id: v.taskToId,
    transformers_version: "4.38.2",
  };
}

export const WHISPER_PREPROCESSOR_CONFIG = {
  chunk_length: 30,
  feature_extractor_type: "WhisperFeatureExtractor",
  feature_size: NUM_MEL_BINS,
  hop_length: 160,
  n_fft: 400,
  n_samples: 480000,
  nb_max_frames: INPUT_FRAMES,
  padding_side: "right",
  padding_value: 0.0,
  processor_class: "WhisperProcessor",
  return_attention_mask: false,
  sampling_rate: 16000,
};

export function whisperTokenizerConfig(): Record<string, unknown> {
  return {
    add_prefix_space: false,
    bos_token: "<|endoftext|>",
    clean_up_tokenization_spaces: true,
    eos_token: "<|endoftext|>",
    errors: "replace",
    model_max_length: 1024,
    pad_token: "<|endoftext|>",
    processor_class: "WhisperProcessor",
    return_attention_mask: false,
    tokenizer_class: "WhisperTokenizer",
    unk_token: "<|endoftext|>",
  };
}
