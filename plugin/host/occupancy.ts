/**
 * Free-track planning over Host.getAudioTrackOccupancy(): pure, no host calls.
 *
 * Premiere's UXP API cannot add a track, so a bed goes on an existing audio track that is empty over the bed's
 * whole range: never on top of dialogue or another bed.
 */
import type { AudioTrackOccupancy } from "./host";
import { rangesOverlap, toTicks, type TickLike } from "../../shared/time";

export interface TrackChoiceOptions {
  /** Track indices never to use (e.g. the dialogue tracks the editor marked). */
  exclude?: Iterable<number>;
  /** Try these first, in order (e.g. the track the last bed went on). */
  prefer?: Iterable<number>;
  /** Skip muted tracks (default true: a bed on a muted track is silent). */
  skipMuted?: boolean;
}

/** True when no clip on the track overlaps [startTicks, endTicks). */
export function isTrackFree(track: AudioTrackOccupancy, startTicks: TickLike, endTicks: TickLike): boolean {
  return !track.items.some((item) => rangesOverlap(item.startTicks, item.endTicks, startTicks, endTicks));
}

function candidateOrder(occupancy: AudioTrackOccupancy[], options: TrackChoiceOptions): AudioTrackOccupancy[] {
  const exclude = new Set(options.exclude ?? []);
  const skipMuted = options.skipMuted ?? true;
  const usable = occupancy.filter((t) => !exclude.has(t.trackIndex) && !(skipMuted && t.muted));
  const byIndex = new Map(usable.map((t) => [t.trackIndex, t]));
  const ordered: AudioTrackOccupancy[] = [];
  for (const index of options.prefer ?? []) {
    const track = byIndex.get(index);
    if (track && !ordered.includes(track)) ordered.push(track);
  }
  for (const track of [...usable].sort((a, b) => a.trackIndex - b.trackIndex))
    if (!ordered.includes(track)) ordered.push(track);
  return ordered;
}

/** Lowest (or preferred) audio track free over [startTicks, endTicks), or null when none is. */
export function findFreeAudioTrack(
  occupancy: AudioTrackOccupancy[],
  startTicks: TickLike,
  endTicks: TickLike,
  options: TrackChoiceOptions = {},
): number | null {
  if (toTicks(endTicks) <= toTicks(startTicks)) throw new RangeError("findFreeAudioTrack: end must be after start");
  const track = candidateOrder(occupancy, options).find((t) => isTrackFree(t, startTicks, endTicks));
  return track ? track.trackIndex : null;
}

export interface RangeToPlace {
  startTicks: TickLike;
  endTicks: TickLike;
}

/**
 * Picks a track for each range in turn, counting the ranges already planned as occupied, so beds of one
 * batch never overlap each other either. Returns one track index (or null: no free track) per range.
 */
export function planAudioTracks(
  occupancy: AudioTrackOccupancy[],
  ranges: RangeToPlace[],
  options: TrackChoiceOptions = {},
): (number | null)[] {
  const working: AudioTrackOccupancy[] = occupancy.map((t) => ({ ...t, items: [...t.items] }));
  return ranges.map((range) => {
    const index = findFreeAudioTrack(working, range.startTicks, range.endTicks, options);
    if (index !== null) {
      const track = working.find((t) => t.trackIndex === index);
      track?.items.push({
        startTicks: toTicks(range.startTicks).toString(),
        endTicks: toTicks(range.endTicks).toString(),
        name: "(planned)",
        mediaPath: "",
      });
    }
    return index;
  });
}
