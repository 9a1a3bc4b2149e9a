// What the editor thought of a placed take: "Good fit" or what is wrong, and a note, sent to the helper's feedback
// log with the take's sha256. The form names the take (number, seed, prompt) and preselects nothing; it says
// "saved" only once the helper has acknowledged it; an error keeps the form and the text.
import { useEffect, useRef, useState } from "react";
import { MAX_NOTE_CHARS } from "../../shared/protocol";
import type { HelperConnection } from "../core/connection";
import { feedbackBody, PANEL_FEEDBACK_REASONS, takeLine, type PanelFeedbackReason } from "../core/feedback";
import { buttonClass, plainMessage, type FeedbackTarget } from "./shared";

const REASON_LABEL: Record<PanelFeedbackReason, string> = {
  good_fit: "Good fit",
  too_loud: "Too loud",
  tempo_slow: "Tempo too slow",
  tempo_fast: "Tempo too fast",
  wrong_instrument: "Wrong instrument",
  style_mismatch: "Style does not fit",
  other: "Other",
};

export function FeedbackForm({
  target,
  connection,
  onClose,
}: {
  target: FeedbackTarget;
  connection: HelperConnection;
  onClose: () => void;
}) {
  const [reason, setReason] = useState<PanelFeedbackReason | "">("");
  const [note, setNote] = useState("");
  const [state, setState] = useState<{ kind: "editing" | "sending" | "saved" } | { kind: "error"; message: string }>({
    kind: "editing",
  });

  const send = async () => {
    setState({ kind: "sending" });
    try {
      await connection.helper.feedback(feedbackBody(target, reason, note));
      setState({ kind: "saved" });
    } catch (err) {
      setState({ kind: "error", message: plainMessage(err) });
    }
  };

  // the form opens above the rows: a click on a row far down the list must still see it
  const card = useRef<HTMLDivElement>(null);
  useEffect(() => {
    card.current?.scrollIntoView?.(true);
  }, [target]);

  const line = takeLine(target);
  return (
    <div className="card feedback" data-testid="feedback-form" ref={card}>
      <div className="card-head">
        <strong className="one-line" title={target.label}>
          Feedback on “{target.label}”
        </strong>
        <button className="quiet" onClick={onClose} aria-label="close">
          Close
        </button>
      </div>
      <p className="muted take-line" data-testid="feedback-take" title={line}>
        {line}
      </p>
      {state.kind === "saved" ? (
        <p className="ok" data-testid="feedback-saved">
          Saved by the helper. Thank you — it shapes the weekly report and the presets.
        </p>
      ) : (
        <>
          <label className="field">
            <span>How is this take?</span>
            <select
              value={reason}
              data-testid="feedback-reason"
              onChange={(e) => setReason(e.target.value as PanelFeedbackReason | "")}
            >
              <option value="" disabled>
                Choose…
              </option>
              {PANEL_FEEDBACK_REASONS.map((r) => (
                <option key={r} value={r}>
                  {REASON_LABEL[r] ?? r}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Note (optional)</span>
            <textarea
              value={note}
              maxLength={MAX_NOTE_CHARS}
              data-testid="feedback-note"
              onChange={(e) => setNote(e.target.value)}
            />
          </label>
          {state.kind === "error" && (
            <p className="error" role="alert" data-testid="feedback-error">
              Not saved: {state.message}
            </p>
          )}
          <button
            className={buttonClass("cta", state.kind === "sending" || !reason)}
            data-testid="feedback-send"
            disabled={state.kind === "sending" || !reason}
            onClick={() => void send()}
          >
            {state.kind === "sending" ? "Sending…" : "Send feedback"}
          </button>
        </>
      )}
    </div>
  );
}
