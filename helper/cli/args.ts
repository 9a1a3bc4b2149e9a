// Argument parsing shared by the sub-commands: node:util parseArgs plus a typed error that the CLI turns
// into exit code 2 and one line of text.
import { parseArgs, ParseArgsConfig } from "node:util";

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

export interface CliIO {
  out: (line: string) => void;
  err: (line: string) => void;
}

export const stdio: CliIO = {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
};
