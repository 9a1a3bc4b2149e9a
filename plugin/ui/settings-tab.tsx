// The panel's settings: where the helper is, which tracks beds may use, how loud beds are. Saved locally; a
// value that would not work is refused next to its field, and an address the manifest does not allow is warned
// about. The Premiere check lives here too.
import { useState } from "react";
import { networkWarning } from "../core/network-permission";
import { saveSettings, settingsProblems, type PanelSettings, type StorageLike } from "../core/settings";
import type { Host } from "../host/host";
import { CheckPremiere } from "./check-premiere";
import { buttonClass, plainMessage } from "./shared";

type Field = { key: keyof PanelSettings; label: string; kind: "text" | "number" | "password"; hint?: string };

const FIELDS: Field[] = [
  { key: "helperAddress", label: "Helper address", kind: "text", hint: "host:port of npx cuesmith serve" },
  { key: "token", label: "Token", kind: "password", hint: "only for a helper shared with --lan" },
  { key: "preferTrackName", label: "Preferred bed track", kind: "text", hint: "e.g. Music; empty: lowest free track" },
  { key: "avoidTracksPattern", label: "Never use tracks named", kind: "text", hint: "regular expression (dialogue)" },
  { key: "loudnessLufs", label: "Loudness target (LUFS)", kind: "number" },
  { key: "bedLevelDb", label: "Bed level (dB under target)", kind: "number" },
  { key: "duckDb", label: "Dip under voice (dB)", kind: "number" },
  { key: "defaultMarkerSeconds", label: "Last point marker length (s)", kind: "number" },
  { key: "outputDir", label: "WAV folder", kind: "text", hint: "empty: the helper's own folder" },
];

export interface SettingsTabProps {
  settings: PanelSettings;
  storage: StorageLike | null;
  onSaved: (s: PanelSettings) => void;
  host: Host;
  /** Bumped by the flyout menu's "Check Premiere": runs the check. */
  checkRequest: number;
}

export function SettingsTab({ settings, storage, onSaved, host, checkRequest }: SettingsTabProps) {
  const [draft, setDraft] = useState<Record<keyof PanelSettings, string>>(
    () =>
      Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, String(v)])) as Record<
        keyof PanelSettings,
        string
      >,
  );
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);

  const parsed = (): PanelSettings => {
    const out = { ...settings } as Record<string, unknown>;
    for (const f of FIELDS) out[f.key] = f.kind === "number" ? Number(draft[f.key]) : draft[f.key].trim();
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

  return (
    <section data-testid="settings-tab">
      {FIELDS.map((f) => (
        <label key={f.key} className="field">
          <span>{f.label}</span>
          <input
            className="text"
            type={f.kind === "password" ? "password" : "text"}
            value={draft[f.key]}
            data-testid={`setting-${f.key}`}
            onChange={(e) => setDraft((d) => ({ ...d, [f.key]: e.target.value }))}
          />
          {problems[f.key] ? (
            <span className="error">{problems[f.key]}</span>
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
