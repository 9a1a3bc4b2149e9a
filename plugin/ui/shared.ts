// What the panel's screens share: the props every flow tab gets, the panel's events, and how an error is shown.
// Its own module so that no tab imports the App (nor another tab) for them.
import type { HelperConnection } from "../core/connection";
import type { TakeRef } from "../core/feedback";
import type { TakeHistory } from "../core/score-markers";
import type { PanelSettings } from "../core/settings";
import type { Host } from "../host/host";

/** A placed take the editor gives feedback on: which take (number, seed, prompt) and whose. */
export interface FeedbackTarget extends TakeRef {
  /** The marker's or clip's name, for the heading. */
  label: string;
}

/** Subscribes to a panel event; returns the unsubscribe function. */
export type Subscribe = (cb: () => void) => () => void;

export interface TabProps {
  host: Host;
  connection: HelperConnection;
  online: boolean;
  settings: PanelSettings;
  history: TakeHistory;
  onFeedback: (target: FeedbackTarget) => void;
  /** The panel became visible again (UXP's panel show, the page's visibility): time to re-read Premiere. */
  onPanelShown: Subscribe;
}

/** What one Edit > Undo covers, said where the editor acts. */
export const UNDO_NOTE =
  "Edit > Undo takes back one click's placement (all its beds). The imported WAVs and the Cuesmith bin stay in the project: delete them there if you want.";

/** "Error: x" → "x": messages are shown to editors as they are. */
export function plainMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A button's class with "disabled" added when it is: UXP applies `:disabled` to inputs only. */
export function buttonClass(base: string, disabled: boolean): string {
  return disabled ? `${base} disabled` : base;
}
