/**
 * FakePpro's SequenceEditor: the overwrite edit the panel places beds with, and the remove edit the Premiere check
 * clears its test clip with. Both are actions: created inside lockedAccess, applied by executeTransaction.
 */
import type { FakePpro } from "./fake-ppro";
import { FakeProjectItem } from "./project-items";
import { FakeTrackItemSelection } from "./timeline";
import { FakePproRuleError, type ProjectState, type TrackItemState, type TrackState } from "./types";
import { FakeAction, FakeTickTime } from "./values";

export class FakeSequenceEditor {
  constructor(
    private readonly fake: FakePpro,
    readonly sequenceGuid: string,
  ) {}

  createOverwriteItemAction(
    projectItem: unknown,
    when: unknown,
    videoTrackIndex: number,
    audioTrackIndex: number,
  ): FakeAction {
    const fake = this.fake;
    fake.requireLock("createOverwriteItemAction");
    if (!(projectItem instanceof FakeProjectItem) || projectItem.node().kind !== "clip") {
      throw new FakePproRuleError("NOT_A_CLIP", "createOverwriteItemAction needs a clip project item.");
    }
    if (typeof when === "number") {
      throw new FakePproRuleError(
        "FLOAT_SECONDS",
        `createOverwriteItemAction got the number ${when}; pass TickTime.createWithTicks(tickString).`,
      );
    }
    if (!(when instanceof FakeTickTime)) throw new TypeError("[FakePpro] createOverwriteItemAction needs a TickTime.");
    if (when.fromSeconds) {
      throw new FakePproRuleError(
        "FLOAT_SECONDS",
        `TickTime made from float seconds (${when.seconds} s); use TickTime.createWithTicks(tickString): float seconds can land a frame early.`,
      );
    }
    if (when.value < 0n) throw new RangeError("[FakePpro] createOverwriteItemAction: time before the sequence start.");
    const seq = fake.sequenceState(this.sequenceGuid);
    if (!Number.isInteger(videoTrackIndex) || videoTrackIndex < 0) {
      throw new FakePproRuleError("TRACK_INDEX", `Video track index ${String(videoTrackIndex)} is not a valid index.`);
    }
    if (!Number.isInteger(audioTrackIndex) || audioTrackIndex < 0 || audioTrackIndex >= seq.audio.length) {
      throw new FakePproRuleError(
        "TRACK_INDEX",
        `Audio track index ${String(audioTrackIndex)} does not exist (the sequence has ${seq.audio.length}); Premiere would silently drop this edit.`,
      );
    }
    const nodeId = projectItem.nodeId;
    const start = when.value;
    const sequenceGuid = this.sequenceGuid;
    return fake.newAction({
      describe: `overwrite ${projectItem.name} at ${start} on A${audioTrackIndex + 1}`,
      isPlacement: true,
      isBin: false,
      apply: (state, edit) => {
        const node = state.nodes.find((n) => n.id === nodeId);
        if (!node) throw new FakePproRuleError("STALE_ITEM", `Project item ${nodeId} no longer exists.`);
        const sequence = state.sequences.find((s) => s.guid === sequenceGuid);
        if (!sequence) throw new FakePproRuleError("STALE_ITEM", `Sequence ${sequenceGuid} no longer exists.`);
        const item: TrackItemState = {
          id: `ti-${state.nextId++}`,
          start,
          end: start + node.durationTicks,
          inPoint: 0n,
          name: node.name,
          nodeId,
          link: null,
          speed: 1,
        };
        overwrite(state, sequence.audio[audioTrackIndex], item);
        edit.placements.push({
          itemId: node.id,
          name: node.name,
          mediaPath: node.mediaPath,
          startTicks: item.start.toString(),
          endTicks: item.end.toString(),
          audioTrackIndex,
          videoTrackIndex,
        });
        edit.changes.push(`placed ${node.name} on A${audioTrackIndex + 1}`);
      },
    });
  }

  /** Removes the selection's track items (no ripple modelled: `ripple` must be false). */
  createRemoveItemsAction(
    selection: unknown,
    ripple: boolean,
    _mediaType: unknown,
    _shiftOverlapping?: boolean,
  ): FakeAction {
    this.fake.requireLock("createRemoveItemsAction");
    if (!(selection instanceof FakeTrackItemSelection))
      throw new FakePproRuleError("BAD_ARGUMENT", "createRemoveItemsAction needs a TrackItemSelection.");
    if (ripple) throw new FakePproRuleError("BAD_ARGUMENT", "The fake models only non-ripple removes.");
    const ids = new Set(selection.ids);
    const sequenceGuid = this.sequenceGuid;
    return this.fake.newAction({
      describe: `remove ${ids.size} track item(s)`,
      isPlacement: false,
      isBin: false,
      fault: "removeItems",
      apply: (state, edit) => {
        const sequence = state.sequences.find((s) => s.guid === sequenceGuid);
        if (!sequence) throw new FakePproRuleError("STALE_ITEM", `Sequence ${sequenceGuid} no longer exists.`);
        for (const track of [...sequence.audio, ...sequence.video])
          track.items = track.items.filter((it) => !ids.has(it.id));
        sequence.selection = sequence.selection.filter((id) => !ids.has(id));
        edit.changes.push(`removed ${ids.size} track item(s)`);
      },
    });
  }
}

/** An overwrite edit: the new item replaces whatever overlaps it on the track (trimmed or split). */
function overwrite(state: ProjectState, track: TrackState, item: TrackItemState): void {
  const kept: TrackItemState[] = [];
  for (const it of track.items) {
    if (it.end <= item.start || it.start >= item.end) {
      kept.push(it);
      continue;
    }
    const left = it.start < item.start;
    if (left) kept.push({ ...it, end: item.start });
    if (it.end > item.end)
      kept.push({
        ...it,
        id: left ? `ti-${state.nextId++}` : it.id,
        start: item.end,
        inPoint: it.inPoint + (item.end - it.start),
      });
  }
  kept.push(item);
  track.items = kept.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}
