// The tag -> prompt table as a user-editable JSON file (default ~/.cuesmith/presets.json). Edits over the API are
// validated and saved atomically; hand edits are picked up on the next read; a broken file is never overwritten.
import * as fs from "node:fs";
import { DEFAULT_PRESETS, normalizeTag, Preset, PresetTable, promptForTag, ResolvedPrompt } from "../../shared/presets";
import { MAX_PROMPT_CHARS, MAX_SEED, MIN_SEED } from "../../shared/protocol";
import { writeFileAtomic } from "../util/atomic-file";

export class StoreError extends Error {
  constructor(readonly code: "invalid_field" | "forbidden", message: string, readonly field?: string) {
    super(message);
    this.name = "StoreError";
  }
}

/** Checks one preset; returns it cleaned (trimmed prompt) or throws a StoreError naming the field. */
export function validatePreset(tag: string, preset: Preset): { tag: string; preset: Preset } {
  const key = normalizeTag(tag);
  if (key === null) throw new StoreError("invalid_field", `"${tag}" is not a tag: use letters, digits and _`, "tag");
  const prompt = typeof preset?.prompt === "string" ? preset.prompt.trim() : "";
  if (prompt.length === 0 || prompt.length > MAX_PROMPT_CHARS) {
    throw new StoreError("invalid_field", `prompt must be 1 to ${MAX_PROMPT_CHARS} characters`, "prompt");
  }
  if (preset.seed !== undefined && !(Number.isInteger(preset.seed) && preset.seed >= MIN_SEED && preset.seed <= MAX_SEED)) {
    throw new StoreError("invalid_field", `seed must be a whole number from ${MIN_SEED} to ${MAX_SEED}`, "seed");
  }
  return { tag: key, preset: preset.seed === undefined ? { prompt } : { prompt, seed: preset.seed } };
}

function parseTable(text: string, file: string): PresetTable {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file} is not valid JSON (${(err as Error).message}); fix it by hand — the helper uses the built-in presets until then and will not overwrite it`);
  }
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new Error(`${file} must hold an object of tag -> {"prompt", "seed"?}`);
  const table: PresetTable = {};
  for (const [tag, preset] of Object.entries(raw as Record<string, Preset>)) {
    try {
      const ok = validatePreset(tag, preset);
      table[ok.tag] = ok.preset;
    } catch (err) {
      throw new Error(`${file}: preset "${tag}": ${(err as Error).message}`);
    }
  }
  return table;
}

export class PresetStore {
  private table: PresetTable = { ...DEFAULT_PRESETS };
  private mtimeMs = -1;
  /** Why edits are refused (the file on disk is broken), or null. */
  readOnly: string | null = null;

  private constructor(readonly file: string) {}

  static async open(file: string): Promise<PresetStore> {
    const store = new PresetStore(file);
    if (!fs.existsSync(file)) await store.save({ ...DEFAULT_PRESETS }); // written out so the user can edit it
    store.reload();
    return store;
  }

  /** Re-reads the file when it changed on disk since the last read. */
  private reload(): void {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(this.file);
    } catch {
      return; // deleted by hand: keep what we have; the next edit writes it again
    }
    if (stat.mtimeMs === this.mtimeMs) return;
    this.mtimeMs = stat.mtimeMs;
    try {
      this.table = parseTable(fs.readFileSync(this.file, "utf8"), this.file);
      this.readOnly = null;
    } catch (err) {
      this.table = { ...DEFAULT_PRESETS };
      this.readOnly = (err as Error).message;
    }
  }

  all(): PresetTable {
    this.reload();
    return { ...this.table };
  }

  get(tag: string): Preset | undefined {
    this.reload();
    const key = normalizeTag(tag);
    return key === null ? undefined : this.table[key];
  }

  /** The prompt (and pinned seed) for a tag; unknown tags get a prompt built from their words. */
  resolve(tag: string): ResolvedPrompt {
    this.reload();
    return promptForTag(tag, this.table);
  }

  async set(tag: string, preset: Preset): Promise<void> {
    const ok = validatePreset(tag, preset);
    this.refuseIfReadOnly();
    await this.save({ ...this.table, [ok.tag]: ok.preset });
  }

  async delete(tag: string): Promise<boolean> {
    this.refuseIfReadOnly();
    const key = normalizeTag(tag);
    if (key === null || !(key in this.table)) return false;
    const next = { ...this.table };
    delete next[key];
    await this.save(next);
    return true;
  }

  private refuseIfReadOnly(): void {
    this.reload();
    if (this.readOnly) throw new StoreError("forbidden", `presets cannot be edited: ${this.readOnly}`);
  }

  private async save(table: PresetTable): Promise<void> {
    const sorted = Object.fromEntries(Object.keys(table).sort().map((k) => [k, table[k]]));
    await writeFileAtomic(this.file, JSON.stringify(sorted, null, 2) + "\n");
    this.table = sorted;
    this.mtimeMs = fs.statSync(this.file).mtimeMs;
  }
}
