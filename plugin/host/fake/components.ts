/**
 * FakePpro's audio component chain and keyframes, and its Source Monitor, as the 26.3 types describe them:
 * AudioClipTrackItem.getComponentChain() -> AudioComponentChain (getComponentCount, getComponentAtIndex) ->
 * Component (getMatchName, getDisplayName, getParamCount, getParam) -> ComponentParam (createKeyframe,
 * createSetTimeVaryingAction, createAddKeyframeAction, createRemoveKeyframeRangeAction, createSetValueAction,
 * getKeyframeListAsTickTimes, …);
 * SourceMonitor.openFilePath / play.
 *
 * Only the fixed Volume component is modelled (Bypass, Level). It is at least as strict as Premiere is known
 * to be: actions are created inside lockedAccess; a Level value outside the parameter's 0..1 scale (a dB number
 * passed as is) is refused by createKeyframe, as the types say it throws for an incompatible value; a keyframe
 * needs the parameter to be time-varying first (Adobe's sample adds keyframes only then); keyframe positions
 * are in the clip's media time (in point + offset, as Adobe's sample computes them) and must lie on the clip.
 */
import { dbFromLevel, levelFromDb } from "../levels";
import type { FakePpro } from "./fake-ppro";
import { FakePproRuleError, type TrackItemState, type VolumeState } from "./types";
import { FakeAction, FakeTickTime } from "./values";

export const FAKE_VOLUME_MATCH_NAME = "Internal Volume Stereo";
/** A fresh clip's Level: unity gain (0 dB). */
export const FAKE_UNITY_LEVEL = levelFromDb(0);

/** @internal The track item's state, wherever it is now. */
function locateItem(fake: FakePpro, sequenceGuid: string, itemId: string): TrackItemState {
  const seq = fake.sequenceState(sequenceGuid);
  for (const track of [...seq.audio, ...seq.video]) {
    const item = track.items.find((it) => it.id === itemId);
    if (item) return item;
  }
  throw new FakePproRuleError("STALE_ITEM", `Track item ${itemId} no longer exists.`);
}

function volumeOf(item: TrackItemState): VolumeState {
  return item.volume ?? { timeVarying: false, value: FAKE_UNITY_LEVEL, keyframes: [] };
}

export class FakeKeyframe {
  value: { value: number | boolean };
  position: FakeTickTime;
  constructor(value: number | boolean) {
    this.value = { value };
    this.position = new FakeTickTime(0n);
  }
  async getTemporalInterpolationMode(): Promise<number> {
    return 0;
  }
  async setTemporalInterpolationMode(_mode: number): Promise<boolean> {
    return true;
  }
}

export class FakeComponentParam {
  constructor(
    private readonly fake: FakePpro,
    private readonly sequenceGuid: string,
    private readonly itemId: string,
    readonly displayName: "Bypass" | "Level",
  ) {}

  private item(): TrackItemState {
    return locateItem(this.fake, this.sequenceGuid, this.itemId);
  }

  createKeyframe(inValue: unknown): FakeKeyframe {
    if (this.displayName === "Bypass") {
      if (typeof inValue !== "boolean") throw new FakePproRuleError("BAD_VALUE", "Bypass takes a boolean.");
      return new FakeKeyframe(inValue);
    }
    if (typeof inValue !== "number" || !Number.isFinite(inValue) || inValue < 0 || inValue > 1) {
      throw new FakePproRuleError(
        "BAD_VALUE",
        `Level takes Premiere's normalised value 0..1 (1.0 = +15 dB), got ${String(inValue)}: convert dB first.`,
      );
    }
    return new FakeKeyframe(inValue);
  }

  async areKeyframesSupported(): Promise<boolean> {
    return this.displayName === "Level";
  }

  isTimeVarying(): boolean {
    return this.displayName === "Level" && volumeOf(this.item()).timeVarying;
  }

  getKeyframeListAsTickTimes(): FakeTickTime[] {
    if (this.displayName !== "Level") return [];
    return volumeOf(this.item()).keyframes.map((k) => new FakeTickTime(k.position));
  }

  async getStartValue(): Promise<FakeKeyframe> {
    if (this.displayName === "Bypass") return new FakeKeyframe(false);
    const v = volumeOf(this.item());
    return new FakeKeyframe(v.timeVarying && v.keyframes.length > 0 ? v.keyframes[0].value : v.value);
  }

  async getValueAtTime(time: unknown): Promise<number | boolean> {
    if (!(time instanceof FakeTickTime))
      throw new FakePproRuleError("BAD_ARGUMENT", "getValueAtTime needs a TickTime.");
    if (this.displayName === "Bypass") return false;
    return valueAt(volumeOf(this.item()), time.value);
  }

  private levelAction(what: string, describe: string, change: (volume: VolumeState, item: TrackItemState) => void) {
    this.fake.requireLock(what);
    if (this.displayName !== "Level")
      throw new FakePproRuleError("BAD_ARGUMENT", `${what}: the fake models keyframes on Level only.`);
    const { sequenceGuid, itemId } = this;
    return this.fake.newAction({
      describe,
      isPlacement: false,
      isBin: false,
      apply: (state, edit) => {
        const seq = state.sequences.find((s) => s.guid === sequenceGuid);
        const item = seq && [...seq.audio, ...seq.video].flatMap((t) => t.items).find((it) => it.id === itemId);
        if (!item) throw new FakePproRuleError("STALE_ITEM", `Track item ${itemId} no longer exists.`);
        const volume = volumeOf(item);
        change(volume, item);
        item.volume = volume;
        edit.changes.push(`${describe} on ${item.name}`);
      },
    });
  }

  createSetTimeVaryingAction(inTimeVarying: boolean): FakeAction {
    return this.levelAction("createSetTimeVaryingAction", `Level time-varying ${inTimeVarying}`, (volume) => {
      volume.timeVarying = Boolean(inTimeVarying);
      if (!volume.timeVarying) volume.keyframes = [];
    });
  }

  private keyframeArgument(what: string, keyframe: unknown): FakeKeyframe {
    if (!(keyframe instanceof FakeKeyframe))
      throw new FakePproRuleError("BAD_ARGUMENT", `${what} needs a Keyframe from createKeyframe.`);
    if (!(keyframe.position instanceof FakeTickTime))
      throw new FakePproRuleError("BAD_ARGUMENT", `${what}: the keyframe's position must be a TickTime.`);
    if (keyframe.position.fromSeconds)
      throw new FakePproRuleError("FLOAT_SECONDS", `${what}: a position made from float seconds can land off a frame.`);
    return keyframe;
  }

  createAddKeyframeAction(inKeyFrame: unknown): FakeAction {
    const kf = this.keyframeArgument("createAddKeyframeAction", inKeyFrame);
    const grid = this.fake.keyframeGridTicks;
    const position = grid ? ((kf.position.value + grid / 2n) / grid) * grid : kf.position.value;
    const value = Number(kf.value.value);
    return this.levelAction(
      "createAddKeyframeAction",
      `Level keyframe ${dbFromLevel(value).toFixed(1)} dB`,
      (v, item) => {
        if (!v.timeVarying)
          throw new FakePproRuleError(
            "NOT_TIME_VARYING",
            "createAddKeyframeAction on a parameter that is not time-varying: add createSetTimeVaryingAction(true) first.",
          );
        const length = item.end - item.start;
        if (position < item.inPoint || position > item.inPoint + length)
          throw new FakePproRuleError(
            "KEYFRAME_OUTSIDE_CLIP",
            `Keyframe at ${position} is outside the clip's media range ${item.inPoint}..${item.inPoint + length} (positions are media time: in point + offset).`,
          );
        v.keyframes = [...v.keyframes.filter((k) => k.position !== position), { position, value }].sort((a, b) =>
          a.position < b.position ? -1 : a.position > b.position ? 1 : 0,
        );
      },
    );
  }

  /** Removes the keyframes from `inTime` to `outTime` (media time, both ends included). */
  createRemoveKeyframeRangeAction(inTime: unknown, outTime: unknown, _updateUI?: boolean): FakeAction {
    if (!(inTime instanceof FakeTickTime) || !(outTime instanceof FakeTickTime))
      throw new FakePproRuleError("BAD_ARGUMENT", "createRemoveKeyframeRangeAction needs two TickTimes.");
    const [from, to] = [inTime.value, outTime.value];
    return this.levelAction("createRemoveKeyframeRangeAction", `Level keyframes removed ${from}..${to}`, (v) => {
      // as strict as the docs are silent: a parameter without keyframes has none to remove
      if (!v.timeVarying)
        throw new FakePproRuleError(
          "NOT_TIME_VARYING",
          "createRemoveKeyframeRangeAction on a parameter that is not time-varying: it has no keyframes.",
        );
      v.keyframes = v.keyframes.filter((k) => k.position < from || k.position > to);
    });
  }

  createSetValueAction(inKeyFrame: unknown, _inSafeForPlayback?: boolean): FakeAction {
    const kf = this.keyframeArgument("createSetValueAction", inKeyFrame);
    const position = kf.position.value;
    const value = Number(kf.value.value);
    return this.levelAction("createSetValueAction", `Level ${dbFromLevel(value).toFixed(1)} dB`, (v) => {
      if (!v.timeVarying) v.value = value;
      else {
        const at = v.keyframes.find((k) => k.position === position);
        if (at) at.value = value;
        else v.value = value;
      }
    });
  }
}

/** The Level at media time `t`: the static value, or linear between keyframes (held before the first, after the last). */
export function valueAt(volume: VolumeState, t: bigint): number {
  const ks = volume.keyframes;
  if (!volume.timeVarying || ks.length === 0) return volume.value;
  if (t <= ks[0].position) return ks[0].value;
  for (let i = 1; i < ks.length; i++) {
    if (t <= ks[i].position) {
      const a = ks[i - 1];
      const b = ks[i];
      const f = Number(t - a.position) / Number(b.position - a.position);
      return a.value + (b.value - a.value) * f;
    }
  }
  return ks[ks.length - 1].value;
}

export class FakeComponent {
  constructor(
    private readonly fake: FakePpro,
    private readonly sequenceGuid: string,
    private readonly itemId: string,
  ) {}
  async getMatchName(): Promise<string> {
    return FAKE_VOLUME_MATCH_NAME;
  }
  async getDisplayName(): Promise<string> {
    return "Volume";
  }
  getParamCount(): number {
    return 2;
  }
  getParam(paramIndex = 0): FakeComponentParam {
    if (paramIndex !== 0 && paramIndex !== 1)
      throw new FakePproRuleError(
        "BAD_ARGUMENT",
        `The Volume component has params 0 (Bypass) and 1 (Level), not ${paramIndex}.`,
      );
    return new FakeComponentParam(this.fake, this.sequenceGuid, this.itemId, paramIndex === 0 ? "Bypass" : "Level");
  }
}

export class FakeAudioComponentChain {
  constructor(
    private readonly fake: FakePpro,
    private readonly sequenceGuid: string,
    private readonly itemId: string,
  ) {}
  getComponentCount(): number {
    locateItem(this.fake, this.sequenceGuid, this.itemId);
    return 1;
  }
  getComponentAtIndex(componentIndex: number): FakeComponent {
    if (componentIndex !== 0)
      throw new FakePproRuleError(
        "BAD_ARGUMENT",
        `Component index ${componentIndex} does not exist (the chain has 1).`,
      );
    return new FakeComponent(this.fake, this.sequenceGuid, this.itemId);
  }
  createInsertComponentAction(): never {
    throw new FakePproRuleError("BAD_ARGUMENT", "The fake models the fixed Volume component only.");
  }
  createAppendComponentAction(): never {
    throw new FakePproRuleError("BAD_ARGUMENT", "The fake models the fixed Volume component only.");
  }
}

/** SourceMonitor: what is open and whether it plays (the test controls read `opened`, `playing`). */
export class FakeSourceMonitor {
  opened: string | null = null;
  playing = false;
  constructor(private readonly fake: FakePpro) {}
  readonly openFilePath = async (filePath: unknown): Promise<boolean> => {
    if (typeof filePath !== "string" || !this.fake.fileExists(filePath)) return false;
    this.opened = filePath;
    this.playing = false;
    return true;
  };
  readonly play = async (speed?: number): Promise<boolean> => {
    if (this.opened === null) return false;
    if (speed !== undefined && (!Number.isFinite(speed) || speed === 0)) return false;
    this.playing = true;
    return true;
  };
  readonly closeClip = async (): Promise<boolean> => {
    this.opened = null;
    this.playing = false;
    return true;
  };
}
