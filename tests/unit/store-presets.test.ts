import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_PRESETS } from "../../shared/presets";
import { defaultPresetsFile, PresetStore, StoreError, validatePreset } from "../../helper/store/preset-store";
import { describeJsonError, lineColumn } from "../../helper/store/json-error";

const tmpDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-presets-"));
const tmpFile = () => path.join(tmpDir(), "presets.json");

describe("PresetStore: defaults and persistence", () => {
  it("writes the article's table to a missing file (creating its folder) so the user can edit it", async () => {
    const file = path.join(tmpDir(), "nested", "presets.json");
    const store = await PresetStore.open(file);
    expect(store.readOnly).toBeNull();
    expect(store.all()).toEqual(DEFAULT_PRESETS);
    const onDisk = JSON.parse(fs.readFileSync(file, "utf8"));
    expect(onDisk).toEqual(DEFAULT_PRESETS);
    expect(fs.readFileSync(file, "utf8")).toMatch(/\n {2}"closing_credits": \{\n/); // pretty-printed for hand edits
    expect(fs.readdirSync(path.dirname(file))).toEqual(["presets.json"]); // no temp files left behind
  });

  it("defaults to <CUESMITH_HOME>/presets.json", () => {
    expect(defaultPresetsFile({ CUESMITH_HOME: "/tmp/cs-home" })).toBe(path.join("/tmp/cs-home", "presets.json"));
  });

  it("does not touch an existing file on open", async () => {
    const file = tmpFile();
    const text = '{"rain": {"prompt": "soft rain piano"}}';
    fs.writeFileSync(file, text);
    const store = await PresetStore.open(file);
    expect(store.all()).toEqual({ rain: { prompt: "soft rain piano" } });
    expect(fs.readFileSync(file, "utf8")).toBe(text);
  });

  it("persists set and delete for a new store (a new process)", async () => {
    const file = tmpFile();
    const a = await PresetStore.open(file);
    await expect(a.set("#Course-Intro", { prompt: "  harp and strings  ", seed: 42 })).resolves.toEqual({
      prompt: "harp and strings",
      seed: 42,
    });
    await a.set("rain", { prompt: "soft rain piano" });
    expect(await a.delete("tutorial")).toBe(true);
    expect(await a.delete("#never_there")).toBe(false);
    const b = await PresetStore.open(file);
    expect(b.get("course_intro")).toEqual({ prompt: "harp and strings", seed: 42 });
    expect(b.get("#Rain")).toEqual({ prompt: "soft rain piano" });
    expect(b.get("tutorial")).toBeUndefined();
    expect(b.all()).toEqual(a.all());
  });

  it("resolves a tag to its prompt and pinned seed, with bpm in MusicGen's words", async () => {
    const store = await PresetStore.open(tmpFile());
    await store.set("course_intro", { prompt: "inspiring orchestral intro, 90 bpm", seed: 77 });
    // every #course_intro of a series gets the same seed: one family of beds
    expect(store.resolve("#course_intro")).toEqual({
      prompt: "inspiring orchestral intro, 90 bpm",
      source: "preset",
      seed: 77,
    });
    expect(store.resolve("course_intro", 110)).toEqual({
      prompt: "inspiring orchestral intro, 110 bpm",
      source: "preset",
      seed: 77,
    });
    expect(store.resolve("unboxing").seed).toBeUndefined();
    expect(store.resolve("rainy_day", 100)).toEqual({
      prompt: "rainy day background music for video, clear instruments, no vocals, 100 bpm",
      source: "fallback",
    });
    expect(() => store.resolve("../etc")).toThrow(RangeError);
    expect(() => store.resolve("unboxing", 5000)).toThrow(/bpm/);
  });

  it("hands out copies: changing a returned preset changes nothing in the store", async () => {
    const store = await PresetStore.open(tmpFile());
    store.all().unboxing.prompt = "mutated";
    store.get("tutorial")!.prompt = "mutated";
    expect(store.get("unboxing")).toEqual(DEFAULT_PRESETS.unboxing);
    expect(store.get("tutorial")).toEqual(DEFAULT_PRESETS.tutorial);
  });

  it("serialises concurrent edits so none is lost", async () => {
    const file = tmpFile();
    const store = await PresetStore.open(file);
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(`tag_${i}`, { prompt: `prompt ${i}`, seed: i })));
    const reread = await PresetStore.open(file);
    for (let i = 0; i < 20; i++) expect(reread.get(`tag_${i}`)).toEqual({ prompt: `prompt ${i}`, seed: i });
  });
});

describe("PresetStore: validation", () => {
  const reject = async (tag: string, preset: unknown, field: string) => {
    const store = await PresetStore.open(tmpFile());
    const err = await store.set(tag, preset as never).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StoreError);
    expect(err).toMatchObject({ code: "invalid_field", field });
    expect((err as Error).message.length).toBeGreaterThan(10);
    return err as StoreError;
  };

  it("refuses bad tags, prompts and seeds, naming the field", async () => {
    await reject("../x", { prompt: "p" }, "tag");
    await reject("", { prompt: "p" }, "tag");
    await reject("a".repeat(65), { prompt: "p" }, "tag");
    await reject("ok", { prompt: "" }, "prompt");
    await reject("ok", { prompt: "   " }, "prompt");
    await reject("ok", { prompt: 42 }, "prompt");
    await reject("ok", {}, "prompt");
    expect((await reject("ok", { prompt: "x".repeat(501) }, "prompt")).message).toMatch(/at most 500 characters/);
    await reject("ok", { prompt: "p", seed: -1 }, "seed");
    await reject("ok", { prompt: "p", seed: 1.5 }, "seed");
    await reject("ok", { prompt: "p", seed: 2 ** 31 }, "seed");
    await reject("ok", { prompt: "p", seed: "7" }, "seed");
    await reject("ok", { prompt: "p", sead: 7 }, "sead"); // a typo is named, not silently dropped
    await reject("ok", null, "preset");
  });

  it("accepts the limits", async () => {
    const store = await PresetStore.open(tmpFile());
    await store.set("a", { prompt: "x".repeat(500), seed: 2 ** 31 - 1 });
    await store.set("b", { prompt: "🎹".repeat(500), seed: 0 }); // 500 characters, not UTF-16 units
    expect(store.get("a")!.seed).toBe(2 ** 31 - 1);
    expect(store.get("b")!.seed).toBe(0);
  });

  it("leaves the file untouched after a refused edit", async () => {
    const file = tmpFile();
    const store = await PresetStore.open(file);
    const before = fs.readFileSync(file, "utf8");
    await expect(store.set("ok", { prompt: "" })).rejects.toBeInstanceOf(StoreError);
    expect(fs.readFileSync(file, "utf8")).toBe(before);
  });

  it("validatePreset normalises the tag and drops a null seed", () => {
    expect(validatePreset("#Vlog Morning", { prompt: " guitar ", seed: null as unknown as number })).toEqual({
      tag: "vlog_morning",
      preset: { prompt: "guitar" },
    });
  });
});

describe("PresetStore: hand edits", () => {
  it("picks up a hand edit without a restart (no mtime tricks needed)", async () => {
    const file = tmpFile();
    const store = await PresetStore.open(file);
    expect(store.get("rain")).toBeUndefined();
    fs.writeFileSync(file, JSON.stringify({ rain: { prompt: "soft rain piano", seed: 3 } }, null, 2));
    expect(store.all()).toEqual({ rain: { prompt: "soft rain piano", seed: 3 } });
    expect(store.resolve("rain")).toEqual({ prompt: "soft rain piano", source: "preset", seed: 3 });
    // and an API edit builds on the hand-edited table
    await store.set("storm", { prompt: "low drums" });
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual({
      rain: { prompt: "soft rain piano", seed: 3 },
      storm: { prompt: "low drums" },
    });
  });

  it("notices a same-size edit through the changed mtime", async () => {
    const file = tmpFile();
    fs.writeFileSync(file, JSON.stringify({ rain: { prompt: "aaaa" } }));
    const store = await PresetStore.open(file);
    fs.writeFileSync(file, JSON.stringify({ rain: { prompt: "bbbb" } }));
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(file, later, later);
    expect(store.get("rain")).toEqual({ prompt: "bbbb" });
  });

  it("invalid JSON: names the file and line, keeps the defaults, is read-only, never overwrites", async () => {
    const file = tmpFile();
    const broken = '{\n  "rain": { "prompt": "soft rain piano" },\n  "storm": { "prompt": "low drums", }\n}\n';
    fs.writeFileSync(file, broken);
    const store = await PresetStore.open(file);
    expect(store.all()).toEqual(DEFAULT_PRESETS);
    expect(store.readOnly).toContain(file);
    expect(store.readOnly).toMatch(/not valid JSON/);
    expect(store.readOnly).toMatch(/line 3, column \d+/);
    expect(store.resolve("unboxing").prompt).toBe(DEFAULT_PRESETS.unboxing.prompt); // generation keeps working
    await expect(store.set("x", { prompt: "y" })).rejects.toMatchObject({
      code: "forbidden",
      message: expect.stringMatching(/line 3/),
    });
    await expect(store.delete("unboxing")).rejects.toMatchObject({ code: "forbidden" });
    expect(fs.readFileSync(file, "utf8")).toBe(broken);
  });

  it("an unterminated file reports its last line; a reopen does not overwrite it either", async () => {
    const file = tmpFile();
    fs.writeFileSync(file, "{ broken");
    const store = await PresetStore.open(file);
    expect(store.readOnly).toMatch(/line 1, column 3/);
    await PresetStore.open(file);
    expect(fs.readFileSync(file, "utf8")).toBe("{ broken");
  });

  it("becomes writable again once the user fixes the file", async () => {
    const file = tmpFile();
    fs.writeFileSync(file, "{ oops }");
    const store = await PresetStore.open(file);
    expect(store.readOnly).not.toBeNull();
    fs.writeFileSync(file, JSON.stringify({ rain: { prompt: "soft rain piano" } }));
    expect(store.all()).toEqual({ rain: { prompt: "soft rain piano" } });
    expect(store.readOnly).toBeNull();
    await store.set("storm", { prompt: "low drums" });
    expect(Object.keys(JSON.parse(fs.readFileSync(file, "utf8")))).toEqual(["rain", "storm"]);
  });

  it("a valid file with one bad preset: the good ones are used, read-only, the bad one named with its line", async () => {
    const file = tmpFile();
    const text = JSON.stringify(
      { rain: { prompt: "soft rain piano" }, storm: { prompt: "low drums", seed: -5 } },
      null,
      2,
    );
    fs.writeFileSync(file, text);
    const store = await PresetStore.open(file);
    expect(store.all()).toEqual({ rain: { prompt: "soft rain piano" } });
    expect(store.readOnly).toMatch(/line 5: preset "storm": seed must be/);
    await expect(store.set("x", { prompt: "y" })).rejects.toMatchObject({ code: "forbidden" });
    expect(fs.readFileSync(file, "utf8")).toBe(text);
  });

  it("refuses a file that is not an object of presets, and two keys naming the same tag", async () => {
    const a = tmpFile();
    fs.writeFileSync(a, "[1, 2]");
    expect((await PresetStore.open(a)).readOnly).toMatch(/must hold one JSON object/);
    const b = tmpFile();
    fs.writeFileSync(b, JSON.stringify({ Rain: { prompt: "one" }, rain: { prompt: "two" } }));
    const store = await PresetStore.open(b);
    expect(store.readOnly).toMatch(/appears twice/);
    expect(store.get("rain")).toEqual({ prompt: "one" });
  });
});

describe("describeJsonError", () => {
  const where = (text: string) => {
    try {
      JSON.parse(text);
    } catch (err) {
      return describeJsonError(text, err as Error);
    }
    return null;
  };

  it("turns JSON.parse's position into the line and column of common hand-editing mistakes", () => {
    expect(where('{"a": 1}')).toBeNull();
    expect(where('{\n "a": 1,\n}')).toMatch(/^line 3, column 1: /); // trailing comma
    expect(where('{\n "a": "x"\n "b": 2\n}')).toMatch(/^line 3, column 2: /); // missing comma
    expect(where("{\n 'a': 1\n}")).toMatch(/^line 2, column 2: /); // single quotes
    expect(where('{\n "a": "no end\n}')).toMatch(/^line 2, column \d+: Bad control character/);
    expect(where("{}\n{}")).toMatch(/^line 2, column 1: /);
    expect(where("{ broken")).toMatch(/^line 1, column 3: /);
    expect(where('{\n "a": ')).toMatch(/^line 2, column 7: Unexpected end/); // the input ended early
  });

  it("keeps V8's words, without the copy of the input it sometimes quotes, when it names no position", () => {
    const text = '{\n "a": tru\n}';
    const said = where(text)!;
    expect(said).toMatch(/Unexpected token/);
    expect(said).not.toContain('"a"');
  });

  it("counts lines and columns from 1", () => {
    expect(lineColumn("ab\ncd", 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn("ab\ncd", 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumn("ab", 99)).toEqual({ line: 1, column: 3 });
  });
});

describe("PresetStore: tags that are also names on the object prototype", () => {
  const PROTO_KEYS = [
    "constructor",
    "__proto__",
    "toString",
    "hasOwnProperty",
    "valueOf",
    "isPrototypeOf",
    "__defineGetter__",
  ];

  it("looks such tags up as ordinary tags: a fallback prompt, never a prototype member", async () => {
    const store = await PresetStore.open(tmpFile());
    for (const tag of ["constructor", "tostring", "hasownproperty", "valueof", "isprototypeof"]) {
      expect(store.get(tag)).toBeUndefined();
      expect(store.resolve(tag)).toEqual({
        prompt: `${tag.replace(/_/g, " ")} background music for video, clear instruments, no vocals`,
        source: "fallback",
      });
    }
    expect(await store.delete("constructor")).toBe(false);
  });

  it("stores, reloads after a restart and keeps editing a table holding such tags", async () => {
    const file = tmpFile();
    const a = await PresetStore.open(file);
    await a.set("constructor", { prompt: "built from scratch", seed: 3 });
    await a.set("valueof", { prompt: "worth it" });
    const b = await PresetStore.open(file); // a new process
    expect(b.readOnly).toBeNull();
    expect(b.get("constructor")).toEqual({ prompt: "built from scratch", seed: 3 });
    expect(b.resolve("constructor")).toEqual({ prompt: "built from scratch", source: "preset", seed: 3 });
    await expect(b.set("rain", { prompt: "soft rain piano" })).resolves.toEqual({ prompt: "soft rain piano" });
    expect(await b.delete("constructor")).toBe(true);
    expect(b.get("constructor")).toBeUndefined();
    expect(Object.getPrototypeOf(b.all())).toBe(Object.prototype);
  });

  it("a hand-written file whose keys are prototype names loads without touching any prototype", async () => {
    const file = tmpFile();
    // JSON.parse keeps "__proto__" as an own key; written by hand so the test does not depend on JSON.stringify
    const text = `{${PROTO_KEYS.map((k) => `"${k}": {"prompt": "p ${k}"}`).join(", ")}}`;
    fs.writeFileSync(file, text);
    const store = await PresetStore.open(file);
    // "constructor" is a tag; the rest are not tags (leading _ or upper case) or duplicates once normalised
    expect(store.get("constructor")).toEqual({ prompt: "p constructor" });
    expect(store.get("tostring")).toEqual({ prompt: "p toString" });
    expect(({} as Record<string, unknown>).prompt).toBeUndefined(); // no prototype pollution
    expect(store.readOnly).toMatch(/"__proto__" is not a usable tag/);
  });
});
