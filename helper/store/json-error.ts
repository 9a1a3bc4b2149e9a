// Where a hand-edited JSON file goes wrong, as a line and column an editor can jump to. Node's JSON.parse names
// the offset ("... in JSON at position 13"); this turns that offset into a line and column.

/** 1-based line and column (in UTF-16 code units, what editors show for ordinary text) of an offset in `text`. */
export function lineColumn(text: string, pos: number): { line: number; column: number } {
  const before = text.slice(0, Math.min(pos, text.length));
  const lines = before.split("\n");
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/**
 * JSON.parse's error for `text` as "line L, column C: what" when V8 gives a position (or the input ended early),
 * else V8's message without the copy of the input it sometimes quotes.
 */
export function describeJsonError(text: string, err: Error): string {
  const message = err.message;
  const at = / (?:in|after) JSON at position (\d+)/.exec(message);
  const what = message
    .replace(/ in JSON at position \d+.*$/, "")
    .replace(/ at position \d+.*$/, "")
    .replace(/, ".*" is not valid JSON$/s, "");
  const pos = at ? Number(at[1]) : /Unexpected end of JSON input/.test(message) ? text.length : null;
  if (pos === null) return what;
  const { line, column } = lineColumn(text, pos);
  return `line ${line}, column ${column}: ${what}`;
}
