// A take's codes, kept beside its WAV in the render cache so the take can be continued later (extend): the
// [codebooks, frames] token grid MusicGen produced before EnCodec, and a small JSON header with what made it.
// Layout, little-endian: "CSCODES1", uint32 header length, the header (UTF-8 JSON), then the grid codebook by
// codebook as int16 (int32 when a token does not fit).

export interface TakeCodesHeader {
  codebooks: number;
  frames: number;
  dtype: "int16" | "int32";
  frame_rate: number;
  /** The model folder and decoder variant that made the codes: another model cannot continue them. */
  model: string;
  variant: string;
  prompt: string;
  scene_tag?: string;
  seed: number;
  settings: {
    guidance_scale: number;
    top_k: number;
    temperature: number;
    loudness_lufs: number;
    bed_level_db: number;
  };
  /** Seconds the codes cover (the finished bed plus the generation margin). */
  generated_sec: number;
  /** Where the finished bed starts in the decoded audio (the silence trim's cut): a continuation starts there too,
   * so that its opening is the same music at the same time. */
  trim_start_sec: number;
  /** Length of the finished bed. */
  duration_sec: number;
  /** The dip under a voice the bed was made with, if any. */
  duck?: { regions: { start: number; end: number }[]; depth_db: number };
}

const MAGIC = "CSCODES1";

export function encodeTakeCodes(
  codes: Int32Array[],
  header: Omit<TakeCodesHeader, "codebooks" | "frames" | "dtype">,
): Buffer {
  const frames = codes[0]?.length ?? 0;
  if (codes.some((row) => row.length !== frames)) throw new RangeError("every codebook must have the same frames");
  const fits16 = codes.every((row) => row.every((v) => v >= -32768 && v <= 32767));
  const full: TakeCodesHeader = { ...header, codebooks: codes.length, frames, dtype: fits16 ? "int16" : "int32" };
  const json = Buffer.from(JSON.stringify(full), "utf8");
  const width = fits16 ? 2 : 4;
  const out = Buffer.alloc(MAGIC.length + 4 + json.length + codes.length * frames * width);
  out.write(MAGIC, 0, "ascii");
  out.writeUInt32LE(json.length, MAGIC.length);
  json.copy(out, MAGIC.length + 4);
  let at = MAGIC.length + 4 + json.length;
  for (const row of codes)
    for (const v of row) {
      if (fits16) out.writeInt16LE(v, at);
      else out.writeInt32LE(v, at);
      at += width;
    }
  return out;
}

/** The header and grid of a codes file; throws a plain Error naming what is wrong with a damaged one. */
export function decodeTakeCodes(bytes: Uint8Array): { header: TakeCodesHeader; codes: Int32Array[] } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < MAGIC.length + 4 || buf.toString("ascii", 0, MAGIC.length) !== MAGIC)
    throw new Error("not a codes file");
  const headerLength = buf.readUInt32LE(MAGIC.length);
  const start = MAGIC.length + 4 + headerLength;
  if (start > buf.length) throw new Error("codes header is cut short");
  const header = JSON.parse(buf.toString("utf8", MAGIC.length + 4, start)) as TakeCodesHeader;
  const { codebooks, frames, dtype } = header;
  const width = dtype === "int16" ? 2 : dtype === "int32" ? 4 : 0;
  if (!width || !Number.isInteger(codebooks) || !Number.isInteger(frames) || codebooks < 1 || frames < 1)
    throw new Error("codes header has no usable shape");
  if (buf.length !== start + codebooks * frames * width) throw new Error("codes file has the wrong length");
  let at = start;
  const codes = Array.from({ length: codebooks }, () => {
    const row = new Int32Array(frames);
    for (let f = 0; f < frames; f++, at += width) row[f] = width === 2 ? buf.readInt16LE(at) : buf.readInt32LE(at);
    return row;
  });
  return { header, codes };
}
