// Score Markers: the active sequence's tagged markers, each editable (tag or prompt, length) and switchable, one
// batch to the helper with per-marker progress, errors next to the marker they concern, and the takes placed.
import { useCallback, useEffect, useState } from "react";
import { ticksToTimecode } from "../../shared/time";
import type { Host, SequenceInfo } from "../host/host";
import type { HelperConnection } from "../core/connection";
import { applyEdit, editTextOf, scoreItemsFromMarkers, type ScoreItem } from "../core/markers";
import { scoreMarkers, type TakeHistory } from "../core/score-markers";
import { trackPolicy, type PanelSettings } from "../core/settings";
import { plainMessage } from "./app";
import type { FeedbackTarget } from "./feedback-form";
import { RowStatus, StatusCell } from "./row-status";

interface Row {
  item: ScoreItem;
  include: boolean;
  text: string;
  seconds: string;
  status: RowStatus;
}

export interface TabProps {
  host: Host;
  connection: HelperConnection;
  online: boolean;
  settings: PanelSettings;
  history: TakeHistory;
  onFeedback: (target: FeedbackTarget) => void;
}

export function MarkersTab({ host, connection, online, settings, history, onFeedback }: TabProps) {
  const [sequence, setSequence] = useState<SequenceInfo | null>(null);
  const [rows, setRows] = useState<Row[]>([]);
  const [busy, setBusy] = useState(false);
  const [jobIds, setJobIds] = useState<string[]>([]);
  const [note, setNote] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      const seq = await host.getActiveSequence();
      setSequence(seq);
      if (!seq) return setRows([]);
      const items = scoreItemsFromMarkers(await host.getMarkers(), seq, settings.defaultMarkerSeconds);
      setRows((old) =>
        items.map((item) => {
          const kept = old.find((r) => r.item.key === item.key);
          return (
            kept ?? {
              item,
              include: true,
              text: editTextOf(item),
              seconds: String(item.seconds),
              status: { kind: "idle" },
            }
          );
        }),
      );
      setNote(null);
    } catch (err) {
      setNote(plainMessage(err));
    }
  }, [host, settings.defaultMarkerSeconds]);

  useEffect(() => {
    void reload();
    return host.onActiveSequenceChanged(() => void reload());
  }, [host, reload]);

  const update = (key: string, change: Partial<Row>) =>
    setRows((rs) => rs.map((r) => (r.item.key === key ? { ...r, ...change } : r)));

  const run = async (keys: string[]) => {
    const chosen = rows.filter((r) => keys.includes(r.item.key));
    const items: ScoreItem[] = [];
    for (const r of chosen) {
      try {
        items.push(applyEdit(r.item, { text: r.text, seconds: Number(r.seconds) }));
        update(r.item.key, { status: { kind: "queued" } });
      } catch (err) {
        update(r.item.key, { status: { kind: "failed", message: plainMessage(err) } });
      }
    }
    if (items.length === 0) return;
    setBusy(true);
    setNote(null);
    try {
      const policy = trackPolicy(settings);
      const outcome = await scoreMarkers(host, connection.helper, {
        items,
        history,
        excludeTrack: policy.excludeTrack,
        preferTrack: policy.preferTrack,
        levels: { loudness_lufs: settings.loudnessLufs, bed_level_db: settings.bedLevelDb },
        ...(settings.outputDir ? { outputDir: settings.outputDir } : {}),
        onJob: (item, e) => {
          if (e.kind === "queued") setJobIds((ids) => [...ids, e.job_id]);
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
      for (const f of outcome.failed) update(f.item.key, { status: { kind: "failed", message: f.message } });
      if (outcome.placed.length > 0)
        setNote(
          `${outcome.placed.length} bed${outcome.placed.length === 1 ? "" : "s"} placed in one undo step (Edit > Undo removes them).`,
        );
    } catch (err) {
      setNote(plainMessage(err));
      for (const item of items) update(item.key, { status: { kind: "failed", message: plainMessage(err) } });
    } finally {
      setBusy(false);
      setJobIds([]);
    }
  };

  const cancel = async () => {
    for (const id of jobIds) await connection.helper.cancel(id).catch(() => undefined);
  };

  const included = rows.filter((r) => r.include).map((r) => r.item.key);
  return (
    <section data-testid="markers-tab">
      <div className="toolbar">
        <button
          className="cta"
          data-testid="score-markers"
          disabled={!online || busy || included.length === 0}
          onClick={() => void run(included)}
        >
          Score Markers{included.length > 0 ? ` (${included.length})` : ""}
        </button>
        {busy ? (
          <button className="quiet" data-testid="cancel" onClick={() => void cancel()}>
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
      {note && (
        <p className="note" data-testid="markers-note">
          {note}
        </p>
      )}
      <ul className="rows">
        {rows.map((r) => (
          <li key={r.item.key} className="row" data-testid="marker-row" data-status={r.status.kind}>
            <div className="row-head">
              <input
                type="checkbox"
                checked={r.include}
                aria-label={`score ${r.item.name}`}
                onChange={(e) => update(r.item.key, { include: e.target.checked })}
              />
              <span className="row-name" title={r.item.name}>
                {r.item.name}
              </span>
              <span className="row-time">
                {sequence ? ticksToTimecode(r.item.startTicks, sequence.ticksPerFrame) : ""}
              </span>
            </div>
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
            </div>
            <StatusCell
              status={r.status}
              takes={history.of(r.item.key).length}
              onRescore={busy || !online ? undefined : () => void run([r.item.key])}
              onFeedback={(t) => onFeedback({ ...t, label: r.item.name })}
            />
          </li>
        ))}
      </ul>
    </section>
  );
}
