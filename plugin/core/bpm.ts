// The BPM field of a marker or clip row: empty is "let the prompt decide", otherwise a tempo the helper accepts.
import { MAX_BPM, MIN_BPM } from "../../shared/protocol";

/** The typed BPM as a number, undefined when empty; throws, in words, for a tempo the helper would refuse. */
export function parseBpm(text: string): number | undefined {
  const t = text.trim();
  if (t === "") return undefined;
  const n = Number(t);
  if (!Number.isFinite(n) || n < MIN_BPM || n > MAX_BPM)
    throw new Error(`a tempo is ${MIN_BPM} to ${MAX_BPM} BPM (or leave BPM empty)`);
  return Math.round(n * 10) / 10;
}
