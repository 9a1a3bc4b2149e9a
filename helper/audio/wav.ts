// WAV encoding and decoding: mono PCM 16/24-bit or 32-bit float out; PCM 8/16/24/32-bit and float 32/64 in, any
// channel count. wavefile parses the chunks (odd layouts, WAVE_FORMAT_EXTENSIBLE); the sample loops are our own
// because wavefile's generic packers are far slower (docs/audio.md).
import { WaveFile } from "wavefile";

export type BitDepth = 16 | 24 | "32f";

/**
 * Mono float samples to a canonical 44-byte-header WAV (the layout wavefile writes). PCM: plain rounding (no
 * dither; the bed is mixed under other audio anyway) and clipping to [-1, 1) so overs never wrap around. 32-bit
 * float keeps values as they are (float WAV has headroom above 0 dBFS); only NaN/Infinity become 0.
 */
export function encodeWav(samples: Float32Array, sampleRate: number, bitDepth: BitDepth = 24): Uint8Array {
  const bytesPerSample = bitDepth === "32f" ? 4 : bitDepth / 8;
  const dataBytes = samples.length * bytesPerSample;
  const out = new Uint8Array(44 + dataBytes + (dataBytes % 2)); // RIFF chunks are word-aligned
  const view = new DataView(out.buffer);
  const ascii = (offset: number, s: string) => {
    for (let i = 0; i < s.length; i++) out[offset + i] = s.charCodeAt(i);
  };
  ascii(0, "RIFF");
  view.setUint32(4, out.length - 8, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, bitDepth === "32f" ? 3 : 1, true); // WAVE_FORMAT_IEEE_FLOAT : WAVE_FORMAT_PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * bytesPerSample, true);
  view.setUint16(32, bytesPerSample, true);
  view.setUint16(34, bytesPerSample * 8, true);
  ascii(36, "data");
  view.setUint32(40, dataBytes, true);

  if (bitDepth === "32f") {
    for (let i = 0, o = 44; i < samples.length; i++, o += 4) {
      const v = samples[i];
      view.setFloat32(o, Number.isFinite(v) ? v : 0, true);
    }
    return out;
  }
  const full = 2 ** (bitDepth - 1);
  const max = full - 1;
  for (let i = 0, o = 44; i < samples.length; i++, o += bytesPerSample) {
    let q = Math.round(samples[i] * full);
    q = q > max ? max : q < -full ? -full : q === q ? q : 0; // q === q: NaN becomes 0
    if (bitDepth === 16) view.setInt16(o, q, true);
    else {
      out[o] = q & 0xff;
      out[o + 1] = (q >> 8) & 0xff;
      out[o + 2] = (q >> 16) & 0xff;
    }
  }
  return out;
}

export interface DecodedWav {
  sampleRate: number;
  /** wavefile's name for the format: "8", "16", "24", "32" (PCM) or "32f", "64" (float). */
  bitDepth: string;
  /** One Float32Array per channel; PCM scaled by 1/2^(bits-1), so full scale is [-1, 1). */
  channels: Float32Array[];
}

export function decodeWav(bytes: Uint8Array): DecodedWav {
  const wav = new WaveFile(bytes);
  const fmt = wav.fmt as { sampleRate: number; numChannels: number; blockAlign: number };
  const bitDepth = wav.bitDepth;
  const data = (wav.data as { samples: Uint8Array }).samples;
  const channelCount = fmt.numChannels;
  const width = { "8": 1, "16": 2, "24": 3, "32": 4, "32f": 4, "64": 8 }[bitDepth];
  if (!width || channelCount < 1 || fmt.blockAlign !== width * channelCount) {
    throw new Error(`unsupported WAV format: ${bitDepth}-bit, ${channelCount} channels, block align ${fmt.blockAlign}`);
  }
  const frames = Math.floor(data.length / (width * channelCount)); // a truncated last frame is dropped
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const read: (o: number) => number = {
    "8": (o: number) => (data[o] - 128) / 128, // 8-bit WAV is unsigned
    "16": (o: number) => view.getInt16(o, true) / 32768,
    "24": (o: number) => (((data[o] | (data[o + 1] << 8) | (data[o + 2] << 16)) << 8) >> 8) / 8388608,
    "32": (o: number) => view.getInt32(o, true) / 2147483648,
    "32f": (o: number) => view.getFloat32(o, true),
    "64": (o: number) => view.getFloat64(o, true),
  }[bitDepth as "8"];
  const channels = Array.from({ length: channelCount }, () => new Float32Array(frames));
  for (let f = 0, o = 0; f < frames; f++) {
    for (let c = 0; c < channelCount; c++, o += width) channels[c][f] = read(o);
  }
  return { sampleRate: fmt.sampleRate, bitDepth, channels };
}
