// Small pieces of a marker's or clip's row: the optional BPM field, the dip of a bed under a voice-over, and the
// warning that a bed runs past the next marker. Their own module so the Markers and Clip bed tabs only place them.
import { useState } from "react";
import { MAX_DUCK_DB, MIN_DUCK_DB } from "../../shared/protocol";
import type { Overrun } from "../core/overrun";
import { overrunText } from "../core/overrun";
import { buttonClass } from "./shared";

/** Optional tempo for this row's bed: empty lets the prompt decide. */
export function BpmField({
  value,
  onChange,
  disabled = false,
  title = "Tempo of the bed, 30–300 BPM; empty: the prompt decides",
}: {
  value: string;
  onChange: (v: string) => void;
  disabled?: boolean;
  title?: string;
}) {
  return (
    <>
      <input
        className="bpm"
        value={value}
        placeholder="—"
        inputMode="decimal"
        aria-label="BPM"
        title={title}
        disabled={disabled}
        data-testid="row-bpm"
        onChange={(e) => onChange(e.target.value)}
      />
      <span className="unit">BPM</span>
    </>
  );
}

/** How far a placed bed dips under its voice-over, and Set dip to change it (keyframes rewritten, or music remade). */
export function DipField({
  depthDb,
  busy,
  onSet,
}: {
  depthDb: number;
  busy: boolean;
  onSet: (depthDb: number) => void;
}) {
  const [value, setValue] = useState(String(depthDb));
  const wanted = value.trim() === "" ? NaN : Number(value);
  const valid = wanted >= MIN_DUCK_DB && wanted <= MAX_DUCK_DB;
  const title = `How far the bed dips under the voice, ${MIN_DUCK_DB}–${MAX_DUCK_DB} dB (now ${depthDb} dB)`;
  return (
    <>
      <input
        className="bpm"
        value={value}
        inputMode="decimal"
        aria-label="Dip under the voice, dB"
        title={title}
        data-testid="row-dip"
        onChange={(e) => setValue(e.target.value)}
      />
      <span className="unit">dB dip</span>
      <button
        className={buttonClass("quiet", busy || !valid || wanted === depthDb)}
        data-testid="row-dip-set"
        disabled={busy || !valid || wanted === depthDb}
        title={valid ? title : `A dip is ${MIN_DUCK_DB} to ${MAX_DUCK_DB} dB`}
        onClick={() => onSet(wanted)}
      >
        Set dip
      </button>
    </>
  );
}

/** "Runs 1 s past the next marker (#tutorial) …" under a row whose bed overlaps the next one. */
export function OverrunWarning({ overrun }: { overrun: Overrun | undefined }) {
  if (!overrun) return null;
  const text = overrunText(overrun);
  return (
    <p className="warning" role="status" data-testid="overrun-warning" title={text}>
      {text}
    </p>
  );
}
