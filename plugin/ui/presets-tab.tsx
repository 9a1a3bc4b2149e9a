// The tag → prompt table, as the helper keeps it (shared by everyone who uses that helper: a team's presets).
// Edits go straight to the helper; what is shown is always the table the helper answered with. A message — error
// or done — appears next to the control that caused it, and Remove asks first, since it removes the preset for
// the whole team.
import { useCallback, useEffect, useRef, useState } from "react";
import { normalizeTag, type PresetTable } from "../../shared/presets";
import type { HelperConnection } from "../core/connection";
import { buttonClass, plainMessage } from "./shared";

type Message = { error: boolean; text: string };
/** Where a message belongs: a preset's row, the new-preset card, or the table as a whole. */
const NEW = "+new";
const TABLE = "+table";

/** A message beside its control, scrolled into view once when it appears (a long table hides the top). */
function Said({ message, testId }: { message: Message | undefined; testId: string }) {
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (message) ref.current?.scrollIntoView?.(false);
  }, [message]);
  if (!message) return null;
  return (
    <p
      className={message.error ? "error" : "ok"}
      role={message.error ? "alert" : "status"}
      data-testid={testId}
      ref={ref}
    >
      {message.text}
    </p>
  );
}

export function PresetsTab({ connection, online }: { connection: HelperConnection; online: boolean }) {
  const [table, setTable] = useState<PresetTable | null>(null);
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [newTag, setNewTag] = useState("");
  const [newPrompt, setNewPrompt] = useState("");
  const [messages, setMessages] = useState<Record<string, Message>>({});
  const [confirming, setConfirming] = useState<string | null>(null);

  const say = (where: string, message: Message) => setMessages({ [where]: message });

  const show = (t: PresetTable) => {
    setTable(t);
    setDrafts(Object.fromEntries(Object.entries(t).map(([tag, p]) => [tag, p.prompt])));
  };

  const load = useCallback(async () => {
    try {
      show(await connection.helper.presets());
    } catch (err) {
      setMessages({ [TABLE]: { error: true, text: plainMessage(err) } });
    }
  }, [connection]);

  useEffect(() => {
    if (online) void load();
  }, [online, load]);

  const act = async (
    where: string,
    what: () => Promise<PresetTable>,
    done: string,
    doneWhere = where,
  ): Promise<boolean> => {
    try {
      show(await what());
      say(doneWhere, { error: false, text: done });
      return true;
    } catch (err) {
      say(where, { error: true, text: plainMessage(err) });
      return false;
    }
  };

  const add = () => {
    const tag = normalizeTag(newTag.replace(/^#/, ""));
    if (!tag) return say(NEW, { error: true, text: "a tag is letters, digits and _ (e.g. unboxing)" });
    if (!newPrompt.trim()) return say(NEW, { error: true, text: "type the prompt for this tag" });
    void act(NEW, () => connection.helper.setPreset(tag, { prompt: newPrompt.trim() }), `#${tag} added`).then((ok) => {
      if (!ok) return;
      setNewTag("");
      setNewPrompt("");
    });
  };

  // a refusal shows on the row; once removed the row is gone, so "removed" shows above the table
  const remove = (tag: string) => {
    setConfirming(null);
    void act(
      tag,
      () => connection.helper.deletePreset(tag),
      `#${tag} removed for everyone who uses this helper`,
      TABLE,
    );
  };

  if (!online) return <p className="hint">The presets live in the helper: connect to it to see and edit them.</p>;
  return (
    <section data-testid="presets-tab">
      <p className="hint">
        Every #tag on a marker is looked up here. The table is the helper&apos;s, shared by everyone who uses it.
      </p>
      <Said message={messages[TABLE]} testId="presets-message" />
      <ul className="rows">
        {Object.entries(table ?? {}).map(([tag, preset]) => {
          const draft = drafts[tag] ?? "";
          const unchanged = draft.trim() === preset.prompt || !draft.trim();
          return (
            <li key={tag} className="row" data-testid="preset-row">
              <div className="row-head">
                <span className="row-name">#{tag}</span>
                {preset.seed !== undefined && <span className="row-time">seed {preset.seed}</span>}
              </div>
              <textarea
                value={draft}
                aria-label={`prompt for ${tag}`}
                onChange={(e) => setDrafts((d) => ({ ...d, [tag]: e.target.value }))}
              />
              {confirming === tag ? (
                <div className="confirm" data-testid="preset-confirm">
                  <span>Remove #{tag} for everyone who uses this helper?</span>
                  <div className="row-actions">
                    <button className="quiet danger" data-testid="preset-remove-confirm" onClick={() => remove(tag)}>
                      Remove
                    </button>
                    <button className="quiet" data-testid="preset-remove-keep" onClick={() => setConfirming(null)}>
                      Keep
                    </button>
                  </div>
                </div>
              ) : (
                <div className="row-actions end">
                  <button
                    className={buttonClass("quiet", unchanged)}
                    disabled={unchanged}
                    data-testid="preset-save"
                    onClick={() =>
                      void act(
                        tag,
                        () => connection.helper.setPreset(tag, { ...preset, prompt: draft.trim() }),
                        `#${tag} saved`,
                      )
                    }
                  >
                    Save
                  </button>
                  <button className="quiet" data-testid="preset-remove" onClick={() => setConfirming(tag)}>
                    Remove
                  </button>
                </div>
              )}
              <Said message={messages[tag]} testId="preset-message" />
            </li>
          );
        })}
      </ul>
      <div className="card">
        <span className="heading">New preset</span>
        <input
          className="text"
          placeholder="#tag"
          value={newTag}
          aria-label="new tag"
          data-testid="preset-new-tag"
          onChange={(e) => setNewTag(e.target.value)}
        />
        <textarea
          placeholder="prompt: instruments, mood, tempo, no vocals"
          value={newPrompt}
          aria-label="new prompt"
          data-testid="preset-new-prompt"
          onChange={(e) => setNewPrompt(e.target.value)}
        />
        <Said message={messages[NEW]} testId="preset-new-message" />
        <button className="cta" data-testid="preset-add" onClick={add}>
          Add
        </button>
      </div>
    </section>
  );
}
