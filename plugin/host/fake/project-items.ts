/**
 * FakePpro's project panel: ProjectItem, FolderItem (bins and the root) and ClipProjectItem are one class here,
 * as Premiere's cast() functions turn one into the other; the wrong kind for a call is a rule error.
 */
import type { FakePpro } from "./fake-ppro";
import type { FakeProject } from "./project";
import { FakePproRuleError, PROJECT_ITEM_TYPES, type NodeState } from "./types";
import { FakeAction, FakeTickTime } from "./values";

export class FakeProjectItem {
  constructor(
    private readonly fake: FakePpro,
    readonly nodeId: string,
  ) {}
  /** @internal */
  node(): NodeState {
    const node = this.fake.requireState().nodes.find((n) => n.id === this.nodeId);
    if (!node) throw new FakePproRuleError("STALE_ITEM", `Project item ${this.nodeId} no longer exists.`);
    return node;
  }
  private folder(what: string): NodeState {
    const node = this.node();
    if (node.kind === "clip" || node.kind === "sequence")
      throw new FakePproRuleError("NOT_A_BIN", `${what} called on a clip, not a bin.`);
    return node;
  }
  private clip(what: string): NodeState {
    const node = this.node();
    // A sequence's project item is a ClipProjectItem too (without a media file).
    if (node.kind !== "clip" && node.kind !== "sequence")
      throw new FakePproRuleError("NOT_A_CLIP", `${what} called on a bin, not a clip.`);
    return node;
  }
  get name(): string {
    return this.node().name;
  }
  get type(): number {
    const kind = this.node().kind;
    return kind === "root"
      ? PROJECT_ITEM_TYPES.TYPE_ROOT
      : kind === "bin"
        ? PROJECT_ITEM_TYPES.TYPE_BIN
        : PROJECT_ITEM_TYPES.TYPE_CLIP;
  }
  getId(): string {
    return this.node().id;
  }
  getParentBin(): FakeProjectItem | null {
    const parent = this.node().parentId;
    return parent ? new FakeProjectItem(this.fake, parent) : null;
  }
  async getProject(): Promise<FakeProject> {
    return this.fake.project();
  }
  // FolderItem
  async getItems(): Promise<FakeProjectItem[]> {
    const folder = this.folder("getItems");
    return this.fake
      .requireState()
      .nodes.filter((n) => n.parentId === folder.id)
      .map((n) => new FakeProjectItem(this.fake, n.id));
  }
  createBinAction(name: string, makeUnique: boolean): FakeAction {
    this.fake.requireLock("createBinAction");
    const folderId = this.folder("createBinAction").id;
    if (typeof name !== "string" || name === "") throw new TypeError("[FakePpro] createBinAction needs a name.");
    return this.fake.newAction({
      describe: `create bin ${name}`,
      isPlacement: false,
      isBin: true,
      apply: (state, edit) => {
        let finalName = name;
        const siblings = state.nodes.filter((n) => n.parentId === folderId);
        if (makeUnique)
          for (let i = 1; siblings.some((n) => n.name === finalName); i++)
            finalName = `${name} ${String(i).padStart(2, "0")}`;
        state.nodes.push({
          kind: "bin",
          id: `bin-${state.nextId++}`,
          name: finalName,
          parentId: folderId,
          mediaPath: "",
          durationTicks: 0n,
        });
        edit.binsCreated.push(finalName);
        edit.changes.push(`created bin ${finalName}`);
      },
    });
  }
  /** Removes `item` (and, for a bin, everything in it; a sequence's item takes its sequence along). */
  createRemoveItemAction(item: unknown): FakeAction {
    this.fake.requireLock("createRemoveItemAction");
    const folderId = this.folder("createRemoveItemAction").id;
    if (!(item instanceof FakeProjectItem))
      throw new FakePproRuleError("BAD_ARGUMENT", "createRemoveItemAction needs a ProjectItem.");
    const target = item.node();
    if (target.parentId !== folderId)
      throw new FakePproRuleError("BAD_ARGUMENT", `createRemoveItemAction: ${target.name} is not in this bin.`);
    return this.fake.newAction({
      describe: `remove ${target.name}`,
      isPlacement: false,
      isBin: false,
      fault: target.kind === "bin" ? "removeBin" : undefined,
      apply: (state, edit) => {
        const doomed = new Set([target.id]);
        for (let grew = true; grew;) {
          grew = false;
          for (const n of state.nodes)
            if (n.parentId !== null && doomed.has(n.parentId) && !doomed.has(n.id)) {
              doomed.add(n.id);
              grew = true;
            }
        }
        const sequences = new Set(
          state.nodes.filter((n) => doomed.has(n.id) && n.sequenceGuid).map((n) => n.sequenceGuid as string),
        );
        state.nodes = state.nodes.filter((n) => !doomed.has(n.id));
        state.sequences = state.sequences.filter((s) => !sequences.has(s.guid));
        if (state.active !== null && sequences.has(state.active)) state.active = null;
        for (const seq of state.sequences) {
          for (const track of [...seq.audio, ...seq.video])
            for (const it of track.items) if (it.nodeId !== null && doomed.has(it.nodeId)) it.nodeId = null;
        }
        edit.changes.push(`removed ${target.name}`);
      },
    });
  }
  /** Moves `item` into the bin `newParent`. */
  createMoveItemAction(item: unknown, newParent: unknown): FakeAction {
    this.fake.requireLock("createMoveItemAction");
    this.folder("createMoveItemAction");
    if (!(item instanceof FakeProjectItem))
      throw new FakePproRuleError("BAD_ARGUMENT", "createMoveItemAction needs a ProjectItem.");
    if (
      !(newParent instanceof FakeProjectItem) ||
      newParent.node().kind === "clip" ||
      newParent.node().kind === "sequence"
    ) {
      throw new FakePproRuleError("NOT_A_BIN", "createMoveItemAction: the new parent must be a bin.");
    }
    const itemId = item.node().id;
    const parentId = newParent.nodeId;
    return this.fake.newAction({
      describe: `move ${item.name}`,
      isPlacement: false,
      isBin: false,
      apply: (state, edit) => {
        const node = state.nodes.find((n) => n.id === itemId);
        if (!node) throw new FakePproRuleError("STALE_ITEM", `Project item ${itemId} no longer exists.`);
        node.parentId = parentId;
        edit.changes.push(`moved ${node.name}`);
      },
    });
  }
  // ClipProjectItem
  async getMediaFilePath(): Promise<string> {
    return this.clip("getMediaFilePath").mediaPath;
  }
  async getInPoint(_mediaType?: unknown): Promise<FakeTickTime> {
    this.clip("getInPoint");
    return new FakeTickTime(0n);
  }
  async getOutPoint(_mediaType?: unknown): Promise<FakeTickTime> {
    return new FakeTickTime(this.clip("getOutPoint").durationTicks);
  }
  async isSequence(): Promise<boolean> {
    return this.node().kind === "sequence";
  }
  async isOffline(): Promise<boolean> {
    return false;
  }
}
