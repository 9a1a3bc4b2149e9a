// One marker's or clip's row: its head (name, time), its fields, and its state under them — queued, progress,
// placed (with its take number), or the error. Shared by the Markers and Clip bed tabs.
import type { ReactElement, ReactNode } from "react";
import type { Take } from "../core/score-markers";
import type { FeedbackTarget } from "./shared";

export type PlacedStatus = {
  kind: "placed";
  take: number;
  path: string;
  jobId: string;
  sha256: string;
  trackIndex: number;
};

export type RowStatus =
  | { kind: "idle" }
  | { kind: "queued"; position?: number }
  | { kind: "running"; fraction: number }
  | PlacedStatus
  /** The editor cancelled the new take; the take placed before (if any) is still on the timeline. */
  | { kind: "cancelled"; placed?: PlacedStatus }
  | { kind: "failed"; message: string };

/** A row's state after its new take was cancelled: the last placed take (from the history) stays its line. */
export function cancelledStatus(takes: Take[]): RowStatus {
  const last = takes[takes.length - 1];
  return last
    ? {
        kind: "cancelled",
        placed: {
          kind: "placed",
          take: takes.length,
          path: last.path,
          jobId: last.jobId,
          sha256: last.sha256,
          trackIndex: last.trackIndex,
        },
      }
    : { kind: "cancelled" };
}

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
  const placed = status.kind === "placed" ? status : status.kind === "cancelled" ? status.placed : undefined;
  if (placed)
    body = (
      <span className="ok" title={placed.path}>
        <span className="placed-line">
          Placed on A{placed.trackIndex + 1} · take {placed.take}
        </span>
        <span className="file">{baseName(placed.path)}</span>
        {status.kind === "cancelled" && (
          <span className="cancelled" data-testid="row-cancelled">
            New take cancelled: take {placed.take} stays.
          </span>
        )}
      </span>
    );
  else if (status.kind === "cancelled")
    body = (
      <span className="cancelled" data-testid="row-cancelled">
        Cancelled: nothing was placed.
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
        {placed && (
          <button
            className="quiet"
            data-testid="feedback"
            onClick={() => onFeedback({ jobId: placed.jobId, sha256: placed.sha256 })}
          >
            Feedback
          </button>
        )}
        {onRescore && (placed || status.kind === "failed" || status.kind === "cancelled" || takes > 0) && (
          <button className="quiet" data-testid="rescore" onClick={onRescore}>
            {takes > 0 ? "New take" : "Retry"}
          </button>
        )}
      </span>
    </div>
  );
}

export interface BedRowProps {
  testId: string;
  status: RowStatus;
  name: ReactNode;
  /** Hover text of the name. */
  title: string;
  time: ReactNode;
  /** Before the name (the Markers tab's checkbox). */
  lead?: ReactNode;
  /** Between the head and the state (the Markers tab's fields). */
  children?: ReactNode;
  takes: number;
  onRescore?: () => void;
  onFeedback: (t: Omit<FeedbackTarget, "label">) => void;
}

/** A row of the Markers or Clip bed list; its state is a class (UXP has no data-attribute selectors). */
export function BedRow({
  testId,
  status,
  name,
  title,
  time,
  lead,
  children,
  takes,
  onRescore,
  onFeedback,
}: BedRowProps) {
  return (
    <li className={`row status-${status.kind}`} data-testid={testId} data-status={status.kind}>
      <div className="row-head">
        {lead}
        <span className="row-name" title={title}>
          {name}
        </span>
        <span className="row-time">{time}</span>
      </div>
      {children}
      <StatusCell status={status} takes={takes} onRescore={onRescore} onFeedback={onFeedback} />
    </li>
  );
}
