/**
 * Premiere's audio Volume > Level parameter and its value scale.
 *
 * Scripts do not see decibels: the Level parameter holds a normalised linear gain where 1.0 is the slider's top,
 * +15 dB, so unity (0 dB) reads 0.17782794 = 10^(-15/20). Sources: Adobe's UXP Premiere sample code converts with
 * `Math.min(10 ** ((db - 15) / 20), 1.0)` before `ComponentParam.createKeyframe` (its `changeAllAudioLevels`),
 * and ExtendScript scripts for Premiere read 0.1778 as a fresh clip's Level. The Volume component is the first
 * of an audio clip's chain; its match name is "Internal Volume Stereo" (or "… Mono" / "… 5.1" by channel
 * layout), display name "Volume"; its parameters are Bypass (0) and Level (1).
 */

/** Match names of the fixed Volume component start with this. */
export const VOLUME_MATCH_NAME_PREFIX = "Internal Volume";
/** Display name, the fallback when a Premiere reports another match name (it is localised: last resort). */
export const VOLUME_DISPLAY_NAME = "Volume";
/** The Level parameter's index inside the Volume component (0 is Bypass). */
export const LEVEL_PARAM_INDEX = 1;
/** The top of the Level slider in dB: the parameter's 1.0. */
export const LEVEL_MAX_DB = 15;
/** Below this the bed is effectively silent; the parameter's 0 would be −∞ dB. */
export const LEVEL_FLOOR_DB = -96;

/** dB (0 = unity) to the Level parameter's value, clamped to [10^((floor−15)/20), 1]. */
export function levelFromDb(db: number): number {
  const clamped = Math.min(LEVEL_MAX_DB, Math.max(LEVEL_FLOOR_DB, db));
  return Math.min(1, Math.pow(10, (clamped - LEVEL_MAX_DB) / 20));
}

/** The Level parameter's value to dB (0 = unity); −Infinity for 0. */
export function dbFromLevel(level: number): number {
  return level <= 0 ? -Infinity : 20 * Math.log10(level) + LEVEL_MAX_DB;
}
