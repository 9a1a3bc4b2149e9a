// The tag -> prompt table as a user-editable JSON file (default <cuesmithHome>/presets.json).
//  - A missing file is created from the source article's table so the user has something to edit.
//  - Edits over the API are validated (tag, prompt 1..500 characters, seed 0..2^31-1), serialised and saved
//    atomically (temp file + fsync + rename), so a crash leaves the old table or the new one, never half a file.
//  - Hand edits are picked up on the next read: the file is re-read whenever its mtime/size/inode change.
//  - A broken hand edit is never overwritten: invalid JSON -> the built-in table, read-only, with the file's line
//    and column in `readOnly`; a valid file with a bad preset -> its good presets, read-only, naming the bad one.
//  - Tags are keys from outside (files, the network): the table is a Map, so "constructor" or "__proto__" are
//    ordinary tags and never reach the object prototype.
//  - The file is private to the user (0600, its folder 0700 when we create it): prompts can name clients' projects.
import * as fs from "node:fs";
import * as path from "node:path";
import {
  DEFAULT_PRESETS,
  normalizeTag,
  Preset,
  PresetTable,
  promptForTag,
  ResolvedPrompt,
  withBpm,
} from "../../shared/presets";
import { MAX_BPM, MIN_BPM, parsePreset, parseTag } from "../../shared/protocol";
import { isPlainObject } from "../../shared/protocol/validate";
import { cuesmithHome } from "../config/paths";
import { PRIVATE_FILE_MODE, writeFileAtomic } from "../util/atomic-file";
import { displayPath } from "../util/display-path";
import { describeJsonError, lineColumn } from "./json-error";
import { StoreError } from "./errors";

export { StoreError } from "./errors";

/** `<cuesmithHome>/presets.json`. */
export function defaultPresetsFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cuesmithHome(env), "presets.json");
}

/**
 * Checks one preset with the protocol's own checkers (parseTag, parsePreset); returns the normalised tag and the
 * cleaned preset (prompt trimmed, a hand-written `seed: null` dropped), or throws a StoreError("invalid_field")
 * whose `field` is "tag", "preset", "prompt", "seed" or the unknown key.
 */
export function validatePreset(tag: unknown, preset: unknown): { tag: string; preset: Preset } {
  const key = parseTag(tag, "tag");
  if (!key.ok) throw new StoreError("invalid_field", key.error.message, "tag");
  if (!isPlainObject(preset)) {
    throw new StoreError(
      "invalid_field",
      `the preset for "${key.value}" must be an object like {"prompt": "...", "seed": 42}`,
      "preset",
    );
  }
  const { seed, ...rest } = preset;
  const r = parsePreset(seed === null ? rest : preset);
  if (!r.ok) throw new StoreError("invalid_field", r.error.message, r.error.field ?? "preset");
  return { tag: key.value, preset: r.value };
}

/** Tag -> preset, in the order read or written. */
type Table = Map<string, Preset>;

interface ParsedFile {
  table: Table;
  /** Presets left out because they are invalid; non-empty -> the store is read-only. */
  problems: string[];
}

/** Line (1-based) of `"key":` in the text, for messages about a valid file with a bad preset. */
function lineOfKey(text: string, key: string): number | null {
  const at = text.search(new RegExp(`${JSON.stringify(key).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*:`));
  return at < 0 ? null : lineColumn(text, at).line;
}

const HOW_TO_FIX = "fix it by hand; until then Cuesmith will not overwrite the file";

/** Parses the file's text; throws (with the file, line and column) when nothing usable is in it. */
function parseFile(text: string, file: string): ParsedFile {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (err) {
    const where = describeJsonError(body, err as Error);
    throw new Error(`${file} is not valid JSON (${where}); ${HOW_TO_FIX} and uses the built-in presets`);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new Error(
      `${file} must hold one JSON object of tag -> {"prompt": "...", "seed": 42}; ${HOW_TO_FIX} and uses the built-in presets`,
    );
  }
  const table: Table = new Map();
  const problems: string[] = [];
  for (const [tag, preset] of Object.entries(raw as Record<string, unknown>)) {
    const line = lineOfKey(body, tag);
    const where = `${file}${line === null ? "" : `, line ${line}`}: preset "${tag}"`;
    try {
      const ok = validatePreset(tag, preset);
      if (table.has(ok.tag)) {
        problems.push(`${where}: the tag "${ok.tag}" appears twice (tags ignore case, "#", "-" and spaces)`);
        continue;
      }
      table.set(ok.tag, ok.preset);
    } catch (err) {
      problems.push(`${where}: ${(err as Error).message}`);
    }
  }
  return { table, problems };
}

const tableOf = (t: Readonly<PresetTable>): Table => new Map(Object.entries(t).map(([k, v]) => [k, { ...v }]));

/** A plain object for the wire and the file: Object.fromEntries defines own keys, so even "__proto__" stays data. */
const plain = (t: Table): PresetTable => Object.fromEntries([...t].map(([k, v]) => [k, { ...v }]));

function serialise(table: Table): string {
  const sorted = Object.fromEntries([...table.keys()].sort().map((k) => [k, table.get(k)]));
  return JSON.stringify(sorted, null, 2) + "\n";
}

/** What the file looked like when last read: a change in any of these means a re-read. */
const signature = (s: fs.Stats) => `${s.mtimeMs}:${s.ctimeMs}:${s.size}:${s.ino}`;

export class PresetStore {
  private table: Table = tableOf(DEFAULT_PRESETS);
  private seen: string | null = null;
  private writes: Promise<unknown> = Promise.resolve();
  /** Why edits are refused (the file on disk is broken and must be fixed by hand), or null when they are allowed. */
  readOnly: string | null = null;

  private constructor(readonly file: string) {}

  /** Opens (and when missing, creates with the built-in table) the presets file. */
  static async open(file: string = defaultPresetsFile()): Promise<PresetStore> {
    const store = new PresetStore(path.resolve(file));
    const exists = await fs.promises.stat(store.file).then(
      () => true,
      (err: NodeJS.ErrnoException) => {
        if (err.code === "ENOENT") return false;
        throw err;
      },
    );
    if (!exists) await store.write(tableOf(DEFAULT_PRESETS)); // written out so the user can edit it
    store.reload();
    return store;
  }

  /** Re-reads the file when it changed on disk since the last read. */
  private reload(): void {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(this.file);
    } catch {
      return; // deleted by hand: keep the table we have; the next edit writes the file again
    }
    const sig = signature(stat);
    if (sig === this.seen) return;
    let text: string;
    try {
      text = fs.readFileSync(this.file, "utf8");
    } catch (err) {
      this.seen = null; // try again next time
      this.table = tableOf(DEFAULT_PRESETS);
      this.readOnly = `cannot read ${displayPath(this.file)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); using the built-in presets`;
      return;
    }
    this.seen = sig;
    try {
      const parsed = parseFile(text, displayPath(this.file));
      this.table = parsed.table;
      this.readOnly = parsed.problems.length
        ? `${parsed.problems.join("; ")}; ${HOW_TO_FIX} (the other presets are in use)`
        : null;
    } catch (err) {
      this.table = tableOf(DEFAULT_PRESETS);
      this.readOnly = (err as Error).message;
    }
  }

  /** A copy of the whole table. */
  all(): PresetTable {
    this.reload();
    return plain(this.table);
  }

  get(tag: string): Preset | undefined {
    this.reload();
    const key = normalizeTag(tag);
    const preset = key === null ? undefined : this.table.get(key);
    return preset ? { ...preset } : undefined;
  }

  /**
   * The prompt (and pinned seed) for a tag, with `bpm` written in MusicGen's words when given. Unknown tags get a
   * prompt built from their words (source "fallback"); a string that is not a tag at all throws a RangeError.
   */
  resolve(tag: string, bpm?: number): ResolvedPrompt {
    this.reload();
    const resolved = promptForTag(tag, this.table);
    if (bpm === undefined) return resolved;
    if (!Number.isFinite(bpm) || bpm < MIN_BPM || bpm > MAX_BPM)
      throw new RangeError(`bpm must be ${MIN_BPM} to ${MAX_BPM}, got ${bpm}`);
    return { ...resolved, prompt: withBpm(resolved.prompt, bpm) };
  }

  /** Validates and saves one preset (creating or replacing it); resolves with what was stored. */
  async set(tag: string, preset: Preset): Promise<Preset> {
    const ok = validatePreset(tag, preset);
    await this.edit((table) => new Map(table).set(ok.tag, ok.preset));
    return { ...ok.preset };
  }

  /** Removes a preset; false (and nothing written) when the table has no such tag. */
  async delete(tag: string): Promise<boolean> {
    const key = normalizeTag(tag);
    let removed = false;
    await this.edit((table) => {
      if (key === null || !table.has(key)) return null;
      const next = new Map(table);
      next.delete(key);
      removed = true;
      return next;
    });
    return removed;
  }

  private write(table: Table): Promise<void> {
    return writeFileAtomic(this.file, serialise(table), { mode: PRIVATE_FILE_MODE });
  }

  /** Runs edits one at a time, each on the freshest table (hand edits included), and saves the result. */
  private edit(change: (table: Table) => Table | null): Promise<void> {
    const run = this.writes.then(async () => {
      this.reload();
      if (this.readOnly) throw new StoreError("forbidden", `presets cannot be edited: ${this.readOnly}`);
      const next = change(this.table);
      if (next === null) return;
      await this.write(next);
      this.table = next;
      try {
        this.seen = signature(fs.statSync(this.file));
      } catch {
        this.seen = null;
      }
    });
    this.writes = run.catch(() => undefined);
    return run;
  }
}
