// Score Markers: the active sequence's tagged markers, each editable (tag or prompt, length) and switchable, one
// batch to the helper with per-marker progress, errors next to the marker they concern, and the takes placed.
// Premiere has no marker event: the list is read again when the project changes, when the panel shows, and —
// whatever the list says — right at the click; rows follow their marker by its GUID.
import { useCallback, useEffect, useRef, useState } from "react";
import { ticksToTimecode } from "../../shared/time";
import type { SequenceInfo } from "../host/host";
import { parseBpm } from "../core/bpm";
import { takeRef } from "../core/feedback";
import { applyTweak, editTextOf, scoreItemsFromMarkers, type ItemTweak, type ScoreItem } from "../core/markers";
import { findOverruns } from "../core/overrun";
import { scoreMarkers } from "../core/score-markers";
import { levelsToRequest, trackPolicy } from "../core/settings";
import { BpmField, OverrunWarning } from "./row-extras";
import { BedRow, cancelledStatus, type RowStatus } from "./row-status";
import { isCancellation, RunProgressLine, useBedRun } from "./run-progress";
import { buttonClass, plainMessage, UNDO_NOTE, type TabProps } from "./shared";
import { useShortcuts } from "./shortcuts";
import { TakeList } from "./take-list";
import { useTakes, withPlacedTake } from "./use-takes";

interface Row {
  item: ScoreItem;
  include: boolean;
  text: string;
  seconds: string;
  /** Typed tempo ("" = the prompt decides). */
  bpm: string;
  status: RowStatus;
}

/** What the editor changed on a row; untouched fields follow the marker. */
function tweakOf(r: Row): ItemTweak {
  const tweak: ItemTweak = {};
  if (r.text.trim() !== editTextOf(r.item)) tweak.text = r.text;
  if (r.seconds.trim() !== String(r.item.seconds)) tweak.seconds = Number(r.seconds);
  return tweak;
}

/** Rows for the markers as they read now: a row kept by marker identity keeps the editor's changes only. */
function mergeRows(old: Row[], items: ScoreItem[]): Row[] {
  return items.map((item) => {
    const kept = old.find((r) => r.item.key === item.key);
    if (!kept)
      return {
        item,
        include: true,
        text: editTextOf(item),
        seconds: String(item.seconds),
        bpm: "",
        status: { kind: "idle" },
      };
    const tweak = tweakOf(kept);
    return {
      ...kept,
      item,
      text: tweak.text ?? editTextOf(item),
      seconds: tweak.seconds !== undefined ? kept.seconds : String(item.seconds),
    };
  });
}

export function MarkersTab({ host, connection, online, settings, history, onFeedback, onPanelShown }: TabProps) {
  const [sequence, setSequence] = useState<SequenceInfo | null>(null);
  const [rows, setRows] = useState<Row[]>([]);
  // Every row ever shown, by marker GUID: switching sequences (or a Premiere check's scratch one) and back keeps
  // the editor's typed changes.
  const remembered = useRef(new Map<string, Row>()).current;
  const [busy, setBusy] = useState(false);
  const batch = useBedRun(connection);
  const [note, setNote] = useState<string | null>(null);
  const takes = useTakes({ host, connection, history, settings });

  const reload = useCallback(async () => {
    try {
      const seq = await host.getActiveSequence();
      setSequence(seq);
      if (!seq) return setRows([]);
      const items = scoreItemsFromMarkers(await host.getMarkers(), seq, settings.defaultMarkerSeconds);
      setRows((old) => {
        for (const r of old) remembered.set(r.item.key, r);
        return mergeRows([...remembered.values()], items);
      });
    } catch (err) {
      setNote(plainMessage(err));
    }
  }, [host, settings.defaultMarkerSeconds, remembered]);

  useEffect(() => {
    void reload();
    // ProjectEvent.DIRTY comes with every edit anywhere in the project: one re-read per burst is enough.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const soon = () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => void reload(), 150);
    };
    const offs = [
      host.onActiveSequenceChanged(() => void reload()),
      host.onProjectChanged(soon),
      onPanelShown(() => void reload()),
    ];
    return () => {
      if (timer !== undefined) clearTimeout(timer);
      offs.forEach((off) => off());
    };
  }, [host, reload, onPanelShown]);

  const update = (key: string, change: Partial<Row>) =>
    setRows((rs) => rs.map((r) => (r.item.key === key ? { ...r, ...change } : r)));

  const run = async (keys: string[]) => {
    const chosen = rows.filter((r) => keys.includes(r.item.key));
    const tweaks: Record<string, ItemTweak> = {};
    const bpm: Record<string, number> = {};
    const only: string[] = [];
    for (const r of chosen) {
      try {
        applyTweak(r.item, tweakOf(r)); // refuse a bad length or an empty tag here, next to its row
        tweaks[r.item.key] = tweakOf(r);
        const tempo = parseBpm(r.bpm);
        if (tempo !== undefined) bpm[r.item.key] = tempo;
        only.push(r.item.key);
        update(r.item.key, { status: { kind: "queued" } });
      } catch (err) {
        update(r.item.key, { status: { kind: "failed", message: plainMessage(err) } });
      }
    }
    if (only.length === 0) return;
    setBusy(true);
    setNote(null);
    batch.start();
    try {
      const policy = trackPolicy(settings);
      const outcome = await scoreMarkers(host, connection.helper, {
        only,
        tweaks,
        bpm,
        defaultSeconds: settings.defaultMarkerSeconds,
        history,
        excludeTrack: policy.excludeTrack,
        preferTrack: policy.preferTrack,
        levels: { loudness_lufs: settings.loudnessLufs, bed_level_db: settings.bedLevelDb },
        levelsMode: levelsToRequest(settings, host.getCapabilities().levelKeyframes),
        ...(settings.outputDir ? { outputDir: settings.outputDir } : {}),
        onJob: (item, e) => {
          batch.track(e);
          update(item.key, {
            status:
              e.kind === "queued"
                ? { kind: "queued", position: e.position }
                : { kind: "running", fraction: e.fraction ?? 0 },
          });
        },
      });
      for (const p of outcome.placed) {
        update(p.item.key, {
          status: {
            kind: "placed",
            take: history.of(p.item.key).length,
            path: p.result.path,
            jobId: p.result.job_id,
            sha256: p.result.sha256,
            trackIndex: p.trackIndex,
          },
        });
      }
      const cancelled = outcome.failed.filter((f) => isCancellation(batch, f.message));
      for (const f of outcome.failed)
        update(f.item.key, {
          status: cancelled.includes(f)
            ? cancelledStatus(history.of(f.item.key))
            : { kind: "failed", message: f.message },
        });
      for (const n of outcome.newTakes ?? []) {
        const placed = history.placed(n.item.key);
        if (placed)
          update(n.item.key, {
            status: {
              kind: "placed",
              take: history.of(n.item.key).indexOf(placed) + 1,
              path: placed.path,
              jobId: placed.jobId,
              sha256: placed.sha256,
              trackIndex: placed.trackIndex,
            },
          });
      }
      if (outcome.newTakes?.length)
        setNote(
          `${outcome.newTakes.length} marker${outcome.newTakes.length === 1 ? "" : "s"} already had a bed: the new take is in the Cuesmith bin and under the marker (Use this take swaps it in).`,
        );
      if (outcome.levelWarnings?.length) setNote(outcome.levelWarnings.join(" "));
      if (cancelled.length > 0 && outcome.placed.length === 0)
        setNote("Cancelled. Nothing new was placed; the takes already on the timeline stay.");
      else if (outcome.placed.length > 0)
        setNote(
          `${outcome.placed.length} bed${outcome.placed.length === 1 ? "" : "s"} placed in one undo step (Edit > Undo removes them).`,
        );
    } catch (err) {
      setNote(plainMessage(err));
      for (const key of only) update(key, { status: { kind: "failed", message: plainMessage(err) } });
    } finally {
      setBusy(false);
      batch.finish();
      void reload();
    }
  };

  const included = rows.filter((r) => r.include).map((r) => r.item.key);
  const canScore = online && !busy && included.length > 0;
  useShortcuts({
    score: canScore ? () => void run(included) : undefined,
    cancel: busy ? () => void batch.cancel() : undefined,
  });
  const overruns = findOverruns(
    rows.map((r) => ({
      key: r.item.key,
      name: r.item.name,
      startTicks: r.item.startTicks,
      seconds: r.seconds.trim() === "" ? r.item.seconds : Number(r.seconds),
    })),
  );
  return (
    <section data-testid="markers-tab">
      <div className="toolbar">
        <button
          className={buttonClass("cta", !canScore)}
          data-testid="score-markers"
          title="Enter"
          disabled={!canScore}
          onClick={() => void run(included)}
        >
          Score Markers{included.length > 0 ? ` (${included.length})` : ""}
        </button>
        {busy ? (
          <button className="quiet" data-testid="cancel" title="Esc" onClick={() => void batch.cancel()}>
            Cancel
          </button>
        ) : (
          <button className="quiet" data-testid="refresh" onClick={() => void reload()}>
            Refresh
          </button>
        )}
      </div>
      <p className="hint">
        {sequence
          ? `${sequence.name} · ${sequence.fps.toFixed(2)} fps · ${rows.length} tagged marker${rows.length === 1 ? "" : "s"}`
          : "Open a sequence. Markers with a #tag (or a “prompt: …” line in their comments) get a bed."}
      </p>
      <RunProgressLine run={batch} busy={busy} what="scoring" />
      {note && (
        <p className="note" data-testid="markers-note">
          {note}
        </p>
      )}
      <p className="hint" data-testid="undo-note">
        {UNDO_NOTE}
      </p>
      <ul className="rows">
        {rows.map((r) => (
          <BedRow
            key={r.item.key}
            testId="marker-row"
            status={withPlacedTake(r.status, history, r.item.key)}
            name={r.item.name}
            title={r.item.name}
            time={sequence ? ticksToTimecode(r.item.startTicks, sequence.ticksPerFrame) : ""}
            lead={
              <input
                type="checkbox"
                checked={r.include}
                aria-label={`score ${r.item.name}`}
                onChange={(e) => update(r.item.key, { include: e.target.checked })}
              />
            }
            takes={history.of(r.item.key).length}
            onRescore={busy || !online ? undefined : () => void run([r.item.key])}
            onFeedback={(t) => onFeedback({ ...takeRef(history.of(r.item.key), t), label: r.item.name })}
          >
            <div className="row-fields">
              <input
                className="text"
                value={r.text}
                aria-label="tag or prompt"
                data-testid="marker-text"
                onChange={(e) => update(r.item.key, { text: e.target.value })}
              />
              <input
                className="seconds"
                value={r.seconds}
                aria-label="seconds"
                data-testid="marker-seconds"
                onChange={(e) => update(r.item.key, { seconds: e.target.value })}
              />
              <span className="unit">s</span>
              <BpmField value={r.bpm} onChange={(bpm) => update(r.item.key, { bpm })} />
            </div>
            <OverrunWarning overrun={overruns.get(r.item.key)} />
            <TakeList
              takes={history.of(r.item.key)}
              placedSha={history.placed(r.item.key)?.sha256}
              capabilities={takes.capabilities}
              busy={busy || !online || takes.busyKey !== null}
              targetSeconds={Number(r.seconds) || r.item.seconds}
              message={takes.messageOf(r.item.key)}
              onListen={(t) => void takes.listen(r.item.key, t)}
              onUse={(t) => void takes.use(r.item.key, t, r.item.name)}
              onReveal={(t) => void takes.reveal(r.item.key, t)}
              // new takes fit the marker as it is now (a cut that changed its length)
              onNewTakes={(n) =>
                void takes.newTakes(r.item.key, n, r.item.name, { durationSec: Number(r.seconds) || r.item.seconds })
              }
              onExtend={(seconds) => void takes.extend(r.item.key, seconds, r.item.name)}
            />
          </BedRow>
        ))}
      </ul>
    </section>
  );
}
