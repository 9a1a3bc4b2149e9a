// WAV encoding and decoding (wavefile), mono or multichannel, PCM 16/24-bit or 32-bit float.
import { WaveFile } from "wavefile";

export type BitDepth = 16 | 24 | "32f";

/** Float samples in [-1, 1] to a WAV file; PCM values are rounded and clipped to the format's range. */
export function encodeWav(samples: Float32Array, sampleRate: number, bitDepth: BitDepth = 24): Uint8Array {
  const wav = new WaveFile();
  if (bitDepth === "32f") {
    wav.fromScratch(1, sampleRate, "32f", samples);
  } else {
    const max = 2 ** (bitDepth - 1);
    const ints = new Int32Array(samples.length);
    for (let i = 0; i < samples.length; i++) ints[i] = Math.max(-max, Math.min(max - 1, Math.round(samples[i] * max)));
    wav.fromScratch(1, sampleRate, String(bitDepth), ints);
  }
  return wav.toBuffer();
}

export interface DecodedWav {
  sampleRate: number;
  bitDepth: string;
  /** One Float32Array per channel, PCM scaled to [-1, 1). */
  channels: Float32Array[];
}

export function decodeWav(bytes: Uint8Array): DecodedWav {
  const wav = new WaveFile(bytes);
  const fmt = wav.fmt as { sampleRate: number; numChannels: number };
  const bitDepth = wav.bitDepth;
  const raw = wav.getSamples(false, Float64Array) as unknown as Float64Array[] | Float64Array;
  const perChannel = fmt.numChannels === 1 ? [raw as Float64Array] : (raw as Float64Array[]);
  const scale = bitDepth === "32f" || bitDepth === "64" ? 1 : 1 / 2 ** (Number(bitDepth) - 1);
  return { sampleRate: fmt.sampleRate, bitDepth, channels: perChannel.map((c) => Float32Array.from(c, (v) => v * scale)) };
}
