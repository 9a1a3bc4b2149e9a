// Overall progress and time left of one Score Markers / Generate bed run, from the helper's per-job `queued` and
// `progress` messages. Pure: the tabs feed it events, the toolbar shows its answer.

/** What the panel knows of one job of the run. */
export interface JobProgress {
  /** 0..1 (0 while queued, 1 once done or failed). */
  fraction: number;
  /** The helper's estimate of the milliseconds left, from its last `progress` message; null before the first. */
  etaMs: number | null;
}

export interface OverallProgress {
  /** 0..1: the mean of the jobs' fractions (each job counts once, whatever its length). */
  fraction: number;
  /** Milliseconds left for the whole run; null while nothing has reported an estimate yet. */
  etaMs: number | null;
}

/**
 * The run as one bar. Time left: the helper decodes a batch of jobs together and sends every job of the batch
 * the same `eta_ms`, so adding the estimates up would count one decode once per job; the longest estimate among
 * running jobs is the time left for them. Jobs that have not started yet have no estimate: while some wait, the
 * time left is at least what the pace so far predicts for the remaining fraction (`elapsedMs`).
 */
export function overallProgress(jobs: JobProgress[], elapsedMs = 0): OverallProgress {
  if (jobs.length === 0) return { fraction: 0, etaMs: null };
  const clamp = (f: number) => (Number.isFinite(f) ? Math.min(1, Math.max(0, f)) : 0);
  const fraction = jobs.reduce((sum, j) => sum + clamp(j.fraction), 0) / jobs.length;
  const running = jobs.filter((j) => j.etaMs !== null && clamp(j.fraction) < 1).map((j) => Math.max(0, j.etaMs!));
  const waiting = jobs.some((j) => j.etaMs === null && clamp(j.fraction) < 1);
  let etaMs: number | null = running.length > 0 ? Math.max(...running) : null;
  if (waiting && fraction > 0 && elapsedMs > 0) {
    const pace = (elapsedMs * (1 - fraction)) / fraction;
    etaMs = Math.max(etaMs ?? 0, pace);
  }
  if (fraction >= 1) etaMs = 0;
  return { fraction, etaMs: etaMs === null ? null : Math.round(etaMs) };
}

/** "about 40 s left", "about 2 min left", "almost done"; "" while unknown. */
export function timeLeftText(etaMs: number | null): string {
  if (etaMs === null) return "";
  if (etaMs < 1500) return "almost done";
  const s = Math.round(etaMs / 1000);
  if (s < 60) return `about ${s} s left`;
  const min = Math.floor(s / 60);
  const rest = s % 60;
  return rest >= 5 ? `about ${min} min ${rest} s left` : `about ${min} min left`;
}
