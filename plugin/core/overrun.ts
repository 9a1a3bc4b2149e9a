// Which beds would run past the next tagged marker: two beds that overlap play at once, which an editor rarely
// wants. Pure: the rows as the editor has typed them in, the warnings out.
import { secondsToTicks, ticksToSeconds, toTicks } from "../../shared/time";

export interface BedSpan {
  key: string;
  name: string;
  /** The bed's in-point on the timeline. */
  startTicks: string;
  /** The bed's length as it would be made (the typed length, or the marker's). */
  seconds: number;
}

export interface Overrun {
  /** The marker the bed runs into. */
  nextName: string;
  /** How far past that marker's in-point the bed ends, seconds (rounded to ms). */
  overSeconds: number;
}

/**
 * For each bed that ends after the next marker starts: that marker and by how much. Beds that start together are
 * not each other's "next" (a stacked pair is the editor's choice). A length that is not a number warns nothing
 * (the row refuses it on its own).
 */
export function findOverruns(beds: BedSpan[]): Map<string, Overrun> {
  const sorted = [...beds].sort((a, b) => (toTicks(a.startTicks) < toTicks(b.startTicks) ? -1 : 1));
  const out = new Map<string, Overrun>();
  for (const bed of sorted) {
    if (!Number.isFinite(bed.seconds) || bed.seconds <= 0) continue;
    const start = toTicks(bed.startTicks);
    const next = sorted.find((b) => toTicks(b.startTicks) > start);
    if (!next) continue;
    const end = start + secondsToTicks(bed.seconds);
    const nextStart = toTicks(next.startTicks);
    if (end > nextStart)
      out.set(bed.key, {
        nextName: next.name,
        overSeconds: Math.round(ticksToSeconds(end - nextStart) * 1000) / 1000,
      });
  }
  return out;
}

/** The warning under the row, in words. */
export function overrunText(o: Overrun): string {
  return `Runs ${o.overSeconds} s past the next marker (${o.nextName}): the two beds would play at once. Shorten it, or keep it if you mean to.`;
}
