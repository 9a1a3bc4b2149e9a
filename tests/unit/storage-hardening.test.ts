// Private files, paths in messages, and the start-up sweep of temp files left by interrupted writes.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { validateSettings } from "../../helper/config/settings";
import { FeedbackLog } from "../../helper/store/feedback-log";
import { PresetStore } from "../../helper/store/preset-store";
import { tempPathFor, writeFileAtomic } from "../../helper/util/atomic-file";
import { displayPath } from "../../helper/util/display-path";
import { isOurTempName, STALE_TEMP_MS, sweepStaleTempFiles } from "../../helper/util/temp-sweep";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-harden-"));
const mode = (p: string) => fs.statSync(p).mode & 0o777;
const posixIt = process.platform === "win32" ? it.skip : it;

const SHA = "a".repeat(64);
const entry = { reason: "too_loud" as const, note: "", prompt: "calm piano", seed: 1, model: "m", sha256: SHA };

describe("displayPath", () => {
  it("shows paths under the home folder as ~/…, others unchanged", () => {
    expect(displayPath("/home/ed/.cuesmith/presets.json", "/home/ed")).toBe("~/.cuesmith/presets.json");
    expect(displayPath("/home/ed", "/home/ed")).toBe("~");
    expect(displayPath("/home/edward/x", "/home/ed")).toBe("/home/edward/x");
    expect(displayPath("/tmp/x", "/home/ed")).toBe("/tmp/x");
    expect(displayPath(path.join(os.homedir(), "Music", "beds"))).toBe(`~${path.sep}${path.join("Music", "beds")}`);
  });

  it("follows Windows rules when given them", () => {
    expect(displayPath("c:\\users\\ed\\Music\\beds", "C:\\Users\\Ed", path.win32)).toBe("~\\Music\\beds");
    expect(displayPath("D:\\Projects", "C:\\Users\\Ed", path.win32)).toBe("D:\\Projects");
  });

  it("is what the stores put in their messages", async () => {
    const home = fs.mkdtempSync(path.join(os.homedir(), ".cuesmith-test-"));
    try {
      const file = path.join(home, "presets.json");
      fs.writeFileSync(file, "{ broken");
      const store = await PresetStore.open(file);
      expect(store.readOnly).toContain(`~${path.sep}${path.basename(home)}${path.sep}presets.json`);
      expect(store.readOnly).not.toContain(os.homedir());
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});

describe("private files (0600) and folders (0700)", () => {
  posixIt("presets.json and the folder created for it", async () => {
    const dir = path.join(tmp(), "home");
    const file = path.join(dir, "presets.json");
    const store = await PresetStore.open(file);
    expect(mode(file)).toBe(0o600);
    expect(mode(dir)).toBe(0o700);
    await store.set("rain", { prompt: "soft rain piano" });
    expect(mode(file)).toBe(0o600); // every atomic rewrite keeps it private
  });

  posixIt("feedback.jsonl, new or left readable by an older version", async () => {
    const dir = path.join(tmp(), "home");
    const file = path.join(dir, "feedback.jsonl");
    const log = await FeedbackLog.open(file);
    await log.append(entry);
    expect(mode(file)).toBe(0o600);
    expect(mode(dir)).toBe(0o700);
    fs.chmodSync(file, 0o644);
    const again = await FeedbackLog.open(file);
    await again.append(entry);
    expect(mode(file)).toBe(0o600);
  });

  posixIt("atomic writes default to ordinary files (WAVs are for Premiere)", async () => {
    const file = path.join(tmp(), "a.wav");
    await writeFileAtomic(file, "x");
    expect(mode(file) & 0o600).toBe(0o600);
  });
});

describe("start-up sweep of stale temp files", () => {
  it("knows our temp names and only those", () => {
    expect(isOurTempName(path.basename(tempPathFor("/x/presets.json")))).toBe(true);
    expect(isOurTempName(path.basename(tempPathFor("/x/bed_15s_seed1_abcd1234.wav")))).toBe(true);
    expect(isOurTempName("bed_15s_seed1_abcd1234.wav.4242.1733380000000.tmp")).toBe(true);
    for (const name of ["presets.json", "notes.tmp", ".DS_Store", "render.wav", ".hidden.tmp", "x.wav.tmp"])
      expect(isOurTempName(name)).toBe(false);
  });

  it("removes stale temp files of our naming, keeps young ones, other files and folders", async () => {
    const out = tmp();
    const cache = tmp();
    const old = Date.now() / 1000 - (STALE_TEMP_MS / 1000) * 5;
    const stale = [path.basename(tempPathFor(path.join(out, "bed.wav"))), "bed.wav.123.1700000000000.tmp"].map((n) =>
      path.join(out, n),
    );
    const staleCache = path.join(cache, path.basename(tempPathFor(path.join(cache, `${"b".repeat(64)}.json`))));
    const young = path.join(cache, path.basename(tempPathFor(path.join(cache, `${"c".repeat(64)}.wav`))));
    const keep = [path.join(out, "bed.wav"), path.join(out, "notes.tmp"), path.join(cache, `${"d".repeat(64)}.wav`)];
    for (const f of [...stale, staleCache, young, ...keep]) fs.writeFileSync(f, "x");
    for (const f of [...stale, staleCache, ...keep]) fs.utimesSync(f, old, old);
    const folderLikeTemp = path.join(out, path.basename(tempPathFor(path.join(out, "dir"))));
    fs.mkdirSync(folderLikeTemp);
    fs.utimesSync(folderLikeTemp, old, old);

    const removed = await sweepStaleTempFiles([out, cache, out, path.join(out, "missing")]);
    expect(removed.sort()).toEqual([...stale, staleCache].sort());
    for (const f of [young, ...keep, folderLikeTemp]) expect(fs.existsSync(f)).toBe(true);
    expect(await sweepStaleTempFiles([out, cache])).toEqual([]);
  });
});

describe("settings keys from config.json", () => {
  it("a prototype name is an unknown setting, not a lookup on Object.prototype", () => {
    for (const key of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      expect(() => validateSettings(JSON.parse(`{"${key}": "x"}`), "config.json")).toThrow(`unknown setting "${key}"`);
    }
  });
});
