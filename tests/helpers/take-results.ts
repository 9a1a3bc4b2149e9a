// A finished bed as the helper reports it (JobResult), for panel tests that stand in for the helper.
import type { JobResult } from "../../shared/protocol";

/** A 64-hex sha256 made of one repeated character. */
export const fakeSha = (c: string) => c.repeat(64);

/** A JobResult for `path`, `seconds` long; override any field. */
export function fakeJobResult(path: string, seconds: number, over: Partial<JobResult> = {}): JobResult {
  return {
    job_id: "j",
    path,
    duration_sec: seconds,
    sample_rate: 32000,
    samples: seconds * 32000,
    prompt: "warm synth pop",
    seed: 7,
    sha256: fakeSha(path.length.toString(16).slice(-1)),
    loudness_lufs: -14,
    true_peak_dbtp: -1,
    bpm_estimate: null,
    cached: false,
    model: "contract",
    contract_model: true,
    wall_ms: 1,
    ...over,
  };
}
