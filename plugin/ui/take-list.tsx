// A marker's (or clip bed's) takes under its row: each with Listen (Source Monitor), Use this take (swap in place,
// one undo step) and Reveal (its folder); New take (1 or 3 variations, to the bin and this list) and Extend when
// the marker got longer than its placed take.
import { useState } from "react";
import type { Take } from "../core/score-markers";
import type { HostCapabilities } from "../host/host";
import { buttonClass } from "./shared";

const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;

export interface TakeListProps {
  takes: Take[];
  placedSha?: string;
  capabilities: HostCapabilities;
  busy: boolean;
  /** Seconds the marker is now; Extend shows when it is longer than the placed take. */
  targetSeconds?: number;
  onListen: (take: Take) => void;
  onUse: (take: Take) => void;
  onReveal: (take: Take) => void;
  onNewTakes: (variations: number) => void;
  onExtend?: (seconds: number) => void;
  message?: string | null;
}

export function TakeList(props: TakeListProps) {
  const { takes, placedSha, capabilities, busy } = props;
  const [variations, setVariations] = useState(1);
  const placed = takes.find((t) => t.sha256 === placedSha);
  const longer =
    props.onExtend && placed?.durationSec !== undefined && props.targetSeconds !== undefined
      ? props.targetSeconds > placed.durationSec + 0.01
      : false;
  if (takes.length === 0) return null;
  return (
    <div className="takes" data-testid="takes">
      <ol className="take-list">
        {takes.map((take, i) => {
          const isPlaced = take.sha256 === placedSha;
          return (
            <li key={take.sha256} className={isPlaced ? "take placed" : "take"} data-testid="take" title={take.path}>
              <span className="take-name">
                Take {i + 1}
                {isPlaced ? " · on the timeline" : ""}
                <span className="muted">
                  {" "}
                  · seed {take.seed}
                  {take.durationSec !== undefined ? ` · ${take.durationSec.toFixed(1)} s` : ""}
                  {take.extendedFrom ? " · extended" : ""}
                </span>
              </span>
              <span className="take-actions">
                <button
                  className="quiet"
                  data-testid="take-listen"
                  disabled={!capabilities.sourceMonitor}
                  title="Open in the Source Monitor and play"
                  onClick={() => props.onListen(take)}
                >
                  Listen
                </button>
                {!isPlaced && (
                  <button
                    className={buttonClass("quiet", busy || !placed)}
                    data-testid="take-use"
                    disabled={busy || !placed}
                    onClick={() => props.onUse(take)}
                  >
                    Use this take
                  </button>
                )}
                <button
                  className="quiet"
                  data-testid="take-reveal"
                  title={take.path}
                  onClick={() => props.onReveal(take)}
                >
                  Reveal
                </button>
              </span>
              <span className="file" data-testid="take-path">
                {baseName(take.path)}
              </span>
            </li>
          );
        })}
      </ol>
      <div className="take-tools">
        <select
          aria-label="takes per request"
          data-testid="take-variations"
          value={variations}
          onChange={(e) => setVariations(Number(e.target.value))}
        >
          <option value={1}>1 take</option>
          <option value={3}>3 takes</option>
        </select>
        <button
          className={buttonClass("quiet", busy)}
          data-testid="new-take"
          disabled={busy}
          onClick={() => props.onNewTakes(variations)}
          title="Make more takes of this bed: they go to the Cuesmith bin and this list, never onto a track"
        >
          More takes
        </button>
        {longer && props.onExtend && (
          <button
            className={buttonClass("quiet", busy)}
            data-testid="take-extend"
            disabled={busy}
            onClick={() => props.onExtend!(props.targetSeconds!)}
          >
            Extend to {props.targetSeconds} s
          </button>
        )}
      </div>
      {props.message && (
        <p className="note" data-testid="take-message">
          {props.message}
        </p>
      )}
    </div>
  );
}
