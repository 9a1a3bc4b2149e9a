// config.json and friends, shaped like facebook/musicgen-small's, plus a marker that this is a contract model.
import { CODEBOOKS, CODEBOOK_SIZE, ContractDims, FRAME_RATE, SAMPLE_RATE, UPSAMPLING } from "./dims";

export function musicgenConfig(dims: ContractDims, textVocab: number, marker: object): object {
  const { text, decoder, encodec } = dims;
  return {
    _name_or_path: "cuesmith/musicgen-contract",
    architectures: ["MusicgenForConditionalGeneration"],
    model_type: "musicgen",
    is_encoder_decoder: true,
    decoder_start_token_id: CODEBOOK_SIZE,
    pad_token_id: CODEBOOK_SIZE,
    text_encoder: {
      model_type: "t5", d_model: text.dModel, d_ff: text.dFf, d_kv: text.dModel / text.heads, num_heads: text.heads,
      num_layers: text.layers, vocab_size: textVocab, feed_forward_proj: "relu", relative_attention_num_buckets: 32,
    },
    audio_encoder: {
      model_type: "encodec", audio_channels: 1, sampling_rate: SAMPLE_RATE, frame_rate: FRAME_RATE, codebook_size: CODEBOOK_SIZE,
      codebook_dim: encodec.codebookDim, hidden_size: encodec.codebookDim, num_filters: encodec.channels[encodec.channels.length - 1],
      num_lstm_layers: encodec.lstmLayers, upsampling_ratios: UPSAMPLING, num_residual_layers: 1,
    },
    decoder: {
      model_type: "musicgen_decoder", activation_function: "gelu", bos_token_id: CODEBOOK_SIZE, pad_token_id: CODEBOOK_SIZE,
      hidden_size: decoder.hidden, ffn_dim: decoder.ffn, num_attention_heads: decoder.heads, num_hidden_layers: decoder.layers,
      num_codebooks: CODEBOOKS, vocab_size: CODEBOOK_SIZE, max_position_embeddings: decoder.maxPositions, scale_embedding: false,
      layerdrop: 0, dropout: 0.1, audio_channels: 1,
    },
    cuesmith_contract_model: marker,
  };
}

export const GENERATION_CONFIG = {
  _from_model_config: false,
  bos_token_id: CODEBOOK_SIZE,
  decoder_start_token_id: CODEBOOK_SIZE,
  do_sample: true,
  guidance_scale: 3.0,
  max_length: 1500,
  pad_token_id: CODEBOOK_SIZE,
};

export const PREPROCESSOR_CONFIG = {
  chunk_length_s: null,
  feature_extractor_type: "EncodecFeatureExtractor",
  feature_size: 1,
  overlap: null,
  padding_side: "left",
  padding_value: 0.0,
  processor_class: "MusicgenProcessor",
  return_attention_mask: true,
  sampling_rate: SAMPLE_RATE,
};
