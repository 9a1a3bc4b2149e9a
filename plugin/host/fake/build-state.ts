/**
 * A fake project's plain description turned into FakePpro's internal state.
 */
import { ticksPerFrameForFps, toTicks } from "../../../shared/time";
import {
  basename,
  DEFAULT_CLIP_DURATION,
  DEFAULT_MEDIA_DURATION,
  FAKE_MARKER_TYPES,
  ROOT_ID,
  time,
  type FakeMarkerType,
  type FakeProjectDescription,
  type FakeTrackDescription,
  type MarkerState,
  type ProjectState,
  type TrackItemState,
  type TrackState,
} from "./types";

export function buildState(description: FakeProjectDescription): ProjectState {
  const state: ProjectState = {
    guid: "fake-project-0001",
    name: description.name ?? "Fake Project",
    path: description.path ?? "/projects/Fake Project.prproj",
    nodes: [{ kind: "root", id: ROOT_ID, name: "", parentId: null, mediaPath: "", durationTicks: 0n }],
    sequences: [],
    active: null,
    nextId: 1,
  };
  const clipNodeFor = (mediaPath: string, name: string, duration: bigint): string => {
    const existing = state.nodes.find((n) => n.kind === "clip" && n.mediaPath === mediaPath);
    if (existing) return existing.id;
    const id = `item-${state.nextId++}`;
    state.nodes.push({ kind: "clip", id, name, parentId: ROOT_ID, mediaPath, durationTicks: duration });
    return id;
  };
  for (const item of description.rootItems ?? []) {
    state.nodes.push({
      kind: "clip",
      id: `item-${state.nextId++}`,
      name: item.name ?? basename(item.mediaPath),
      parentId: ROOT_ID,
      mediaPath: item.mediaPath,
      durationTicks: time(item.duration, "bin item duration") ?? DEFAULT_MEDIA_DURATION,
    });
  }
  for (const bin of description.bins ?? []) {
    const binId = `bin-${state.nextId++}`;
    state.nodes.push({ kind: "bin", id: binId, name: bin.name, parentId: ROOT_ID, mediaPath: "", durationTicks: 0n });
    for (const item of bin.items ?? []) {
      state.nodes.push({
        kind: "clip",
        id: `item-${state.nextId++}`,
        name: item.name ?? basename(item.mediaPath),
        parentId: binId,
        mediaPath: item.mediaPath,
        durationTicks: time(item.duration, "bin item duration") ?? DEFAULT_MEDIA_DURATION,
      });
    }
  }

  const sequences = description.sequences ?? (description.sequence ? [description.sequence] : []);
  sequences.forEach((desc, n) => {
    const ticksPerFrame =
      desc.ticksPerFrame !== undefined ? toTicks(desc.ticksPerFrame) : ticksPerFrameForFps(desc.fps ?? 25);
    const guid = desc.id ?? `fake-sequence-${String(n + 1).padStart(4, "0")}`;
    const selection: string[] = [];
    const tracks = (
      spec: number | FakeTrackDescription[] | undefined,
      fallback: number,
      label: string,
    ): TrackState[] => {
      const list: FakeTrackDescription[] =
        typeof spec === "number"
          ? Array.from({ length: spec }, () => ({}))
          : (spec ?? Array.from({ length: fallback }, () => ({})));
      return list.map((t, i) => ({
        name: t.name ?? `${label} ${i + 1}`,
        muted: t.muted ?? false,
        items: (t.clips ?? []).map((c) => {
          const start = time(c.start, "clip start") as bigint;
          const end = time(c.end, "clip end") ?? start + (time(c.duration, "clip duration") ?? DEFAULT_CLIP_DURATION);
          if (end <= start) throw new RangeError(`Fake project: clip ${c.name ?? ""} ends before it starts`);
          const name = c.name ?? (c.mediaPath ? basename(c.mediaPath) : "Graphic");
          const nodeId = c.mediaPath ? clipNodeFor(c.mediaPath, basename(c.mediaPath), end - start) : null;
          const item: TrackItemState = {
            id: `ti-${state.nextId++}`,
            start,
            end,
            inPoint: time(c.inPoint, "clip in point") ?? 0n,
            name,
            nodeId,
            link: c.link ?? null,
            speed: c.speed ?? 1,
          };
          if (c.selected) selection.push(item.id);
          return item;
        }),
      }));
    };
    const video = tracks(desc.videoTracks, 1, "Video");
    const audio = tracks(desc.audioTracks, 2, "Audio");
    const markers: MarkerState[] = (desc.markers ?? []).map((m, i) => {
      const kind = m.type ?? "comment";
      return {
        guid: m.id ?? `${guid}-marker-${i + 1}`,
        name: m.name,
        comments: m.comments ?? "",
        colorIndex: m.colorIndex ?? 0,
        type: kind in FAKE_MARKER_TYPES ? FAKE_MARKER_TYPES[kind as FakeMarkerType] : kind,
        start: time(m.start, "marker start") as bigint,
        duration: time(m.duration, "marker duration") ?? 0n,
      };
    });
    const name = desc.name ?? `Sequence ${n + 1}`;
    state.sequences.push({ guid, name, ticksPerFrame, video, audio, markers, selection });
    // Premiere lists every sequence as a project item too (Sequence.getProjectItem()).
    state.nodes.push({
      kind: "sequence",
      id: `item-${state.nextId++}`,
      name,
      parentId: ROOT_ID,
      mediaPath: "",
      durationTicks: 0n,
      sequenceGuid: guid,
    });
  });
  if (description.activeSequence === null) state.active = null;
  else if (description.activeSequence !== undefined) {
    const seq = state.sequences.find(
      (s) => s.guid === description.activeSequence || s.name === description.activeSequence,
    );
    if (!seq) throw new Error(`Fake project: no sequence ${description.activeSequence}`);
    state.active = seq.guid;
  } else state.active = state.sequences[0]?.guid ?? null;
  return state;
}
