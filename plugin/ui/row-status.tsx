// One marker's or clip's state under its fields: queued, progress, placed (with its take number), or the error.
import type { ReactElement } from "react";
import type { FeedbackTarget } from "./feedback-form";

export type RowStatus =
  | { kind: "idle" }
  | { kind: "queued"; position?: number }
  | { kind: "running"; fraction: number }
  | { kind: "placed"; take: number; path: string; jobId: string; sha256: string; trackIndex: number }
  | { kind: "failed"; message: string };

const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;

export function StatusCell({
  status,
  takes,
  onRescore,
  onFeedback,
}: {
  status: RowStatus;
  takes: number;
  onRescore?: () => void;
  onFeedback: (t: Omit<FeedbackTarget, "label">) => void;
}) {
  let body: ReactElement | null = null;
  if (status.kind === "queued")
    body = <span className="muted">Queued{status.position ? ` (${status.position} ahead)` : ""}</span>;
  if (status.kind === "running")
    body = (
      <span className="progress" data-testid="progress">
        <span className="bar">
          <span className="fill" style={{ width: `${Math.round(status.fraction * 100)}%` }} />
        </span>
        {Math.round(status.fraction * 100)}%
      </span>
    );
  if (status.kind === "placed")
    body = (
      <span className="ok" title={status.path}>
        Placed on A{status.trackIndex + 1} · take {status.take}
        <span className="file">{baseName(status.path)}</span>
      </span>
    );
  if (status.kind === "failed")
    body = (
      <span className="error" role="alert" data-testid="row-error">
        {status.message}
      </span>
    );
  return (
    <div className="row-status">
      {body}
      <span className="row-actions">
        {status.kind === "placed" && (
          <button
            className="quiet"
            data-testid="feedback"
            onClick={() => onFeedback({ jobId: status.jobId, sha256: status.sha256 })}
          >
            Feedback
          </button>
        )}
        {onRescore && (status.kind === "placed" || status.kind === "failed" || takes > 0) && (
          <button className="quiet" data-testid="rescore" onClick={onRescore}>
            {takes > 0 ? "New take" : "Retry"}
          </button>
        )}
      </span>
    </div>
  );
}
