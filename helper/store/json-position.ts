// Where a hand-edited JSON file goes wrong, as a line and column an editor can jump to. V8's JSON.parse message
// only sometimes carries a position (and never a line), so this walks the text with a small JSON syntax checker.

export interface JsonSyntaxProblem {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units (what editors show for ordinary text). */
  column: number;
  message: string;
}

class Stop extends Error {
  constructor(
    readonly pos: number,
    message: string,
  ) {
    super(message);
  }
}

/** The first syntax error in `text`, or null when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxProblem | null {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const describe = (pos: number) => (pos >= n ? "the end of the file" : `"${text[pos]}"`);
  const fail = (what: string, pos = i): never => {
    throw new Stop(pos, `expected ${what}, found ${describe(pos)}`);
  };
  const str = () => {
    const start = i;
    i++; // opening quote
    while (i < n) {
      const c = text[i];
      if (c === '"') {
        i++;
        return;
      }
      if (c === "\\") {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Stop(i, "bad \\u escape in a string");
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          i += 2;
        } else {
          throw new Stop(i, 'bad escape in a string (use \\" \\\\ \\n ...)');
        }
        continue;
      }
      if (c === "\n" || c === "\r") throw new Stop(i, 'a string runs past the end of its line (missing closing ")');
      if (c < " ")
        throw new Stop(i, "a control character (such as a tab) inside a string: write it as \\t or remove it");
      i++;
    }
    throw new Stop(start, 'a string is never closed (missing ")');
  };
  const num = () => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail("a value");
    i += m![0].length;
  };
  const value = (depth: number): void => {
    if (depth > 512) throw new Stop(i, "nested too deeply");
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"')
          fail(text[i] === "}" ? 'another "key" (remove the trailing comma)' : 'a "key" in double quotes');
        str();
        ws();
        if (text[i] !== ":") fail('":" after the key');
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return;
        }
        fail('"," or "}"');
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ",") {
          i++;
          ws();
          if (text[i] === "]") fail("another value (remove the trailing comma)");
          continue;
        }
        if (text[i] === "]") {
          i++;
          return;
        }
        fail('"," or "]"');
      }
    }
    if (c === '"') return str();
    for (const lit of ["true", "false", "null"]) {
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return;
      }
    }
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return num();
    fail('a value (a "string", number, true, false, null, { or [)');
  };
  try {
    if (text.charCodeAt(0) === 0xfeff) i = 1; // a byte-order mark from some editors
    value(0);
    ws();
    if (i < n) fail("the end of the file (only one top-level value is allowed)");
    return null;
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
    return { ...lineColumn(text, err.pos), message: err.message };
  }
}

export function lineColumn(text: string, pos: number): { line: number; column: number } {
  const before = text.slice(0, Math.min(pos, text.length));
  const lines = before.split("\n");
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}
