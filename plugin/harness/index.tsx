// The browser harness: the same React panel as in Premiere, against FakeHost (an in-memory Premiere that enforces
// the API's rules) and a real helper. The helper serves it at /ui/, so it also works as a standalone UI for people
// without Premiere. URL parameters: helper=host:port (default: the page's own), vo=/path/of/a/voice-over.wav.
import { createRoot } from "react-dom/client";
import { secondsToTicks } from "../../shared/time";
import { parseServerMessage } from "../../shared/protocol";
import { FakeHost } from "../host/fake-host";
import type { SocketLike } from "../core/helper-client";
import { takesOfDone } from "../core/take-protocol";
import { App } from "../ui/app";
import css from "../ui/panel.css";
import harnessCss from "./harness.css";
import { sampleProject } from "./sample-project";
import { TimelineView } from "./timeline-view";

const params = new URLSearchParams(location.search);
const voiceOver = params.get("vo") ?? undefined;

// A browser cannot look at the disk: the files the helper reports as written are the ones that "exist", with the
// length it reports (FakeHost checks both on import, as Premiere would).
const written = new Map<string, number>();
if (voiceOver) written.set(voiceOver, 6);
const host = new FakeHost(sampleProject(voiceOver), {
  fileExists: (p) => written.has(p),
  mediaDurationTicks: (p) => (written.has(p) ? secondsToTicks(written.get(p)!) : null),
  version: "25.6.0 (fake, browser harness)",
  os: navigator.platform || "browser",
});

function openSocket(url: string): SocketLike {
  // the DOM's WebSocket (UXP's typings, also in scope, declare another)
  const ws = new (WebSocket as unknown as new (url: string) => SocketLike & EventTarget)(url);
  ws.addEventListener("message", (ev: Event) => {
    const data = String((ev as MessageEvent).data);
    const parsed = parseServerMessage(data);
    if (parsed.ok && parsed.value.type === "done") {
      written.set(parsed.value.result.path, parsed.value.result.duration_sec);
      // every take of a job that asked for variations is on disk too
      for (const take of takesOfDone(JSON.parse(data)).takes ?? []) written.set(take.path, take.duration_sec);
    }
  });
  return ws;
}

// for tests and curious people: window.cuesmith.host.edits lists every undoable edit
(window as unknown as { cuesmith: unknown }).cuesmith = { host };

// The page coming back into view stands in for UXP's panel "show".
const onPanelShown = (cb: () => void) => {
  const listener = () => {
    if ((document as { visibilityState?: string }).visibilityState !== "hidden") cb();
  };
  document.addEventListener("visibilitychange", listener);
  return () => document.removeEventListener("visibilitychange", listener);
};

const style = document.createElement("style");
style.textContent = css + harnessCss;
document.head.appendChild(style);
createRoot(document.getElementById("root")!).render(
  <div className="harness">
    <div className="harness-panel">
      <App
        host={host}
        openSocket={openSocket}
        storage={window.localStorage}
        helperAddress={params.get("helper") ?? location.host}
        onPanelShown={onPanelShown}
      />
    </div>
    <TimelineView host={host} />
  </div>,
);
