/**
 * FakePpro's timeline: Sequence, its audio and video tracks, their track items, and the selection. Track items
 * of a linked clip share a link group; getTrackItems answers with a Promise (Adobe's samples await it).
 */
import type { FakePpro } from "./fake-ppro";
import type { FakeProjectItem } from "./project-items";
import {
  AUDIO_MEDIA_TYPE,
  FakePproRuleError,
  VIDEO_MEDIA_TYPE,
  type SequenceState,
  type TrackItemState,
  type TrackState,
} from "./types";
import { FakeGuid, FakeTickTime } from "./values";

export class FakeTrackItem {
  constructor(
    private readonly fake: FakePpro,
    readonly sequenceGuid: string,
    readonly itemId: string,
  ) {}
  private locate(): { item: TrackItemState; type: "audio" | "video"; index: number } {
    const seq = this.fake.sequenceState(this.sequenceGuid);
    for (const type of ["audio", "video"] as const) {
      const tracks = type === "audio" ? seq.audio : seq.video;
      for (let index = 0; index < tracks.length; index++) {
        const item = tracks[index].items.find((it) => it.id === this.itemId);
        if (item) return { item, type, index };
      }
    }
    throw new FakePproRuleError("STALE_ITEM", `Track item ${this.itemId} no longer exists.`);
  }
  async getStartTime(): Promise<FakeTickTime> {
    return new FakeTickTime(this.locate().item.start);
  }
  async getEndTime(): Promise<FakeTickTime> {
    return new FakeTickTime(this.locate().item.end);
  }
  async getDuration(): Promise<FakeTickTime> {
    const { item } = this.locate();
    return new FakeTickTime(item.end - item.start);
  }
  async getInPoint(): Promise<FakeTickTime> {
    return new FakeTickTime(this.locate().item.inPoint);
  }
  async getOutPoint(): Promise<FakeTickTime> {
    const { item } = this.locate();
    // A retimed clip reads (end - start) x speed of its media.
    return new FakeTickTime(item.inPoint + ((item.end - item.start) * BigInt(Math.round(item.speed * 1000))) / 1000n);
  }
  /** Playback speed as a ratio (1 = 100 %), as ExtendScript's TrackItem.getSpeed() reported it. */
  async getSpeed(): Promise<number> {
    return this.locate().item.speed;
  }
  async getTrackIndex(): Promise<number> {
    return this.locate().index;
  }
  async getName(): Promise<string> {
    return this.locate().item.name;
  }
  async getType(): Promise<number> {
    return 1;
  }
  async getMediaType(): Promise<FakeGuid> {
    return new FakeGuid(this.locate().type === "audio" ? AUDIO_MEDIA_TYPE : VIDEO_MEDIA_TYPE);
  }
  async getProjectItem(): Promise<FakeProjectItem | null> {
    const nodeId = this.locate().item.nodeId;
    return nodeId ? this.fake.projectItem(nodeId) : null;
  }
  async isDisabled(): Promise<boolean> {
    return false;
  }
  /** AudioClipTrackItem.getComponentChain (26.x); absent from a Premiere without it, refused on video items. */
  get getComponentChain(): (() => Promise<unknown>) | undefined {
    if (!this.fake.componentChains) return undefined;
    return async () => {
      if (this.locate().type !== "audio")
        throw new FakePproRuleError("BAD_ARGUMENT", "This fake models the audio component chain only.");
      return this.fake.componentChain(this.sequenceGuid, this.itemId);
    };
  }
}

export class FakeTrack {
  constructor(
    private readonly fake: FakePpro,
    readonly sequenceGuid: string,
    readonly trackType: "audio" | "video",
    readonly index: number,
  ) {}
  private state(): TrackState {
    const seq = this.fake.sequenceState(this.sequenceGuid);
    const track = (this.trackType === "audio" ? seq.audio : seq.video)[this.index];
    if (!track) throw new FakePproRuleError("STALE_ITEM", `${this.trackType} track ${this.index} no longer exists.`);
    return track;
  }
  get name(): string {
    return this.state().name;
  }
  get id(): number {
    return this.index;
  }
  async getIndex(): Promise<number> {
    return this.index;
  }
  async isMuted(): Promise<boolean> {
    return this.state().muted;
  }
  async getMediaType(): Promise<FakeGuid> {
    return new FakeGuid(this.trackType === "audio" ? AUDIO_MEDIA_TYPE : VIDEO_MEDIA_TYPE);
  }
  /**
   * The types declare an array; Adobe's samples always `await` it. The fake answers with a Promise (unless
   * FakePproOptions.syncTrackItems), so a caller that forgets the await iterates nothing and fails its tests.
   */
  getTrackItems(trackItemType: unknown, _includeEmptyTrackItems: boolean): FakeTrackItem[] | Promise<FakeTrackItem[]> {
    const items =
      trackItemType !== 1 // only Constants.TrackItemType.CLIP is modelled
        ? []
        : [...this.state().items]
            .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))
            .map((it) => new FakeTrackItem(this.fake, this.sequenceGuid, it.id));
    return this.fake.syncTrackItems ? items : Promise.resolve(items);
  }
}

export class FakeTrackItemSelection {
  constructor(
    private readonly fake: FakePpro,
    readonly sequenceGuid: string | null,
    readonly ids: string[],
  ) {}
  addItem(trackItem: unknown, skipDuplicateCheck = false): boolean {
    if (!(trackItem instanceof FakeTrackItem))
      throw new FakePproRuleError("BAD_ARGUMENT", "TrackItemSelection.addItem needs a track item.");
    if (!skipDuplicateCheck && this.ids.includes(trackItem.itemId)) return false;
    (this as { sequenceGuid: string | null }).sequenceGuid ??= trackItem.sequenceGuid;
    this.ids.push(trackItem.itemId);
    return true;
  }
  async getTrackItems(): Promise<FakeTrackItem[]> {
    const guid = this.sequenceGuid;
    if (guid === null) return [];
    const seq = this.fake.sequenceState(guid);
    const alive = new Set([...seq.audio, ...seq.video].flatMap((t) => t.items.map((it) => it.id)));
    return this.ids.filter((id) => alive.has(id)).map((id) => new FakeTrackItem(this.fake, guid, id));
  }
}

export class FakeSequence {
  constructor(
    private readonly fake: FakePpro,
    readonly sequenceGuid: string,
  ) {}
  private state(): SequenceState {
    return this.fake.sequenceState(this.sequenceGuid);
  }
  get guid(): FakeGuid {
    return new FakeGuid(this.sequenceGuid);
  }
  get name(): string {
    return this.state().name;
  }
  async getTimebase(): Promise<string> {
    return this.state().ticksPerFrame.toString();
  }
  async getAudioTrackCount(): Promise<number> {
    return this.state().audio.length;
  }
  async getVideoTrackCount(): Promise<number> {
    return this.state().video.length;
  }
  async getCaptionTrackCount(): Promise<number> {
    return 0;
  }
  private track(type: "audio" | "video", index: number): FakeTrack {
    const count = type === "audio" ? this.state().audio.length : this.state().video.length;
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      throw new FakePproRuleError(
        "TRACK_INDEX",
        `${type} track index ${String(index)} does not exist (the sequence has ${count}).`,
      );
    }
    return new FakeTrack(this.fake, this.sequenceGuid, type, index);
  }
  async getAudioTrack(index: number): Promise<FakeTrack> {
    this.fake.fault("getAudioTrackOccupancy");
    return this.track("audio", index);
  }
  async getVideoTrack(index: number): Promise<FakeTrack> {
    return this.track("video", index);
  }
  async getEndTime(): Promise<FakeTickTime> {
    const seq = this.state();
    let end = 0n;
    for (const track of [...seq.audio, ...seq.video])
      for (const item of track.items) if (item.end > end) end = item.end;
    return new FakeTickTime(end);
  }
  async getZeroPoint(): Promise<FakeTickTime> {
    return new FakeTickTime(0n);
  }
  async getSelection(): Promise<FakeTrackItemSelection> {
    this.fake.fault("getSelectedClips");
    return new FakeTrackItemSelection(this.fake, this.sequenceGuid, [...this.state().selection]);
  }
  async clearSelection(): Promise<boolean> {
    this.state().selection = [];
    return true;
  }
  async getProjectItem(): Promise<FakeProjectItem> {
    const node = this.fake.requireState().nodes.find((n) => n.sequenceGuid === this.sequenceGuid);
    if (!node) throw new FakePproRuleError("STALE_ITEM", `Sequence ${this.sequenceGuid} has no project item.`);
    return this.fake.projectItem(node.id);
  }
}
