// The panel inside Premiere Pro: PremiereHost (the real `premierepro` API), UXP's WebSocket and localStorage.
// UXP's entrypoints are set up at once (a late setup() can fail in UXP): the panel's show event tells the tabs to
// re-read Premiere, and the flyout menu offers "Check Premiere".
import { createRoot } from "react-dom/client";
import { PremiereHost } from "../host";
import type { SocketLike } from "../core/helper-client";
import { App } from "./app";
import type { Subscribe } from "./shared";
import css from "./panel.css";

// UXP's CommonJS `require` (webpack leaves `uxp` external).
declare const require: (id: string) => unknown;

const PANEL_ID = "cuesmith.panel";
const CHECK_MENU_ID = "checkPremiere";

/** A tiny event: subscribe returns its own unsubscribe. */
function signal(): { fire: () => void; subscribe: Subscribe } {
  const listeners = new Set<() => void>();
  return {
    fire: () => listeners.forEach((cb) => cb()),
    subscribe: (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
}

const shown = signal();
const checkRequested = signal();

interface UxpEntrypoints {
  setup(config: {
    panels: Record<
      string,
      { show?: () => void; menuItems?: { id: string; label: string }[]; invokeMenu?: (id: string) => void }
    >;
  }): void;
}

try {
  const { entrypoints } = require("uxp") as { entrypoints: UxpEntrypoints };
  entrypoints.setup({
    panels: {
      [PANEL_ID]: {
        show: () => shown.fire(),
        menuItems: [{ id: CHECK_MENU_ID, label: "Check Premiere" }],
        invokeMenu: (id) => {
          if (id === CHECK_MENU_ID) checkRequested.fire();
        },
      },
    },
  });
} catch {
  /* not in UXP, or set up already: the panel works without the menu */
}
document.addEventListener("visibilitychange", () => {
  if ((document as { visibilityState?: string }).visibilityState !== "hidden") shown.fire();
});

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
    root.render(<p style={{ padding: 12 }}>Premiere Pro&apos;s API is not available here: {(err as Error).message}</p>);
    return;
  }
  root.render(
    <App
      host={host}
      openSocket={(url) => new (WebSocket as unknown as new (url: string) => SocketLike)(url)}
      storage={globalThis.localStorage ?? null}
      onPanelShown={shown.subscribe}
      onCheckRequested={checkRequested.subscribe}
    />,
  );
}

mount();
