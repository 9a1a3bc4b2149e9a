/**
 * FakePpro's markers: Markers.getMarkers(sequence) answers a snapshot (a marker moved later is not updated in it,
 * so a panel must read again before it acts), and createAddMarkerAction adds one inside a transaction.
 */
import type { FakePpro } from "./fake-ppro";
import { clone, FAKE_MARKER_TYPES, FakePproRuleError, type MarkerState } from "./types";
import { FakeAction, FakeGuid, FakeTickTime } from "./values";

export class FakeMarker {
  constructor(private readonly marker: MarkerState) {}
  get guid(): FakeGuid {
    return new FakeGuid(this.marker.guid);
  }
  getName(): string {
    return this.marker.name;
  }
  getComments(): string {
    return this.marker.comments;
  }
  getColorIndex(): number {
    return this.marker.colorIndex;
  }
  getType(): string {
    return this.marker.type;
  }
  getStart(): FakeTickTime {
    return new FakeTickTime(this.marker.start);
  }
  getDuration(): FakeTickTime {
    return new FakeTickTime(this.marker.duration);
  }
  getUrl(): string {
    return "";
  }
  getTarget(): string {
    return "";
  }
}

export class FakeMarkers {
  constructor(
    private readonly fake: FakePpro,
    readonly sequenceGuid: string,
  ) {}
  getMarkers(filters?: string[]): FakeMarker[] {
    const markers = this.fake.sequenceState(this.sequenceGuid).markers;
    return markers
      .filter((m) => !filters || filters.length === 0 || filters.includes(m.type))
      .map((m) => new FakeMarker(clone(m)));
  }
  createAddMarkerAction(
    name: string,
    markerType?: string,
    startTime?: unknown,
    duration?: unknown,
    comments?: string,
  ): FakeAction {
    this.fake.requireLock("createAddMarkerAction");
    if (typeof name !== "string") throw new FakePproRuleError("BAD_ARGUMENT", "createAddMarkerAction needs a name.");
    for (const t of [startTime, duration]) {
      if (t !== undefined && !(t instanceof FakeTickTime))
        throw new FakePproRuleError("BAD_ARGUMENT", "createAddMarkerAction takes TickTimes.");
      if (t instanceof FakeTickTime && t.fromSeconds)
        throw new FakePproRuleError(
          "FLOAT_SECONDS",
          "A marker time made from float seconds can land a frame early: use createWithTicks.",
        );
    }
    const sequenceGuid = this.sequenceGuid;
    const start = startTime instanceof FakeTickTime ? startTime.value : 0n;
    const length = duration instanceof FakeTickTime ? duration.value : 0n;
    return this.fake.newAction({
      describe: `add marker ${name}`,
      isPlacement: false,
      isBin: false,
      fault: "addMarker",
      apply: (state, edit) => {
        const seq = state.sequences.find((s) => s.guid === sequenceGuid);
        if (!seq) throw new FakePproRuleError("STALE_ITEM", `Sequence ${sequenceGuid} no longer exists.`);
        seq.markers.push({
          guid: `${sequenceGuid}-marker-${state.nextId++}`,
          name,
          comments: comments ?? "",
          colorIndex: 0,
          type: markerType ?? FAKE_MARKER_TYPES.comment,
          start,
          duration: length,
        });
        edit.changes.push(`added marker ${name}`);
      },
    });
  }
}
