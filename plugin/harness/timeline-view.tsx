// Harness only: the fake sequence drawn as Premiere's timeline would show it (markers, audio tracks, clips), so a
// person — or a screenshot — can see where the beds landed. Clicking a clip selects it in the fake host.
import { useEffect, useState } from "react";
import { ticksToSeconds } from "../../shared/time";
import type { AudioTrackOccupancy, MarkerInfo } from "../host/host";
import type { FakeHost } from "../host/fake-host";

/** A clip's Volume > Level as the fake holds it: "−12 dB" or "6 keyframes −20…−12 dB". */
function volumeLabel(host: FakeHost, trackIndex: number, startTicks: string): string | null {
  const clip = host.audioTrackItems(trackIndex).find((c) => c.startTicks === startTicks);
  if (!clip || (!clip.volume.timeVarying && Math.abs(clip.volume.levelDb) < 0.05)) return null;
  if (!clip.volume.timeVarying) return `${clip.volume.levelDb.toFixed(1)} dB`;
  const dbs = clip.volume.keyframes.map((k) => k.levelDb);
  return `${dbs.length} keyframes ${Math.min(...dbs).toFixed(1)}…${Math.max(...dbs).toFixed(1)} dB`;
}

export function TimelineView({ host }: { host: FakeHost }) {
  const [tracks, setTracks] = useState<AudioTrackOccupancy[]>([]);
  const [markers, setMarkers] = useState<MarkerInfo[]>([]);
  const [edits, setEdits] = useState(0);

  useEffect(() => {
    const refresh = async () => {
      setTracks(await host.getAudioTrackOccupancy());
      setMarkers(await host.getMarkers());
      setEdits(host.edits.length);
    };
    void refresh();
    const timer = setInterval(() => void refresh(), 300);
    return () => clearInterval(timer);
  }, [host]);

  const placed = new Set(host.edits.flatMap((e) => e.placements.map((p) => p.mediaPath)));
  const end = Math.max(40, ...tracks.flatMap((t) => t.items.map((i) => ticksToSeconds(i.endTicks))));
  const pct = (ticks: string) => `${(ticksToSeconds(ticks) / end) * 100}%`;
  const width = (a: string, b: string) => `${((ticksToSeconds(b) - ticksToSeconds(a)) / end) * 100}%`;
  return (
    <div className="timeline" data-testid="timeline">
      <div className="timeline-head">
        <span className="heading">Fake Premiere timeline</span>
        <span className="muted">
          &nbsp;· {edits} undoable edit{edits === 1 ? "" : "s"}
        </span>
        <button className="quiet" data-testid="undo" disabled={edits === 0} onClick={() => host.undo()}>
          Undo
        </button>
      </div>
      {host.sourceMonitor?.opened && (
        <div className="source-monitor" data-testid="source-monitor" title={host.sourceMonitor.opened}>
          Source Monitor: {host.sourceMonitor.playing ? "▶ playing" : "open"} {host.sourceMonitor.opened}
        </div>
      )}
      <div className="lane markers">
        {markers.map((m) => (
          <span
            key={`${m.startTicks}${m.name}`}
            className="marker"
            style={{
              left: pct(m.startTicks),
              width:
                m.durationTicks === "0"
                  ? "2px"
                  : width(m.startTicks, (BigInt(m.startTicks) + BigInt(m.durationTicks)).toString()),
            }}
            title={m.name}
          >
            {m.name}
          </span>
        ))}
      </div>
      {tracks.map((t) => (
        <div key={t.trackIndex} className="lane" data-testid={`track-A${t.trackIndex + 1}`}>
          <span className="lane-name">
            A{t.trackIndex + 1} {t.name}
          </span>
          {t.items.map((i) => (
            <span
              key={`${i.startTicks}${i.name}`}
              className={placed.has(i.mediaPath) ? "clip bed" : "clip"}
              style={{ left: pct(i.startTicks), width: width(i.startTicks, i.endTicks) }}
              title={`${i.name} ${ticksToSeconds(i.startTicks).toFixed(2)}–${ticksToSeconds(i.endTicks).toFixed(2)} s`}
              data-testid="timeline-clip"
              onClick={() => host.setSelection([{ trackType: "audio", trackIndex: t.trackIndex, name: i.name }])}
            >
              {i.name}
              {volumeLabel(host, t.trackIndex, i.startTicks) && (
                <span className="volume" data-testid="clip-volume">
                  {" "}
                  · {volumeLabel(host, t.trackIndex, i.startTicks)}
                </span>
              )}
            </span>
          ))}
        </div>
      ))}
    </div>
  );
}
