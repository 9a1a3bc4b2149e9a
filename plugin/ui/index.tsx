// The panel inside Premiere Pro: PremiereHost (the real `premierepro` API), UXP's WebSocket and localStorage.
import { createRoot } from "react-dom/client";
import { PremiereHost } from "../host";
import type { SocketLike } from "../core/helper-client";
import { App } from "./app";
import css from "./panel.css";

function mount(): void {
  const style = document.createElement("style");
  style.textContent = css;
  document.head.appendChild(style);
  const container = document.getElementById("root");
  if (!container) return;
  const root = createRoot(container);
  let host: PremiereHost;
  try {
    host = new PremiereHost();
  } catch (err) {
    root.render(<p style={{ padding: 12 }}>Premiere Pro's API is not available here: {(err as Error).message}</p>);
    return;
  }
  root.render(
    <App
      host={host}
      openSocket={(url) => new (WebSocket as unknown as new (url: string) => SocketLike)(url)}
      storage={globalThis.localStorage ?? null}
    />,
  );
}

mount();
