/**
 * PLACEHOLDER — TO BE REPLACED by the real panel (plugin/ui/** and plugin/core/** belong to the UI engineer).
 *
 * It exists only so that `npm run build:plugin` has an entry point: it renders a React root into #root and
 * shows what PremiereHost reads of the active sequence (or that Premiere is not there).
 */
import { useEffect, useState } from "react";
import { createRoot } from "react-dom/client";

import { PremiereHost } from "../host";

function Placeholder() {
  const [status, setStatus] = useState("Connecting to Premiere Pro…");
  useEffect(() => {
    let host: PremiereHost;
    try {
      host = new PremiereHost();
    } catch {
      setStatus("Premiere Pro's API is not available here.");
      return;
    }
    const refresh = () => {
      host
        .getActiveSequence()
        .then((seq) => setStatus(seq ? `Active sequence: ${seq.name} (${seq.fps.toFixed(3)} fps)` : "No active sequence."))
        .catch((error: unknown) => setStatus(`Premiere error: ${error instanceof Error ? error.message : String(error)}`));
    };
    refresh();
    return host.onActiveSequenceChanged(refresh);
  }, []);
  return (
    <div style={{ padding: 12 }}>
      <h2>Cuesmith</h2>
      <p>{status}</p>
      <p>Placeholder panel: the real UI replaces plugin/ui/index.tsx.</p>
    </div>
  );
}

const container = document.getElementById("root");
if (container) createRoot(container).render(<Placeholder />);
