// The tag -> prompt table as a user-editable JSON file (default <cuesmithHome>/presets.json).
//  - A missing file is created from the source article's table so the user has something to edit.
//  - Edits over the API are validated (tag, prompt 1..500 characters, seed 0..2^31-1), serialised and saved
//    atomically (temp file + fsync + rename), so a crash leaves the old table or the new one, never half a file.
//  - Hand edits are picked up on the next read: the file is re-read whenever its mtime/size/inode change.
//  - A broken hand edit is never overwritten: invalid JSON -> the built-in table, read-only, with the file's line
//    and column in `readOnly`; a valid file with a bad preset -> its good presets, read-only, naming the bad one.
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
import { MAX_BPM, MAX_PROMPT_CHARS, MAX_SEED, MIN_BPM, MIN_SEED } from "../../shared/protocol";
import { cuesmithHome } from "../config/paths";
import { writeFileAtomic } from "../util/atomic-file";
import { findJsonSyntaxError, lineColumn } from "./json-position";
import { StoreError } from "./errors";

export { StoreError } from "./errors";

/** `<cuesmithHome>/presets.json`. */
export function defaultPresetsFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cuesmithHome(env), "presets.json");
}

const PRESET_FIELDS = new Set(["prompt", "seed"]);

/**
 * Checks one preset; returns the normalised tag and the cleaned preset (prompt trimmed, `seed: null` dropped), or
 * throws a StoreError("invalid_field") whose `field` is "tag", "preset", "prompt", "seed" or the unknown key.
 */
export function validatePreset(tag: unknown, preset: unknown): { tag: string; preset: Preset } {
  const key = typeof tag === "string" ? normalizeTag(tag) : null;
  if (key === null) {
    throw new StoreError(
      "invalid_field",
      `${JSON.stringify(tag)} is not a tag: use letters, digits and _ (at most 64, e.g. course_intro)`,
      "tag",
    );
  }
  if (preset === null || typeof preset !== "object" || Array.isArray(preset)) {
    throw new StoreError(
      "invalid_field",
      `the preset for "${key}" must be an object like {"prompt": "...", "seed": 42}`,
      "preset",
    );
  }
  const p = preset as Record<string, unknown>;
  for (const field of Object.keys(p)) {
    if (!PRESET_FIELDS.has(field))
      throw new StoreError(
        "invalid_field",
        `unknown field "${field}" (a preset has "prompt" and an optional "seed")`,
        field,
      );
  }
  const prompt = typeof p.prompt === "string" ? p.prompt.trim() : undefined;
  if (prompt === undefined)
    throw new StoreError("invalid_field", `prompt must be text (1 to ${MAX_PROMPT_CHARS} characters)`, "prompt");
  const chars = [...prompt].length;
  if (chars === 0 || chars > MAX_PROMPT_CHARS) {
    throw new StoreError("invalid_field", `prompt must be 1 to ${MAX_PROMPT_CHARS} characters, got ${chars}`, "prompt");
  }
  const seed = p.seed;
  if (seed === undefined || seed === null) return { tag: key, preset: { prompt } };
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < MIN_SEED || seed > MAX_SEED) {
    throw new StoreError(
      "invalid_field",
      `seed must be a whole number from ${MIN_SEED} to ${MAX_SEED}, got ${JSON.stringify(seed)}`,
      "seed",
    );
  }
  return { tag: key, preset: { prompt, seed } };
}

interface ParsedFile {
  table: PresetTable;
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
    const at = findJsonSyntaxError(body);
    const where = at ? `line ${at.line}, column ${at.column}: ${at.message}` : (err as Error).message;
    throw new Error(`${file} is not valid JSON (${where}); ${HOW_TO_FIX} and uses the built-in presets`);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new Error(
      `${file} must hold one JSON object of tag -> {"prompt": "...", "seed": 42}; ${HOW_TO_FIX} and uses the built-in presets`,
    );
  }
  const table: PresetTable = {};
  const problems: string[] = [];
  for (const [tag, preset] of Object.entries(raw as Record<string, unknown>)) {
    const line = lineOfKey(body, tag);
    const where = `${file}${line === null ? "" : `, line ${line}`}: preset "${tag}"`;
    try {
      const ok = validatePreset(tag, preset);
      if (ok.tag in table) {
        problems.push(`${where}: the tag "${ok.tag}" appears twice (tags ignore case, "#", "-" and spaces)`);
        continue;
      }
      table[ok.tag] = ok.preset;
    } catch (err) {
      problems.push(`${where}: ${(err as Error).message}`);
    }
  }
  return { table, problems };
}

const copyTable = (t: Readonly<PresetTable>): PresetTable =>
  Object.fromEntries(Object.entries(t).map(([k, v]) => [k, { ...v }]));

function serialise(table: PresetTable): string {
  const sorted = Object.fromEntries(
    Object.keys(table)
      .sort()
      .map((k) => [k, table[k]]),
  );
  return JSON.stringify(sorted, null, 2) + "\n";
}

/** What the file looked like when last read: a change in any of these means a re-read. */
const signature = (s: fs.Stats) => `${s.mtimeMs}:${s.ctimeMs}:${s.size}:${s.ino}`;

export class PresetStore {
  private table: PresetTable = copyTable(DEFAULT_PRESETS);
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
    if (!exists) await writeFileAtomic(store.file, serialise(copyTable(DEFAULT_PRESETS))); // written out so the user can edit it
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
      this.table = copyTable(DEFAULT_PRESETS);
      this.readOnly = `cannot read ${this.file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); using the built-in presets`;
      return;
    }
    this.seen = sig;
    try {
      const parsed = parseFile(text, this.file);
      this.table = parsed.table;
      this.readOnly = parsed.problems.length
        ? `${parsed.problems.join("; ")}; ${HOW_TO_FIX} (the other presets are in use)`
        : null;
    } catch (err) {
      this.table = copyTable(DEFAULT_PRESETS);
      this.readOnly = (err as Error).message;
    }
  }

  /** A copy of the whole table. */
  all(): PresetTable {
    this.reload();
    return copyTable(this.table);
  }

  get(tag: string): Preset | undefined {
    this.reload();
    const key = normalizeTag(tag);
    const preset = key === null ? undefined : this.table[key];
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
    await this.edit((table) => ({ ...table, [ok.tag]: ok.preset }));
    return { ...ok.preset };
  }

  /** Removes a preset; false (and nothing written) when the table has no such tag. */
  async delete(tag: string): Promise<boolean> {
    const key = normalizeTag(tag);
    let removed = false;
    await this.edit((table) => {
      if (key === null || !(key in table)) return null;
      const next = { ...table };
      delete next[key];
      removed = true;
      return next;
    });
    return removed;
  }

  /** Runs edits one at a time, each on the freshest table (hand edits included), and saves the result. */
  private edit(change: (table: PresetTable) => PresetTable | null): Promise<void> {
    const run = this.writes.then(async () => {
      this.reload();
      if (this.readOnly) throw new StoreError("forbidden", `presets cannot be edited: ${this.readOnly}`);
      const next = change(this.table);
      if (next === null) return;
      await writeFileAtomic(this.file, serialise(next));
      this.table = copyTable(next);
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
