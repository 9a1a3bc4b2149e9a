// Argument parsing shared by the sub-commands: node:util parseArgs plus a typed error that the CLI turns
// into exit code 2 and one line of text.
import { parseArgs, ParseArgsConfig } from "node:util";
import { parseNumericField, type NumericField } from "../../shared/protocol";

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export function parse<T extends ParseArgsConfig["options"]>(argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.split("\n")[0]);
  }
}

/** A finite number from an option value, or a UsageError naming the option. */
export function numberOption(
  name: string,
  value: string | undefined,
  check?: (n: number) => boolean,
  hint = "",
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || (check && !check(n))) {
    throw new UsageError(`--${name} must be ${hint || "a number"}, got "${value}"`);
  }
  return n;
}

/**
 * A number option that is also a protocol field (--duration is `duration_sec`): checked by the protocol's own
 * checker, so the CLI refuses exactly what a message would, in the protocol's words ("--top-k must be a whole
 * number from 1 to 2048, got 4096").
 */
export function fieldNumberOption(name: string, value: string | undefined, field: NumericField): number | undefined {
  const n = numberOption(name, value);
  if (n === undefined) return undefined;
  const checked = parseNumericField(field, n, `--${name}`);
  if (!checked.ok) throw new UsageError(checked.error.message);
  return checked.value;
}

export interface CliIO {
  out: (line: string) => void;
  err: (line: string) => void;
}

export const stdio: CliIO = {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
};
