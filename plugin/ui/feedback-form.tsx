// What the editor thought of a placed take: a reason and a note, sent to the helper's feedback log. The form
// says "saved" only once the helper has acknowledged it; an error keeps the form and the text.
import { useState } from "react";
import { FEEDBACK_REASONS, MAX_NOTE_CHARS, type FeedbackReason } from "../../shared/protocol";
import type { HelperConnection } from "../core/connection";
import { plainMessage } from "./app";

export interface FeedbackTarget {
  jobId: string;
  sha256: string;
  /** The marker's or clip's name, for the heading. */
  label: string;
}

const REASON_LABEL: Record<FeedbackReason, string> = {
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
  const [reason, setReason] = useState<FeedbackReason>("too_loud");
  const [note, setNote] = useState("");
  const [state, setState] = useState<{ kind: "editing" | "sending" | "saved" } | { kind: "error"; message: string }>({
    kind: "editing",
  });

  const send = async () => {
    setState({ kind: "sending" });
    try {
      await connection.helper.feedback({
        job_id: target.jobId,
        sha256: target.sha256,
        reason,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      setState({ kind: "saved" });
    } catch (err) {
      setState({ kind: "error", message: plainMessage(err) });
    }
  };

  return (
    <div className="card feedback" data-testid="feedback-form">
      <div className="card-head">
        <strong>Feedback on “{target.label}”</strong>
        <button className="quiet" onClick={onClose} aria-label="close">
          Close
        </button>
      </div>
      {state.kind === "saved" ? (
        <p className="ok" data-testid="feedback-saved">
          Saved by the helper. Thank you — it shapes the weekly report and the presets.
        </p>
      ) : (
        <>
          <label className="field">
            <span>Reason</span>
            <select
              value={reason}
              data-testid="feedback-reason"
              onChange={(e) => setReason(e.target.value as FeedbackReason)}
            >
              {FEEDBACK_REASONS.map((r) => (
                <option key={r} value={r}>
                  {REASON_LABEL[r]}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Note</span>
            <textarea
              value={note}
              maxLength={MAX_NOTE_CHARS}
              data-testid="feedback-note"
              onChange={(e) => setNote(e.target.value)}
            />
          </label>
          {state.kind === "error" && (
            <p className="error" role="alert">
              Not saved: {state.message}
            </p>
          )}
          <button
            className="cta"
            data-testid="feedback-send"
            disabled={state.kind === "sending"}
            onClick={() => void send()}
          >
            {state.kind === "sending" ? "Sending…" : "Send feedback"}
          </button>
        </>
      )}
    </div>
  );
}
