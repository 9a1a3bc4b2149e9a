// The helper connection in one line: a coloured dot, what it means, and "Retry" while it is down.
import type { ConnectionStatus } from "../core/connection";
import type { Host } from "../host/host";

const LABEL: Record<ConnectionStatus["state"], string> = {
  online: "Helper connected",
  connecting: "Connecting to the helper…",
  offline: "Helper not reachable",
};

export function StatusBar({ status, host, onRetry }: { status: ConnectionStatus; host: Host; onRetry: () => void }) {
  const info = host.getHostInfo();
  const detail =
    status.state === "offline"
      ? `${status.message ?? ""}${status.retryInMs !== null ? ` — retrying in ${Math.ceil(status.retryInMs / 1000)} s` : ""}`
      : status.message;
  return (
    <div className="status-bar" data-testid="status" data-state={status.state}>
      <span className={`dot ${status.state}`} />
      <span className="status-text">
        {LABEL[status.state]}
        {status.health ? ` (${status.health.provider ?? "no model"}, v${status.health.version})` : ""}
        {detail ? <span className="status-detail"> {detail}</span> : null}
      </span>
      {status.state === "offline" && (
        <button className="quiet" onClick={onRetry}>
          Retry
        </button>
      )}
      <span className="host-info" title={`${info.app} ${info.version} on ${info.os}`}>
        {info.version.includes("fake") ? "fake Premiere" : `Premiere ${info.version}`}
      </span>
    </div>
  );
}
