// Long pieces: MusicGen attends to at most 30 s, so audiocraft generates 30 s windows, re-feeds the last
// 12 s of tokens as the next window's prompt and advances 18 s at a time. This plans those windows in
// frames, reproducing audiocraft's loop so that joins neither repeat nor drop a frame.

export interface Window {
  /** First frame of this window in the whole piece. */
  offset: number;
  /** Frames at the start of the window that are copied from the previous window (the prompt). */
  promptFrames: number;
  /** Frames in the window, prompt included. */
  frames: number;
}

export interface WindowOptions {
  windowFrames?: number; // 30 s at 50 Hz
  strideFrames?: number; // 18 s at 50 Hz
}

export function planWindows(
  totalFrames: number,
  { windowFrames = 1500, strideFrames = 900 }: WindowOptions = {},
): Window[] {
  if (!Number.isInteger(totalFrames) || totalFrames < 1)
    throw new RangeError(`totalFrames must be a positive integer, got ${totalFrames}`);
  if (!(strideFrames > 0 && strideFrames < windowFrames)) throw new RangeError("stride must be within (0, window)");
  const windows: Window[] = [];
  let offset = 0;
  let promptFrames = 0;
  while (offset + promptFrames < totalFrames) {
    const frames = Math.min(totalFrames - offset, windowFrames);
    windows.push({ offset, promptFrames, frames });
    promptFrames = frames - strideFrames;
    offset += strideFrames;
  }
  return windows;
}
