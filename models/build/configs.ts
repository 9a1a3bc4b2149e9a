// The JSON files of a MusicGen folder, shaped like facebook/musicgen-small's, with this model's dimensions
// and a `cuesmith_contract_model` marker so nothing mistakes random weights for the real model.
import { CODEBOOKS, CODEBOOK_SIZE, FRAME_RATE, MAX_POSITIONS, ModelDims, SAMPLE_RATE, UPSAMPLING_RATIOS } from "./dims";

export interface ContractMarker {
  size: string;
  seed: number;
  builder_version: string;
}

export function musicgenConfig(d: ModelDims, marker: ContractMarker): Record<string, unknown> {
  const pad = CODEBOOK_SIZE;
  return {
    architectures: ["MusicgenForConditionalGeneration"],
    audio_encoder: {
      architectures: ["EncodecModel"],
      audio_channels: 1,
      chunk_length_s: null,
      codebook_dim: d.encodec.codebookDim,
      codebook_size: CODEBOOK_SIZE,
      compress: 2,
      dilation_growth_rate: 2,
      frame_rate: FRAME_RATE,
      hidden_size: d.encodec.codebookDim,
      kernel_size: 7,
      last_kernel_size: 7,
      model_type: "encodec",
      normalize: false,
      num_filters: d.encodec.numFilters,
      num_lstm_layers: d.encodec.lstmLayers,
      num_residual_layers: 1,
      overlap: null,
      pad_mode: "reflect",
      residual_kernel_size: 3,
      sampling_rate: SAMPLE_RATE,
      target_bandwidths: [2.2],
      trim_right_ratio: 1.0,
      upsampling_ratios: UPSAMPLING_RATIOS,
      use_causal_conv: false,
      use_conv_shortcut: false,
    },
    decoder: {
      activation_dropout: 0.0,
      activation_function: "gelu",
      attention_dropout: 0.0,
      bos_token_id: pad,
      dropout: 0.1,
      ffn_dim: d.decoder.ffn,
      hidden_size: d.decoder.hidden,
      initializer_factor: 0.02,
      layerdrop: 0.0,
      max_position_embeddings: MAX_POSITIONS,
      model_type: "musicgen_decoder",
      num_attention_heads: d.decoder.heads,
      num_codebooks: CODEBOOKS,
      num_hidden_layers: d.decoder.layers,
      pad_token_id: pad,
      scale_embedding: false,
      tie_word_embeddings: false,
      use_cache: true,
      vocab_size: CODEBOOK_SIZE,
    },
    decoder_start_token_id: pad,
    is_encoder_decoder: true,
    model_type: "musicgen",
    pad_token_id: pad,
    text_encoder: {
      architectures: ["T5ForConditionalGeneration"],
      d_ff: d.text.dFf,
      d_kv: d.text.dModel / d.text.heads,
      d_model: d.text.dModel,
      decoder_start_token_id: 0,
      dense_act_fn: "relu",
      dropout_rate: 0.1,
      eos_token_id: 1,
      feed_forward_proj: "relu",
      initializer_factor: 1.0,
      is_encoder_decoder: true,
      is_gated_act: false,
      layer_norm_epsilon: 1e-6,
      model_type: "t5",
      n_positions: 512,
      num_decoder_layers: d.text.layers,
      num_heads: d.text.heads,
      num_layers: d.text.layers,
      pad_token_id: 0,
      relative_attention_max_distance: 128,
      relative_attention_num_buckets: 32,
      vocab_size: d.text.vocab,
    },
    torch_dtype: "float32",
    transformers_version: "4.31.0.dev0",
    cuesmith_contract_model: { ...marker, note: "random weights with the published contract: the audio is noise" },
  };
}

/** Byte-for-byte the values of the published generation_config.json. */
export const GENERATION_CONFIG = {
  _from_model_config: false,
  bos_token_id: 2048,
  decoder_start_token_id: 2048,
  do_sample: true,
  guidance_scale: 3.0,
  max_length: 1500,
  pad_token_id: 2048,
};

export const PREPROCESSOR_CONFIG = {
  chunk_length_s: null,
  feature_extractor_type: "EncodecFeatureExtractor",
  feature_size: 1,
  overlap: null,
  padding_side: "right",
  padding_value: 0.0,
  return_attention_mask: true,
  sampling_rate: SAMPLE_RATE,
};
