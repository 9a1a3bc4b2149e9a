// The Cuesmith panel: Score Markers, a bed under the selected clips, presets, settings; a status line for the
// helper connection and a feedback form for any placed take. The same component runs in Premiere (PremiereHost)
// and in the browser harness (FakeHost): it only talks to the Host interface and the helper connection.
import { useEffect, useMemo, useRef, useState } from "react";
import type { Host } from "../host/host";
import { HelperConnection, helperSocketUrl, type ConnectionStatus } from "../core/connection";
import type { SocketLike } from "../core/helper-client";
import { TakeHistory } from "../core/score-markers";
import { loadSettings, type PanelSettings, type StorageLike } from "../core/settings";
import { ClipTab } from "./clip-tab";
import { FeedbackForm, type FeedbackTarget } from "./feedback-form";
import { MarkersTab } from "./markers-tab";
import { PresetsTab } from "./presets-tab";
import { SettingsTab } from "./settings-tab";
import { StatusBar } from "./status-bar";

export interface AppProps {
  host: Host;
  /** Opens a WebSocket (UXP's or the browser's global WebSocket). */
  openSocket: (url: string) => SocketLike;
  storage: StorageLike | null;
  /** Overrides the stored helper address (the harness points at the helper that serves it). */
  helperAddress?: string;
}

type TabId = "markers" | "clip" | "presets" | "settings";
const TABS: { id: TabId; label: string }[] = [
  { id: "markers", label: "Markers" },
  { id: "clip", label: "Clip bed" },
  { id: "presets", label: "Presets" },
  { id: "settings", label: "Settings" },
];

export function App({ host, openSocket, storage, helperAddress }: AppProps) {
  const [settings, setSettings] = useState<PanelSettings>(() => {
    const s = loadSettings(storage);
    return helperAddress ? { ...s, helperAddress } : s;
  });
  const connection = useMemo(
    () => new HelperConnection(helperSocketUrl(settings.helperAddress, settings.token), { open: openSocket }),
    // one connection for the panel's life; address changes retarget it
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );
  const [status, setStatus] = useState<ConnectionStatus>(connection.status);
  const [tab, setTab] = useState<TabId>("markers");
  const [feedbackFor, setFeedbackFor] = useState<FeedbackTarget | null>(null);
  const history = useRef(new TakeHistory()).current;

  useEffect(() => {
    const off = connection.subscribe(setStatus);
    connection.start();
    return () => {
      off();
      connection.stop();
    };
  }, [connection]);

  const applySettings = (next: PanelSettings) => {
    const moved = next.helperAddress !== settings.helperAddress || next.token !== settings.token;
    setSettings(next);
    if (moved) connection.retarget(helperSocketUrl(next.helperAddress, next.token));
  };

  return (
    <div className="panel">
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button
            key={t.id}
            role="tab"
            aria-selected={tab === t.id}
            className={tab === t.id ? "tab selected" : "tab"}
            data-testid={`tab-${t.id}`}
            onClick={() => {
              setTab(t.id);
              setFeedbackFor(null);
            }}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="content">
        {feedbackFor && (
          <FeedbackForm target={feedbackFor} connection={connection} onClose={() => setFeedbackFor(null)} />
        )}
        {/* kept mounted (display:none, which UXP honours) so a running batch keeps its progress across tabs */}
        <div style={{ display: tab === "markers" ? "block" : "none" }}>
          <MarkersTab
            host={host}
            connection={connection}
            online={status.state === "online"}
            settings={settings}
            history={history}
            onFeedback={setFeedbackFor}
          />
        </div>
        <div style={{ display: tab === "clip" ? "block" : "none" }}>
          <ClipTab
            host={host}
            connection={connection}
            online={status.state === "online"}
            settings={settings}
            history={history}
            onFeedback={setFeedbackFor}
          />
        </div>
        {tab === "presets" && <PresetsTab connection={connection} online={status.state === "online"} />}
        {tab === "settings" && <SettingsTab settings={settings} storage={storage} onSaved={applySettings} />}
      </div>
      <StatusBar status={status} host={host} onRetry={() => connection.retryNow()} />
    </div>
  );
}

/** "Error: x" → "x": messages are shown to editors as they are. */
export function plainMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
