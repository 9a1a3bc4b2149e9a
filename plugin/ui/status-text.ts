// The status line's words, whole: the state, the helper's model and version, and the detail. The bar shows as
// much as fits on one line; its hover title shows all of it.
import type { ConnectionStatus } from "../core/connection";

const LABEL: Record<ConnectionStatus["state"], string> = {
  online: "Helper connected",
  connecting: "Connecting to the helper…",
  offline: "Helper not reachable",
};

export function statusText(status: ConnectionStatus): string {
  const detail =
    status.state === "offline"
      ? `${status.message ?? ""}${status.retryInMs !== null ? ` — retrying in ${Math.ceil(status.retryInMs / 1000)} s` : ""}`
      : status.message;
  const health = status.health ? ` (${status.health.provider ?? "no model"}, v${status.health.version})` : "";
  return `${LABEL[status.state]}${health}${detail ? ` · ${detail}` : ""}`;
}
