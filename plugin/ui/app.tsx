// The Cuesmith panel: Score Markers, a bed under the selected clips, presets, settings; a status line for the
// helper connection and a feedback form for any placed take. The same component runs in Premiere (PremiereHost)
// and in the browser harness (FakeHost): it only talks to the Host interface and the helper connection.
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import type { Host } from "../host/host";
import { HelperConnection, helperSocketUrl, type ConnectionStatus } from "../core/connection";
import type { SocketLike } from "../core/helper-client";
import { TakeHistory } from "../core/score-markers";
import { loadSettings, type PanelSettings, type StorageLike } from "../core/settings";
import { ClipTab } from "./clip-tab";
import { FeedbackForm } from "./feedback-form";
import { MarkersTab } from "./markers-tab";
import { PresetsTab } from "./presets-tab";
import { SettingsTab } from "./settings-tab";
import type { FeedbackTarget, Subscribe, TabProps } from "./shared";
import { ShortcutContext, shortcutAction, type ShortcutAction, type ShortcutSubscribe } from "./shortcuts";
import { StatusBar } from "./status-bar";

export interface AppProps {
  host: Host;
  /** Opens a WebSocket (UXP's or the browser's global WebSocket). */
  openSocket: (url: string) => SocketLike;
  storage: StorageLike | null;
  /** Overrides the stored helper address (the harness points at the helper that serves it). */
  helperAddress?: string;
  /** The panel became visible (UXP panel show / the page's visibility): the tabs re-read Premiere. */
  onPanelShown?: Subscribe;
  /** The flyout menu's "Check Premiere" item: opens Settings and runs the check. */
  onCheckRequested?: Subscribe;
}

const never: Subscribe = () => () => undefined;

type TabId = "markers" | "clip" | "presets" | "settings";
const TABS: { id: TabId; label: string }[] = [
  { id: "markers", label: "Markers" },
  { id: "clip", label: "Clip bed" },
  { id: "presets", label: "Presets" },
  { id: "settings", label: "Settings" },
];

export function App({
  host,
  openSocket,
  storage,
  helperAddress,
  onPanelShown = never,
  onCheckRequested = never,
}: AppProps) {
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
  const [checkRequest, setCheckRequest] = useState(0);
  const panelShown = useCallback<Subscribe>((cb) => onPanelShown(cb), [onPanelShown]);
  // Enter / Esc go to the tab that is shown (the flow tabs stay mounted while hidden)
  const shortcutListeners = useRef(new Map<TabId, Set<(a: ShortcutAction) => void>>()).current;
  const shortcutsOf = useMemo(() => {
    const of =
      (id: TabId): ShortcutSubscribe =>
      (cb) => {
        const set = shortcutListeners.get(id) ?? new Set();
        shortcutListeners.set(id, set);
        set.add(cb);
        return () => set.delete(cb);
      };
    return { markers: of("markers"), clip: of("clip") };
  }, [shortcutListeners]);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const action = shortcutAction({
      key: e.key,
      targetTag: (e.target as HTMLElement).tagName,
      shiftKey: e.shiftKey,
      ctrlKey: e.ctrlKey,
      altKey: e.altKey,
      metaKey: e.metaKey,
      isComposing: (e.nativeEvent as { isComposing?: boolean }).isComposing,
      repeat: e.repeat,
    });
    const listeners = action ? shortcutListeners.get(tab) : undefined;
    if (!action || !listeners || listeners.size === 0) return;
    e.preventDefault();
    listeners.forEach((cb) => cb(action));
  };

  useEffect(
    () =>
      onCheckRequested(() => {
        setTab("settings");
        setCheckRequest((n) => n + 1);
      }),
    [onCheckRequested],
  );

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

  // what both flow tabs get
  const flowProps: TabProps = {
    host,
    connection,
    online: status.state === "online",
    settings,
    history,
    onFeedback: setFeedbackFor,
    onPanelShown: panelShown,
  };

  return (
    // tabIndex: a click anywhere in the panel gives it the focus, so Enter and Esc reach it
    <div className="panel" tabIndex={-1} onKeyDown={onKeyDown} data-testid="panel">
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
          <ShortcutContext.Provider value={shortcutsOf.markers}>
            <MarkersTab {...flowProps} />
          </ShortcutContext.Provider>
        </div>
        <div style={{ display: tab === "clip" ? "block" : "none" }}>
          <ShortcutContext.Provider value={shortcutsOf.clip}>
            <ClipTab {...flowProps} />
          </ShortcutContext.Provider>
        </div>
        {tab === "presets" && <PresetsTab connection={connection} online={status.state === "online"} />}
        {tab === "settings" && (
          <SettingsTab
            settings={settings}
            storage={storage}
            onSaved={applySettings}
            host={host}
            checkRequest={checkRequest}
          />
        )}
      </div>
      <StatusBar status={status} host={host} onRetry={() => connection.retryNow()} />
    </div>
  );
}
