// The helper connection in one line: a coloured dot, what it means, and "Retry" while it is down. The line never
// wraps: what does not fit ends in "…" and the whole text is the line's hover title.
import type { ConnectionStatus } from "../core/connection";
import type { Host } from "../host/host";
import { statusText } from "./status-text";

export function StatusBar({ status, host, onRetry }: { status: ConnectionStatus; host: Host; onRetry: () => void }) {
  const info = host.getHostInfo();
  const text = statusText(status);
  const premiere = `${info.app} ${info.version} on ${info.os}`;
  return (
    <div className="status-bar" data-testid="status" data-state={status.state} title={`${text}\n${premiere}`}>
      <span className={`dot ${status.state}`} />
      <span className="status-text" data-testid="status-text">
        {text}
      </span>
      {status.state === "offline" && (
        <button className="quiet small" onClick={onRetry}>
          Retry
        </button>
      )}
      <span className="host-info" title={premiere}>
        {info.version.includes("fake") ? "fake Pr" : `Pr ${info.version.split(" ")[0]}`}
      </span>
    </div>
  );
}
