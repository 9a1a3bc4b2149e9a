// The dip under a voice as clip-volume keyframes instead of baked samples: the same attack/release ramps as
// duck.ts's envelope, written as the few corners where its slope changes, so an editor can move them in Premiere.
// Baked and keyframed agree: the envelope sampled at sample i equals these keyframes interpolated linearly in dB at
// i / rate (the region edges and ramp lengths are rounded to whole samples exactly as the envelope rounds them).
import type { DuckKeyframe } from "../../shared/protocol";
import type { Region } from "../voice/speech-regions";
import { DUCK_DEFAULTS, DuckOptions } from "./duck";

/** Ducking amount (0 = none, 1 = full depth) at time t, the continuous form of duckingEnvelope. */
function amountAt(t: number, edges: { s: number; e: number }[], attack: number, release: number): number {
  let amount = 0;
  for (const { s, e } of edges) {
    const a = t < s - attack || t >= e + release ? 0 : t < s ? 1 - (s - t) / attack : t < e ? 1 : 1 - (t - e) / release;
    if (a > amount) amount = a;
  }
  return amount;
}

/**
 * Sorted keyframes {time_sec, gain_db} of the dip over a bed of `durationSec`: for each speech region the corners
 * (0 dB at the attack's start, -depth from the region's start to its end, 0 dB at the release's end), plus where
 * overlapping ramps cross and where the bed's edges cut a ramp. Gain is 0 dB before the first and after the last.
 */
export function duckKeyframes(
  regions: Region[],
  durationSec: number,
  rate: number,
  o: DuckOptions = DUCK_DEFAULTS,
): DuckKeyframe[] {
  if (o.depthDb <= 0 || regions.length === 0 || !(durationSec > 0)) return [];
  const attack = Math.max(1, Math.round(o.attackSec * rate)) / rate;
  const release = Math.max(1, Math.round(o.releaseSec * rate)) / rate;
  const edges = regions.map((r) => ({ s: Math.round(r.start * rate) / rate, e: Math.round(r.end * rate) / rate }));
  const times = new Set<number>([0, durationSec]);
  for (const { s, e } of edges) for (const t of [s - attack, s, e, e + release]) times.add(t);
  // a release running into the next region's attack: the envelope's corner is where the two ramps cross
  for (const a of edges)
    for (const b of edges) {
      const t = (attack * a.e + release * b.s) / (attack + release);
      if (t > a.e && t < b.s) times.add(t);
    }
  const points = [...times]
    .filter((t) => t >= 0 && t <= durationSec)
    .sort((x, y) => x - y)
    .map((t) => ({ t, a: amountAt(t, edges, attack, release) }));
  // drop points on a straight line between their neighbours, and 0 dB points at the ends (0 is the default there)
  const kept = points.filter((p, i) => {
    const prev = points[i - 1];
    const next = points[i + 1];
    if (!prev) return !(p.a === 0 && (next?.a ?? 0) === 0);
    if (!next) return !(p.a === 0 && prev.a === 0);
    const onLine = prev.a + ((next.a - prev.a) * (p.t - prev.t)) / (next.t - prev.t);
    return Math.abs(onLine - p.a) > 1e-9;
  });
  return kept.map((p) => ({ time_sec: round6(p.t), gain_db: round6(p.a === 0 ? 0 : -o.depthDb * p.a) }));
}

/** The keyframes' gain at time t, linear in dB between them and 0 outside (what Premiere plays). */
export function keyframeGainDb(keyframes: DuckKeyframe[], t: number): number {
  if (keyframes.length === 0 || t <= keyframes[0].time_sec || t >= keyframes[keyframes.length - 1].time_sec) {
    const edge = keyframes.length === 0 ? undefined : t <= keyframes[0].time_sec ? keyframes[0] : keyframes.at(-1);
    return edge && edge.time_sec === t ? edge.gain_db : 0;
  }
  let i = 1;
  while (keyframes[i].time_sec < t) i++;
  const a = keyframes[i - 1];
  const b = keyframes[i];
  return a.gain_db + ((b.gain_db - a.gain_db) * (t - a.time_sec)) / (b.time_sec - a.time_sec);
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
