// The tag → prompt table, as the helper keeps it (shared by everyone who uses that helper). Edits go straight to
// the helper; what is shown is always the table the helper answered with.
import { useCallback, useEffect, useState } from "react";
import { normalizeTag, type PresetTable } from "../../shared/presets";
import type { HelperConnection } from "../core/connection";
import { plainMessage } from "./app";

export function PresetsTab({ connection, online }: { connection: HelperConnection; online: boolean }) {
  const [table, setTable] = useState<PresetTable | null>(null);
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [newTag, setNewTag] = useState("");
  const [newPrompt, setNewPrompt] = useState("");
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);

  const show = (t: PresetTable) => {
    setTable(t);
    setDrafts(Object.fromEntries(Object.entries(t).map(([tag, p]) => [tag, p.prompt])));
  };

  const load = useCallback(async () => {
    try {
      show(await connection.helper.presets());
    } catch (err) {
      setMessage({ error: true, text: plainMessage(err) });
    }
  }, [connection]);

  useEffect(() => {
    if (online) void load();
  }, [online, load]);

  const act = async (what: () => Promise<PresetTable>, done: string) => {
    try {
      show(await what());
      setMessage({ error: false, text: done });
    } catch (err) {
      setMessage({ error: true, text: plainMessage(err) });
    }
  };

  const add = () => {
    const tag = normalizeTag(newTag.replace(/^#/, ""));
    if (!tag) return setMessage({ error: true, text: "a tag is letters, digits and _ (e.g. unboxing)" });
    if (!newPrompt.trim()) return setMessage({ error: true, text: "type the prompt for this tag" });
    void act(() => connection.helper.setPreset(tag, { prompt: newPrompt.trim() }), `#${tag} added`).then(() => {
      setNewTag("");
      setNewPrompt("");
    });
  };

  if (!online) return <p className="hint">The presets live in the helper: connect to it to see and edit them.</p>;
  return (
    <section data-testid="presets-tab">
      <p className="hint">
        Every #tag on a marker is looked up here. The table is the helper's, shared by everyone who uses it.
      </p>
      {message && <p className={message.error ? "error" : "ok"}>{message.text}</p>}
      <ul className="rows">
        {Object.entries(table ?? {}).map(([tag, preset]) => (
          <li key={tag} className="row" data-testid="preset-row">
            <div className="row-head">
              <span className="row-name">#{tag}</span>
              {preset.seed !== undefined && <span className="row-time">seed {preset.seed}</span>}
            </div>
            <textarea
              value={drafts[tag] ?? ""}
              aria-label={`prompt for ${tag}`}
              onChange={(e) => setDrafts((d) => ({ ...d, [tag]: e.target.value }))}
            />
            <div className="row-actions">
              <button
                className="quiet"
                disabled={(drafts[tag] ?? "").trim() === preset.prompt || !(drafts[tag] ?? "").trim()}
                onClick={() =>
                  void act(
                    () => connection.helper.setPreset(tag, { ...preset, prompt: drafts[tag].trim() }),
                    `#${tag} saved`,
                  )
                }
              >
                Save
              </button>
              <button
                className="quiet"
                onClick={() => void act(() => connection.helper.deletePreset(tag), `#${tag} removed`)}
              >
                Remove
              </button>
            </div>
          </li>
        ))}
      </ul>
      <div className="card">
        <strong>New preset</strong>
        <input
          className="text"
          placeholder="#tag"
          value={newTag}
          aria-label="new tag"
          onChange={(e) => setNewTag(e.target.value)}
        />
        <textarea
          placeholder="prompt: instruments, mood, tempo, no vocals"
          value={newPrompt}
          aria-label="new prompt"
          onChange={(e) => setNewPrompt(e.target.value)}
        />
        <button className="cta" onClick={add}>
          Add
        </button>
      </div>
    </section>
  );
}
