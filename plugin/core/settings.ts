// The panel's own settings (helper address and token, track policy, levels), kept in UXP's localStorage.
// Everything read back is validated: a hand-edited or older value falls back to the default, never crashes the panel.
import {
  DEFAULT_BED_LEVEL_DB,
  DEFAULT_DUCK_DB,
  DEFAULT_LOUDNESS_LUFS,
  MAX_BED_LEVEL_DB,
  MAX_DUCK_DB,
  MAX_DURATION_SEC,
  MAX_LOUDNESS_LUFS,
  MIN_BED_LEVEL_DB,
  MIN_DUCK_DB,
  MIN_DURATION_SEC,
  MIN_LOUDNESS_LUFS,
} from "../../shared/protocol";
import { num, str, type Checker } from "../../shared/protocol/validate";

export interface PanelSettings {
  /** host:port of the helper (the panel connects over ws://). */
  helperAddress: string;
  /** The helper's --lan token; empty on one machine. */
  token: string;
  /** Beds go first on the audio track with this name when it is free ("" = the lowest free track). */
  preferTrackName: string;
  /** Tracks whose names match this (case-insensitive regular expression) never get a bed: dialogue. */
  avoidTracksPattern: string;
  /** Integrated loudness target of a bed, LUFS. */
  loudnessLufs: number;
  /** Bed level relative to the target, dB. */
  bedLevelDb: number;
  /** Length of a zero-length marker that is the last one, seconds. */
  defaultMarkerSeconds: number;
  /** How far a voice-over bed dips under speech, dB. */
  duckDb: number;
  /** Folder for the WAVs ("" = the helper's default, inside its output roots). */
  outputDir: string;
  /**
   * Bed level and duck: "keyframes" writes them as editable Volume keyframes where Premiere offers the calls
   * (else baked), "baked" always bakes them into the WAV.
   */
  levelsMode: LevelsMode;
}

/** Where the bed level and the duck live: editable keyframes when Premiere allows, or baked into the WAV. */
export type LevelsMode = "keyframes" | "baked";

/** The `levels` to ask the helper for: keyframes only when the setting wants them and the host can write them. */
export function levelsToRequest(
  settings: Pick<PanelSettings, "levelsMode">,
  hostCanWriteKeyframes: boolean,
): LevelsMode {
  return settings.levelsMode === "keyframes" && hostCanWriteKeyframes ? "keyframes" : "baked";
}

export const DEFAULT_SETTINGS: Readonly<PanelSettings> = Object.freeze({
  helperAddress: "127.0.0.1:8001",
  token: "",
  preferTrackName: "",
  avoidTracksPattern: "dialog|voice|\\bvo\\b|narrat",
  loudnessLufs: DEFAULT_LOUDNESS_LUFS,
  bedLevelDb: DEFAULT_BED_LEVEL_DB,
  defaultMarkerSeconds: 10,
  duckDb: DEFAULT_DUCK_DB,
  outputDir: "",
  levelsMode: "keyframes",
});

const STORAGE_KEY = "cuesmith.settings.v1";

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

// The protocol's checkers, so a level or length the panel keeps is one the helper accepts.
type Check = (v: unknown) => boolean;
const accepts =
  <T>(check: Checker<T>): Check =>
  (v) =>
    check(v, "").ok;
const text = (max: number): Check => accepts(str({ min: 0, max, multiline: true }));
const range = (min: number, max: number): Check => accepts(num({ min, max }));

const CHECKS: Record<keyof PanelSettings, Check> = {
  helperAddress: (v) =>
    typeof v === "string" && /^(wss?:\/\/|https?:\/\/)?[A-Za-z0-9.\-[\]:]+(:\d{1,5})?\/?$/.test(v.trim()),
  token: text(256),
  preferTrackName: text(100),
  avoidTracksPattern: (v) => text(200)(v) && compiles(v as string),
  loudnessLufs: range(MIN_LOUDNESS_LUFS, MAX_LOUDNESS_LUFS),
  bedLevelDb: range(MIN_BED_LEVEL_DB, MAX_BED_LEVEL_DB),
  defaultMarkerSeconds: range(MIN_DURATION_SEC, MAX_DURATION_SEC),
  duckDb: range(MIN_DUCK_DB, MAX_DUCK_DB),
  outputDir: text(1000),
  levelsMode: (v) => v === "keyframes" || v === "baked",
};

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, "i");
    return true;
  } catch {
    return false;
  }
}

/** Which fields of `value` are not acceptable, with why (for the settings form). */
export function settingsProblems(value: PanelSettings): Partial<Record<keyof PanelSettings, string>> {
  const problems: Partial<Record<keyof PanelSettings, string>> = {};
  const why: Partial<Record<keyof PanelSettings, string>> = {
    helperAddress: "host:port, e.g. 127.0.0.1:8001",
    avoidTracksPattern: "not a valid regular expression",
    loudnessLufs: `between ${MIN_LOUDNESS_LUFS} and ${MAX_LOUDNESS_LUFS} LUFS`,
    bedLevelDb: `between ${MIN_BED_LEVEL_DB} and ${MAX_BED_LEVEL_DB} dB`,
    defaultMarkerSeconds: `between ${MIN_DURATION_SEC} and ${MAX_DURATION_SEC} s`,
    duckDb: `between ${MIN_DUCK_DB} and ${MAX_DUCK_DB} dB`,
  };
  for (const key of Object.keys(CHECKS) as (keyof PanelSettings)[]) {
    if (!CHECKS[key](value[key])) problems[key] = why[key] ?? "not valid";
  }
  return problems;
}

export function loadSettings(storage: StorageLike | null): PanelSettings {
  const settings: PanelSettings = { ...DEFAULT_SETTINGS };
  let stored: unknown = null;
  try {
    stored = JSON.parse(storage?.getItem(STORAGE_KEY) ?? "null");
  } catch {
    stored = null;
  }
  if (stored && typeof stored === "object") {
    for (const key of Object.keys(CHECKS) as (keyof PanelSettings)[]) {
      const v = (stored as Record<string, unknown>)[key];
      if (CHECKS[key](v)) (settings as unknown as Record<string, unknown>)[key] = v;
    }
  }
  return settings;
}

/** Stores the settings; refuses (throws, in words) values that would not load back. */
export function saveSettings(storage: StorageLike | null, value: PanelSettings): void {
  const problems = Object.entries(settingsProblems(value));
  if (problems.length > 0) throw new Error(problems.map(([k, why]) => `${k}: ${why}`).join("; "));
  storage?.setItem(STORAGE_KEY, JSON.stringify(value));
}

/** Track-name predicates for the flows. */
export function trackPolicy(settings: PanelSettings): {
  excludeTrack: (name: string) => boolean;
  preferTrack: (name: string) => boolean;
} {
  const avoid = settings.avoidTracksPattern ? new RegExp(settings.avoidTracksPattern, "i") : null;
  const prefer = settings.preferTrackName.trim().toLowerCase();
  return {
    excludeTrack: (name) => (avoid ? avoid.test(name) : false),
    preferTrack: (name) => prefer !== "" && name.trim().toLowerCase() === prefer,
  };
}
