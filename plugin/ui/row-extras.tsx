// Small pieces of a marker's or clip's row: the optional BPM field and the warning that a bed runs past the next
// marker. Their own module so the Markers and Clip bed tabs only place them.
import type { Overrun } from "../core/overrun";
import { overrunText } from "../core/overrun";

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
