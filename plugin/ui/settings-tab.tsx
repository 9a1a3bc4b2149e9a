// The panel's settings in the editor's words: where the helper is, which tracks beds may use, how loud the music
// sits under the dialogue and how far it dips under the voice, and how markers ask for music. Saved locally; a
// value that would not work is refused next to its field, and an address the manifest does not allow is warned
// about. The Premiere check lives here too.
import { useState } from "react";
import { networkWarning } from "../core/network-permission";
import { saveSettings, settingsProblems, type PanelSettings, type StorageLike } from "../core/settings";
import { patternToWords, wordsToPattern } from "../core/track-words";
import type { Host } from "../host/host";
import { CheckPremiere } from "./check-premiere";
import { buttonClass, plainMessage } from "./shared";

type Field = {
  key: keyof PanelSettings;
  label: string;
  kind: "text" | "number" | "password" | "words";
  /** Shown after a number's box: "dB", "s", "LUFS". */
  unit?: string;
  hint?: string;
};

const FIELDS: Field[] = [
  {
    key: "helperAddress",
    label: "Helper address",
    kind: "text",
    hint: "where npx cuesmith serve runs, e.g. 127.0.0.1:8001",
  },
  { key: "token", label: "Team token", kind: "password", hint: "only for a helper shared on the network (--lan)" },
  {
    key: "preferTrackName",
    label: "Put beds on the track named",
    kind: "text",
    hint: "e.g. Music; empty: the lowest free track",
  },
  {
    key: "avoidTracksPattern",
    label: "Never put beds on tracks named",
    kind: "words",
    hint: "words, with commas between, any case: “dialog” also matches Dialogue 1; a word of two letters only whole: “vo” matches VO 2, not Vox pops",
  },
  {
    key: "bedLevelDb",
    label: "Music level under dialogue",
    kind: "number",
    unit: "dB",
    hint: "−12 dB sits the music well under a voice; −6 dB brings it forward",
  },
  {
    key: "duckDb",
    label: "Dip under the voice",
    kind: "number",
    unit: "dB",
    hint: "how far a Clip bed drops while someone speaks, and comes back between sentences",
  },
  {
    key: "loudnessLufs",
    label: "Loudness of a finished bed",
    kind: "number",
    unit: "LUFS",
    hint: "−14 for the web and social, −23 (EBU) or −24 (US) for broadcast",
  },
  {
    key: "defaultMarkerSeconds",
    label: "Length of a last marker without duration",
    kind: "number",
    unit: "s",
    hint: "a marker without duration lasts until the next marker; the last one gets this",
  },
  { key: "outputDir", label: "Save the WAVs in", kind: "text", hint: "a folder; empty: the helper's own folder" },
];

export interface SettingsTabProps {
  settings: PanelSettings;
  storage: StorageLike | null;
  onSaved: (s: PanelSettings) => void;
  host: Host;
  /** Bumped by the flyout menu's "Check Premiere": runs the check. */
  checkRequest: number;
}

/** A typed number: "−12" (a typographic minus) and "-12" are the same; "" is not a number. */
const toNumber = (text: string) => (text.trim() === "" ? NaN : Number(text.trim().replace(/\u2212/g, "-")));

/** What each field's box shows for a stored value (numbers with a typographic minus, the track rule as words). */
function shown(f: Field, value: PanelSettings[keyof PanelSettings]): string {
  if (f.kind === "words") return patternToWords(String(value)) ?? String(value);
  if (f.kind === "number") return String(value).replace(/^-/, "\u2212");
  return String(value);
}

export function SettingsTab({ settings, storage, onSaved, host, checkRequest }: SettingsTabProps) {
  const [draft, setDraft] = useState<Record<keyof PanelSettings, string>>(
    () =>
      ({
        ...Object.fromEntries(FIELDS.map((f) => [f.key, shown(f, settings[f.key])])),
        levelsMode: settings.levelsMode,
      }) as Record<keyof PanelSettings, string>,
  );
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  // a hand-written expression (not words) stays as it is until the editor types words over it
  const customRule = patternToWords(settings.avoidTracksPattern) === null;

  const parsed = (): PanelSettings => {
    const out = { ...settings } as Record<string, unknown>;
    for (const f of FIELDS) {
      const text = draft[f.key];
      if (f.kind === "number") out[f.key] = toNumber(text);
      else if (f.kind === "words")
        out[f.key] = customRule && text === settings.avoidTracksPattern ? text : wordsToPattern(text);
      else out[f.key] = text.trim();
    }
    out.levelsMode = draft.levelsMode === "baked" ? "baked" : "keyframes";
    return out as unknown as PanelSettings;
  };
  const problems = settingsProblems(parsed());

  const save = () => {
    try {
      const next = parsed();
      saveSettings(storage, next);
      onSaved(next);
      const warning = networkWarning(next.helperAddress);
      setMessage(warning ? { error: true, text: `Saved, but: ${warning}` } : { error: false, text: "Saved." });
    } catch (err) {
      setMessage({ error: true, text: plainMessage(err) });
    }
  };

  const box = (f: Field) => (
    <input
      className={f.kind === "number" ? "number" : "text"}
      type={f.kind === "password" ? "password" : "text"}
      value={draft[f.key]}
      aria-label={f.label}
      data-testid={`setting-${f.key}`}
      onChange={(e) => setDraft((d) => ({ ...d, [f.key]: e.target.value }))}
    />
  );

  return (
    <section data-testid="settings-tab">
      <div className="card" data-testid="marker-rule">
        <span className="heading">How a marker asks for music</span>
        <span>
          <strong>#unboxing</strong> in a marker&apos;s name or comments: the #unboxing preset (see Presets).
        </span>
        <span>
          A comment line <strong>prompt: calm piano, soft strings</strong>: exactly that music.
        </span>
        <span className="muted">
          A marker with a duration gets a bed that long; one without lasts until the next marker. Markers with neither
          (chapters, notes) are left alone.
        </span>
      </div>
      {FIELDS.map((f) => (
        <label key={f.key} className="field">
          {f.kind === "number" ? (
            <span className="inline-field">
              <span className="inline-label">{f.label}:</span>
              {box(f)}
              <span className="unit">{f.unit}</span>
            </span>
          ) : (
            <>
              <span>{f.label}</span>
              {box(f)}
            </>
          )}
          {problems[f.key] ? (
            <span className="error">{problems[f.key]}</span>
          ) : f.kind === "words" && customRule && draft[f.key] === settings.avoidTracksPattern ? (
            <span className="muted">a custom rule; type words (e.g. dialog, voice, vo) to replace it</span>
          ) : f.hint ? (
            <span className="muted">{f.hint}</span>
          ) : null}
          {f.key === "helperAddress" && !problems.helperAddress && networkWarning(draft.helperAddress) && (
            <span className="error" data-testid="network-warning">
              {networkWarning(draft.helperAddress)}
            </span>
          )}
        </label>
      ))}
      <label className="field">
        <span>Bed level and dip</span>
        <select
          value={draft.levelsMode}
          data-testid="setting-levelsMode"
          onChange={(e) => setDraft((d) => ({ ...d, levelsMode: e.target.value }))}
        >
          <option value="keyframes">Editable keyframes (when Premiere allows)</option>
          <option value="baked">Always baked into the WAV</option>
        </select>
        <span className="muted">
          {host.getCapabilities().levelKeyframes
            ? "This Premiere can write Volume keyframes."
            : "This Premiere cannot write Volume keyframes: levels are baked."}
        </span>
      </label>
      {message && <p className={message.error ? "error" : "ok"}>{message.text}</p>}
      <button
        className={buttonClass("cta", Object.keys(problems).length > 0)}
        data-testid="settings-save"
        disabled={Object.keys(problems).length > 0}
        onClick={save}
      >
        Save settings
      </button>
      <CheckPremiere host={host} request={checkRequest} />
    </section>
  );
}
