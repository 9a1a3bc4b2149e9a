// Clip bed: the clips selected on the timeline, a bed of each clip's exact length under it. The helper listens to
// the voice-over (speech regions, transcript, emotion → prompt) and ducks the bed under the voice; a typed
// transcript helps where Whisper is not installed, a typed prompt skips the analysis.
import { useCallback, useEffect, useRef, useState } from "react";
import type { AnalyzeResult } from "../../shared/protocol";
import { ticksToSeconds, toTicks } from "../../shared/time";
import type { ClipInfo } from "../host/host";
import { parseBpm } from "../core/bpm";
import { bedsUnderClips, bedTargets, clipKey, clipNow } from "../core/clip-bed";
import { takeRef } from "../core/feedback";
import { levelsToRequest, trackPolicy } from "../core/settings";
import { dipOf } from "../core/dip";
import { BpmField, DipField } from "./row-extras";
import { BedRow, cancelledStatus, type RowStatus } from "./row-status";
import { isCancellation, RunProgressLine, useBedRun } from "./run-progress";
import { buttonClass, plainMessage, UNDO_NOTE, type TabProps } from "./shared";
import { useShortcuts } from "./shortcuts";
import { TakeList } from "./take-list";
import { useTakes, withPlacedTake } from "./use-takes";

const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;

export function ClipTab({ host, connection, online, settings, history, onFeedback, onPanelShown }: TabProps) {
  const [clips, setClips] = useState<ClipInfo[]>([]);
  const [statuses, setStatuses] = useState<Record<string, RowStatus>>({});
  const [transcript, setTranscript] = useState("");
  const [prompt, setPrompt] = useState("");
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [analysis, setAnalysis] = useState<AnalyzeResult | null>(null);
  const [bpm, setBpm] = useState<Record<string, string>>({});
  const batch = useBedRun(connection);
  // the analysis is of the clips it was made for: another selection drops it
  const selectionKey = useRef("");
  const takes = useTakes({ host, connection, history, settings });

  const reload = useCallback(async () => {
    try {
      const selected = await host.getSelectedClips();
      const key = selected.map(clipKey).join("|");
      if (key !== selectionKey.current) {
        selectionKey.current = key;
        setAnalysis(null);
      }
      setClips(selected);
    } catch (err) {
      setNote(plainMessage(err));
    }
  }, [host]);

  useEffect(() => {
    void reload();
    const offs = [
      host.onSelectionChanged(() => void reload()),
      host.onActiveSequenceChanged(() => void reload()),
      onPanelShown(() => void reload()),
    ];
    return () => offs.forEach((off) => off());
  }, [host, reload, onPanelShown]);

  // A linked clip selects its video and audio items: one bed (under the audio). Refusals show before any click.
  const { targets, refused } = bedTargets(clips, Boolean(prompt.trim()));
  const refusal = (clip: ClipInfo) => refused.find((r) => r.clip === clip)?.message;
  const shown = [...targets, ...refused.map((r) => r.clip)];

  const setStatus = (clip: ClipInfo, status: RowStatus) => setStatuses((s) => ({ ...s, [clipKey(clip)]: status }));

  /** What the helper hears in the first selected clip: shown before any bed is made, its prompt editable. */
  const analyse = async () => {
    const clip = clips.find((c) => c.mediaPath);
    if (!clip && !transcript.trim()) return setNote("select a clip with media, or type its transcript");
    setBusy(true);
    setNote(null);
    try {
      const sec = (t: string) => Math.round(ticksToSeconds(toTicks(t)) * 1000) / 1000;
      setAnalysis(
        await connection.helper.analyze({
          ...(clip
            ? { media_path: clip.mediaPath, in_sec: sec(clip.inPointTicks), out_sec: sec(clip.outPointTicks) }
            : {}),
          ...(transcript.trim() ? { text: transcript.trim() } : {}),
        }),
      );
    } catch (err) {
      setNote(plainMessage(err));
    } finally {
      setBusy(false);
    }
  };

  /** Beds under `targets` (default: every selected clip; "New take" passes its own clip). */
  const generate = async (chosen: ClipInfo[] = clips) => {
    const tempos: Record<string, number> = {};
    const ready: ClipInfo[] = [];
    for (const c of chosen) {
      try {
        const tempo = parseBpm(bpm[clipKey(c)] ?? "");
        if (tempo !== undefined) tempos[clipKey(c)] = tempo;
        ready.push(c);
      } catch (err) {
        setStatus(c, { kind: "failed", message: plainMessage(err) });
      }
    }
    if (ready.length === 0) return;
    chosen = ready;
    setBusy(true);
    setNote(null);
    batch.start();
    for (const c of bedTargets(chosen, Boolean(prompt.trim())).targets) setStatus(c, { kind: "queued" });
    try {
      const outcome = await bedsUnderClips(host, connection.helper, chosen, {
        transcript,
        prompt,
        bpm: tempos,
        duckDb: settings.duckDb,
        history,
        levelsMode: levelsToRequest(settings, host.getCapabilities().levelKeyframes),
        excludeTrack: trackPolicy(settings).excludeTrack,
        ...(settings.outputDir ? { outputDir: settings.outputDir } : {}),
        onJob: (clip, e) => {
          batch.track(e);
          setStatus(
            clip,
            e.kind === "queued"
              ? { kind: "queued", position: e.position }
              : { kind: "running", fraction: e.fraction ?? 0 },
          );
        },
      });
      for (const p of outcome.placed) {
        setStatus(p.clip, {
          kind: "placed",
          take: history.of(clipKey(p.clip)).length,
          path: p.result.path,
          jobId: p.result.job_id,
          sha256: p.result.sha256,
          trackIndex: p.trackIndex,
        });
      }
      const cancelled = outcome.failed.filter((f) => isCancellation(batch, f.message));
      for (const f of outcome.failed)
        setStatus(
          f.clip,
          cancelled.includes(f) ? cancelledStatus(history.of(clipKey(f.clip))) : { kind: "failed", message: f.message },
        );
      if (outcome.levelWarnings?.length) setNote(outcome.levelWarnings.join(" "));
      if (cancelled.length > 0 && outcome.placed.length === 0)
        setNote("Cancelled. Nothing new was placed; the beds already on the timeline stay.");
      else if (outcome.placed.length > 0 && !outcome.levelWarnings?.length) {
        const prompts = [...new Set(outcome.placed.map((p) => p.result.prompt))];
        setNote(
          `Placed under ${outcome.placed.length} clip${outcome.placed.length === 1 ? "" : "s"} in one undo step. Prompt: ${prompts.join(" | ")}`,
        );
      }
    } catch (err) {
      setNote(plainMessage(err));
      for (const c of chosen) setStatus(c, { kind: "failed", message: plainMessage(err) });
    } finally {
      setBusy(false);
      batch.finish();
    }
  };

  const canGenerate = online && !busy && targets.length > 0;
  useShortcuts({
    score: canGenerate ? () => void generate() : undefined,
    cancel: busy ? () => void batch.cancel() : undefined,
  });

  return (
    <section data-testid="clip-tab">
      <div className="toolbar">
        <button
          className={buttonClass("cta", !canGenerate)}
          data-testid="generate-bed"
          title="Enter"
          disabled={!canGenerate}
          onClick={() => void generate()}
        >
          Generate bed{targets.length > 1 ? `s (${targets.length})` : ""}
        </button>
        <button
          className={buttonClass("quiet", !online || busy || (clips.length === 0 && !transcript.trim()))}
          data-testid="analyse"
          disabled={!online || busy || (clips.length === 0 && !transcript.trim())}
          onClick={() => void analyse()}
        >
          Analyse
        </button>
        {busy ? (
          <button className="quiet" data-testid="clip-cancel" title="Esc" onClick={() => void batch.cancel()}>
            Cancel
          </button>
        ) : (
          <button className="quiet" onClick={() => void reload()}>
            Refresh
          </button>
        )}
      </div>
      <RunProgressLine run={batch} busy={busy && Object.keys(batch.jobs).length > 0} what="making" />
      <p className="hint">
        {clips.length === 0
          ? "Select a voice-over clip (or several) on the timeline. The bed gets the clip's exact length and dips under the voice."
          : `The helper listens to each clip's audio between its in and out points, judges the mood and writes the prompt. ${UNDO_NOTE}`}
      </p>
      <label className="field">
        <span>Transcript (optional; needed for the emotion when the helper has no Whisper model installed)</span>
        <textarea value={transcript} data-testid="clip-transcript" onChange={(e) => setTranscript(e.target.value)} />
      </label>
      <label className="field">
        <span>Prompt (optional: skips the voice-over analysis)</span>
        <input className="text" value={prompt} data-testid="clip-prompt" onChange={(e) => setPrompt(e.target.value)} />
      </label>
      {analysis && (
        <div className="card" data-testid="analysis">
          <div className="card-head">
            <strong>
              {analysis.emotion}
              {analysis.subtone ? `, ${analysis.subtone.replace(/_/g, " ")}` : ""}
            </strong>
            <span className="muted">
              {analysis.language} ·{" "}
              {analysis.transcription === "whisper"
                ? "transcribed"
                : analysis.transcription === "given"
                  ? "typed transcript"
                  : "no transcript"}{" "}
              · {analysis.speech_regions.length} speech region{analysis.speech_regions.length === 1 ? "" : "s"}
              {analysis.energy !== null ? ` · energy ${analysis.energy.toFixed(2)}` : ""}
            </span>
          </div>
          {analysis.transcript && <p className="muted">“{analysis.transcript}”</p>}
          {analysis.evidence.length > 0 && (
            <p className="muted">Because: {analysis.evidence.map((e) => `${e.term} → ${e.emotion}`).join(", ")}</p>
          )}
          <p>{analysis.prompt}</p>
          <button className="quiet" data-testid="use-prompt" onClick={() => setPrompt(analysis.prompt)}>
            Use and edit this prompt
          </button>
        </div>
      )}
      {note && (
        <p className="note" data-testid="clip-note">
          {note}
        </p>
      )}
      <ul className="rows">
        {shown.map((c) => {
          const key = clipKey(c);
          const placedTake = history.placed(key);
          const refusedWhy = refusal(c);
          const status: RowStatus = refusedWhy
            ? { kind: "failed", message: refusedWhy }
            : withPlacedTake(statuses[key] ?? { kind: "idle" }, history, key);
          return (
            <BedRow
              key={key}
              testId="clip-row"
              status={status}
              name={`${c.name} ${c.mediaPath ? `· ${baseName(c.mediaPath)}` : "· (no media)"}`}
              title={c.mediaPath}
              time={`${c.trackType === "audio" ? "A" : "V"}${c.trackIndex + 1} · ${ticksToSeconds(toTicks(c.endTicks) - toTicks(c.startTicks)).toFixed(2)} s`}
              takes={history.of(key).length}
              // a placed bed gets more takes from its take list (to the bin), never a second bed under the clip
              onRescore={busy || !online || refusedWhy || placedTake ? undefined : () => void generate([c])}
              onFeedback={(t) => onFeedback({ ...takeRef(history.of(key), t), label: c.name })}
            >
              <div className="row-fields">
                <BpmField
                  value={bpm[key] ?? ""}
                  onChange={(v) => setBpm((b) => ({ ...b, [key]: v }))}
                  disabled={!prompt.trim()}
                  title={
                    prompt.trim()
                      ? "Tempo of the bed, 30–300 BPM; empty: the prompt decides"
                      : "With a typed prompt only: under a voice-over the voice sets the pace"
                  }
                />
                {placedTake?.voiceOver && (
                  <DipField
                    // a new placed take (or its new dip) starts the field again from what is on the timeline
                    key={`${placedTake.sha256}@${dipOf(placedTake)}`}
                    depthDb={dipOf(placedTake)}
                    busy={busy || !online || takes.busyKey !== null}
                    onSet={(db) => void takes.setDip(key, db, c.name)}
                  />
                )}
              </div>
              <TakeList
                takes={history.of(key)}
                placedSha={history.placed(key)?.sha256}
                capabilities={takes.capabilities}
                busy={busy || !online || takes.busyKey !== null}
                message={takes.messageOf(key)}
                onListen={(t) => void takes.listen(key, t)}
                onUse={(t) => void takes.use(key, t, c.name)}
                onReveal={(t) => void takes.reveal(key, t)}
                onNewTakes={(n) => void takes.newTakes(key, n, c.name, clipNow(c))}
              />
            </BedRow>
          );
        })}
      </ul>
    </section>
  );
}
