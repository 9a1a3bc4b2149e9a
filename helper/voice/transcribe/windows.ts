// 30 s windows over a long clip, positioned by the seek (in mel frames, 100 per second at 16 kHz / hop 160).

export interface WindowSpan {
  /** First sample and the number of samples of the window (the last one is shorter). */
  startSample: number;
  samples: number;
  /** Mel frames of real audio in the window (<= nb_max_frames). */
  frames: number;
}

export function totalFrames(samples: number, hopLength: number): number {
  return Math.ceil(samples / hopLength);
}

/** The window that starts at `seekFrames`, or null past the end of the clip. */
export function windowAt(
  seekFrames: number,
  clipSamples: number,
  hopLength: number,
  nbMaxFrames: number,
): WindowSpan | null {
  const total = totalFrames(clipSamples, hopLength);
  if (seekFrames >= total) return null;
  const frames = Math.min(nbMaxFrames, total - seekFrames);
  const startSample = seekFrames * hopLength;
  return { startSample, samples: Math.min(clipSamples - startSample, nbMaxFrames * hopLength), frames };
}

/** Windows of a clip when every window is taken whole (the plan when no timestamps cut it short). */
export function fixedWindows(clipSamples: number, hopLength: number, nbMaxFrames: number): WindowSpan[] {
  const out: WindowSpan[] = [];
  for (let seek = 0; ; seek += nbMaxFrames) {
    const w = windowAt(seek, clipSamples, hopLength, nbMaxFrames);
    if (!w) return out;
    out.push(w);
  }
}
