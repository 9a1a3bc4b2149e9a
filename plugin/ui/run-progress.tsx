// One Score Markers / Generate bed run as the editor follows it: every job's progress from the helper, summed into
// one bar with the time left, and Cancel that stops the run's jobs and is told apart from a failure.
import { useCallback, useRef, useState } from "react";
import type { HelperConnection } from "../core/connection";
import type { JobEvent } from "../core/helper-client";
import { overallProgress, timeLeftText, type JobProgress } from "../core/run-progress";

export interface BedRun {
  /** A run starts: the last run's jobs are forgotten. */
  start(): void;
  /** A job event from the helper (the flows' onJob). */
  track(e: JobEvent): void;
  /** The run is over (done, failed or cancelled). */
  finish(): void;
  /** Asks the helper to stop every job of the run. */
  cancel(): Promise<void>;
  /** Whether the editor cancelled this run (a job that then fails "cancelled" was stopped, not broken). */
  cancelled(): boolean;
  /** Each job's progress so far, by job id. */
  jobs: Record<string, JobProgress>;
  startedAt: number;
}

export function useBedRun(connection: HelperConnection): BedRun {
  const [jobs, setJobs] = useState<Record<string, JobProgress>>({});
  const ids = useRef<string[]>([]);
  const cancelAsked = useRef(false);
  const startedAt = useRef(0);

  const start = useCallback(() => {
    ids.current = [];
    cancelAsked.current = false;
    startedAt.current = Date.now();
    setJobs({});
  }, []);
  const track = useCallback(
    (e: JobEvent) => {
      if (!ids.current.includes(e.job_id)) {
        ids.current.push(e.job_id);
        // a job the helper only now reports, after Esc: it is part of the cancelled run
        if (cancelAsked.current) void connection.helper.cancel(e.job_id).catch(() => undefined);
      }
      setJobs((j) => ({
        ...j,
        [e.job_id]:
          e.kind === "queued"
            ? { fraction: 0, etaMs: null }
            : { fraction: e.fraction ?? 0, etaMs: e.etaMs ?? j[e.job_id]?.etaMs ?? null },
      }));
    },
    [connection],
  );
  const finish = useCallback(() => setJobs({}), []);
  const cancel = useCallback(async () => {
    cancelAsked.current = true;
    for (const id of ids.current) await connection.helper.cancel(id).catch(() => undefined);
  }, [connection]);
  const cancelled = useCallback(() => cancelAsked.current, []);
  return { start, track, finish, cancel, cancelled, jobs, startedAt: startedAt.current };
}

/** A job's failure that is the editor's own cancel. */
export function isCancellation(run: BedRun, message: string): boolean {
  return run.cancelled() && /cancel/i.test(message);
}

/** "42 % · about 20 s left · scoring 3 beds": shown above the rows while a run is going. */
export function RunProgressLine({ run, busy, what }: { run: BedRun; busy: boolean; what: string }) {
  const list = Object.values(run.jobs);
  if (!busy) return null;
  const overall = overallProgress(list, run.startedAt ? Date.now() - run.startedAt : 0);
  const percent = Math.round(overall.fraction * 100);
  const left = timeLeftText(overall.etaMs);
  // the most useful words first: a narrow panel cuts the end
  const beds = list.length > 0 ? ` · ${what} ${list.length} bed${list.length === 1 ? "" : "s"}` : ` · ${what}`;
  const text = `${run.cancelled() ? "Cancelling… " : ""}${percent} %${left ? ` · ${left}` : ""}${beds}`;
  return (
    <div className="run-progress" data-testid="run-progress" title={text}>
      <span className="bar wide">
        <span className="fill" style={{ width: `${percent}%` }} />
      </span>
      <span className="run-text">{text}</span>
    </div>
  );
}
