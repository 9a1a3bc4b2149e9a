import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_PRESETS } from "../../shared/presets";
import { FeedbackLog } from "../../helper/store/feedback-log";
import { PresetStore } from "../../helper/store/preset-store";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-store-"));

describe("PresetStore", () => {
  it("starts from the article's table and writes it out for editing", async () => {
    const file = path.join(tmp(), "presets.json");
    const store = await PresetStore.open(file);
    expect(store.all()).toEqual(DEFAULT_PRESETS);
    expect(JSON.parse(fs.readFileSync(file, "utf8")).unboxing.prompt).toBe(DEFAULT_PRESETS.unboxing.prompt);
  });

  it("persists edits and deletions for the next process", async () => {
    const file = path.join(tmp(), "presets.json");
    const a = await PresetStore.open(file);
    await a.set("#Course-Intro", { prompt: "  harp and strings  ", seed: 42 });
    expect(await a.delete("tutorial")).toBe(true);
    expect(await a.delete("never")).toBe(false);
    const b = await PresetStore.open(file);
    expect(b.get("course_intro")).toEqual({ prompt: "harp and strings", seed: 42 });
    expect(b.get("tutorial")).toBeUndefined();
    expect(b.resolve("course_intro")).toEqual({ prompt: "harp and strings", source: "preset", seed: 42 });
    expect(b.resolve("rainy_day").source).toBe("fallback");
  });

  it("refuses invalid edits, naming the field", async () => {
    const store = await PresetStore.open(path.join(tmp(), "p.json"));
    await expect(store.set("ok", { prompt: "" })).rejects.toMatchObject({ code: "invalid_field", field: "prompt" });
    await expect(store.set("ok", { prompt: "x".repeat(501) })).rejects.toMatchObject({ field: "prompt" });
    await expect(store.set("ok", { prompt: "p", seed: -1 })).rejects.toMatchObject({ field: "seed" });
    await expect(store.set("../x", { prompt: "p" })).rejects.toMatchObject({ field: "tag" });
  });

  it("picks up hand edits without a restart", async () => {
    const file = path.join(tmp(), "p.json");
    const store = await PresetStore.open(file);
    fs.writeFileSync(file, JSON.stringify({ rain: { prompt: "soft rain piano" } }));
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(file, later, later);
    expect(store.all()).toEqual({ rain: { prompt: "soft rain piano" } });
  });

  it("keeps working on the defaults when the file is broken, and never overwrites it", async () => {
    const file = path.join(tmp(), "p.json");
    fs.writeFileSync(file, "{ broken");
    const store = await PresetStore.open(file);
    expect(store.all()).toEqual(DEFAULT_PRESETS);
    expect(store.readOnly).toMatch(/not valid JSON/);
    await expect(store.set("x", { prompt: "y" })).rejects.toMatchObject({ code: "forbidden" });
    expect(fs.readFileSync(file, "utf8")).toBe("{ broken");
  });
});

describe("FeedbackLog", () => {
  const entry = (i: number) => ({
    reason: "too_loud" as const,
    note: `n${i}`,
    prompt: "p",
    seed: i,
    model: "m",
    sha256: "a".repeat(64),
  });

  it("keeps every acknowledged entry across a reopen", async () => {
    const file = path.join(tmp(), "f.jsonl");
    const log = await FeedbackLog.open(file);
    const stored = await log.append(entry(1));
    expect(stored.id).toMatch(/[0-9a-f-]{36}/);
    const again = await FeedbackLog.open(file);
    expect(await again.readAll()).toEqual([stored]);
  });

  it("writes 100 concurrent appends as 100 whole lines", async () => {
    const file = path.join(tmp(), "f.jsonl");
    const log = await FeedbackLog.open(file);
    await Promise.all(Array.from({ length: 100 }, (_, i) => log.append(entry(i))));
    const lines = fs.readFileSync(file, "utf8").trim().split("\n");
    expect(lines).toHaveLength(100);
    expect(new Set(lines.map((l) => JSON.parse(l).seed)).size).toBe(100);
  });

  it("drops a torn last line from a crash, with a warning, and appends cleanly after it", async () => {
    const file = path.join(tmp(), "f.jsonl");
    const log = await FeedbackLog.open(file);
    await log.append(entry(1));
    fs.appendFileSync(file, '{"id":"torn","rea');
    const reopened = await FeedbackLog.open(file);
    expect(reopened.warnings[0]).toMatch(/incomplete last line/);
    await reopened.append(entry(2));
    const seeds = fs
      .readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).seed);
    expect(seeds).toEqual([1, 2]);
  });
});
