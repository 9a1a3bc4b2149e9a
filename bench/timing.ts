// Timing helpers shared by the bench scripts.

/**
 * Runs every case once to warm it up, then `reps` times, interleaved rep by rep, so that a busy moment of a shared
 * machine hits all cases alike. Returns each case's times in milliseconds.
 */
export async function timeInterleaved(reps: number, cases: (() => Promise<unknown>)[]): Promise<number[][]> {
  for (const run of cases) await run();
  const times = cases.map(() => [] as number[]);
  for (let r = 0; r < reps; r++) {
    for (const [i, run] of cases.entries()) {
      const t0 = performance.now();
      await run();
      times[i].push(performance.now() - t0);
    }
  }
  return times;
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];
