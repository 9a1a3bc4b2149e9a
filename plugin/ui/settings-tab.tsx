// The panel's settings: where the helper is, which tracks beds may use, how loud beds are. Saved locally; a
// value that would not work is refused next to its field.
import { useState } from "react";
import { saveSettings, settingsProblems, type PanelSettings, type StorageLike } from "../core/settings";
import { plainMessage } from "./app";

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

export function SettingsTab({
  settings,
  storage,
  onSaved,
}: {
  settings: PanelSettings;
  storage: StorageLike | null;
  onSaved: (s: PanelSettings) => void;
}) {
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
    return out as unknown as PanelSettings;
  };
  const problems = settingsProblems(parsed());

  const save = () => {
    try {
      const next = parsed();
      saveSettings(storage, next);
      onSaved(next);
      setMessage({ error: false, text: "Saved." });
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
        </label>
      ))}
      {message && <p className={message.error ? "error" : "ok"}>{message.text}</p>}
      <button className="cta" data-testid="settings-save" disabled={Object.keys(problems).length > 0} onClick={save}>
        Save settings
      </button>
    </section>
  );
}
