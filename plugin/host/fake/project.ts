/**
 * FakePpro's Project: the active sequence, the root bin, importFiles, sequences created and deleted, and the
 * lock / transaction pair every edit goes through.
 */
import type { FakePpro } from "./fake-ppro";
import type { FakeProjectItem } from "./project-items";
import { FakeSequence } from "./timeline";
import { ticksPerFrameForFps } from "../../../shared/time";
import { FakePproRuleError, ROOT_ID } from "./types";
import { FakeCompoundAction, FakeGuid } from "./values";

export class FakeProject {
  constructor(private readonly fake: FakePpro) {}
  get name(): string {
    return this.fake.requireState().name;
  }
  get path(): string {
    return this.fake.requireState().path;
  }
  get guid(): FakeGuid {
    return new FakeGuid(this.fake.requireState().guid);
  }
  async getActiveSequence(): Promise<FakeSequence | null> {
    this.fake.fault("getActiveSequence");
    const active = this.fake.requireState().active;
    return active ? new FakeSequence(this.fake, active) : null;
  }
  async getSequences(): Promise<FakeSequence[]> {
    return this.fake.requireState().sequences.map((s) => new FakeSequence(this.fake, s.guid));
  }
  async getRootItem(): Promise<FakeProjectItem> {
    this.fake.requireState();
    return this.fake.projectItem(ROOT_ID);
  }
  async setActiveSequence(sequence: unknown): Promise<boolean> {
    this.fake.fault("setActiveSequence");
    if (!(sequence instanceof FakeSequence))
      throw new FakePproRuleError("NOT_A_SEQUENCE", "setActiveSequence needs a Sequence.");
    this.fake.setActiveSequence(this.fake.sequenceState(sequence.sequenceGuid).guid);
    return true;
  }
  /**
   * A new sequence in the root bin with the default preset (3 video, 3 audio tracks, 25 fps here). Like
   * Premiere it opens in the Timeline and becomes the active sequence.
   */
  async createSequence(name: string, presetPath?: string): Promise<FakeSequence> {
    this.fake.fault("createSequence");
    if (typeof name !== "string" || name === "")
      throw new FakePproRuleError("BAD_ARGUMENT", "createSequence needs a name.");
    if (presetPath !== undefined)
      throw new FakePproRuleError(
        "BAD_ARGUMENT",
        "createSequence's presetPath is deprecated: use createSequenceWithPresetPath.",
      );
    const state = this.fake.requireState();
    const guid = `fake-sequence-${String(state.nextId++).padStart(4, "0")}`;
    const tracks = (label: string) => [1, 2, 3].map((i) => ({ name: `${label} ${i}`, muted: false, items: [] }));
    state.sequences.push({
      guid,
      name,
      ticksPerFrame: ticksPerFrameForFps(25),
      video: tracks("Video"),
      audio: tracks("Audio"),
      markers: [],
      selection: [],
    });
    state.nodes.push({
      kind: "sequence",
      id: `item-${state.nextId++}`,
      name,
      parentId: ROOT_ID,
      mediaPath: "",
      durationTicks: 0n,
      sequenceGuid: guid,
    });
    this.fake.setActiveSequence(guid);
    this.fake.projectChanged();
    return new FakeSequence(this.fake, guid);
  }
  /** Deletes a sequence and its project item (not undoable here, as in Premiere's API: no transaction). */
  async deleteSequence(sequence: unknown): Promise<boolean> {
    this.fake.fault("deleteSequence");
    if (!(sequence instanceof FakeSequence))
      throw new FakePproRuleError("NOT_A_SEQUENCE", "deleteSequence needs a Sequence.");
    const state = this.fake.requireState();
    const guid = sequence.sequenceGuid;
    if (!state.sequences.some((s) => s.guid === guid)) return false;
    state.sequences = state.sequences.filter((s) => s.guid !== guid);
    state.nodes = state.nodes.filter((n) => n.sequenceGuid !== guid);
    if (state.active === guid) state.active = null;
    this.fake.projectChanged();
    return true;
  }
  async importFiles(...args: unknown[]): Promise<boolean> {
    return this.fake.importFiles(args);
  }
  lockedAccess(callback: () => void): void {
    this.fake.lockedAccess(callback);
  }
  executeTransaction(callback: (compound: FakeCompoundAction) => void, undoString?: string): boolean {
    return this.fake.executeTransaction(callback, undoString);
  }
}
