// The take loop's actions for a tab: Listen, Use this take, Reveal, New take(s), Extend, the dip under a voice —
// each with its message next to the row it concerns, and a version counter that re-renders the lists when the
// history changes.
import { useCallback, useState } from "react";
import type { Take, TakeHistory } from "../core/score-markers";
import { levelsToRequest } from "../core/settings";
import { setDip } from "../core/dip";
import type { BedTargetNow } from "../core/take-protocol";
import { extendTake, newTakes, useTake } from "../core/takes";
import type { RowStatus } from "./row-status";
import { plainMessage, type TabProps } from "./shared";

export function useTakes({
  host,
  connection,
  history,
  settings,
}: Pick<TabProps, "host" | "connection" | "history" | "settings">) {
  const [busyKey, setBusyKey] = useState<string | null>(null);
  const [messages, setMessages] = useState<Record<string, string | null>>({});
  const [, setVersion] = useState(0);
  const capabilities = host.getCapabilities();
  const levels = levelsToRequest(settings, capabilities.levelKeyframes);
  const say = (key: string, message: string | null) => setMessages((m) => ({ ...m, [key]: message }));

  const act = useCallback(async (key: string, work: () => Promise<string | null | void>) => {
    setBusyKey(key);
    say(key, null);
    try {
      const message = await work();
      if (message) say(key, message);
    } catch (err) {
      say(key, plainMessage(err));
    } finally {
      setBusyKey(null);
      setVersion((v) => v + 1);
    }
  }, []);

  return {
    capabilities,
    busyKey,
    messageOf: (key: string) => messages[key] ?? null,
    listen: (key: string, take: Take) => act(key, () => host.auditionFile(take.path)),
    reveal: (key: string, take: Take) =>
      act(key, async () => {
        await host.revealFile(take.path);
        return `Shown in ${/win/i.test(host.getHostInfo().os) ? "Explorer" : "Finder"}: ${take.path}`;
      }),
    use: (key: string, take: Take, name: string) =>
      act(key, async () => {
        const problem = await useTake(host, history, key, take, name);
        return problem ?? "Swapped in place: Edit > Undo brings the previous take back.";
      }),
    /** `now`: the marker or clip as it is at the click (its length, a clip's voice-over range, may have changed). */
    newTakes: (key: string, variations: number, label: string, now?: BedTargetNow) =>
      act(key, async () => {
        const made = await newTakes(host, connection.helper, history, key, {
          variations,
          label,
          levels,
          // a voice-over bed's new take dips as deep as Settings say now; every new take fits its marker or clip now
          duckDb: settings.duckDb,
          ...(now ? { now } : {}),
          ...(settings.outputDir ? { outputDir: settings.outputDir } : {}),
        });
        return `${made.length} new take${made.length === 1 ? "" : "s"} in the Cuesmith bin: Listen, then Use this take.`;
      }),
    setDip: (key: string, depthDb: number, name: string) =>
      act(key, () =>
        setDip(host, connection.helper, history, key, depthDb, {
          name,
          levels,
          ...(settings.outputDir ? { outputDir: settings.outputDir } : {}),
        }),
      ),
    extend: (key: string, seconds: number, name: string) =>
      act(key, async () => {
        const { levelProblem } = await extendTake(host, connection.helper, history, key, seconds, {
          name,
          levels,
          ...(settings.outputDir ? { outputDir: settings.outputDir } : {}),
        });
        return levelProblem ?? `Extended to ${seconds} s in place: Edit > Undo brings the shorter take back.`;
      }),
  };
}

/** A row's "placed" state names the take on the timeline now (after Use this take or Extend), for Feedback too. */
export function withPlacedTake(status: RowStatus, history: TakeHistory, key: string): RowStatus {
  const placed = history.placed(key);
  if (status.kind !== "placed" || !placed) return status;
  const index = history.of(key).findIndex((t) => t.sha256 === placed.sha256);
  return {
    kind: "placed",
    take: index + 1,
    path: placed.path,
    jobId: placed.jobId,
    sha256: placed.sha256,
    trackIndex: placed.trackIndex,
  };
}
