// Small field checkers for untrusted JSON. Each checker takes a value and its JSON path ("jobs[2].duration_sec")
// and returns { ok: true, value } or { ok: false, error } naming the field and the reason; none of them throws
// on bad input. ./parse builds the message parsers from these.
import type { ParseErrorCode } from "./errors";

/** What a parser reports. `field` is the JSON path of the offending value, absent for whole-message problems. */
export interface ParseError {
  code: ParseErrorCode;
  message: string;
  field?: string;
}

export interface Success<T> {
  ok: true;
  value: T;
}

export interface Failure {
  ok: false;
  error: ParseError;
}

export type Result<T> = Success<T> | Failure;

/** Checks one value found at `path`. */
export type Checker<T> = (value: unknown, path: string) => Result<T>;

export function ok<T>(value: T): Success<T> {
  return { ok: true, value };
}

export function fail(code: ParseErrorCode, message: string, field?: string): Failure {
  return { ok: false, error: field === undefined || field === "" ? { code, message } : { code, message, field } };
}

/** An `invalid_field` failure for the value at `path`. */
export function invalidField(path: string, message: string): Failure {
  return fail("invalid_field", message, path);
}

// ---------------------------------------------------------------------------------------------------------------
// Paths and descriptions

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** "" + "jobs" -> "jobs"; "jobs" + 2 -> "jobs[2]"; "jobs[2]" + "duration_sec" -> "jobs[2].duration_sec";
 * keys that are not identifiers are quoted: presets["my tag"]. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  if (IDENTIFIER.test(key)) return base === "" ? key : `${base}.${key}`;
  return `${base}[${JSON.stringify(key)}]`;
}

/** How a path is named in messages: the path itself, or "value" at the top. */
export function nameOf(path: string): string {
  return path === "" ? "value" : path;
}

/** A short description of what was found, for "…, got <description>". */
export function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "string":
      return `the string ${quote(value)}`;
    case "number":
      return String(value);
    case "boolean":
      return String(value);
    case "object":
      return "an object";
    default:
      return `a ${typeof value}`;
  }
}

/** JSON-quotes a string, cut to `max` characters. */
export function quote(text: string, max = 40): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/** Length in characters (Unicode code points, so an emoji counts once). */
export function charLength(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** Length of the UTF-8 encoding, without TextEncoder or Buffer (lone surrogates count as U+FFFD, 3 bytes). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

// ---------------------------------------------------------------------------------------------------------------
// Scalars

export interface StringOptions {
  /** Fewest characters (after trimming when `trim`); default 1, so "" is refused. */
  min?: number;
  /** Most characters (after trimming when `trim`). */
  max?: number;
  /** Trim surrounding white space; the limits apply to, and the result is, the trimmed text. */
  trim?: boolean;
  /** Allow tab, line feed and carriage return (other control characters are always refused). */
  multiline?: boolean;
  pattern?: RegExp;
  /** Says what `pattern` wants, for the message ("use A-Z a-z 0-9 _ . : -"). */
  patternHint?: string;
}

const CONTROL = /[\u0000-\u001f\u007f]/;
const CONTROL_EXCEPT_WHITESPACE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export function str(options: StringOptions = {}): Checker<string> {
  const min = options.min ?? 1;
  const max = options.max ?? Infinity;
  const control = options.multiline ? CONTROL_EXCEPT_WHITESPACE : CONTROL;
  return (value, path) => {
    const name = nameOf(path);
    if (typeof value !== "string") return invalidField(path, `${name} must be a string, got ${describe(value)}`);
    const bad = control.exec(value);
    if (bad) {
      const hex = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
      return invalidField(path, `${name} must not contain control characters (found U+${hex} at index ${bad.index})`);
    }
    const text = options.trim ? value.trim() : value;
    const length = charLength(text);
    if (length < min) {
      return invalidField(
        path,
        min === 1 ? `${name} must not be empty` : `${name} must be at least ${min} characters, got ${length}`,
      );
    }
    if (length > max) return invalidField(path, `${name} must be at most ${max} characters, got ${length}`);
    if (options.pattern && !options.pattern.test(text)) {
      return invalidField(
        path,
        `${name} ${quote(text)} is not allowed${options.patternHint ? `: ${options.patternHint}` : ""}`,
      );
    }
    return ok(text);
  };
}

export interface NumberOptions {
  min?: number;
  max?: number;
  /** `min` itself is not allowed (a range like (0, 10]). */
  minExclusive?: boolean;
  /** Whole numbers only. */
  integer?: boolean;
  /** Unit for the message ("seconds", "bpm"). */
  unit?: string;
}

function rangeText(o: NumberOptions): string {
  const unit = o.unit ? ` ${o.unit}` : "";
  const kind = o.integer ? "a whole number" : "a number";
  const hasMin = o.min !== undefined;
  const hasMax = o.max !== undefined;
  if (hasMin && hasMax) {
    return o.minExclusive
      ? `${kind} greater than ${o.min} and at most ${o.max}${unit}`
      : `${kind} from ${o.min} to ${o.max}${unit}`;
  }
  if (hasMin) return `${kind} ${o.minExclusive ? "greater than" : "of at least"} ${o.min}${unit}`;
  if (hasMax) return `${kind} of at most ${o.max}${unit}`;
  return kind;
}

/** A finite number, optionally whole and within a range (inclusive unless `minExclusive`). */
export function num(options: NumberOptions = {}): Checker<number> {
  const expected = rangeText(options);
  return (value, path) => {
    const good =
      typeof value === "number" &&
      Number.isFinite(value) &&
      (!options.integer || Number.isInteger(value)) &&
      (options.min === undefined || (options.minExclusive ? value > options.min : value >= options.min)) &&
      (options.max === undefined || value <= options.max);
    return good ? ok(value) : invalidField(path, `${nameOf(path)} must be ${expected}, got ${describe(value)}`);
  };
}

/** A whole number from `min` to `max` (inclusive). */
export function int(min: number, max: number, unit?: string): Checker<number> {
  return num({ min, max, integer: true, unit });
}

export function bool(): Checker<boolean> {
  return (value, path) =>
    typeof value === "boolean"
      ? ok(value)
      : invalidField(path, `${nameOf(path)} must be true or false, got ${describe(value)}`);
}

/** One of a fixed set of strings. */
export function enumOf<const T extends readonly string[]>(values: T): Checker<T[number]> {
  const list = values.map((v) => JSON.stringify(v)).join(", ");
  return (value, path) =>
    typeof value === "string" && values.includes(value)
      ? ok(value as T[number])
      : invalidField(path, `${nameOf(path)} must be one of ${list}, got ${describe(value)}`);
}

/** `check`, or null. */
export function nullable<T>(check: Checker<T>): Checker<T | null> {
  return (value, path) => (value === null ? ok(null) : check(value, path));
}

/** Runs `then` on what `check` accepted (to normalise, or to test more). */
export function refine<T, U>(check: Checker<T>, then: (value: T, path: string) => Result<U>): Checker<U> {
  return (value, path) => {
    const r = check(value, path);
    return r.ok ? then(r.value, path) : r;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Containers

export function arrayOf<T>(item: Checker<T>, options: { min?: number; max?: number } = {}): Checker<T[]> {
  const min = options.min ?? 0;
  const max = options.max ?? Infinity;
  const size = max === Infinity ? `at least ${min}` : min === max ? `${min}` : `${min} to ${max}`;
  return (value, path) => {
    const name = nameOf(path);
    if (!Array.isArray(value)) return invalidField(path, `${name} must be an array, got ${describe(value)}`);
    if (value.length < min || value.length > max) {
      return invalidField(path, `${name} must hold ${size} item${max === 1 ? "" : "s"}, got ${value.length}`);
    }
    const out: T[] = [];
    for (let i = 0; i < value.length; i++) {
      const r = item(value[i], joinPath(path, i));
      if (!r.ok) return r;
      out.push(r.value);
    }
    return ok(out);
  };
}

/** Sets an own property even when the key is "__proto__". */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** An object used as a map; `key` may check and normalise each key (a failure names that key's path). */
export function recordOf<T>(item: Checker<T>, key?: Checker<string>): Checker<Record<string, T>> {
  return (value, path) => {
    if (!isPlainObject(value)) return invalidField(path, `${nameOf(path)} must be an object, got ${describe(value)}`);
    const out: Record<string, T> = {};
    for (const k of Object.keys(value)) {
      const at = joinPath(path, k);
      let name = k;
      if (key) {
        const kr = key(k, at);
        if (!kr.ok) return kr;
        name = kr.value;
      }
      const r = item(value[k], at);
      if (!r.ok) return r;
      put(out, name, r.value);
    }
    return ok(out);
  };
}

/** Marks a field of an object shape as optional. */
export interface Optional<T> {
  readonly optional: true;
  readonly check: Checker<T>;
}

export function optional<T>(check: Checker<T>): Optional<T> {
  return { optional: true, check };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyField = Checker<any> | Optional<any>;
export type Shape = Record<string, AnyField>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};
/** The type an object shape checks for. Mapped over `keyof S` (filtered with `as`), so a doc comment on a shape's
 * field shows on the type's property too. */
export type Infer<S extends Shape> = Simplify<
  { [K in keyof S as S[K] extends Optional<unknown> ? never : K]: S[K] extends Checker<infer T> ? T : never } & {
    [K in keyof S as S[K] extends Optional<unknown> ? K : never]?: S[K] extends Optional<infer T> ? T : never;
  }
>;

/** The same shape with every field optional (settings layered from several sources each set only some). */
export type PartialShape<S extends Shape> = {
  [K in keyof S]: S[K] extends Optional<infer T> ? Optional<T> : S[K] extends Checker<infer T> ? Optional<T> : never;
};

export function partialShape<S extends Shape>(shape: S): PartialShape<S> {
  const out: Record<string, AnyField> = {};
  for (const key of Object.keys(shape)) {
    const field = shape[key];
    put(out, key, typeof field === "function" ? optional(field) : field);
  }
  return out as PartialShape<S>;
}

export interface ObjectOptions {
  /** "reject" (default): an unknown key is an invalid_field naming it. "strip": unknown keys are dropped, and
   * null in an optional field counts as absent (for reading messages from a possibly newer peer). */
  unknownKeys?: "reject" | "strip";
  /** Keys allowed but not checked nor copied (e.g. `type`, already read by the caller). */
  allowKeys?: readonly string[];
}

/** The first key of `obj` that is not in `allowed`, as a failure naming it; null when there is none. */
export function rejectUnknownKeys(
  obj: Record<string, unknown>,
  path: string,
  allowed: readonly string[],
): Failure | null {
  for (const key of Object.keys(obj)) {
    if (allowed.includes(key)) continue;
    const at = joinPath(path, key);
    const hint = suggest(key, allowed);
    const where = path === "" ? "" : ` in ${path}`;
    return invalidField(
      at,
      `unknown field ${quote(key)}${where}${hint ? ` (did you mean ${quote(hint)}?)` : ""}; allowed: ${allowed.join(", ")}`,
    );
  }
  return null;
}

/**
 * An object with exactly the fields of `shape`: each field checked in the shape's order, a missing required
 * field named, unknown keys refused (or dropped with `unknownKeys: "strip"`). The result holds only the fields
 * that were present, in the shape's order. At the top (path "") a non-object is an invalid_message.
 */
export function object<S extends Shape>(shape: S, options: ObjectOptions = {}): Checker<Infer<S>> {
  const keys = Object.keys(shape);
  const allowed = [...keys, ...(options.allowKeys ?? [])];
  const strip = options.unknownKeys === "strip";
  return (value, path) => {
    if (!isPlainObject(value)) {
      return path === ""
        ? fail("invalid_message", `expected a JSON object, got ${describe(value)}`)
        : invalidField(path, `${path} must be an object, got ${describe(value)}`);
    }
    if (!strip) {
      const unknown = rejectUnknownKeys(value, path, allowed);
      if (unknown) return unknown;
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const field = shape[key];
      const at = joinPath(path, key);
      let v = own(value, key);
      if (typeof field !== "function") {
        if (strip && v === null) v = undefined;
        if (v === undefined) continue;
        const r = field.check(v, at);
        if (!r.ok) return r;
        put(out, key, r.value);
      } else {
        if (v === undefined) return invalidField(at, `${at} is required`);
        const r = field(v, at);
        if (!r.ok) return r;
        put(out, key, r.value);
      }
    }
    return ok(out as Infer<S>);
  };
}

/** Whether `obj` has its own `key` with a value other than undefined. */
export function has(obj: Record<string, unknown>, key: string): boolean {
  return own(obj, key) !== undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// "Did you mean"

function squash(key: string): string {
  return key.toLowerCase().replace(/[_\-\s.]/g, "");
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/**
 * The allowed key `key` was probably meant to be: the same letters ignoring case and _ - (durationSec ->
 * duration_sec), a word of it (bpm -> target_bpm), or a typo at most 2 edits away (duraton_sec -> duration_sec).
 */
export function suggest(key: string, allowed: readonly string[]): string | undefined {
  if (key.length === 0 || key.length > 64) return undefined;
  const s = squash(key);
  const same = allowed.find((k) => squash(k) === s);
  if (same) return same;
  const lower = key.toLowerCase();
  const word = allowed.find((k) => k.toLowerCase().split("_").includes(lower));
  if (word) return word;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of allowed) {
    const d = editDistance(lower, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return bestDistance <= 2 && bestDistance * 3 <= key.length ? best : undefined;
}
