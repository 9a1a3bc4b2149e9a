// The panel's keys: Enter scores (Score Markers / Generate bed), Esc cancels the running batch — while the panel
// has focus, never while the editor types a line break in a multi-line field or presses Enter on another control.
import { createContext, useContext, useEffect, useRef } from "react";

export type ShortcutAction = "score" | "cancel";

/** What a key press asks for; null for every key the panel leaves alone. */
export function shortcutAction(e: {
  key: string;
  targetTag?: string;
  shiftKey?: boolean;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
  isComposing?: boolean;
  repeat?: boolean;
}): ShortcutAction | null {
  if (e.isComposing || e.repeat || e.ctrlKey || e.altKey || e.metaKey) return null;
  const tag = (e.targetTag ?? "").toUpperCase();
  if (e.key === "Escape") return e.shiftKey ? null : "cancel";
  if (e.key !== "Enter" || e.shiftKey) return null;
  // Enter on a button, a list or in a multi-line field does what it does there
  if (tag === "TEXTAREA" || tag === "BUTTON" || tag === "SELECT" || tag === "A") return null;
  return "score";
}

/** A tab's subscription to the panel's keys; the tab runs what it can, when it can. */
export type ShortcutSubscribe = (cb: (action: ShortcutAction) => void) => () => void;

/** The keys of the tab around it: the App gives each flow tab its own (only the shown tab's fire). */
export const ShortcutContext = createContext<ShortcutSubscribe>(() => () => undefined);

/**
 * Runs `handlers[action]` when the panel's key arrives; a handler left out (or undefined because the action is
 * not possible now) ignores the key. The latest handlers are used without re-subscribing on every render.
 */
export function useShortcuts(handlers: Partial<Record<ShortcutAction, (() => void) | undefined>>): void {
  const subscribe = useContext(ShortcutContext);
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => subscribe((action) => latest.current[action]?.()), [subscribe]);
}
