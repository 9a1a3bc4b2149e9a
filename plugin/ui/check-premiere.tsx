// "Check Premiere": runs every host call the panel relies on against this Premiere (on a scratch sequence in a
// scratch bin it removes again) and shows one pass/fail line per call, with the versions, ready to copy into a
// bug report. Reached from Settings and from the panel's flyout menu.
import { useCallback, useEffect, useState } from "react";
import type { PremiereCheckReport } from "../host/host";
import { checkReportText } from "../host/premiere-check";
import type { Host } from "../host/host";
import { buttonClass, plainMessage } from "./shared";

interface ClipboardLike {
  writeText(text: string): Promise<void>;
}

export function CheckPremiere({ host, request }: { host: Host; request: number }) {
  const [running, setRunning] = useState(false);
  const [report, setReport] = useState<PremiereCheckReport | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const run = useCallback(async () => {
    setRunning(true);
    setMessage(null);
    try {
      setReport(await host.checkPremiere());
    } catch (err) {
      setMessage(plainMessage(err));
    } finally {
      setRunning(false);
    }
  }, [host]);

  useEffect(() => {
    if (request > 0) void run();
  }, [request, run]);

  const copy = async () => {
    if (!report) return;
    const clipboard = (globalThis.navigator as { clipboard?: ClipboardLike } | undefined)?.clipboard;
    try {
      if (!clipboard) throw new Error("no clipboard here: select the text below and copy it");
      await clipboard.writeText(checkReportText(report));
      setMessage("Copied.");
    } catch (err) {
      setMessage(plainMessage(err));
    }
  };

  return (
    <div className="card" data-testid="check-premiere">
      <div className="card-head">
        <span className="heading">Check Premiere</span>
        <button
          className={buttonClass("quiet", running)}
          data-testid="check-run"
          disabled={running}
          onClick={() => void run()}
        >
          {running ? "Checking…" : "Run the check"}
        </button>
      </div>
      <p className="muted">
        Tries every Premiere call the panel uses on a scratch sequence in a scratch bin, then removes both. It adds a
        few steps to Edit &gt; Undo&apos;s history.
      </p>
      {report && (
        <>
          <p className={report.ok ? "ok" : "error"} data-testid="check-summary">
            {report.ok ? "All calls passed." : "Some calls failed: see below."}
          </p>
          <ul className="rows" data-testid="check-lines">
            {report.lines.map((l, i) => (
              <li key={i} className={`check-line check-${l.result}`} data-testid="check-line">
                <span className="check-mark">{l.result.toUpperCase()}</span> {l.step}:{" "}
                <span className="muted">{l.detail}</span>
              </li>
            ))}
          </ul>
          {report.leftBehind.length > 0 && (
            <p className="error" data-testid="check-left-behind">
              Still in the project, remove by hand: {report.leftBehind.join(", ")}
            </p>
          )}
          <textarea className="report" readOnly value={checkReportText(report)} data-testid="check-text" />
          <button className="quiet" data-testid="check-copy" onClick={() => void copy()}>
            Copy for a bug report
          </button>
        </>
      )}
      {message && <p className="muted">{message}</p>}
    </div>
  );
}
